"""Short-answer candidates that are measures and clauses: a time, a number, a reason, a manner.

Offers ``typed_candidates`` (dates, numbers and reasons, narrowed to what was asked: the month
of a date, the age of "How old?") and ``manner_candidates`` (the "by ..." of "How did ...?").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from bot.core.models import QuestionKind
from bot.core.phrases import MONTH_IN, YEAR_IN, Phrase, find_phrases, typed_dates
from bot.core.questions import words_of
from bot.core.span_anchors import (
    ADJACENT_CHARS,
    Reading,
    Span,
    distance,
    phrase_of,
    repeats,
    with_ends,
    word_classes,
)
from bot.core.span_clauses import causes, purposes, time_clauses

_MANNER = re.compile(r"\b(?:by|through|via|using|with)\s+[^,;:.!?\"“”()]+", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?P<n>\d{1,3})(?=-year-old\b|\s+years?\s+old\b)|\b(?:aged?|age\s+of)\s+(?P<m>\d{1,3})\b",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(r"\d{3,4}")
# A bare number reads as a year after these words ("in 1226", "from 1190 to 1210") or before
# a comma or full stop; "1200 homes" is a count whatever the question asks.
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|of|since|by|from|until|till|to|before|after|around|circa|year)|[(–—-])\s*$",
    re.IGNORECASE,
)
_YEAR_END = re.compile(r"\s*(?:[,.;:()–—-]|$)")
_NEXT_WORD = re.compile(r"\s+([a-z][\w'’-]*)")
_NEXT_WORD_CHARS = 2  # the space between two words
_DATE_PARTS = {"year": YEAR_IN, "month": MONTH_IN}


def _reads_as_year(r: Reading, phrase: Phrase) -> bool:
    """True for a bare 3-4 digit number that reads as a year: after "in", "since"... or before
    a comma, full stop or bracket, and not followed by a noun it counts ("1200 homes")."""
    if not _BARE_YEAR.fullmatch(phrase.text):
        return False
    after = r.sentence[phrase.end : phrase.end + 30]
    before = r.sentence[max(0, phrase.start - 12) : phrase.start]
    cued = _YEAR_CUE.search(before) is not None
    following = _NEXT_WORD.match(after)
    word = following.group(1) if following is not None else ""
    # "1200 homes", "500 per day": a count of something; after "in" only a plural noun says
    # so ("in 1226 amid fighting" is a year).
    if word and list(r.terms(word)) and (not cued or word.endswith("s")):
        return False
    return cued or _YEAR_END.match(after) is not None


# "By 1984", "by spring 1602", "by mass": a time or a measure, not a manner.
_TIME_AFTER_BY = re.compile(
    r"^\w+\s+(?:\d|(?:early|late|mid|spring|summer|autumn|fall|winter|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|mass|volume|weight)\b)",
    re.IGNORECASE,
)


def typed_candidates(r: Reading) -> list[Phrase] | Span | None:
    """Dates, numbers and reasons: the phrases ``find_phrases`` finds, narrowed to the ask."""
    found = find_phrases(r.kind, r.sentence, set(r.question_terms), r.terms)
    if r.kind is QuestionKind.DATE:
        found = [_date_part(r.sentence, p, r.type_word) for p in typed_dates(r.type_word, found)]
        found = [_range_end(r, p) for p in found]
    if r.kind is QuestionKind.COUNT and "old" in words_of(r.question):
        # "How old?" is answered by the age itself: "41" of "the 41-year-old".
        ages = [(m, "n" if m.group("n") else "m") for m in _AGE.finditer(r.sentence)]
        found = [Phrase(m.group(g), m.start(g), m.end(g)) for m, g in ages] + found
    if r.kind is QuestionKind.COUNT:
        # "rose from 12 to 20" answers "How many?" with 20, and "By how much did it rise?" whole.
        change = not _CHANGE_WORDS & set(words_of(r.question))
        found = [
            _with_range(r.sentence, p, change)
            for p in found
            if not (change and _changes_from(r.sentence, p))
        ]
        if not {"many", "old"} & set(words_of(r.question)):
            # "How long / far / much?" leaves the unit unsaid: "10 years", "3 miles".
            found = [_with_unit(r, p) for p in found]
    if r.kind is QuestionKind.COUNT and _PERCENT_WORDS & set(words_of(r.question)):
        # "What percentage ...?" is answered by a share, not by a count ("3 million").
        found = [p for p in found if _is_share(r.sentence, p)]
    measure = _MEASURE_UNITS.get(_how_word(r.question) or "")
    if r.kind is QuestionKind.COUNT and measure is not None:
        # "How far ...?" is answered by a distance ("1,200 kilometres"), not a count.
        measured = [p for p in found if measure.search(r.sentence[p.start : p.end + 20])]
        found = measured or found
    if r.kind is QuestionKind.COUNT and _MONEY_WORDS & set(words_of(r.question)):
        # "How much did the dam cost?" is answered by an amount of money when the sentence has one.
        money = [p for p in found if _MONEY.search(p.text)]
        found = money or found
    sure = [p for p in found if not p.weak]
    if r.kind is QuestionKind.DATE and not sure and r.type_word in ("year", "years"):
        # "In what year ...?" - "in 1226": a medieval year is a year too when no other is given.
        sure = [replace(p, weak=False) for p in found if _reads_as_year(r, p)]
    if r.kind is QuestionKind.DATE and not found and r.type_word is None:
        sure = time_clauses(r)
    if r.kind is QuestionKind.REASON and not sure:
        sure = causes(r) or purposes(r)
    if r.kind is QuestionKind.REASON and not sure:
        # "Why was it started?" - "following an armed rebellion": without a "because", a
        # "following" or "after" clause is the reason given, when it is next to the asked verb.
        sure = [
            replace(p, weak=False)
            for p in found
            if r.anchors and distance(p, r.anchors) <= ADJACENT_CHARS
        ]
    return sure


_LENGTH = r"miles?|kilomet(?:er|re)s?|km|met(?:er|re)s?|feet|foot|ft|yards?|inches|inch|cm|mm"
_DURATION = r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century"
_MEASURE_UNITS = {
    "far": re.compile(rf"\b(?:{_LENGTH})\b", re.IGNORECASE),
    "long": re.compile(rf"\b(?:{_LENGTH}|{_DURATION})\b", re.IGNORECASE),
    "tall": re.compile(rf"\b(?:{_LENGTH})\b", re.IGNORECASE),
    "high": re.compile(rf"\b(?:{_LENGTH})\b", re.IGNORECASE),
    "deep": re.compile(rf"\b(?:{_LENGTH})\b", re.IGNORECASE),
}


def _how_word(question: str) -> str | None:
    """The measure after "how" ("far" in "How far ...?"), if any."""
    words = words_of(question)
    return next((b for a, b in itertools.pairwise(words) if a == "how"), None)


_MONEY_WORDS = frozenset(
    """cost costs pay paid pays spend spent sell sold sells worth price priced earn earned
    earns raise raised fund funded funding budget fine fined charge charged money""".split()
)
_MONEY = re.compile(
    r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|yuan|rupees?|francs?)\b", re.IGNORECASE
)
_PERCENT_WORDS = frozenset({"percent", "percentage", "per cent"})
_SHARE_AFTER = re.compile(r"^\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE)


def _is_share(sentence: str, phrase: Phrase) -> bool:
    """True for a percentage: "27%", "25 percent", "3.7 per cent"."""
    said = re.search(r"(?:%|\bpercent|\bper\s+cent)$", phrase.text, re.IGNORECASE)
    return said is not None or _SHARE_AFTER.match(sentence[phrase.end :]) is not None


_YEAR_RANGE = re.compile(r"^(?P<first>\d{3,4})\s*[–—-]\s*(?P<last>\d{2,4})$")
_STARTS = frozenset(
    "born birth begin began begun start started found founded establish established".split()
)
_ENDS = frozenset("die died death end ended close closed dissolve dissolved".split())


def _range_end(r: Reading, phrase: Phrase) -> Phrase:
    """The end of a span of years the question asks for: "When was X born?" of "1919–1980" is
    1919, "When did X die?" is 1980 (a life or a reign is given as its two ends)."""
    match = _YEAR_RANGE.match(phrase.text)
    asked = set(words_of(r.question))
    side = "first" if asked & _STARTS else "last" if asked & _ENDS else None
    if match is None or side is None or len(match.group(side)) < 3:
        return phrase  # "1759-60": the year's last digits alone are no year
    start = phrase.start + match.start(side)
    return Phrase(match.group(side), start, start + len(match.group(side)), phrase.weak)


def manner_candidates(r: Reading) -> list[Phrase] | Span | None:
    """How something was done: "by", "through", "using" phrases that are not times."""
    found = [phrase_of(m) for m in _MANNER.finditer(r.sentence)]
    return [
        p
        for p in found
        if not repeats(p.text, r.question_terms, r.terms) and not _TIME_AFTER_BY.match(p.text)
    ]


# Adverbs in -ly that hedge, count or date a statement rather than say how it was done.
_NOT_MANNER = frozenset(
    """generally usually also only really largely mostly nearly currently recently previously
    finally initially eventually likely early actually especially particularly simply certainly
    probably possibly apparently reportedly allegedly typically frequently rarely immediately
    subsequently originally already partly fully merely roughly approximately relatively
    increasingly widely highly clearly directly newly formerly lately shortly daily weekly
    monthly yearly annually ultimately temporarily permanently briefly entirely completely
    totally partially slightly""".split()
)
_ADVERB = re.compile(r"\b(?:(?:more|less|most|least)\s+)?(?P<word>[a-z]{3,}ly)\b")


def manner_adverbs(r: Reading) -> list[Phrase]:
    """ "How should the land be owned?" - "should be *socially* owned": an adverb in -ly
    right next to one of the question's words (its verb): the last resort for "how"."""
    out = []
    ends = with_ends(r.sentence, r.anchors)  # "died *unexpectedly*": next to the verb's end
    for match in _ADVERB.finditer(r.sentence):
        word = match.group("word")
        if word in _NOT_MANNER or set(r.terms(word)) & r.question_terms:
            continue
        if not r.anchors or distance(phrase_of(match), ends) > _NEXT_WORD_CHARS:
            continue
        if {"ADJ", "NOUN", "VERB"} & word_classes(word):
            continue  # "family", "only", "early", "supply": not (only) a manner
        if _qualified(r.sentence[: match.start()]):
            continue  # "has not publicly responded", "almost entirely destroyed"
        out.append(phrase_of(match))
    return out


