"""Which part of a reply the short-answer measures score."""

from __future__ import annotations

from bot.core.evaluation import Turn, _score, short_reply
from bot.core.models import Answer, Citation

CITATION = Citation(
    n=1, doc_id="d", title="t", sentence="Okoro admitted she flew the glider.", start=0, end=35,
    score=1.0, paragraph=1, position=1,
)  # fmt: skip


def test_the_verdict_then_the_highlight_then_the_sentence() -> None:
    base = Answer(question="q", answered=True, text="x", citations=(CITATION,))
    assert short_reply(base) == CITATION.sentence
    assert short_reply(base.model_copy(update={"highlight": "Okoro"})) == "Okoro"
    assert short_reply(base.model_copy(update={"verdict": "yes"})) == "yes"
    assert short_reply(Answer(question="q", answered=False, text="no")) is None


def test_an_unanswered_answerable_turn_scores_zero() -> None:
    turn = Turn(question="Did she fly the glider?", gold=["flew the glider"], answer="yes")
    declined = _score(turn, Answer(question=turn.question, answered=False, text="no"))
    assert declined.answer_f1 == 0.0 and declined.answer_exact == 0.0
    said = _score(
        turn,
        Answer(question="q", answered=True, text="x", citations=(CITATION,), verdict="yes"),
    )
    assert said.answer_f1 == 1.0 and said.answer_exact == 1.0
