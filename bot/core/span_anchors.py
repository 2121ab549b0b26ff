"""Where a question stands in its cited sentence, as the short-answer finders need it.

Offers ``Span`` (a chosen short answer), ``Reading`` (a question and its sentence together),
the offsets of the question's words in the sentence (``find_anchors``) and a phrase's
``distance`` from them, the asked verb of a subject question and the noun phrase before it
(``asked_verb``, ``subject_before``), and the small helpers the finders share: the clause
breaks and function words that bound a stretch of words, ``trimmed``, a stretch without
them, ``previous_word`` (a bounded look back) and ``passive_doer``, the doer a passive names
after "by", for every finder that reads one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.entities import is_place
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases
from bot.core.questions import Terms, strip_filler, words_of

AUX = frozenset("is are was were do does did has have had can could will would should".split())
# The words a question asks with (one list for every span module).
WH_WORDS = frozenset("what which who whom whose when where why how".split())
# A word, a number or a symbol. At most three marks may lead a word ("$.5", "'90s"): an unbounded
# lead would rescan a long run of marks from each of its characters (quadratic on "-----...").
TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|['’.$%-]{0,3}\w(?:[\w'’.$%-]*\w)?[\w'’$%]*|[\w$%]"
)
ADJACENT_CHARS = 15  # "next to" a question word: a short word or two between them at most

_PRONOUNS = frozenset("he she it they we i you this that these those who which".split())
_SUBJECT_BREAK = re.compile(
    r"(?:[,;:()\"“”]|\s--\s|—|–|\b(?:as|that|which|who|and|but|when|while|because|after|"
    r"before|since|said|says|whereas|although|though)\b)",
    re.IGNORECASE,
)
_SUBJECT_WORDS = 6


def verb_lemmas(word: str) -> frozenset[str]:
    """The verbs a word is a form of ("made" -> make), from lemminflect's English lexicon."""
    from lemminflect import getAllLemmas  # loaded on first use: its tables take half a second

    found = getAllLemmas(word)
    return frozenset(found.get("VERB", ()) + found.get("AUX", ()))


def word_classes(word: str) -> frozenset[str]:
    """The parts of speech lemminflect's lexicon gives a word ("equally": ADV)."""
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word))


def is_base_verb(word: str) -> bool:
    """True for a verb's plain form ("protect", "hide"), as it stands after "to"."""
    return word in verb_lemmas(word)


@dataclass(frozen=True)
class Span:
    """A chosen short answer: ``sentence[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """A question and its cited sentence, as the candidate finders need them."""

    question: str
    kind: QuestionKind
    sentence: str
    question_terms: frozenset[str]
    terms: Terms
    type_word: str | None
    anchors: list[int]


def phrase_of(match: re.Match[str]) -> Phrase:
    """The phrase a match found, without surrounding blanks and commas."""
    text = match.group(0).strip(" ,")
    start = match.start() + match.group(0).find(text)
    return Phrase(text, start, start + len(text))


def repeats(text: str, question_terms: frozenset[str], terms: Terms) -> bool:
    """True when a phrase is only words the question already holds."""
    own = set(terms(text))
    return bool(own) and own <= question_terms


def find_anchors(sentence: str, question_terms: frozenset[str], terms: Terms) -> list[int]:
    """Where the question's words stand in the sentence (character offsets)."""
    return [m.start() for m in TOKEN.finditer(sentence) if question_terms & set(terms(m.group(0)))]


def with_ends(sentence: str, anchors: Sequence[int]) -> list[int]:
    """The anchors with the ends of their words: what stands right after a long question
    word ("chloroplasts are found *in the stems*") is next to it, however long the word."""
    starts = set(anchors)
    ends = [m.end() for m in TOKEN.finditer(sentence) if m.start() in starts]
    return sorted([*anchors, *ends])


def distance(phrase: Phrase, anchors: Sequence[int]) -> int:
    """Characters between a phrase and the nearest question word (0 when none is known).

    ``anchors`` ascend (as ``find_anchors`` gives them): only the two around the phrase count,
    so a long sentence full of the question's words costs a search, not a scan per phrase.
    """
    if not anchors:
        return 0
    i = bisect.bisect_left(anchors, phrase.start)
    if i < len(anchors) and anchors[i] < phrase.end:
        return 0
    before = phrase.start - anchors[i - 1] if i > 0 else None
    after = anchors[i] - phrase.end if i < len(anchors) else None
    return min(d for d in (before, after) if d is not None)


def asked_verb(question: str, sentence: str, terms: Terms) -> int | None:
    """Where the verb of a subject question ("Who *requested* ...?") stands in the sentence.

    Only for "who" directly followed by its verb; "Who did X meet?" asks for an object.
    """
    words = words_of(strip_filler(question))
    if len(words) < 2 or words[1] in AUX:
        return None
    # "What *caused* ...?" is a subject question too when a past-tense verb follows "what";
    # "What site ...?" is not.
    if words[0] != "who" and not (words[0] == "what" and words[1].endswith("ed")):
        return None
    verb_terms = set(terms(words[1]))
    if not verb_terms:
        return None
    for match in TOKEN.finditer(sentence):
        if verb_terms & set(terms(match.group(0))):
            return match.start()
    return None