def _qualified(before: str) -> bool:
    """True when the word before an adverb negates or grades it ("not", "never", "almost")."""
    last = before.rstrip()[-20:].split()[-1:]
    if not last:
        return False
    word = last[0].lower()
    if word.endswith(("n't", "n’t")):
        return True
    classes = word_classes(word)
    return "ADV" in classes and not {"AUX", "VERB"} & classes


def _date_part(sentence: str, phrase: Phrase, type_word: str | None) -> Phrase:
    """The part of a date a question asks for: the month of "March 3, 2014" for "what month"."""
    pattern = _DATE_PARTS.get(type_word or "")
    if pattern is None or phrase.weak:
        return phrase
    part = pattern.search(phrase.text)
    rest = pattern.sub("", phrase.text)
    if part is None or not re.sub(r"\b(?:and|to|or|in|of|on)\b|[\s,–-]", "", rest):
        return phrase  # only what was asked already: "2020 and 2021" for "which year"
    start = phrase.start + part.start()
    return Phrase(sentence[start : start + len(part.group(0))], start, start + len(part.group(0)))


_RANGE_BEFORE = re.compile(r"(?:\bbetween\s+)?\d[\d,.]*%?\s*(?:–|—|-|to|and)\s*$", re.IGNORECASE)
_RANGE_AFTER = re.compile(
    r"^\s*(?:–|—|-|to)\s*\d+(?:[,.]\d+)*(?:\s+(?:million|billion|thousand|hundred))?%?",
    re.IGNORECASE,
)
_UNIT = re.compile(r"^\s+([A-Za-z][a-z]+)\b(?:\s+per\s+[a-z]+\b)?")
_RATE = re.compile(r"^\s+per\s+[a-z]+\b")  # "$9 per crate": a rate's unit
_RANGE_CHARS = 30  # "between 1,400,000 and ": how far back a range's first end may start
_WEIGHT = r"tons?|tonnes?|kilo(?:gram)?s?|kg|grams?|g|lbs?|ounces?|oz|carats?"
_OTHER = (
    r"(?:nano|micro|milli|centi|kilo)met(?:er|re)s?|acres?|hectares?|ha|litres?|liters?|"
    r"gallons?|barrels?|mph|knots?|nm|degrees?|kelvins?|celsius|fahrenheit|daltons?|da|"
    r"watts?|kw|mw|gw|volts?|bytes?|kb|mb|gb|tb|calories?|times"
)
_CURRENCY = r"dollars?|pounds?|euros?|yen|yuan|rupees?|francs?|cents?|pence"
# The words a number's unit may be (a shared measure or money word): "500 per day" and "3 new"
# have none, so the number stands alone.
_UNIT_WORD = re.compile(rf"{_LENGTH}|{_DURATION}|{_WEIGHT}|{_OTHER}|{_CURRENCY}", re.IGNORECASE)


