"""The short answer: the span of the cited sentence that gives what the question asks for.

A question's wording says what sort of phrase answers it (a person for "who", a place for
"where", a time for "when", a number for "how many", a reason for "why", a manner for "how
did", a verb phrase for "what did X do", a thing for "what" and "which"). The span is chosen
among the sentence's phrases of that sort that do not repeat the question, nearest the
question's own words in the sentence (an answer stands next to what the question says about
it). When no phrase is convincing there is no span: a wrong highlight is worse than none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.core.entities import (
    NameKind,
    is_place,
    is_place_of_type,
    is_title,
    name_kind,
)
from bot.core.lexicon import NATIONALITIES
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases, typed_dates
from bot.core.questions import Terms, strip_filler, words_of


class Target(StrEnum):
    """What sort of phrase answers a question."""

    PERSON = "person"
    PLACE = "place"
    TIME = "time"
    NUMBER = "number"
    REASON = "reason"
    MANNER = "manner"
    ACTION = "action"
    THING = "thing"
    DESCRIPTION = "description"  # "What is MINUSMA?", "Who is X?": what the name stands for


_BY_KIND = {
    QuestionKind.PERSON: Target.PERSON,
    QuestionKind.PLACE: Target.PLACE,
    QuestionKind.DATE: Target.TIME,
    QuestionKind.COUNT: Target.NUMBER,
    QuestionKind.REASON: Target.REASON,
}
_AUX = frozenset("is are was were do does did has have had can could will would should".split())
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
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[\w'’.$%-]*\w[\w'’$%]*|[\w$%]")
_MANNER = re.compile(r"\b(?:by|through|via|using|with)\s+[^,;:.!?\"“”()]+", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?P<n>\d{1,3})(?=-year-old\b|\s+years?\s+old\b)|\b(?:aged?|age\s+of)\s+(?P<m>\d{1,3})\b",
    re.IGNORECASE,
)
_DATE_PARTS = {
    "year": re.compile(r"\b(?:1[5-9]|20)\d{2}s?\b"),
    "month": re.compile(
        r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December)\b",
        re.IGNORECASE,
    ),
}
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|into|outside)\s+(?:the\s+)?$", re.IGNORECASE)
# "from a nearby restaurant", "on the Senate floor": a place phrase up to the next break.
_PLACE_PHRASE = re.compile(
    r"\b(?:in|at|from|to|into|on|near|inside|outside)\s+(?:the|a|an|his|her|their|its)\s+"
    r"[^,;:.!?()\"“”]{2,40}?(?=\s+(?:in|at|on|to|from|for|with|by|after|before|when|where|"
    r"which|who|that|and|while)\b|[,;:.!?()\"“”]|$)",
    re.IGNORECASE,
)
_INSIDE_WORDS = 3
# "By 1971", "by autumn 1347", "by mass": a time or a measure, not a manner.
_TIME_AFTER_BY = re.compile(
    r"^\w+\s+(?:\d|(?:early|late|mid|spring|summer|autumn|fall|winter|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|mass|volume|weight)\b)",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|some|most|few|both|"
    r"each|every|all|numerous|various)",
    re.IGNORECASE,
)
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
_FAR_CHARS = 56  # about eight words: a phrase farther from every question word is a guess
_ADJACENT_CHARS = 15  # "next to" a question word: a short word or two between them at most


@dataclass(frozen=True)
class Span:
    """A chosen short answer: ``sentence[start:end] == text``."""

    text: str
    start: int
    end: int


def target_of(question: str, kind: QuestionKind) -> Target | None:
    """What sort of phrase answers the question (None for yes/no and small talk)."""
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    if kind in (QuestionKind.YESNO, QuestionKind.SMALLTALK):
        return None
    words = words_of(strip_filler(question))
    named = any(w[:1].isupper() for w in strip_filler(question).split()[1:])
    if kind is QuestionKind.DEFINITION and named:
        return Target.DESCRIPTION
    if not words:
        return Target.THING
    if words[0] in {"who", "whom", "whose"}:
        return Target.PERSON
    if any(a == "how" and b in {"many", "much"} for a, b in itertools.pairwise(words)):
        return Target.NUMBER  # "..., which was how many years ago?"
    if words[0] == "how" and len(words) > 1 and words[1] in _AUX:
        return Target.MANNER
    if words[0] in {"what", "which"} and words[-1] in {"do", "doing", "done"}:
        return Target.ACTION
    return Target.THING


def choose_span(
    question: str,
    kind: QuestionKind,
    sentence: str,
    question_terms: frozenset[str],
    terms: Terms,
    type_word: str | None = None,
    referents: Sequence[str] = (),
    anchor_terms: frozenset[str] = frozenset(),
) -> Span | None:
    """The phrase of ``sentence`` that answers the question, or None when none is convincing.

    ``referents`` are who or what the conversation is about, most likely first: a pronoun in
    the question ("Who was *she* with?") stands for the first, so it is not the answer.
    ``anchor_terms`` are further terms that count as the question's words where they stand in
    the sentence (its synonyms: "admit" found as "acknowledged").
    """
    choice = _chosen_option(question, sentence)
    if choice is not None:
        return choice
    target = target_of(question, kind)
    if target is None:
        return None
    anchors = _anchors(sentence, question_terms | anchor_terms, terms)
    named = target in (Target.PERSON, Target.PLACE)
    if named and referents and _PERSONAL & set(words_of(question)):
        question_terms = question_terms | frozenset(terms(referents[0]))
    reading = _Reading(question, kind, sentence, question_terms, terms, type_word, anchors)
    found = _CANDIDATES[target](reading)
    if isinstance(found, Span) or found is None:
        return found
    if not found:
        return None
    # Near the question's words first; among names about as near, the fuller one (a list of
    # names rather than one of its parts). Numbers and dates: simply the nearest.
    fuller = target in (Target.PERSON, Target.PLACE, Target.THING)
    bucket = 20 if fuller else 1
    best = min(
        found,
        key=lambda p: (p.weak, _distance(p, anchors) // bucket, -len(p.text) if fuller else 0),
    )
    if best.weak or (anchors and _distance(best, anchors) > _FAR_CHARS):
        return None
    return Span(best.text, best.start, best.end)


@dataclass(frozen=True)
class _Reading:
    """A question and its cited sentence, as the candidate finders need them."""

    question: str
    kind: QuestionKind
    sentence: str
    question_terms: frozenset[str]
    terms: Terms
    type_word: str | None
    anchors: list[int]


def _person_candidates(r: _Reading) -> list[Phrase] | Span | None:
    found = _people(r.sentence, r.question_terms, r.terms)
    if words_of(strip_filler(r.question))[:1] in (["who"], ["whom"], ["whose"]):
        # "Who ...?" asks for a person: a name the first-name data knows comes first.
        found = [
            replace(p, weak=p.weak or name_kind(p.text) is not NameKind.PERSON)
            if any(name_kind(q.text) is NameKind.PERSON and not q.weak for q in found)
            else p
            for p in found
        ]
    verb = _asked_verb(r.question, r.sentence, r.terms)
    if verb is not None:
        # "Who requested X?": the answer is the subject, before the verb in the sentence.
        subject = _subject_before(r.sentence, verb, r.question_terms, r.terms)
        before = [p for p in found if p.end <= verb and not p.weak]
        if before:
            return before
        if subject is not None and all(p.weak for p in found):
            return subject
    return found


def _place_candidates(r: _Reading) -> list[Phrase] | Span | None:
    place_word = _place_word(r.question)
    found = _places(r.sentence, r.question_terms, r.terms, place_word)
    if place_word is None:  # "In what city?" wants a city's name, not "at the lab"
        found += _place_phrases(r.sentence, r.question_terms, r.terms, r.anchors)
    return found


def _typed_candidates(r: _Reading) -> list[Phrase] | Span | None:
    """Dates, numbers and reasons: the phrases ``find_phrases`` finds, narrowed to the ask."""
    found = find_phrases(r.kind, r.sentence, set(r.question_terms), r.terms)
    target = _BY_KIND.get(r.kind)
    if target is Target.TIME:
        found = [_date_part(r.sentence, p, r.type_word) for p in typed_dates(r.type_word, found)]
    if target is Target.NUMBER and "old" in words_of(r.question):
        # "How old?" is answered by the age itself: "17" of "the 17-year-old".
        ages = [(m, "n" if m.group("n") else "m") for m in _AGE.finditer(r.sentence)]
        found = [Phrase(m.group(g), m.start(g), m.end(g)) for m, g in ages] + found
    sure = [p for p in found if not p.weak]
    if target is Target.REASON and not sure:
        # "Why was it started?" - "following an armed rebellion": without a "because", a
        # "following" or "after" clause is the reason given, when it is next to the asked verb.
        sure = [
            replace(p, weak=False)
            for p in found
            if r.anchors and _distance(p, r.anchors) <= _ADJACENT_CHARS
        ]
    return sure


def _manner_candidates(r: _Reading) -> list[Phrase] | Span | None:
    found = [_phrase(m) for m in _MANNER.finditer(r.sentence)]
    return [
        p
        for p in found
        if not _repeats(p.text, r.question_terms, r.terms) and not _TIME_AFTER_BY.match(p.text)
    ]


def _description_candidates(r: _Reading) -> list[Phrase] | Span | None:
    return _description(r.question, r.sentence)


def _thing_candidates(r: _Reading) -> list[Phrase] | Span | None:
    """What a "what" or "which" question asks for, by the clues its wording gives."""
    asked = set(words_of(r.question))
    verb = _asked_verb(r.question, r.sentence, r.terms)
    if verb is not None:
        subject = _subject_before(r.sentence, verb, r.question_terms, r.terms)
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
            if not _repeats(p.text, r.question_terms, r.terms) and len(p.text.split()) <= 8
        ]
    if _head_noun(r.question) is not None:
        # "Which team ...?", "What company ...?": a kind of thing named by a proper name.
        proper = [
            p for p in _names(r.sentence, r.terms) if not set(r.terms(p.text)) & r.question_terms
        ]
        if proper:
            return proper
    if asked & _SPEECH and _quotes(r.sentence, r.anchors):
        # "What did she say / admit?": the words quoted after the verb.
        return _quotes(r.sentence, r.anchors)
    # A thing the question asks about stands right after what it says of it ("What did he
    # write them with?" ... "written in pencil"): only a stretch next to the question's
    # words and after the first of them is offered.
    return [
        p
        for p in _gaps(r.sentence, r.question_terms, r.terms, r.anchors)
        if p.start > r.anchors[0] and _distance(p, r.anchors) <= _ADJACENT_CHARS
    ]


_CANDIDATES: dict[Target, Callable[[_Reading], list[Phrase] | Span | None]] = {
    Target.PERSON: _person_candidates,
    Target.PLACE: _place_candidates,
    Target.TIME: _typed_candidates,
    Target.NUMBER: _typed_candidates,
    Target.REASON: _typed_candidates,
    Target.MANNER: _manner_candidates,
    Target.DESCRIPTION: _description_candidates,
    Target.ACTION: _thing_candidates,
    Target.THING: _thing_candidates,
}


def _date_part(sentence: str, phrase: Phrase, type_word: str | None) -> Phrase:
    """The part of a date a question asks for: the month of "June 25, 2009" for "what month"."""
    pattern = _DATE_PARTS.get(type_word or "")
    if pattern is None or phrase.weak:
        return phrase
    part = pattern.search(phrase.text)
    rest = pattern.sub("", phrase.text)
    if part is None or not re.sub(r"\b(?:and|to|or|in|of|on)\b|[\s,–-]", "", rest):
        return phrase  # only what was asked already: "2020 and 2021" for "which year"
    start = phrase.start + part.start()
    return Phrase(sentence[start : start + len(part.group(0))], start, start + len(part.group(0)))


def _phrase(match: re.Match[str]) -> Phrase:
    text = match.group(0).strip(" ,")
    start = match.start() + match.group(0).find(text)
    return Phrase(text, start, start + len(text))


def _repeats(text: str, question_terms: frozenset[str], terms: Terms) -> bool:
    """True when a phrase is only words the question already holds."""
    own = set(terms(text))
    return bool(own) and own <= question_terms


def _anchors(sentence: str, question_terms: frozenset[str], terms: Terms) -> list[int]:
    """Where the question's words stand in the sentence (character offsets)."""
    return [m.start() for m in _TOKEN.finditer(sentence) if question_terms & set(terms(m.group(0)))]


