"""Short-answer candidates for "what" and "which": a thing, an action, a quote, a description.

Offers ``thing_candidates`` (by the clues a question's wording gives: the subject of its verb,
a name after "called", a quoted title, a proper name of the asked kind, the quoted words after
"say", else the stretch of the sentence next to the question's words) and
``description_candidates`` (what a named thing is: "What is MINUSMA?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.phrases import Phrase
from bot.core.questions import Terms, strip_filler, words_of
from bot.core.span_anchors import (
    ADJACENT_CHARS,
    AUX,
    TOKEN,
    Reading,
    Span,
    asked_verb,
    distance,
    repeats,
    subject_before,
)
from bot.core.span_names import QUANTITY, after_type_noun, names

# Words that open a clause or join it to the one before: a span starts after them.
_LEADING = frozenset(
    """and or but that which who whom whose where when while as is are was were be been being
    has have had also then so said says just""".split()
)
_TRAILING = frozenset(
    """and or but that which who whom whose the a an of to in on at by for with from as is are
    was were has have had his her their its this these those""".split()
)
# A comma inside a number ("21,000") is no break.
_CLAUSE_BREAK = re.compile(r"\s*(?:,(?!\d{3}\b)|[;:()\[\]\"“”]|\s--\s|\s-\s|—|–)\s*")
_INSIDE_WORDS = 3
_SPEECH = frozenset(
    """say said says tell told admit admitted claim claimed state stated write wrote announce
    announced reply replied respond responded add added ask asked call called""".split()
)
_NAMING_VERBS = frozenset(
    "called named nicknamed dubbed known titled termed call name nickname dub".split()
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
_MAX_WORDS = 10  # a longer stretch is a sentence, not a short answer
_DEFINED = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\s+(?P<x>.+?)\s*\??$", re.IGNORECASE)
_DESCRIPTION_WORDS = 10


def thing_candidates(r: Reading) -> list[Phrase] | Span | None:
    """What a "what" or "which" question asks for, by the clues its wording gives."""
    asked = set(words_of(r.question))
    verb = asked_verb(r.question, r.sentence, r.terms)
    if verb is not None:
        subject = subject_before(r.sentence, verb, r.question_terms, r.terms)
        if subject is not None:
            return subject
    if asked & _NAMING_VERBS and _named(r.sentence):
        # "What is the law nicknamed?": the name after "called", "known as".
        return _named(r.sentence)
    if asked & _TITLE_NOUNS and _quotes(r.sentence, [-1]):
        # "Which song ...?": a title, which news writing quotes.
        return [
            p
            for p in _quotes(r.sentence, [-1])
            if not repeats(p.text, r.question_terms, r.terms) and len(p.text.split()) <= 8
        ]
    other_side = _copula_side(r)
    if other_side is not None:
        # "What is the guidebook for churches?" - "The Book of Discipline is the guidebook".
        return other_side
    kind = _kind_before_noun(r)
    if kind is not None:
        # "What type of theater ...?" - "live theater": the words before the noun say which.
        return kind
    if _head_noun(r.question) is not None:
        # "Which team ...?", "What company ...?": a kind of thing named by a proper name.
        proper = [
            p for p in names(r.sentence, r.terms) if not set(r.terms(p.text)) & r.question_terms
        ]
        if proper:
            return after_type_noun(r, proper) or proper
    if asked & _SPEECH and _quotes(r.sentence, r.anchors):
        # "What did she say / admit?": the words quoted after the verb.
        return _quotes(r.sentence, r.anchors)
    slot = _slot_after(r)
    if slot is not None:
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
    last = max(near, key=lambda p: p.start)
    return Span(last.text, last.start, last.end)


def description_candidates(r: Reading) -> list[Phrase] | Span | None:
    """What a named thing is, as the sentence describes it (None when it does not)."""
    return _description(r.question, r.sentence)


def _gaps(
    sentence: str, question_terms: frozenset[str], terms: Terms, anchors: Sequence[int]
) -> list[Phrase]:
    """Runs of words the question does not hold, within one clause, next to its words."""
    if not anchors:
        return []
    out: list[Phrase] = []
    pos = 0
    for clause in _CLAUSE_BREAK.split(sentence):
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
            phrase = None if inside else _trimmed(sentence, run, terms)
            if phrase is not None:
                out.append(phrase)
            run = []
            after_asked = is_asked
    return out


def _head_noun(question: str) -> str | None:
    """The noun right after "what" or "which" ("Which *team* won?"), if there is one."""
    words = words_of(strip_filler(question))
    skipped = {"the", "a", "an", "of", "kind", "type", "sort", "other", "one"}
    if words[:1] == ["name"]:
        # "Name a luxury division of Toyota."
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


def _trimmed(sentence: str, run: list[tuple[int, int, str]], terms: Terms) -> Phrase | None:
    """A run without its leading joiners and trailing function words; None if nothing is said."""
    while run and run[0][2].lower() in _LEADING:
        run = run[1:]
    while run and run[-1][2].lower() in _TRAILING:
        run = run[:-1]
    if not run or len(run) > _MAX_WORDS or not any(terms(t) for _, _, t in run):
        return None
    if all(t.lower().endswith("ly") for _, _, t in run):
        return None  # adverbs say how, not what
    start, end = run[0][0], run[-1][1]
    return Phrase(sentence[start:end], start, end)


def _description(question: str, sentence: str) -> Span | None:
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


_WH = frozenset({"what", "which"})
# Words that end an answer phrase: a new clause or a new preposition phrase begins.
_PHRASE_END = frozenset(
    """that which who whom whose where when while because although though if as than but
    is are was were has have had will would can could should may might do does did not
    in on at by for with from to into during after before since until under over between
    through against among including such""".split()
)
_SLOT_OPENERS = _LEADING | frozenset("the a an of to as in on by for with at from into".split())
_SLOT_WORDS = 6


def _slot_after(r: Reading) -> Span | None:
    """The phrase where the question has its "what": "bind to *what*?" -> "bind to *X*".

    Only for a wh-word inside the question ("Antigens bind to what?"): the question's word
    just before it stands just before the answer in the sentence. Wherever that word stands,
    the first place it is followed by new words gives the answer, up to the phrase's end.
    """
    words = words_of(strip_filler(r.question))
    at = next((i for i, w in enumerate(words) if w in _WH), None)
    if not at:
        return None  # fronted: "What did X support?" may be passive in the sentence
    pivots = [w for w in words[:at] if list(r.terms(w))]
    if not pivots:
        return None
    pivot = set(r.terms(pivots[-1]))
    tokens = list(TOKEN.finditer(r.sentence))
    for i, token in enumerate(tokens):
        if pivot & set(r.terms(token.group(0))):
            found = _phrase_from(r, tokens[i + 1 :], token.end())
            if found is not None:
                return found
    return None


def _phrase_from(r: Reading, tokens: Sequence[re.Match[str]], after: int) -> Span | None:
    """The new words from ``after`` on, to the first clause break, joiner or question word."""
    run: list[re.Match[str]] = []
    for token in tokens:
        if r.sentence[run[-1].end() if run else after : token.start()].strip():
            break  # punctuation between: the phrase has ended
        word = token.group(0)
        asked = bool(set(r.terms(word)) & r.question_terms)
        if run and (asked or word.lower() in _PHRASE_END):
            break
        if not asked:
            run.append(token)
        if len(run) > _SLOT_WORDS:
            return None
    while run and run[-1].group(0).lower() in _TRAILING:
        run.pop()
    while run and run[0].group(0).lower() in _SLOT_OPENERS:
        run.pop(0)
    if not run or not any(r.terms(t.group(0)) for t in run):
        return None
    start, end = run[0].start(), run[-1].end()
    return Span(r.sentence[start:end], start, end)


_KIND_WORDS = frozenset("kind kinds type types sort sorts form forms".split())
_MODIFIERS = 3  # "American Baptist Education Society": words before the noun that name it


def _kind_before_noun(r: Reading) -> Span | None:
    """For "What (kind of) X ...?": X as the sentence gives it, with the words it puts right
    before X to say which one ("*live* theater", "*Rice* University"); None without them."""
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] not in {"what", "which"} or words[1] in AUX:
        return None
    rest = words[3:] if words[1] in _KIND_WORDS and words[2] == "of" else words[1:]
    noun: list[set[str]] = []
    for word in rest:
        if word in AUX or not list(r.terms(word)):
            break
        noun.append(set(r.terms(word)))
    if not noun:
        return None
    tokens = list(TOKEN.finditer(r.sentence))
    for i, token in enumerate(tokens):
        if noun[0] & set(r.terms(token.group(0))):
            first = _first_modifier(r, tokens, i)
            if first < i:
                last = i
                while last + 1 < len(tokens) and last + 1 - i < len(noun):
                    following = tokens[last + 1].group(0)
                    if following.endswith("ed") or not noun[last + 1 - i] & set(r.terms(following)):
                        break  # past the noun ("Rice University *donated*")
                    last += 1
                start, end = tokens[first].start(), tokens[last].end()
                return Span(r.sentence[start:end], start, end)
    return None


def _first_modifier(r: Reading, tokens: Sequence[re.Match[str]], noun: int) -> int:
    """The first of the words right before a noun that modify it (``noun`` itself if none).

    Not a question word, a function word, a possessor ("Bieber's"), a number or a quantity.
    """
    first = noun
    while first > 0 and noun - first < _MODIFIERS:
        word = tokens[first - 1].group(0)
        if r.sentence[tokens[first - 1].end() : tokens[first].start()].strip():
            break  # punctuation between
        own = set(r.terms(word))
        if not own or own & r.question_terms or word.lower() in _PHRASE_END:
            break
        if (
            word.endswith(("'s", "’s"))
            or any(c.isdigit() for c in word)
            or QUANTITY.fullmatch(word)
        ):
            break
        first -= 1
    return first


_COPULA = frozenset("is are was were".split())
_SIDE_WORDS = 5  # a noun phrase, not a clause


def _copula_side(r: Reading) -> Span | None:
    """For "What is X?": where a clause says "A is X" or "X is A", the side without the
    question's words, when it is a short noun phrase (no clause or preposition inside)."""
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] not in {"what", "which"} or words[1] not in _COPULA:
        return None
    pos = 0
    for clause in _CLAUSE_BREAK.split(r.sentence):
        start = r.sentence.find(clause, pos) if clause else -1
        if start < 0:
            continue
        pos = start + len(clause)
        tokens = [(start + t.start(), start + t.end(), t.group(0)) for t in TOKEN.finditer(clause)]
        asked = [bool(set(r.terms(t[2])) & r.question_terms) for t in tokens]
        for i, token in enumerate(tokens):
            if token[2].lower() not in _COPULA:
                continue
            left, right = any(asked[:i]), any(asked[i + 1 :])
            if left == right:
                continue  # the question's words on both sides or on neither
            after = tokens[i + 1][2].lower() if i + 1 < len(tokens) else ""
            if after in _NAMING_VERBS or after.endswith("ed"):
                continue  # a passive ("is known as", "was renamed"), not "A is X"
            side = tokens[i + 1 :] if left else tokens[:i]
            phrase = _trimmed(r.sentence, side, r.terms)
            if phrase is None:
                continue
            inside = phrase.text.lower().split()
            if len(inside) <= _SIDE_WORDS and not _PHRASE_END & set(inside):
                return Span(phrase.text, phrase.start, phrase.end)
    return None