def subject_before(
    sentence: str, verb: int, question_terms: frozenset[str], terms: Terms
) -> Span | None:
    """The noun phrase just before a verb, back to the clause break; None if a pronoun."""
    head = sentence[:verb].rstrip()
    breaks = list(_SUBJECT_BREAK.finditer(head))
    start = breaks[-1].end() if breaks else 0
    text = head[start:].strip()
    words = text.split()
    if not words or len(words) > _SUBJECT_WORDS or words[0].lower() in _PRONOUNS:
        return None
    if any(w.lower() in AUX | {"be", "been", "being", "to"} for w in words):
        return None  # a verb inside: not the noun phrase before the verb
    if set(terms(text)) & question_terms or not list(terms(text)):
        return None
    begin = sentence.index(text, start)
    return Span(text, begin, begin + len(text))


# Words that open a clause or join it to the one before: a span starts after them.
LEADING = frozenset(
    """and or but that which who whom whose where when while as is are was were be been being
    has have had also then so said says just""".split()
)
TRAILING = frozenset(
    """and or but that which who whom whose the a an of to in on at by for with from as is are
    was were has have had his her their its this these those""".split()
)
# A comma inside a number ("21,000") is no break.
CLAUSE_BREAK = re.compile(r"\s*(?:,(?!\d{3}\b)|[;:()\[\]\"“”]|\s--\s|\s-\s|—|–)\s*")
NAMING_VERBS = frozenset(
    "called named nicknamed dubbed known titled termed call name nickname dub".split()
)
MAX_WORDS = 10  # a longer stretch is a sentence, not a short answer


def trimmed(sentence: str, run: list[tuple[int, int, str]], terms: Terms) -> Phrase | None:
    """A run without its leading joiners and trailing function words; None if nothing is said."""
    while run and run[0][2].lower() in LEADING:
        run = run[1:]
    while run and run[-1][2].lower() in TRAILING:
        run = run[:-1]
    if not run or len(run) > MAX_WORDS or not any(terms(t) for _, _, t in run):
        return None
    if all(t.lower().endswith("ly") for _, _, t in run):
        return None  # adverbs say how, not what
    start, end = run[0][0], run[-1][1]
    return Phrase(sentence[start:end], start, end)


_LOOK_BACK = 60  # characters: enough for the word before any word of a sentence


def previous_word(sentence: str, at: int) -> str:
    """The word before offset ``at`` as written (marks kept), or "" at the sentence's start."""
    words = sentence[max(0, at - _LOOK_BACK) : at].split()
    return words[-1] if words else ""


# After "by": a time ("by the end of May", "by 1900"), an amount ("by a third", "by half")
# or a place ("by Lake Tana") is no doer. The doer's phrase ends where a place or time
# is added to it ("by a roadside bomb *near* Kandahar", "by the sea *on* three sides").
_DOER_END = re.compile(
    r"[,;:.!?()\[\]\"“”—–]|\s-\s|\s(?:on|at|near|during|after|before|since|until|when|while|"
    r"where|who|which|that|late|early|last|this|yesterday|today|overnight)\b|\sin\s+(?=\d|the\s+\d)|$",
    re.IGNORECASE,
)
# Nouns that name a stretch of time: "by the end", "throughout the night" say when.
TIME_HEADS = frozenset(
    """end start beginning middle close height turn time times noon midnight dawn dusk night
    morning evening afternoon weekend day days week weeks month months year years decade
    decades century centuries season period era then now""".split()
)
_DOER_CHARS = 120  # a doer is a noun phrase: the words beyond are never read
_NOT_DOER_OPENERS = TRAILING - {"the", "a", "an", "his", "her", "their", "its", "this", "these"}
_AMOUNT_HEADS = frozenset("half third thirds quarter quarters percent much far".split())
# A capitalised name with one of these words is a place ("Lake Tana", "Central Park").
_PLACE_FEATURES = frozenset(
    """lake river mount mountain park street road avenue square bay island valley hill sea
    ocean bridge station airport harbour harbor""".split()
)


def passive_doer(sentence: str, after_by: int) -> Phrase | None:
    """The doer a passive names after "by" (``after_by``: where the words after it start),
    up to where a place or time is added; None when the words say when, how much or where."""
    stop = _DOER_END.search(sentence, after_by, after_by + _DOER_CHARS)
    end = stop.start() if stop is not None else after_by + _DOER_CHARS
    text = sentence[after_by:end].rstrip()
    words = [w.lower().strip("'’") for w in text.split()]
    if not words or words[0] in _NOT_DOER_OPENERS:
        return None
    if text[:1].isdigit() or set(words[:3]) & (TIME_HEADS | _AMOUNT_HEADS):
        return None  # "by 1900", "by the end of May", "by a third"
    if find_phrases(QuestionKind.DATE, text, set(), str.split):
        return None  # "by early Tuesday", "by March 2015"
    name = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    capitalised = [w for w in name.split() if w[:1].isupper()]
    if len(capitalised) == len(name.split()) and (
        is_place(name) or {w.lower() for w in capitalised} & _PLACE_FEATURES
    ):
        return None  # "by Lake Tana", "by Leeds"; "by the UK government" is a doer
    return Phrase(text, after_by, after_by + len(text))