def _distance(phrase: Phrase, anchors: Sequence[int]) -> int:
    """Characters between a phrase and the nearest question word (0 when none is known)."""
    if not anchors:
        return 0
    return min(
        0 if phrase.start <= a < phrase.end else min(abs(a - phrase.start), abs(a - phrase.end))
        for a in anchors
    )


def _names(sentence: str, terms: Terms) -> list[Phrase]:
    """Capitalised names, a sentence opener kept only when it reads as a name."""
    out = []
    for found in find_phrases(QuestionKind.PERSON, sentence, set(), lambda _t: ()):
        phrase = _without_common_words(sentence, found, terms)
        if phrase is None or (_opens(sentence, phrase) and not _name_like_opener(phrase.text)):
            continue
        out.append(phrase)
    return out


def _without_common_words(sentence: str, phrase: Phrase, terms: Terms) -> Phrase | None:
    """A name without leading capitalised stop words ("Then", "You", "Can"); None if all."""
    start = phrase.start
    for word in phrase.text.split():
        # Stop words and quantities ("One of ...", "Several ...") open a phrase, never a name.
        if (terms(word) and not _QUANTITY.fullmatch(word)) or is_title(word):
            break
        start = sentence.index(word, start) + len(word)
        while start < phrase.end and sentence[start].isspace():
            start += 1
    if start >= phrase.end:
        return None
    return Phrase(sentence[start : phrase.end], start, phrase.end, phrase.weak)


