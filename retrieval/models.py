"""The frozen values that leave the retrieval layer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for immutable values crossing a layer boundary."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(Frozen):
    """One article as loaded: its text exactly as decoded, plus front matter."""

    doc_id: str
    title: str
    path: str
    text: str
    url: str | None = None
    date: str | None = None
    source: str | None = None


class Span(Frozen):
    """A sentence's place in its document: ``text[start:end]`` is the sentence."""

    start: int
    end: int
    paragraph: int
    position: int


class Hit(Frozen):
    """One ranked sentence, with where it came from and why it matched."""

    doc_id: str
    title: str
    sentence: str
    start: int
    end: int
    score: float
    paragraph: int
    position: int
    index: int
    matched: tuple[str, ...] = ()
    url: str | None = None


class LoadWarning(Frozen):
    """A file that was skipped or repaired while loading the corpus."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class IndexStats(Frozen):
    """What an index holds and how it was obtained."""

    documents: int
    sentences: int
    vocabulary: int
    engine: str
    from_cache: bool
    seconds: float
    cache_path: str | None = None
    skipped: int = 0
