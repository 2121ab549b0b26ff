"""Text rendering of answers and hits: plain for the command line and pipes, rich for a terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.text import Text

from bot.core.models import Answer, Citation
from bot.core.ranking import Candidate
from retrieval.models import Hit

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKER = re.compile(r"\[\d+\]")
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+")


# Terminal controls (escape sequences, bells) and bidirectional overrides in text the bot echoes
# back could recolour or reorder the user's screen: they are shown as U+FFFD instead.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text with terminal controls and bidi overrides replaced, for echoing to a terminal."""
    return _UNSAFE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """Collapse white space (a hard-wrapped sentence spans several lines)."""
    return " ".join(text.split())


def strip_markdown(text: str) -> str:
    """Remove the light markdown an Answer uses (``**bold**``)."""
    return _BOLD.sub(r"\1", text)


def source_line(citation: Citation) -> str:
    """``[1] Title, paragraph 2, sentence 1`` (plus the link when the article has one)."""
    place = f"paragraph {citation.paragraph}, sentence {citation.position}"
    line = f"[{citation.n}] {citation.title}, {place}"
    return f"{line} <{citation.url}>" if citation.url else line


def render_answer(answer: Answer, markdown: bool = False) -> str:
    """The answer text, then its sources one per line, then any note (e.g. a follow-up)."""
    text = answer.text if markdown else strip_markdown(answer.text)
    if answer.citations and answer.answered:
        sources = "\n".join(source_line(c) for c in answer.citations)
        text = f"{text}\n\nSources:\n{sources}"
    if answer.note:
        text = f"{text}\n({terminal_safe(answer.note)})"
    return text


def render_rich(answer: Answer) -> Text:
    """The same as ``render_answer``, styled: bold answer phrase, coloured markers, dim sources."""
    out = Text()
    pos = 0
    for match in _BOLD.finditer(answer.text):
        _append_body(out, answer.text[pos : match.start()])
        out.append(match.group(1), style="bold green")
        pos = match.end()
    _append_body(out, answer.text[pos:])
    if answer.citations and answer.answered:
        out.append("\n\nSources:", style="dim")
        for citation in answer.citations:
            out.append("\n")
            _append_source(out, citation)
    if answer.note:
        out.append(f"\n({terminal_safe(answer.note)})", style="italic dim")
    return out


def _append_source(out: Text, citation: Citation) -> None:
    """A source line whose title is a terminal hyperlink (OSC 8) to the article's URL."""
    line = source_line(citation)
    url = citation.url
    if not url or not _WEB_URL.fullmatch(url):
        out.append(line, style="dim")
        return
    head = f"[{citation.n}] "
    out.append(head, style="dim")
    # rich writes the link escape only to a terminal; piped output goes through render_answer.
    out.append(citation.title, style=f"dim link {url}")
    out.append(line[len(head) + len(citation.title) :], style="dim")


def _append_body(out: Text, text: str) -> None:
    """Answer text with its ``[n]`` citation markers in colour."""
    pos = 0
    for match in _MARKER.finditer(text):
        out.append(text[pos : match.start()])
        out.append(match.group(0), style="cyan")
        pos = match.end()
    out.append(text[pos:])


def render_hits(hits: Sequence[Hit]) -> str:
    """Ranked hits with score and matched terms, one block each."""
    if not hits:
        return "No sentence matches."
    blocks = []
    for rank, hit in enumerate(hits, start=1):
        terms = ", ".join(hit.matched)
        blocks.append(
            f"{rank}. {hit.score:.3f}  {hit.title}, paragraph {hit.paragraph}, "
            f"sentence {hit.position}  [{terms}]\n   {one_line(hit.sentence)}"
        )
    return "\n".join(blocks)


def render_candidates(candidates: Sequence[Candidate], limit: int = 5) -> str:
    """The answerer's reranked sentences: score, its parts, matched terms, the sentence."""
    if not candidates:
        return "No sentence matches."
    blocks = []
    for rank, c in enumerate(candidates[:limit], start=1):
        hit = c.hit
        phrase = next((p.text for p in c.phrases if not p.weak), None)
        parts = f"bm25 {hit.score:.2f}, covers {c.coverage:.0%}"
        if c.context:
            parts += f" +{c.context:.0%} before it"
        if phrase:
            parts += f", answer {phrase!r}"
        blocks.append(
            f"{rank}. {c.score:.3f} ({parts})  {hit.title}, paragraph {hit.paragraph}, "
            f"sentence {hit.position}  [{', '.join(hit.matched)}]\n   {one_line(hit.sentence)}"
        )
    return "\n".join(blocks)
