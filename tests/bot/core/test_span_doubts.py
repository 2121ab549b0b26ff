"""Withholding a short answer that is more likely wrong than the sentence alone."""

from __future__ import annotations

from bot.core.span_anchors import Span, find_anchors
from bot.core.span_doubts import stray_thing
from retrieval.tokens import Tokenizer
from tests.bot.core.spanning import span_for

TOKENIZER = Tokenizer()
SENTENCE = "The bakery won a prize at the county show, said the owner's cousin, Greta Marsh."


def anchors_of(question: str, sentence: str) -> list[int]:
    """Where the question's words stand in the sentence."""
    terms = frozenset(TOKENIZER.tokenize(question))
    return find_anchors(sentence, terms, TOKENIZER.tokenize)


def span_of(text: str, sentence: str) -> Span:
    """``text`` as a span of ``sentence``."""
    start = sentence.index(text)
    return Span(text, start, start + len(text))


def test_a_name_far_from_every_word_of_a_what_question_is_not_highlighted() -> None:
    # The name stands a clause away from "bakery", "won" and "prize": the speaker, not the prize.
    assert span_for("What prize did the bakery win?", SENTENCE) is None


def test_a_name_beside_the_question_words_is_still_highlighted() -> None:
    sentence = "The bakery won the Golden Loaf prize at the county show last week."
    assert span_for("What prize did the bakery win?", sentence) == "Golden Loaf prize"


def test_distance_decides_only_for_short_phrases_in_a_sentence_with_several_question_words() -> (
    None
):
    question = "What prize did the bakery win?"
    far = span_of("Greta Marsh", SENTENCE)
    assert stray_thing(far, anchors_of(question, SENTENCE))
    # One question word in the sentence says little about where the question stands in it.
    assert not stray_thing(far, anchors_of("What did the bakery sell?", SENTENCE))
    # A longer phrase may be a clause that reaches back to what is asked.
    clause = span_of("the owner's cousin, Greta Marsh", SENTENCE)
    assert not stray_thing(clause, anchors_of(question, SENTENCE))
    assert not stray_thing(span_of("county show", SENTENCE), anchors_of(question, SENTENCE))
