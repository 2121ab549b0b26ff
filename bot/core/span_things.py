"""Short-answer candidates for "what" and "which": a thing, an action, a quote, a description.

Offers ``thing_candidates`` (by the clues a question's wording gives: the subject of its verb,
a name after "called", a quoted title, a proper name of the asked kind, the quoted words after
"say", else the stretch of the sentence next to the question's words) and
``description_candidates`` (what a named thing is: "What is MINUSMA?", through ``describe``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.entities import NameKind, is_place_of_type, name_kind
from bot.core.lexicon import SAYING_VERBS
from bot.core.phrases import Phrase
from bot.core.questions import Terms, strip_filler, words_of
from bot.core.span_anchors import (
    ADJACENT_CHARS,
    AUX,
    CLAUSE_BREAK,
    NAMING_VERBS,
    TOKEN,
    Reading,
    Span,
    asked_verb,
    distance,
    repeats,
    subject_before,
    trimmed,
)
from bot.core.span_names import after_type_noun, names
from bot.core.span_positions import copula_side, kind_before_noun, slot_after

_INSIDE_WORDS = 3
# "What did she say / write / ask?": the verbs whose object may be quoted words; not their
# forms in -s, most of them nouns too ("What states ...?").
_SPEECH = frozenset(w for w in SAYING_VERBS if w == "says" or not w.endswith("s")) | frozenset(
    "write wrote ask asked call called".split()
)
_TITLE_NOUNS = frozenset(
    """song songs film films movie movies show shows book books album albums single track
    title series play novel poem award slogan motto""".split()
)
_NAMED = re.compile(
    r"\b(?:called|named|nicknamed|dubbed|known\s+as|titled|termed)\s+"
    r"(?:[\"“](?P<q>[^\"“”]{2,80})[\"”]|(?P<n>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of|the|and|de|for|[A-Z][\w'’.-]*))*))"
)
_QUOTE = re.compile(r"[\"“](?P<q>[^\"“”]{3,200}?)[\"”]")
_DEFINED = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\s+(?P<x>.+?)\s*\??$", re.IGNORECASE)
_DESCRIPTION_WORDS = 10


def thing_candidates(r: Reading, stretch: bool = True) -> list[Phrase] | Span | None:
    """What a "what" or "which" question asks for, by the clues its wording gives.

    ``stretch`` allows the last resort, the words next to the question's in the sentence.
    """
    asked = set(words_of(r.question))
    verb = asked_verb(r.question, r.sentence, r.terms)
    if verb is not None:
        subject = subject_before(r.sentence, verb, r.question_terms, r.terms)
        if subject is not None:
            return subject
    if asked & NAMING_VERBS and _named(r.sentence):
        # "What is the law nicknamed?": the name after "called", "known as".
        return _named(r.sentence)
    if asked & _TITLE_NOUNS and _quotes(r.sentence, [-1]):
        # "Which song ...?": a title, which news writing quotes.
        return [
            p
            for p in _quotes(r.sentence, [-1])
            if not repeats(p.text, r.question_terms, r.terms) and len(p.text.split()) <= 8
        ]
    other_side = copula_side(r)
    if other_side is not None:
        # "What is the handbook for clubs?" - "The Blue Ledger is the handbook".
        return other_side
    headed = _head_noun(r.question) is not None
    proper = [p for p in names(r.sentence, r.terms) if not set(r.terms(p.text)) & r.question_terms]
    titled = after_type_noun(r, proper) if headed else []
    if titled:
        # "Which goalkeeper ...?" - "veteran goalkeeper Ines Duarte": the name the noun titles.
        return titled
    kind = kind_before_noun(r)
    if kind is not None:
        # "What type of bread ...?" - "rye bread": the words before the noun say which.
        return kind
    if headed and proper:
        # "Which team ...?", "What company ...?": a kind of thing named by a proper name. A
        # place the gazetteers know names a thing only when the noun asks for a place: for
        # "What policy ...?" or "Which signer ...?" it is where the thing happened.
        head = _head_noun(r.question) or ""
        if is_place_of_type("", head) is None:
            proper = [p for p in proper if name_kind(p.text) is not NameKind.PLACE]
        return proper or None
    if asked & _SPEECH and _quotes(r.sentence, r.anchors):
        # "What did she say / admit?": the words quoted after the verb.
        return _quotes(r.sentence, r.anchors)
    slot = slot_after(r)
    if slot is not None or not stretch:
        return slot
    # A thing the question asks about stands right after what it says of it ("What did he
    # write them with?" ... "written in pencil"): only a stretch next to the question's
    # words and after the first of them is offered.
    near = [
        p
        for p in _gaps(r.sentence, r.question_terms, r.terms, r.anchors)
        if p.start > r.anchors[0] and distance(p, r.anchors) <= ADJACENT_CHARS
    ]
    if not near:
        return None
    # Given before new: a sentence states what the question already knows first and the new
    # information last, so of several stretches next to the question's words the last one.
    last = _before_verb(max(near, key=lambda p: p.start), r)
    if last is None or _cut_short(last.text):
        return None
    return Span(last.text, last.start, last.end)


def description_candidates(r: Reading) -> list[Phrase] | Span | None:
    """What a named thing is, as the sentence describes it (None when it does not)."""
    return describe(r.question, r.sentence)


def _gaps(
    sentence: str, question_terms: frozenset[str], terms: Terms, anchors: Sequence[int]
) -> list[Phrase]:
    """Runs of words the question does not hold, within one clause, next to its words."""
    if not anchors:
        return []
    out: list[Phrase] = []
    pos = 0
    for clause in CLAUSE_BREAK.split(sentence):
        start = sentence.find(clause, pos) if clause else -1
        if start < 0:
            continue
        pos = start + len(clause)
        tokens = [(m.start() + start, m.end() + start, m.group(0)) for m in TOKEN.finditer(clause)]
        asked = [bool(question_terms & set(terms(t))) for _, _, t in tokens]
        if not any(asked):
            continue
        run: list[tuple[int, int, str]] = []
        after_asked = False
        for token, is_asked in [*zip(tokens, asked, strict=True), ((0, 0, ""), False)]:
            if not is_asked and token[2]:
                run.append(token)
                continue
            # A few words between two of the question's own words ("the head *of the UN*
            # mission") belong to the question's phrase, not to the answer.
            inside = after_asked and is_asked and len(run) <= _INSIDE_WORDS
            phrase = None if inside else trimmed(sentence, run, terms)
            if phrase is not None:
                out.append(phrase)
            run = []
            after_asked = is_asked
    return out


_FINITE = frozenset(
    """is are was were be been being has have had can could will would may might should must
    not do does did""".split()
)


def _before_verb(phrase: Phrase, r: Reading) -> Phrase | None:
    """A stretch up to the verb of its own clause: the thing is what stands before "is",
    "could", "have" ("in P *is also member*"); None when nothing is said before it."""
    tokens = list(TOKEN.finditer(phrase.text))
    cut = next((i for i, t in enumerate(tokens) if t.group(0).lower() in _FINITE), None)
    if cut is None:
        return phrase
    run = [(phrase.start + t.start(), phrase.start + t.end(), t.group(0)) for t in tokens[:cut]]
    return trimmed(r.sentence, run, r.terms)


def _cut_short(text: str) -> bool:
    """True when a stretch ends on a participle, before the noun it goes with ("taken up")."""
    return text.split()[-1].lower().endswith("ed")


def _head_noun(question: str) -> str | None:
    """The noun right after "what" or "which" ("Which *team* won?"), if there is one."""
    words = words_of(strip_filler(question))
    skipped = {"the", "a", "an", "of", "kind", "type", "sort", "other", "one", "else"}
    if words[:1] == ["name"]:
        # "Name a budget brand of the carmaker."
        rest = [w for w in words[1:] if w not in skipped]
        return rest[0] if rest else None
    if len(words) > 1 and words[0] in {"what", "which"} and words[1] not in AUX | skipped:
        return words[1]
    return None


def _named(sentence: str) -> list[Phrase]:
    """Names given after "called", "named", "known as" (quoted or capitalised)."""
    out = []
    for match in _NAMED.finditer(sentence):
        group = "q" if match.group("q") else "n"
        text = match.group(group)
        if group == "n" and text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
            text = text[:-1]  # the full stop ending the sentence, not an initial's
        out.append(Phrase(text, match.start(group), match.start(group) + len(text)))
    return out


def _quotes(sentence: str, anchors: Sequence[int]) -> list[Phrase]:
    """Quoted words that stand after the first of the question's words."""
    return [
        Phrase(m.group("q"), m.start("q"), m.end("q"))
        for m in _QUOTE.finditer(sentence)
        if anchors and m.start() > anchors[0]
    ]


def describe(question: str, sentence: str) -> Span | None:
    """What a named thing is, where the sentence says it in an apposition or a naming phrase:
    "X, the head of ...,", "a defence pact named X", "the ... mission, known as X", "X is a ..."."""
    match = _DEFINED.match(strip_filler(question))
    if match is None:
        return None
    name = re.escape(re.sub(r"^(?:the|a|an)\s+", "", match.group("x"), flags=re.IGNORECASE))
    np = r"(?P<np>\b(?:the|a|an)\s[^,.;:()\"“”]{3,80}?)"
    patterns = (
        rf"\b{name}(?:\s*\([^)]*\))?,\s+{np}\s*(?:[,.;:(]|$)",
        rf"{np},?\s+(?:named|called|known\s+as|dubbed)\s+(?:the\s+)?{name}\b",
        rf"\b{name}\s+(?:is|was|are|were)\s+{np}\s*(?:[,.;:(]|$)",
    )
    for pattern in patterns:
        found = re.search(pattern, sentence, re.IGNORECASE)
        if found is not None and len(found.group("np").split()) <= _DESCRIPTION_WORDS:
            return Span(found.group("np"), found.start("np"), found.end("np"))
    return None
