"""Short-answer candidates found by where the question's words stand in the sentence.

Offers ``slot_after`` (a "what" inside the question: "bind to *what*?"), ``kind_before_noun``
(the words before the noun of "What kind of X?") and ``copula_side`` (the other side of "A is
X" for "What is X?"); ``span_things`` tries them among its clues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.models import QuestionKind
from bot.core.phrases import find_phrases
from bot.core.questions import strip_filler, words_of
from bot.core.span_anchors import (
    AUX,
    CLAUSE_BREAK,
    LEADING,
    NAMING_VERBS,
    TOKEN,
    TRAILING,
    Reading,
    Span,
    trimmed,
)
from bot.core.span_names import QUANTITY

# The question words that ask for a thing (the default of the slot finders).
_THING_WH = frozenset({"what", "which"})
_WHO = frozenset({"who", "whom"})
# Words that end an answer phrase: a new clause or a new preposition phrase begins.
_PHRASE_END = frozenset(
    """that which who whom whose where when while because although though if as than but
    is are was were has have had will would can could should may might do does did not
    in on at by for with from to into during after before since until under over between
    through against among including such""".split()
)
_SLOT_OPENERS = LEADING | frozenset("the a an of to as in on by for with at from into".split())
_SLOT_WORDS = 6


def slot_after(r: Reading, wh: frozenset[str] = _THING_WH) -> Span | None:
    """The phrase where the question has its "what": "cling to *what*?" -> "cling to *X*".

    Only for a wh-word inside the question ("Spores cling to what?"): the question's word
    just before it stands just before the answer in the sentence. Wherever that word stands,
    the first place it is followed by new words gives the answer, up to the phrase's end.
    """
    words = words_of(strip_filler(r.question))
    at = next((i for i, w in enumerate(words) if w in wh), None)
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
    while run and run[-1].group(0).lower() in TRAILING:
        run.pop()
    while run and run[0].group(0).lower() in _SLOT_OPENERS:
        run.pop(0)
    if not run or not any(r.terms(t.group(0)) for t in run):
        return None
    start, end = run[0].start(), run[-1].end()
    return Span(r.sentence[start:end], start, end)


_KIND_WORDS = frozenset("kind kinds type types sort sorts form forms".split())
_MODIFIERS = 3  # "Northern Rowing Heritage Society": words before the noun that name it


# Words that open a verb's object: after one of them, the word before is a verb, not a noun.
_OBJECT_OPENERS = frozenset(
    "the a an his her their its my our your this these those him them me us it".split()
)


def person_slot(r: Reading) -> Span | None:
    """For "who" with no name in the sentence: the people it names by a noun, where the
    question's "who" stands ("awards the contract to *whom*?", "Who are the usual buyers?")."""
    span = slot_after(r, _WHO) or copula_side(r, _WHO)
    if span is None:
        return None
    # A time is no one: "to the lowest bidder *last year*".
    times = find_phrases(QuestionKind.DATE, span.text, set(), r.terms)
    if times:
        cut = span.text[: min(t.start for t in times)].rstrip(" ,")
        span = Span(cut, span.start, span.start + len(cut))
    return span if _names_people(r.sentence, span) else None


def _names_people(sentence: str, span: Span) -> bool:
    """True when a phrase may name people: with its article ("*the* lowest bidder", "a group
    of nurses"), capitalised, or a plural noun ("contractors"); "unknown", "drunk", "thus",
    "enforcement" do not."""
    words = span.text.split()
    before = sentence[: span.start].split()[-1:]
    if not words:
        return False
    if words[0].lower() in _ARTICLES or words[0].endswith(("'s", "’s")) or words[0][:1].isupper():
        return True
    if before and before[0].lower() in _ARTICLES:
        return True
    from lemminflect import getAllLemmas  # only here: a "who" the sentence names no one for

    head = words[-1].lower()
    return any(lemma != head for lemma in getAllLemmas(head).get("NOUN", ()))


_ARTICLES = frozenset("the a an his her their its our this that these those".split())


def kind_before_noun(r: Reading) -> Span | None:
    """For "What (kind of) X ...?": X as the sentence gives it, with the words it puts right
    before X to say which one ("*rye* bread", "*Hollis* College"); None without them."""
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] not in {"what", "which"} or words[1] in AUX:
        return None
    kind = words[1] in _KIND_WORDS and words[2] == "of"
    rest = words[3:] if kind else words[1:]
    noun: list[set[str]] = []
    for word in rest:
        if word in AUX or not list(r.terms(word)):
            break
        noun.append(set(r.terms(word)))
    if not noun:
        return None
    if not kind and len(noun) == 1 and rest[1:2] and rest[1] in _OBJECT_OPENERS:
        return None  # "What hit *the* car?": the word after "what" is the asked verb
    tokens = list(TOKEN.finditer(r.sentence))
    for i, token in enumerate(tokens):
        if noun[0] & set(r.terms(token.group(0))):
            first = _first_modifier(r, tokens, i)
            if first < i:
                last = i
                while last + 1 < len(tokens) and last + 1 - i < len(noun):
                    following = tokens[last + 1].group(0)
                    if following.endswith("ed") or not noun[last + 1 - i] & set(r.terms(following)):
                        break  # past the noun ("Marlow College *donated*")
                    last += 1
                start, end = tokens[first].start(), tokens[last].end()
                return Span(r.sentence[start:end], start, end)
    return None


