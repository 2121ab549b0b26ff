"""The values every adapter renders: an Answer and its Citations."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from retrieval.models import Frozen


class QuestionKind(StrEnum):
    """What sort of answer a question asks for."""

    COUNT = "count"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    YESNO = "yesno"
    DEFINITION = "definition"
    OTHER = "other"
    SMALLTALK = "smalltalk"


class Citation(Frozen):
    """One quoted sentence and where it stands: ``[n]`` in the answer text."""

    n: int
    doc_id: str
    title: str
    sentence: str
    start: int
    end: int
    score: float
    paragraph: int
    position: int
    url: str | None = None


class Answer(Frozen):
    """A reply: fixed template words plus quoted, cited sentences; never generated text.

    ``text`` uses light markdown (``**bold**`` for the answer phrase); adapters render it
    for their medium. ``answered`` is false when the articles do not cover the question.
    """

    question: str
    answered: bool
    text: str
    citations: tuple[Citation, ...] = ()
    kind: QuestionKind = QuestionKind.OTHER
    highlight: str | None = None
    # Where the highlight stands in the first cited document: ``text[start:end] == highlight``.
    highlight_start: int | None = None
    highlight_end: int | None = None
    # A yes/no question's answer when the cited sentence states it plainly; otherwise None.
    verdict: Literal["yes", "no"] | None = None
    query: str = ""
    note: str | None = None
    # The answerer's best candidates, best first (the first is the first citation): what an
    # evaluation's hit@3 and MRR are read from. Internal: not part of ``ask --json``.
    ranked: tuple[Citation, ...] = Field(default=(), exclude=True)