def _opens(sentence: str, phrase: Phrase) -> bool:
    """True when a phrase starts the sentence (or a quoted or bracketed part of it)."""
    before = sentence[: phrase.start].strip()
    return not before or before[-1] in "\"“‘'(:;—–-" or before.endswith("--")


def _name_like_opener(text: str) -> bool:
    """A capitalised first word is a name only if the data knows it or more names follow it."""
    words = text.split()
    first = words[0]
    if first.endswith(","):
        return False  # "Moreover, ...", "Oh, ...": an opening word set off by a comma
    if is_title(first) or is_place(first) or is_place(text):
        return True
    # Several capitalised words ("Cibar Benitez"); a lone opening word that is also a given
    # name somewhere ("Even", "Soon", "Will") is not enough: news names people in full first.
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _people(sentence: str, question_terms: frozenset[str], terms: Terms) -> list[Phrase]:
    """Names that may be who the question asks for; places only as a last resort."""
    out = []
    for phrase in _names(sentence, terms):
        if set(terms(phrase.text)) & question_terms:
            continue
        sort = name_kind(phrase.text)
        parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", phrase.text)
        places = sort is NameKind.PLACE or all(is_place(p) for p in parts)
        lone = phrase.text.lower() in NATIONALITIES or places
        out.append(Phrase(phrase.text, phrase.start, phrase.end, weak=lone))
    return out


