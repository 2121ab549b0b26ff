"""Short-answer candidates that are measures and clauses: a time, a number, a reason, a manner.

Offers ``typed_candidates`` (dates, numbers and reasons, narrowed to what was asked: the month
of a date, the age of "How old?") and ``manner_candidates`` (the "by ..." of "How did ...?").
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.models import QuestionKind
from bot.core.phrases import MONTH_IN, YEAR_IN, Phrase, find_phrases, typed_dates
from bot.core.questions import words_of
from bot.core.span_anchors import ADJACENT_CHARS, Reading, Span, distance, phrase_of, repeats

_MANNER = re.compile(r"\b(?:by|through|via|using|with)\s+[^,;:.!?\"“”()]+", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?P<n>\d{1,3})(?=-year-old\b|\s+years?\s+old\b)|\b(?:aged?|age\s+of)\s+(?P<m>\d{1,3})\b",
    re.IGNORECASE,
)
_DATE_PARTS = {"year": YEAR_IN, "month": MONTH_IN}
# "By 1971", "by autumn 1347", "by mass": a time or a measure, not a manner.
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
    if r.kind is QuestionKind.COUNT and "old" in words_of(r.question):
        # "How old?" is answered by the age itself: "17" of "the 17-year-old".
        ages = [(m, "n" if m.group("n") else "m") for m in _AGE.finditer(r.sentence)]
        found = [Phrase(m.group(g), m.start(g), m.end(g)) for m, g in ages] + found
    sure = [p for p in found if not p.weak]
    if r.kind is QuestionKind.REASON and not sure:
        # "Why was it started?" - "following an armed rebellion": without a "because", a
        # "following" or "after" clause is the reason given, when it is next to the asked verb.
        sure = [
            replace(p, weak=False)
            for p in found
            if r.anchors and distance(p, r.anchors) <= ADJACENT_CHARS
        ]
    return sure


def manner_candidates(r: Reading) -> list[Phrase] | Span | None:
    """How something was done: "by", "through", "using" phrases that are not times."""
    found = [phrase_of(m) for m in _MANNER.finditer(r.sentence)]
    return [
        p
        for p in found
        if not repeats(p.text, r.question_terms, r.terms) and not _TIME_AFTER_BY.match(p.text)
    ]


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