def _first_modifier(r: Reading, tokens: Sequence[re.Match[str]], noun: int) -> int:
    """The first of the words right before a noun that modify it (``noun`` itself if none).

    Not a question word, a function word, a possessor ("Dorsey's"), a number or a quantity.
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
# Verbs that link a thing to what it is as "is" does ("the road *remains* closed").
_LINKING = _COPULA | frozenset(
    "remain remains remained stay stays stayed seem seems seemed become becomes became".split()
)
_SIDE_WORDS = 5  # a noun phrase, not a clause


def copula_side(r: Reading, wh: frozenset[str] = _THING_WH, linking: bool = False) -> Span | None:
    """For "What is X?": where a clause says "A is X" or "X is A", the side without the
    question's words, when it is a short noun phrase (no clause or preposition inside).

    ``wh``: the question words it may start with; ``linking``: "remains", "seems", "became"
    link the two sides too (for "What is X like?", which asks for a state, not a name)."""
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] not in wh or words[1] not in _COPULA:
        return None
    pos = 0
    for clause in CLAUSE_BREAK.split(r.sentence):
        start = r.sentence.find(clause, pos) if clause else -1
        if start < 0:
            continue
        pos = start + len(clause)
        tokens = [(start + t.start(), start + t.end(), t.group(0)) for t in TOKEN.finditer(clause)]
        asked = [bool(set(r.terms(t[2])) & r.question_terms) for t in tokens]
        for i, token in enumerate(tokens):
            if token[2].lower() not in (_LINKING if linking else _COPULA):
                continue
            left, right = any(asked[:i]), any(asked[i + 1 :])
            if left == right:
                continue  # the question's words on both sides or on neither
            after = tokens[i + 1][2].lower() if i + 1 < len(tokens) else ""
            if after in NAMING_VERBS or after.endswith("ed"):
                continue  # a passive ("is known as", "was renamed"), not "A is X"
            side = tokens[i + 1 :] if left else tokens[:i]
            phrase = trimmed(r.sentence, side, r.terms)
            if phrase is None:
                continue
            inside = phrase.text.lower().split()
            if len(inside) <= _SIDE_WORDS and not _PHRASE_END & set(inside):
                return Span(phrase.text, phrase.start, phrase.end)
    return None


_RANK = r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th)"
_AHEAD = re.compile(
    r"\b(?:after|behind|following|trailing|(?:second\s+)?only\s+to)\s+"
    r"(?P<np>[^,;:.!?()\[\]\"“”—–]{2,60}?)\s*(?=[,;:.!?()\[\]\"“”—–]|$)",
    re.IGNORECASE,
)
_RANKED_ASKERS = frozenset({"what", "which", "who", "whom"})


def ranked_first(r: Reading) -> tuple[bool, Span | None]:
    """For "Which is the largest X?" over "A is the second largest X, after B": B.

    Returns whether the sentence ranks something below the asked superlative (then what it
    names is not the answer) and the one it says is ahead, if it says so by a name or by the
    ranked noun ("behind the dam" is no lake ahead of a lake).
    """
    words = words_of(strip_filler(r.question))
    if words[:1] and words[0] not in _RANKED_ASKERS:
        return False, None  # "When did the largest fire happen?" asks for a time
    if re.search(rf"\b(?:{_RANK}|rank\w*)\b", r.question, re.I):
        return False, None  # "What is the second largest ...?" asks for the ranked one
    for word in (w for w in words if (w.endswith("est") and len(w) > 4) or w in _BEST):
        pattern = rf"\b{_RANK}[-\s]+(?:most\s+)?{re.escape(word)}\b(?:\s+(?P<noun>[a-z]+))?"
        rank = re.search(pattern, r.sentence, re.I)
        if rank is None or len(re.findall(rf"\b{re.escape(word)}\b", r.sentence, re.I)) > 1:
            continue  # the sentence names the first too: "A is the largest, B the second largest"
        if word not in _BEST and not _superlative(word):
            continue  # "the second contest": a noun, not a rank
        ahead = _AHEAD.search(r.sentence, rank.end())
        if ahead is None or not _names_rival(ahead.group("np"), rank.group("noun"), r):
            return True, None  # "the third largest city after the war": no rival named
        return True, Span(ahead.group("np"), ahead.start("np"), ahead.end("np"))
    return False, None


_BEST = frozenset({"best", "worst"})


def _superlative(word: str) -> bool:
    """True for an adjective's -est form ("tallest": tall); read only for a ranked sentence."""
    from lemminflect import getAllLemmas  # loaded on first use: its tables take half a second

    return any(lemma != word for lemma in getAllLemmas(word).get("ADJ", ()))


def _names_rival(phrase: str, noun: str | None, r: Reading) -> bool:
    """True when what stands ahead is a name ("behind *Tom Lee*") or the ranked noun again
    ("after the Orr *canal*", "the *one* in Lebanon")."""
    words = phrase.split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    if words and all(w[:1].isupper() or w in {"and", "the", "of"} for w in words):
        return True
    if words[:1] in (["one"], ["ones"]):
        return True  # "following *the one in Lebanon*": "one" stands for the ranked noun
    return bool(noun) and bool(set(r.terms(noun or "")) & set(r.terms(phrase)))