def _place_word(question: str) -> str | None:
    """The sort of place asked for: "country" in "From what country?"."""
    words = words_of(question)
    for i, word in enumerate(words[:-1]):
        if word in {"what", "which"} and is_place_of_type("", words[i + 1]) is not None:
            return words[i + 1]
    return None


def _place_phrases(
    sentence: str, question_terms: frozenset[str], terms: Terms, anchors: Sequence[int]
) -> list[Phrase]:
    """The place a verb of the question goes with: "abducted *from a nearby restaurant*"."""
    out = []
    for match in _PLACE_PHRASE.finditer(sentence):
        phrase = _phrase(match)
        if not anchors or _distance(phrase, anchors) > _ADJACENT_CHARS:
            continue
        if phrase.start < anchors[0] or _repeats(phrase.text, question_terms, terms):
            continue
        out.append(phrase)
    return out


def _places(
    sentence: str, question_terms: frozenset[str], terms: Terms, place_word: str | None = None
) -> list[Phrase]:
    """Names the gazetteers know as places; others only after "in", "at", "from".

    A question asking for a sort of place ("what state?") takes the names of that sort first.
    """
    out = []
    for found in find_phrases(QuestionKind.PLACE, sentence, set(question_terms), terms):
        phrase = _without_common_words(sentence, found, terms)
        if phrase is None or (_opens(sentence, phrase) and not _name_like_opener(phrase.text)):
            continue
        parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", phrase.text)
        known = is_place(phrase.text) or all(is_place(p) for p in parts)
        after = _PLACE_BEFORE.search(sentence[: phrase.start]) is not None
        person = name_kind(phrase.text) is NameKind.PERSON
        sure = known or (after and not person)
        out.append(Phrase(phrase.text, phrase.start, phrase.end, weak=not sure))
    if place_word is not None and any(is_place_of_type(p.text, place_word) for p in out):
        out = [replace(p, weak=not is_place_of_type(p.text, place_word)) for p in out]
    return out


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
        tokens = [(m.start() + start, m.end() + start, m.group(0)) for m in _TOKEN.finditer(clause)]
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
    if len(words) > 1 and words[0] in {"what", "which"} and words[1] not in _AUX | skipped:
        return words[1]
    return None


