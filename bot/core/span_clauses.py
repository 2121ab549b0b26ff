"""Short-answer candidates that are clauses: a purpose, a cause, a time told by an event.

Offers ``purposes`` (the "to ..." that says why), ``causes`` (what made or caused something)
and ``time_clauses`` (the "during ...", "until ...", "when ..." that says when), each given a
``Reading``; ``span_measures`` tries them when the sentence has no "because" or date.

Each looks back from a word through a bounded window of the sentence, never through all of
it: a sentence of 50,000 characters (a table flattened into one line) costs a pass, not a
pass per word.
"""

from __future__ import annotations

import bisect
import itertools
import re

from bot.core.entities import NameKind, name_kind
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases
from bot.core.questions import strip_filler, words_of
from bot.core.span_anchors import (
    ADJACENT_CHARS,
    AUX,
    TIME_HEADS,
    TOKEN,
    TRAILING,
    Reading,
    is_base_verb,
    passive_doer,
    previous_word,
    repeats,
    subject_before,
    verb_lemmas,
    with_ends,
    word_classes,
)

# "to protect the crops", "in order to save fuel": what something is done for.
_TO = re.compile(r"\b(?:in\s+order\s+|so\s+as\s+)?to\s+(?P<verb>[A-Za-z][a-z'’-]*)\b", re.I)
# A purpose ends at a clause break; a dot ends it only where the sentence ends, not after an
# abbreviation ("to rebuild St. Peter's"); a quote ends it unless it would leave it hanging
# on a function word ("to avoid the "inconvenience" of ...").
_PURPOSE_END = re.compile(r"[,;:!?()\[\]—–]|\s-\s|\.(?=\s*$)|$")
_QUOTE = re.compile(r"[\"“”]")
# Words before "to" that take an infinitive as their object ("wanted to leave", "is able to
# fly", "the decision to close"): the infinitive says what was wanted, not why.
_TAKES_INFINITIVE = frozenset(
    """want wants wanted wanting need needs needed needing try tries tried trying seek seeks
    sought seeking plan plans planned planning hope hopes hoped decide decides decided agree
    agreed refuse refused refuses begin began begun begins start started starts continue
    continued continues used use going able unable likely unlikely is are was were be been
    being has have had expected expect intend intended fail failed failing manage managed
    attempt attempted attempts choose chose chosen seem seems seemed appear appears appeared
    tend tends tended ought due set came come allowed allow allows asked ask forced urged
    ordered promised promise prepared ready willing according next way ways right chance
    ability opportunity order decision effort efforts difficult easy hard possible
    impossible necessary important first last only permitted vote votes voted voting""".split()
)
# Between the asked verb's words and its purpose: a word that opens another clause or
# predicate ("the bridge, which was too old to carry", "met the dean, who explained how to
# apply", "resigned, leaving his deputy to run") makes the infinitive that clause's.
_NOT_BETWEEN = AUX | frozenset(
    """which who whom whose that how where when while after before because since if although
    and but or be been being""".split()
)
# A comma right before "to" sets off a purpose ("..., to spearhead"); one inside the gap
# closes the question's clause.
_GAP_BREAK = re.compile(r"[;:—–]|\s-\s|,(?!\W*$)")
# Words that make "to" a preposition ("in response to", "close to", "thanks to").
_TAKES_TO = frozenset(
    """response addition regard relation reference contrast opposed prior close closer next
    thanks compared relative similar owing due according""".split()
)
_PURPOSE_WORDS = 12
_PURPOSE_CHARS = 160
_PURPOSE_GAP = 40  # characters between the question's last word and "to", at most


def purposes(r: Reading) -> list[Phrase]:
    """For "why": an infinitive of purpose ("set up *to protect the crops*").

    Only the infinitive that follows the question's own words in their clause: not one a
    word takes as its object ("wanted to leave"), not "to" before a name or a noun ("to
    Paris", "in response to protest"), not one another clause or word holds ("too old to
    carry"), and only for a question with a verb of its own: after a bare "Why?" any purpose
    in the sentence may be another verb's.
    """
    words = words_of(r.question)
    if "why" not in words[:3] or len(words) < 3:
        return []
    starts = set(r.anchors)
    ends = [e for e in with_ends(r.sentence, r.anchors) if e not in starts]
    out = []
    for match in _TO.finditer(r.sentence):
        verb = match.group("verb")
        before = previous_word(r.sentence, match.start())
        previous = before.lower().strip("\"“”'’")
        opening = not before or before[-1:] in ',;:("“'
        if not (verb.islower() or (opening and verb[:1].isupper() and verb[1:].islower())):
            continue  # "to Paris", "to ABC": a name
        if previous in _TAKES_INFINITIVE or not is_base_verb(verb.lower()) or verb.lower() == "be":
            continue
        if set(r.terms(verb)) & r.question_terms:
            continue  # "Why did she decide to leave?" - "to leave" is what she decided
        if not _follows_question(r, ends, match.start(), previous):
            continue
        # A purpose is a few words long: a break farther off is not looked for.
        stop = _PURPOSE_END.search(r.sentence, match.end(), match.end() + _PURPOSE_CHARS)
        end = stop.start() if stop is not None else match.end() + _PURPOSE_CHARS
        quote = _QUOTE.search(r.sentence, match.end(), end)
        if quote is not None and previous_word(r.sentence, quote.start()).lower() not in TRAILING:
            end = quote.start()
        text = _without_trailing(r.sentence[match.start() : end])
        if len(text.split()) > _PURPOSE_WORDS or repeats(text, r.question_terms, r.terms):
            continue
        out.append(Phrase(text, match.start(), match.start() + len(text)))
    return out


def _follows_question(r: Reading, ends: list[int], at: int, previous: str) -> bool:
    """True when "to" at ``at`` continues the clause of the question's words before it (any
    "to" when the sentence holds none of them)."""
    if previous in _TAKES_TO:
        return False  # "in response to protest", "close to home": "to" as a preposition
    i = bisect.bisect_right(ends, at) - 1
    if not ends:
        return True
    if i < 0 or at - ends[i] > _PURPOSE_GAP:
        return False
    gap = r.sentence[ends[i] : at]
    if _GAP_BREAK.search(gap):
        return False
    between = [w.lower() for w in re.findall(r"[\w'’-]+", gap)]
    # "resigned on Friday, leaving his deputy to run", "the bridge, which was too old to
    # carry": the infinitive is another verb's.
    return not (set(between) & _NOT_BETWEEN or any(w.endswith("ing") for w in between))


def _without_trailing(text: str) -> str:
    """A phrase without the function words it was cut after ("to avoid the")."""
    words = list(re.finditer(r"\S+", text))
    while len(words) > 2 and words[-1].group(0).lower() in TRAILING:
        words.pop()
    return text[: words[-1].end()] if words else ""


_BE = frozenset("is are was were be been being".split())
_BY = re.compile(r"\s+by\s+")
_CLAUSE_START = re.compile(r"[,;:(]\s*|^")
_PRONOUN_OBJECT = re.compile(r"\s*(?:it|them|this|these)\b", re.IGNORECASE)
_RELATIVE_SUBJECT = re.compile(r"\b(?:which|that)\s+(?:\w+\s+)?(?:is|are|was|were|been)\s*$", re.I)
_OBJECT_CHARS = 40  # the question's object stands this near its verb in the sentence
_WINDOW = 200  # characters before a verb that can hold its subject or clause (12 words)


def causes(r: Reading) -> list[Phrase]:
    """For "What made / caused / led to X?": what does that in the sentence, the subject of
    its verb ("Budget cuts *forced* ..."), the doer of its passive ("was caused *by* ..."),
    or the clause before its participle ("..., *making* the roads unsafe").

    Only the use of the verb that holds the question's object ("Heavy rain caused *the
    floods*, but the dam caused none"), when the question names one.
    """
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] != "what" or words[1] in AUX:
        return []
    verbs = verb_lemmas(words[1])
    if not verbs:
        return []
    objects = frozenset(r.question_terms - set(r.terms(words[1])))
    is_verb: dict[str, bool] = {}
    out: list[Phrase] = []
    for token in TOKEN.finditer(r.sentence):
        word = token.group(0).lower()
        if word not in is_verb:
            is_verb[word] = bool(verb_lemmas(word) & verbs)
        if not is_verb[word]:
            continue
        previous = previous_word(r.sentence, token.start())
        by = _BY.match(r.sentence, token.end())
        if previous.lower() in _BE and by is not None:
            if objects and not _holds_before(r, objects, token.start()):
                continue
            doer = passive_doer(r.sentence, by.end())
            if doer is not None:
                out.append(doer)
            continue
        if objects and not _holds_after(r, objects, token.end()):
            continue  # "The delay caused many passengers to miss ...": not what caused it
        window = max(0, token.start() - _WINDOW)
        if previous.endswith(",") and word.endswith("ing"):
            clause = _clause_before(r.sentence, window, token.start())
            if clause is not None:
                out.append(clause)
        else:
            # The subject stands within a few words of its verb: read only the window before.
            subject = subject_before(
                r.sentence[window:], token.start() - window, r.question_terms, r.terms
            )
            if subject is not None:
                out.append(Phrase(subject.text, window + subject.start, window + subject.end))
    return [p for p in out if not repeats(p.text, r.question_terms, r.terms)]


