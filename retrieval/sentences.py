"""Paragraphs and sentences with character offsets: ``text[span.start:span.end]`` is the sentence.

A rule-based splitter: fast (hundreds of thousands of sentences a second), and tuned for news
text: abbreviations (U.S., Dr., Jan.), decimals and thousands (1.5, 12,000), initials, quotes
that close after the full stop, ellipses, and headlines without a full stop.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from retrieval.models import Span

# A line longer than this is a whole paragraph: hard-wrapped text never has lines this long.
WRAP_WIDTH = 110
# A line much shorter than the block's widest ends its paragraph (a headline, a ragged end).
SHORT_LINE = 0.6
# A sentence longer than this (a file without punctuation) is cut at white space.
MAX_SENTENCE_CHARS = 1500

# Titles and words that are (almost) never the last word of a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof st gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres
    supt insp messrs mme mlle vs v cf e.g i.e viz approx fig figs no nos vol pp p mt ft
    ave blvd dept univ assn bros""".split()
)
# Words that are abbreviations but may end a sentence; they do not split before a number.
NUMBERED = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art sec ch fig""".split()
)
SENTENCE_STARTERS = frozenset(
    """the a an it its he she they we i you this that these those there but and or so yet
    in on at for from by with after before when while as if his her their our my your
    however meanwhile still then now officials some many most all no one two three
    according""".split()
)

_TERMINAL = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s|\Z)")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LAST_WORD = re.compile(r"([^\W\d_](?:[\w.'’-]*[^\W_])?)\.+$")
_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_LIST_MARKER = re.compile(r"[ \t]*(?:[#>*•·–-]+\s|\d{1,3}[.)]\s)")
_OPENERS = "\"'“‘«([¿¡"


def split_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Paragraph spans of ``text[start:]``, stripped of surrounding white space.

    Blank lines always separate paragraphs. Inside a block, a line break is a soft wrap
    only when both lines are short (hard-wrapped text) and the first is not much shorter than
    the block's widest line (which marks a headline or a paragraph's ragged end); a long line is
    a paragraph of its own (one paragraph per line); a list item or heading starts a paragraph.
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text, start):
        lines = _lines(text, block_start, block_end)
        widest = max(e - s for s, e in lines)
        para_start = lines[0][0]
        for (ls, le), (ns, ne) in itertools.pairwise(lines):
            soft = (
                le - ls <= WRAP_WIDTH
                and ne - ns <= WRAP_WIDTH
                and (le - ls) >= SHORT_LINE * widest
                and not _LIST_MARKER.match(text, ns, ne)
                and not text.startswith("#", ls)
            )
            if not soft:
                spans.append((para_start, le))
                para_start = ns
        spans.append((para_start, lines[-1][1]))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _blocks(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Spans between blank lines."""
    pos = start
    for match in _BLANK_LINE.finditer(text, start):
        if text[pos : match.start()].strip():
            yield pos, match.start()
        pos = match.end()
    if text[pos:].strip():
        yield pos, len(text)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank line spans (without their line break) between start and end."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        if text[pos:line_end].strip():
            out.append(_strip(text, pos, line_end))
        pos = line_end + 1
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span to exclude leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, start: int = 0) -> list[Span]:
    """Sentence spans of ``text[start:]`` in order, with paragraph and position (1-based)."""
    spans: list[Span] = []
    for paragraph, (p_start, p_end) in enumerate(split_paragraphs(text, start), start=1):
        position = 0
        for s, e in _sentences_in(text, p_start, p_end):
            for cs, ce in _cap_length(text, s, e):
                position += 1
                spans.append(Span(start=cs, end=ce, paragraph=paragraph, position=position))
    return spans


def sentence_bounds(text: str, start: int = 0) -> Iterator[tuple[int, int, int, int]]:
    """Like split_sentences but yields plain tuples (start, end, paragraph, position): faster."""
    for paragraph, (p_start, p_end) in enumerate(split_paragraphs(text, start), start=1):
        position = 0
        for s, e in _sentences_in(text, p_start, p_end):
            for cs, ce in _cap_length(text, s, e):
                position += 1
                yield cs, ce, paragraph, position


def _sentences_in(text: str, p_start: int, p_end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside one paragraph span."""
    sent_start = p_start
    for match in _TERMINAL.finditer(text, p_start, p_end):
        end = match.end()
        if end >= p_end:
            break
        if _is_boundary(text, match, p_end):
            s, e = _strip(text, sent_start, end)
            if s < e:
                yield s, e
            sent_start = end
    s, e = _strip(text, sent_start, p_end)
    if s < e:
        yield s, e


def _is_boundary(text: str, match: re.Match[str], p_end: int) -> bool:
    """Decide whether the terminal punctuation in ``match`` ends a sentence."""
    nxt = match.end()
    while nxt < p_end and text[nxt].isspace():
        nxt += 1
    if nxt >= p_end:
        return True
    while nxt < p_end - 1 and text[nxt] in _OPENERS:
        nxt += 1
    following = text[nxt]
    if following.islower():
        return False
    punct = match.group().rstrip("\"'”’»)]")
    if punct != ".":
        return True
    word_match = _LAST_WORD.search(text, max(0, match.start() - 40), match.start() + 1)
    if word_match is None:
        return True
    word = word_match.group(1)
    lower = word.lower()
    if following.isdigit():
        return lower not in NUMBERED and lower not in ABBREVIATIONS
    if lower in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "Mara J. Okafor"
    if _ACRONYM.match(word):
        next_word = re.match(r"[^\W\d_]+", text[nxt : nxt + 20])
        return next_word is not None and next_word.group().lower() in SENTENCE_STARTERS
    return True


def _cap_length(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut an overlong span at white space so no sentence exceeds MAX_SENTENCE_CHARS."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut == -1:
            cut = start + MAX_SENTENCE_CHARS
        s, e = _strip(text, start, cut)
        if s < e:
            yield s, e
        start, end = _strip(text, cut, end)
    if start < end:
        yield start, end
