"""Short answers a reviewer found wrong: place phrases, states, speakers, people with no
name, names set off by commas, manner adverbs, "What's her name?" (invented sentences).

Each case gives the answer a person would accept, or None where no span is right.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.core.questions import answer_type_word, classify
from bot.core.spans import choose_span
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()


def span_for(question: str, sentence: str, referents: Sequence[str] = ()) -> str | None:
    """The chosen span for a question about one sentence, checked against its offsets."""
    question_terms = frozenset(TOKENIZER.tokenize(question))
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


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Where did the side play?", "The side played under the new manager for a year.", None),
        (
            "Where were the nurses hired?",
            "The nurses were hired under the new deal with the city.",
            None,
        ),
        ("Where did the aide stand?", "The aide stood behind the plan to shut the depot.", None),
        ("Where did the tour go wrong?", "The tour went wrong along the way, staff said.", None),
        (
            "Where did the troops serve?",
            "The troops served under the command of Colonel Ida Berg.",
            None,
        ),
        ("Where were the men held?", "The men were held under the terms of the curfew law.", None),
        ("Where did the girl fall?", "The girl fell behind her classmates at school.", None),
        ("Where was the gold hidden?", "The gold was hidden beneath the floor of the shed.", None),
        (
            "Where is the firm based?",
            "The firm is based behind the times, rivals say, in Leeds.",
            "Leeds",
        ),
        (
            "Where did the monks settle?",
            "The monks settled beside the lake in 1120.",
            "beside the lake",
        ),
        (
            "Where were the notes found?",
            "The notes were found under his pillow, police said.",
            "under his pillow",
        ),
    ],
)
def test_weak_place_phrases(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected
