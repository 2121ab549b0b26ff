"""Yes or No only where the cited sentence states the asked fact or its negation plainly."""

from __future__ import annotations

from bot.core.verdicts import decide, is_alternative
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()


def verdict(question: str, sentence: str, *words: str) -> str | None:
    slots = [TOKENIZER.tokenize(w) for w in words]
    return decide(question, sentence, slots, TOKENIZER.tokenize)


def test_a_plain_statement_is_yes() -> None:
    sentence = "Paraguay's history is filled with unstable transitions of power since 1989."
    question = "Do they have a history of unstable transitions?"
    assert verdict(question, sentence, "history", "unstable", "transitions") == "yes"


def test_a_negated_statement_is_no() -> None:
    sentence = "Police said there was no evidence of drag racing in Sunday's wreck."
    assert verdict("Was there evidence of racing?", sentence, "evidence", "racing") == "no"
    assert verdict("Did he attend?", "He did not attend the hearing.", "attend") == "no"


def test_a_negative_question_asks_the_same_fact() -> None:
    # "Didn't he attend?" - "No, he did not."
    assert verdict("Didn't he attend?", "He did not attend the hearing.", "attend") == "no"
    assert verdict("Didn't he attend?", "He attended the hearing.", "attend") == "yes"


def test_no_verdict_when_the_sentence_does_not_say() -> None:
    sentence = "Lugo took office in 2008 after decades of one-party rule."
    assert verdict("Does he have any children?", sentence, "children") is None


def test_no_verdict_on_a_hypothetical() -> None:
    sentence = "In a pretrial immunity hearing, a judge would have ruled on the law."
    question = "Will there be a pretrial immunity hearing?"
    assert verdict(question, sentence, "pretrial", "immunity", "hearing") is None


def test_no_verdict_when_a_meaningful_stop_word_is_missing() -> None:
    sentence = "She grew up at Park House, a country home leased from the royal family's estate."
    assert verdict("Did her family own it?", sentence, "family") is None


def test_a_choice_between_options_gets_no_verdict() -> None:
    assert is_alternative("Was it considered normal, or shocking?")
    sentence = "The news was considered shocking."
    assert verdict("Was it normal or shocking?", sentence, "normal", "shocking") is None


def test_a_negation_before_a_full_stop_answers_something_else() -> None:
    sentence = "No. But of course he does say, in persona, amazingly offensive things sometimes."
    assert verdict("Did he say offensive things?", sentence, "say", "offensive") == "yes"


def test_asking_what_someone_feels_asks_the_fact_itself() -> None:
    sentence = "It's really a community sharing all these different ideas."
    assert verdict("Does she feel the site is a community?", sentence, "community") == "yes"


def test_a_hedge_in_a_relative_clause_of_its_own_does_not_open_the_statement() -> None:
    sentence = "The notes don't offer any other clues that might help the investigation."
    assert verdict("Did the notes have clues?", sentence, "notes", "clues") == "no"
