"""Scoring: hit@1 from the first citation, hit@3 and MRR from the answerer's ranked candidates."""

from __future__ import annotations

from bot.core.evaluation import Turn, evaluate
from bot.core.models import Answer, Citation


def cited(n: int, sentence: str) -> Citation:
    return Citation(
        n=n, doc_id="d", title="T", sentence=sentence, start=0, end=len(sentence), score=1.0,
        paragraph=1, position=n,
    )  # fmt: skip


def reply(first: str, *others: str) -> Answer:
    ranked = (cited(1, first), *(cited(i, s) for i, s in enumerate(others, start=2)))
    return Answer(question="q", answered=True, text=f"{first} [1]", citations=ranked[:1],
                  ranked=ranked)  # fmt: skip


def test_hit_at_3_and_mrr_come_from_the_ranked_candidates() -> None:
    turns: list[Turn | object] = [
        Turn(question="a", gold=["alpha"]),  # first: rank 1
        Turn(question="b", gold=["gamma"]),  # third candidate: rank 3
        Turn(question="c", gold=["omega"]),  # nowhere
    ]
    answers = {
        "a": reply("alpha is here", "beta", "gamma"),
        "b": reply("alpha", "beta", "gamma is here"),
        "c": reply("alpha", "beta", "gamma"),
    }
    report = evaluate(turns, lambda q, _c, _a: answers[q])  # type: ignore[arg-type]
    assert report.hit_at_1 == round(1 / 3, 4)
    assert report.hit_at_3 == round(2 / 3, 4)
    assert report.mrr == round((1 + 1 / 3) / 3, 4)


def test_the_ranked_candidates_are_not_part_of_the_json_contract() -> None:
    assert "ranked" not in reply("alpha", "beta").model_dump(mode="json")