def _holds_after(r: Reading, objects: frozenset[str], at: int) -> bool:
    """True when the words after a verb hold the question's object, or a pronoun that may
    stand for it ("making *it* the tallest")."""
    words = r.sentence[at : at + _OBJECT_CHARS]
    return _PRONOUN_OBJECT.match(words) is not None or bool(set(r.terms(words)) & objects)


def _holds_before(r: Reading, objects: frozenset[str], at: int) -> bool:
    """True when the words before a passive verb hold the question's object, or a relative
    that may stand for it ("pain, *which* are caused by")."""
    words = r.sentence[max(0, at - _OBJECT_CHARS) : at]
    return _RELATIVE_SUBJECT.search(words) is not None or bool(set(r.terms(words)) & objects)


def _clause_before(sentence: str, window: int, verb: int) -> Phrase | None:
    """The clause before a participle ("*The police arrived*, causing ..."), if short."""
    head = sentence[window:verb].rstrip().rstrip(",")
    last = [m.end() for m in _CLAUSE_START.finditer(head)][-1]
    if last == 0 and window > 0:
        return None  # no break within the window: longer than a short answer
    clause = head[last:].strip()
    if not clause or len(clause.split()) > _PURPOSE_WORDS:
        return None
    begin = window + head.index(clause, last)
    return Phrase(clause, begin, begin + len(clause))


# "during the last ice age", "after the war ended", "when the river froze": a time said by
# what happened then rather than by a date.
_TIME_CLAUSE = re.compile(
    r"\b(?P<head>during|throughout|after|before|until|till|following|upon|once|whenever|when|"
    r"as\s+soon\s+as|by\s+the\s+time|at\s+the\s+(?:end|start|beginning|height)\s+of)\s+"
    r"[^,;:.!?()\[\]\"“”—–]+",
    re.IGNORECASE,
)
_TIME_WORDS = 10
_WH = frozenset("what which who whom whose when where why how".split())
_TIME_TRAILING = TRAILING | {"however", "though", "too", "also", "a", "an"}
_TIME_NOT_OBJECT = frozenset("in on at of for with by to from into as".split())
# These also say where ("spoke before the court"), whom ("ran after the thieves", "named
# after a hero") or on what ground ("following the advice of her doctor"): a time only
# with a clause, a gerund, a date or a word of time after them.
_AMBIGUOUS = frozenset("before after throughout following upon".split())
_NOT_TIME_OBJECT = frozenset(
    "which who whom whose that him her them it me us you this these those there".split()
)
# Where a phrase after an ambiguous word ends: "throughout the night *against* the bill".
_PHRASE_END = frozenset(
    "in on at for with against through across into from by near under behind over".split()
)
# "after the election", "following the announcement": a noun made of a verb names an event.
_EVENT_NOUN = re.compile(r"[a-z]{3,}(?:ion|ment|ance|ence|ure)s?$")
_DETERMINERS = frozenset("the a an his her their its our my this that these those".split())
_CLAUSE_VERBS = AUX | {"be", "been", "being"}
# Words after which "the" goes on with the phrase ("until after the war", "at the end of the").
_OPENS_PHRASE = (
    TRAILING | _PHRASE_END | _TIME_NOT_OBJECT | _AMBIGUOUS | {"until", "till", "during", "when"}
)
_OPENING = 3  # a phrase starting this near the sentence's start opens it


