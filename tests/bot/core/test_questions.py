"""Question reading: kinds, small talk, and answer phrases of each kind."""

from __future__ import annotations

import pytest

from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases, has_definition_cue
from bot.core.questions import classify, smalltalk, strip_filler
from retrieval.tokens import Tokenizer

K = QuestionKind
TOKENIZER = Tokenizer()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people live in Bamako?", K.COUNT),
        ("how much did the dam cost", K.COUNT),
        ("What percentage of voters turned out?", K.COUNT),
        ("How long is the river?", K.COUNT),
        ("When did the war end?", K.DATE),
        ("In what year was the treaty signed?", K.DATE),
        ("What year did it open?", K.DATE),
        ("By when must the troops leave?", K.DATE),
        ("How long ago did the mine close?", K.DATE),
        ("Who signed the treaty?", K.PERSON),
        ("Which organisation suspended the country?", K.PERSON),
        ("What company built the bridge?", K.PERSON),
        ("Where was the summit held?", K.PLACE),
        ("Which country did they move closer to?", K.PLACE),
        ("In which city is the museum?", K.PLACE),
        ("Why did the mission end?", K.REASON),
        ("What caused the flood?", K.REASON),
        ("What made the region ungovernable?", K.REASON),
        ("Did France withdraw its troops?", K.YESNO),
        ("Is the mission over?", K.YESNO),
        ("What is the Alliance of Sahel States?", K.DEFINITION),
        ("Who is El-Ghassim Wane?", K.DEFINITION),
        ("Who is he?", K.DEFINITION),
        # "Who" of a common noun or a verb asks for the person, named in the answer.
        ("Who was the painter's lawyer?", K.PERSON),
        ("Who was killed?", K.PERSON),
        ("Who's the story mostly about?", K.PERSON),
        ("Who is President of Chile?", K.PERSON),  # a role, filled by a name
        ("What does ECOWAS mean?", K.DEFINITION),
        ("What did the head of the mission admit?", K.OTHER),
        ("What did French forces complete?", K.OTHER),
        ("And when did it start?", K.DATE),
        ("So why?", K.REASON),
        ("hello", K.SMALLTALK),
        ("", K.SMALLTALK),
    ],
)
def test_classify(question: str, kind: QuestionKind) -> None:
    assert classify(question) is kind


@pytest.mark.parametrize(
    ("message", "talk"),
    [
        ("hi", "greeting"),
        ("Hello there!", "greeting"),
        ("good morning", "greeting"),
        ("thanks", "thanks"),
        ("Thank you very much", "thanks"),
        ("help", "help"),
        ("what can you do", "help"),
        ("bye", "farewell"),
        ("", "empty"),
        ("   ", "empty"),
        ("?!", "empty"),
        ("Hi, who leads the mission?", None),
        ("thanks, but why did it end?", None),
        ("Why?", None),
    ],
)
def test_smalltalk(message: str, talk: str | None) -> None:
    assert smalltalk(message) == talk


def test_strip_filler_removes_leading_conversational_words() -> None:
    assert strip_filler("And so why did it end?") == "why did it end?"
    assert strip_filler("Andorra is small") == "Andorra is small"


def phrases(kind: QuestionKind, sentence: str, question: str = "") -> list[str]:
    found = find_phrases(kind, sentence, set(TOKENIZER.query_terms(question)), TOKENIZER.tokenize)
    for phrase in found:
        assert sentence[phrase.start : phrase.end] == phrase.text  # offsets point back
    return [p.text for p in found]


SENTENCE = (
    "With 310 peacekeepers losing their lives during its tenure, MINUSMA stands as the UN's "
    "second deadliest mission globally, following the one in Lebanon."
)


def test_count_finds_numbers_and_skips_numbers_the_question_holds() -> None:
    assert phrases(K.COUNT, SENTENCE)[0] == "310"
    assert phrases(K.COUNT, "Mali asked the 12,000 peacemakers to exit.") == ["12,000"]
    assert phrases(K.COUNT, "Prices rose to $12 per barrel.")[0] == "$12"
    assert phrases(K.COUNT, "About 40% voted.") == ["40%"]
    assert phrases(K.COUNT, "It has 310 rooms.", "Why does it have 310 rooms?") == []


def test_count_prefers_a_quantity_to_a_year() -> None:
    assert phrases(K.COUNT, "In 2013, 300 soldiers arrived.") == ["300", "2013"]


def test_date_phrases() -> None:
    assert "October 1981" in phrases(K.DATE, "The strike began in October 1981 with a walkout.")
    assert phrases(K.DATE, "The deadline was set for December 31.") == ["December 31"]
    assert phrases(K.DATE, "The mission concluded its withdrawal on Sunday.") == ["on Sunday"]
    assert phrases(K.DATE, "Mali had coups in 2020 and 2021.") == ["2020 and 2021"]
    assert phrases(K.DATE, "France withdrew its troops last year.") == ["last year"]
    assert phrases(K.DATE, "You may leave.") == []