_CHANGE_VERBS = (
    r"rose|risen|rises?|rising|fell|fallen|falls?|falling|increased?|increases|increasing|grew|"
    r"grown|grows?|growing|dropped|drops?|climbed|climbs?|jumped|declined|decreased|soared|"
    r"surged|doubled|tripled|swelled|shrank|went|gone|up|down|cut|raised|reduced|changed"
)
# "The toll rose from 12 to 20": a change names the old and the new count, not a range.
_CHANGE_FROM = re.compile(rf"\b(?:{_CHANGE_VERBS})\b[^,;.]{{0,25}}\bfrom\s+$", re.IGNORECASE)
_CHANGE_TO = re.compile(rf"\b(?:{_CHANGE_VERBS})\b[^,;.]{{0,25}}\bfrom\s+\S+\s+to\s+$", re.I)
_TO_NUMBER = re.compile(r"^\s+to\s+\d")
_CHANGE_WORDS = frozenset(
    """change changed changes increase increased increases rise rose risen grow grew grown
    fall fell fallen drop dropped decline declined decrease decreased go went""".split()
)


def _changes_from(sentence: str, phrase: Phrase) -> bool:
    """True for the old count of a change ("rose *from 12* to 20")."""
    before = sentence[max(0, phrase.start - 60) : phrase.start]
    return (
        _CHANGE_FROM.search(before) is not None
        and _TO_NUMBER.match(sentence[phrase.end :]) is not None
    )


