"""The template answerer: a pure function of the question, the hits and the conversation state."""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversation import ConversationState
from bot.models import Answer, Citation, QuestionKind
from retrieval.models import Hit

DECLINE = "I can't find that in the articles I have."


def cite(hits: Sequence[Hit]) -> tuple[Citation, ...]:
    """Citations numbered from 1 in the order given."""
    return tuple(
        Citation(
            n=n,
            doc_id=h.doc_id,
            title=h.title,
            sentence=h.sentence,
            start=h.start,
            end=h.end,
            score=round(h.score, 4),
            paragraph=h.paragraph,
            position=h.position,
            url=h.url,
        )
        for n, h in enumerate(hits, start=1)
    )


def compose(question: str, hits: Sequence[Hit], state: ConversationState) -> Answer:
    """Quote the best sentence with its citation, or decline when nothing matched."""
    del state
    if not hits:
        return Answer(question=question, answered=False, text=DECLINE, query=question)
    citations = cite(hits[:1])
    text = f"{' '.join(hits[0].sentence.split())} [1]"
    return Answer(
        question=question,
        answered=True,
        text=text,
        citations=citations,
        kind=QuestionKind.OTHER,
        query=question,
    )