def test_person_names_skip_sentence_openers_and_question_names() -> None:
    sentence = "El-Ghassim Wane, the head of the UN mission, acknowledged the challenges."
    assert phrases(K.PERSON, sentence)[0] == "El-Ghassim Wane"
    assert "El-Ghassim Wane" not in phrases(K.PERSON, sentence, "What did El-Ghassim Wane say?")
    found = phrases(K.PERSON, "The Economic Community of West African States suspended it.")
    assert found == [
        "Economic Community of West African States",
        "Economic Community",
        "West African States",
    ]


def test_a_name_the_question_holds_leaves_its_other_parts() -> None:
    sentence = "Painters such as Ilse Marwitz of Austria and Tomas Belcourt of Canada."
    assert phrases(K.PLACE, sentence, "Where was Ilse Marwitz born?")[0] == "Austria"


def test_a_list_of_names_is_one_phrase() -> None:
    sentence = "A pact was established by Mali, Niger, and Burkina Faso in September."
    assert phrases(K.PLACE, sentence, "Which countries formed the pact?")[0] == (
        "Mali, Niger, and Burkina Faso"
    )


def test_place_prefers_a_name_after_a_preposition() -> None:
    sentence = "Reuters said the camp in Timbuktu closed."
    assert phrases(K.PLACE, sentence)[0] == "Timbuktu"


def test_reason_clauses_strong_before_weak() -> None:
    sentence = "Following the vote, the camp closed, citing security concerns."
    found = find_phrases(K.REASON, sentence, set(), TOKENIZER.tokenize)
    start = sentence.index("citing")
    assert found[0] == Phrase("citing security concerns", start, start + 24)
    assert found[0].weak is False and found[-1].weak is True


def test_kinds_without_phrases() -> None:
    assert phrases(K.YESNO, SENTENCE) == []
    assert phrases(K.OTHER, SENTENCE) == []


def test_definition_cue() -> None:
    assert has_definition_cue("The mission, known as MINUSMA, ended.")
    assert has_definition_cue("A defence pact named the Alliance was set up.")
    assert not has_definition_cue("Attacks surged last year.")


def test_a_cause_before_prompting_is_a_reason() -> None:
    sentence = "Despite the troops, terror attacks surged, prompting France's withdrawal."
    found = find_phrases(K.REASON, sentence, set(), TOKENIZER.tokenize)
    assert found[0].text == "terror attacks surged" and not found[0].weak
    assert sentence[found[0].start : found[0].end] == found[0].text
    sentence = "The troops came, but the threat persisted, leading to more attacks."
    found = find_phrases(K.REASON, sentence, set(), TOKENIZER.tokenize)
    assert found[0].text == "the threat persisted"


def test_what_year_prefers_a_year_over_a_weekday() -> None:
    from bot.core.phrases import typed_dates

    sentence = "It ended on Sunday, ten years after it began in 2013."
    found = find_phrases(K.DATE, sentence, set(), TOKENIZER.tokenize)
    by_year = typed_dates("year", found)
    assert by_year[0].text == "2013" and not by_year[0].weak
    assert all(p.weak for p in by_year[1:])
    assert typed_dates(None, found) == found


def test_naming_questions() -> None:
    from bot.core.questions import focus_word, naming_words

    assert naming_words("What is the full name of MINUSMA?") == {"full", "name"}
    assert naming_words("What is the name of the pact?") == {"name"}
    assert naming_words("Who named the pact?") == set()
    assert classify("What was the operation in Mali called?") is K.DEFINITION
    assert focus_word("Which city is the capital of Niger?") == "capital"
    assert classify("What triggered the rebellion?") is K.REASON


def test_a_lone_nationality_word_is_weak_evidence_of_who() -> None:
    sentence = "French troops arrived, and later El-Ghassim Wane spoke."
    found = find_phrases(QuestionKind.PERSON, sentence, set(), TOKENIZER.tokenize)
    assert found[0].text == "El-Ghassim Wane" and not found[0].weak
    french = next(p for p in found if p.text == "French")
    assert french.weak
    only = find_phrases(QuestionKind.PERSON, "French troops arrived.", set(), TOKENIZER.tokenize)
    assert all(p.weak for p in only)


def test_names_across_a_line_break_keep_their_offsets() -> None:
    sentence = "Troops came from Chad, Burkina\nFaso, Niger and\u00a0Mali’s north."
    found = find_phrases(QuestionKind.PERSON, sentence, set(), TOKENIZER.tokenize)
    assert all(sentence[p.start : p.end] == p.text for p in found)
    assert found[0].text == "Chad, Burkina\nFaso, Niger and\u00a0Mali"