def _with_range(sentence: str, phrase: Phrase, change: bool = False) -> Phrase:
    """A number with the other end of its range: "30–60%" rather than "60%" (the range is
    what the sentence says; either end alone would be a number it does not give). With
    ``change``, the new count of a change ("rose from 12 to *20*") stands alone."""
    start, end = phrase.start, phrase.end
    window = max(0, start - _RANGE_CHARS)
    before = _RANGE_BEFORE.search(sentence[window:start])
    if change and _CHANGE_TO.search(sentence[max(0, start - 80) : start]):
        before = None  # "from 12 to *20*": a change, no range; its end is the count now
    if before is not None:
        start = window + before.start()
    after = _RANGE_AFTER.match(sentence[end:])
    if after is not None:
        end += after.end()
    if (start, end) == (phrase.start, phrase.end):
        return phrase
    return Phrase(sentence[start:end], start, end, phrase.weak)


def _with_unit(r: Reading, phrase: Phrase) -> Phrase:
    """A measure with its unit: "10 years", "25 nm", "$12 per tonne", "3 times"."""
    rest = r.sentence[phrase.end : phrase.end + 40]
    unit = _RATE.match(rest) or _UNIT.match(rest)
    if unit is None or phrase.text.endswith("%"):
        return phrase
    if unit.re is _UNIT and not _UNIT_WORD.fullmatch(unit.group(1)):
        return phrase  # "500 per day", "3 new", "377 unbroken": not a unit
    word = unit.group(1) if unit.re is _UNIT else unit.group(0)
    if set(r.terms(word)) & r.question_terms:
        return phrase  # "how many *miles*": the question already says the unit
    said = set(r.terms(unit.group(0)[unit.end(1) :])) if unit.re is _UNIT else set()
    # "8 tonnes per acre" for "... per acre?": the rate the question gives is no answer
    end = phrase.end + (unit.end(1) if said & r.question_terms else unit.end())
    return Phrase(r.sentence[phrase.start : end], phrase.start, end, phrase.weak)