def _named(sentence: str) -> list[Phrase]:
    """Names given after "called", "named", "known as" (quoted or capitalised)."""
    out = []
    for match in _NAMED.finditer(sentence):
        group = "q" if match.group("q") else "n"
        out.append(Phrase(match.group(group), match.start(group), match.end(group)))
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


_PERSONAL = frozenset("he she they him her his hers them their theirs it its".split())
_PRONOUNS = frozenset("he she it they we i you this that these those who which".split())
_SUBJECT_BREAK = re.compile(
    r"(?:[,;:()\"“”]|\s--\s|—|–|\b(?:as|that|which|who|and|but|when|while|because|after|"
    r"before|since|said|says)\b)",
    re.IGNORECASE,
)
_SUBJECT_WORDS = 6


def _asked_verb(question: str, sentence: str, terms: Terms) -> int | None:
    """Where the verb of a subject question ("Who *requested* ...?") stands in the sentence.

    Only for "who" directly followed by its verb; "Who did X meet?" asks for an object.
    """
    words = words_of(strip_filler(question))
    if len(words) < 2 or words[1] in _AUX:
        return None
    # "What *caused* ...?" is a subject question too when a past-tense verb follows "what";
    # "What site ...?" is not.
    if words[0] != "who" and not (words[0] == "what" and words[1].endswith("ed")):
        return None
    verb_terms = set(terms(words[1]))
    if not verb_terms:
        return None
    for match in _TOKEN.finditer(sentence):
        if verb_terms & set(terms(match.group(0))):
            return match.start()
    return None


def _subject_before(
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
    if any(w.lower() in _AUX | {"be", "been", "being", "to"} for w in words):
        return None  # a verb inside: not the noun phrase before the verb
    if set(terms(text)) & question_terms or not list(terms(text)):
        return None
    begin = sentence.index(text, start)
    return Span(text, begin, begin + len(text))


_OPTIONS = re.compile(
    r"(?:^|,|\b(?:is|was|are|were|it|he|she|they|the)\s)\s*(?P<first>[^,?]{1,40}?),?\s+or\s+"
    r"(?P<second>[^,?]{1,40}?)\s*\??$",
    re.IGNORECASE,
)


def _chosen_option(question: str, sentence: str) -> Span | None:
    """For "Was it X or Y?": the one option the sentence says, as it says it."""
    match = _OPTIONS.search(question.strip())
    if match is None:
        return None
    found = []
    for option in (match.group("first"), match.group("second")):
        bare = re.sub(r"^(?:the|a|an)\s+(?:the\s+)?", "", option.strip(), flags=re.IGNORECASE)
        if not bare:
            continue
        at = re.search(rf"\b{re.escape(bare)}\b", sentence, re.IGNORECASE)
        if at is not None:
            found.append(Span(at.group(0), at.start(), at.end()))
    return found[0] if len(found) == 1 else None


_DEFINED = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\s+(?P<x>.+?)\s*\??$", re.IGNORECASE)
_DESCRIPTION_WORDS = 10


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
