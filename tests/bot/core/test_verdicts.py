"""Yes or No only where the cited sentence states the asked fact or its negation plainly."""

from __future__ import annotations

from bot.core.verdicts import decide, is_alternative
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()


def verdict(question: str, sentence: str, *words: str) -> str | None:
    slots = [TOKENIZER.tokenize(w) for w in words]
    return decide(question, sentence, slots, TOKENIZER.tokenize)


def test_a_plain_statement_is_yes() -> None:
    sentence = "The valley's history is marked by sudden floods of the river since 1921."
    question = "Does the valley have a history of sudden floods?"
    assert verdict(question, sentence, "history", "sudden", "floods") == "yes"


def test_a_negated_statement_is_no() -> None:
    sentence = "Inspectors said there was no sign of arson in Monday's warehouse blaze."
    assert verdict("Was there a sign of arson?", sentence, "sign", "arson") == "no"
    assert verdict("Did he attend?", "He did not attend the hearing.", "attend") == "no"


def test_a_negative_question_asks_the_same_fact() -> None:
    # "Didn't he attend?" - "No, he did not."
    assert verdict("Didn't he attend?", "He did not attend the hearing.", "attend") == "no"
    assert verdict("Didn't he attend?", "He attended the hearing.", "attend") == "yes"


def test_no_verdict_when_the_sentence_does_not_say() -> None:
    sentence = "Marta Lind took office in 2015 after years of coalition rule."
    assert verdict("Does she have any children?", sentence, "children") is None


def test_no_verdict_on_a_hypothetical() -> None:
    sentence = "At a public planning appeal, an inspector would have ruled on the tower."
    question = "Will there be a public planning appeal?"
    assert verdict(question, sentence, "public", "planning", "appeal") is None


def test_no_verdict_when_a_meaningful_stop_word_is_missing() -> None:
    sentence = "She grew up at Alder Lodge, a farmhouse rented from the bishop's family estate."
    assert verdict("Did her family own the farmhouse?", sentence, "family") is None


def test_a_choice_between_options_gets_no_verdict() -> None:
    assert is_alternative("Was the plan seen as brave, or foolish?")
    sentence = "The plan was seen as foolish."
    assert verdict("Was it brave or foolish?", sentence, "brave", "foolish") is None


def test_a_negation_before_a_full_stop_answers_something_else() -> None:
    sentence = "No. But of course she does paint, on quiet days, strikingly bleak landscapes."
    assert verdict("Does she paint bleak landscapes?", sentence, "paint", "bleak") == "yes"


def test_asking_what_someone_feels_asks_the_fact_itself() -> None:
    sentence = "It's really a workshop where neighbours share all their old tools."
    assert verdict("Does he feel the shed is a workshop?", sentence, "workshop") == "yes"


def test_a_hedge_in_a_relative_clause_of_its_own_does_not_open_the_statement() -> None:
    sentence = "The letters don't contain any further hints that could explain the fire."
    assert verdict("Did the letters have hints?", sentence, "letters", "hints") == "no"
