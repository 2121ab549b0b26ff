"""The short-answer tests' probe: the span chosen for one question about one sentence."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.questions import answer_type_word, classify
from bot.core.spans import choose_span
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()


def span_for(
    question: str, sentence: str, extra: str = "", referents: Sequence[str] = ()
) -> str | None:
    """The chosen span's text, checked against its offsets.

    ``extra``: words a follow-up borrowed, counted as the question's own; ``referents``: who
    the conversation is about, most likely first.
    """
    question_terms = frozenset(TOKENIZER.tokenize(f"{question} {extra}"))
    kind, type_word = classify(question), answer_type_word(question)
    found = choose_span(
        question,
        kind,
        sentence,
        question_terms,
        TOKENIZER.tokenize,
        type_word,
        referents=tuple(referents),
    )
    if found is not None:
        assert sentence[found.start : found.end] == found.text
    return None if found is None else found.text