def time_clauses(r: Reading) -> list[Phrase]:
    """For "when" without a date in the sentence: the phrase or clause that says when, next
    to the question's words (a time farther off tells when something else happened).

    Only when "when" is what the question asks: in "When it rains, what floods?" it sets
    the scene for another question word.
    """
    asked = [w for w in words_of(r.question) if w in _WH]
    if asked[:1] != ["when"] or len(set(asked)) > 1:
        return []
    ends = with_ends(r.sentence, r.anchors)
    out = []
    for match in _TIME_CLAUSE.finditer(r.sentence):
        found = list(itertools.islice(re.finditer(r"\S+", match.group(0)), 2 * _TIME_WORDS))
        if len(found) == 2 * _TIME_WORDS:
            continue  # a long stretch: a sentence, not a short answer
        while found and found[-1].group(0).lower() in _TIME_TRAILING:
            found.pop()  # "until the war ended however", "after the vote a"
        found = found[: _next_subject(found)]
        words = [w.group(0) for w in found]
        if len(words) < 2 or words[1].lower() in _TIME_NOT_OBJECT:
            continue  # "throughout in the form of": an adverb, not a time
        if match.group("head").lower() in _AMBIGUOUS:
            words = _as_time(match.group("head").lower(), words)
        if len(words) < 2:
            continue
        start = match.start()
        end = start + found[len(words) - 1].end()
        text = r.sentence[start:end]
        if len(words) > _TIME_WORDS or repeats(text, r.question_terms, r.terms):
            continue
        if len(list(r.terms(text))) < 2:
            continue  # "after that", "until then": a time only the sentence before tells
        if not _next_to_question(r.sentence, ends, start, end):
            continue
        out.append(Phrase(text, start, end))
    return out


def _next_subject(found: list[re.Match[str]]) -> int:
    """Where a new noun phrase starts without a comma ("During this period *the university*
    ..."): the time phrase ends before it; a verb's object does not end it ("when the army
    crossed *the river*")."""
    lower = [w.group(0).lower() for w in found]
    return next(
        (
            k
            for k in range(2, len(lower))
            if lower[k] in {"the", "a", "an"}
            and lower[k - 1] not in _OPENS_PHRASE
            and not lower[k - 1].endswith("ing")
            and not _is_finite(lower[k - 1])
        ),
        len(lower),
    )


def _as_time(head: str, words: list[str]) -> list[str]:
    """The words after "before", "after" ... that say a time, or [] when they say a person,
    a place or a ground; a phrase ends before its next preposition."""
    lower = [w.lower().strip("'’") for w in words]
    if lower[1] in _NOT_TIME_OBJECT or set(lower) & {"who", "which", "whom", "whose"}:
        return []  # "after which his son ...", "named after a hero who drowned"
    if lower[1].endswith("ing") and "VERB" in word_classes(lower[1]):
        return words  # "after detecting stress"
    if any(
        _is_finite(w) and lower[k - 1] not in _DETERMINERS for k, w in enumerate(lower) if k > 1
    ):
        return words  # "after police arrived", "after his wife had died"; not "the covered"
    cut = next((i for i in range(2, len(lower)) if lower[i] in _PHRASE_END), len(lower))
    words, lower = words[:cut], lower[:cut]
    phrase = " ".join(words[1:])
    if find_phrases(QuestionKind.DATE, phrase, set(), str.split) or set(lower) & TIME_HEADS:
        return words  # "after 1900", "throughout the night", "after the end of the war"
    if head == "before" or head == "throughout":
        return []  # "before a judge", "throughout the region"
    if any(_EVENT_NOUN.match(w) for w in lower[1:]):
        return words  # "after the election"
    named = [w for w in words[1:] if w[:1].isupper()]
    if named and lower[-1] == named[-1].lower() and name_kind(" ".join(named)) is NameKind.UNKNOWN:
        return words  # "following the Nice Treaty"; not "after Tom", "after Leeds"
    if lower[1] not in _DETERMINERS and words[1].islower():
        return words  # "upon arrival", "after lengthy debate"
    return []


def _is_finite(word: str) -> bool:
    """True for a word that reads only as a verb in a clause ("arrived", "had", "fell")."""
    if word in _CLAUSE_VERBS:
        return True
    classes = word_classes(word)
    if classes == {"VERB"} and word not in verb_lemmas(word):
        return True  # "fell", "took": a past form
    return word.endswith("ed") and "VERB" in classes and "ADJ" not in classes


def _next_to_question(sentence: str, ends: list[int], start: int, end: int) -> bool:
    """True when a phrase opens the sentence, stands right after the question's words in
    their clause, right before them, or holds them."""
    i = bisect.bisect_right(ends, start)
    if ends and not sentence[: min(start, _OPENING)].strip() and start <= _OPENING:
        return True  # "During the war, ...": the time of the whole sentence
    gap = sentence[ends[i - 1] : start] if i > 0 else ""
    if i > 0 and len(gap) <= ADJACENT_CHARS and not _GAP_BREAK.search(gap):
        return True  # "*repaired* during the dry season"
    return i < len(ends) and ends[i] - end <= ADJACENT_CHARS  # "After the war, *the mill*"
