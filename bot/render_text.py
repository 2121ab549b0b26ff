"""Plain-text rendering of answers and hits, for the command line and piped REPL output."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Answer, Citation
from retrieval.models import Hit

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def one_line(text: str) -> str:
    """Collapse white space (a hard-wrapped sentence spans several lines)."""
    return " ".join(text.split())


def strip_markdown(text: str) -> str:
    """Remove the light markdown an Answer uses (``**bold**``)."""
    return _BOLD.sub(r"\1", text)


def source_line(citation: Citation) -> str:
    """``[1] Title, paragraph 2, sentence 1`` (plus the link when the article has one)."""
    line = f"[{citation.n}] {citation.title}, paragraph {citation.paragraph}, sentence {citation.position}"
    return f"{line} <{citation.url}>" if citation.url else line


def render_answer(answer: Answer, markdown: bool = False) -> str:
    """The answer text, then its sources one per line."""
    text = answer.text if markdown else strip_markdown(answer.text)
    if not answer.citations or not answer.answered:
        return text
    sources = "\n".join(source_line(c) for c in answer.citations)
    return f"{text}\n\nSources:\n{sources}"


def render_hits(hits: Sequence[Hit]) -> str:
    """Ranked hits with score and matched terms, one block each."""
    if not hits:
        return "No sentence matches."
    blocks = []
    for rank, hit in enumerate(hits, start=1):
        terms = ", ".join(hit.matched)
        blocks.append(
            f"{rank}. {hit.score:.3f}  {hit.title}, paragraph {hit.paragraph}, sentence {hit.position}"
            f"  [{terms}]\n   {one_line(hit.sentence)}"
        )
    return "\n".join(blocks)
