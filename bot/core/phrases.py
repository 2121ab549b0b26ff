"""Answer phrases in a sentence: numbers, dates, names, places and reasons of the kind a
question asks for, as spans of the sentence (``sentence[start:end] == text``).

Plain string work on one sentence: no index, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.lexicon import NATIONALITIES
from bot.core.models import QuestionKind
from bot.core.questions import Terms
from retrieval.acronyms import OPENERS


@dataclass(frozen=True)
class Phrase:
    """An answer phrase found in a sentence: ``sentence[start:end] == text``."""

    text: str
    start: int
    end: int
    weak: bool = False  # evidence of the kind, but too unsure to show as the answer


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half"
)
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion|percent|per\s+cent))?"
_DATE_PATTERNS = [
    # "October 1981", "December 31", "31 December 2023", "March 4, 1974"
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?\b",
    rf"\b(?:on\s+)?(?:{_WEEKDAYS})\b",
    r"\b(?:early|mid|late)?-?\s?(?:1\d|20)\d{2}s?\b(?:\s*(?:-|–|to|and)\s*(?:1\d|20)?\d{2}\b)?",
    r"\b\d{1,2}(?:st|nd|rd|th)\s+century\b",
    r"\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s+)?(?:decades?|years?|months?|weeks?|days?)\s+ago\b",
    r"\b(?:last|next|this)\s+(?:year|month|week|summer|winter|spring|autumn|fall)\b",
    r"\b(?:in\s+the\s+)?(?:summer|winter|spring|autumn)\b",
    r"\b(?:yesterday|today|tomorrow)\b",
]
_DATE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)
_YEAR = re.compile(r"(?:1[5-9]|20)\d{2}")
# "decade-long", "a decade", "two years": how long something lasted.
_DURATION = re.compile(
    r"\b(?:decade|century|year|month|week|day|hour)s?-long\b"
    r"|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
    r"(?:decades?|centuries|century|years?|months?|weeks?|days?|hours?)\b",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(rf"^(?:{_MONTHS})$", re.IGNORECASE)
_NUMBER = re.compile(
    rf"(?:(?:US|A|C)?[$£€¥]\s?)?\b\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?{_SCALE}%?"
    rf"|(?:(?:US|A|C)?[$£€¥]\s?)?\b\d+(?:\.\d+)?{_SCALE}(?:%|\b)"
    rf"|\b(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*(?:\s+(?:percent|per\s+cent))?\b",
    re.IGNORECASE,
)
# A capitalised name: capitalised words, allowing short joiners inside ("Bank of England").
_NAME = re.compile(
    r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|de|du|la|von|van|and|for|al|bin|el)\s+)*[A-Z][\w'’.-]*)*"
)
_NAME_JOINT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:of|and|or|for)\s+(?:the\s+)?")
_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_PLACE_PREPOSITIONS = re.compile(
    r"\b(?:in|at|from|near|to|into|across|outside|inside|throughout|of)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of|thanks\s+to|since|"
    r"citing|following|followed|after|in\s+order\s+to|so\s+that|for\s+fear\s+of|amid|over\s+concerns?)\b"
    r"[^.;:!?,]*",
    re.IGNORECASE,
)
# "Attacks surged, prompting France's withdrawal": the cause is the clause before the verb.
_CAUSE_BEFORE = re.compile(
    r"(?:^|(?<=[,;:]))\s*(?P<cause>[^,;:]{12,}?),\s*(?:prompting|leading\s+to|forcing|causing|"
    r"triggering|resulting\s+in|which\s+(?:led|prompted|forced|caused)|sparking)\b",
    re.IGNORECASE,
)
_WEAK_REASONS = frozenset({"following", "followed", "after", "since", "amid"})
_DEFINITION_CUES = re.compile(
    r"\b(?:known\s+as|named|called|(?:is|was|are|were)\s+(?:an?|the)|refers\s+to|means)\b",
    re.IGNORECASE,
)
# Capitalised words that are not names: sentence openers and calendar words.
_NOT_NAMES = OPENERS | frozenset(_MONTHS.lower().split("|"))


def find_phrases(
    kind: QuestionKind, sentence: str, question_terms: set[str], terms: Terms
) -> list[Phrase]:
    """Phrases of the expected answer kind in a sentence, best first; none made of question words.

    ``terms`` turns text into index terms (the tokenizer), so that a phrase whose words the
    question already holds ("Mali" in "Where is Mali's ...") is not offered as its answer.
    """
    if kind is QuestionKind.COUNT:
        found = _numbers(sentence)
    elif kind is QuestionKind.DATE:
        found = _dates(sentence)
    elif kind is QuestionKind.PERSON:
        found = _names(sentence)
    elif kind is QuestionKind.PLACE:
        found = _places(sentence)
    elif kind is QuestionKind.REASON:
        found = _reasons(sentence)
    else:
        return []
    if kind in (QuestionKind.PERSON, QuestionKind.PLACE):
        # A name answers only if it is not (part of) a name the question holds: from
        # "Marta Oleson of Norway" the answer to "Where was Oleson born?" is "Norway".
        return [p for p in _with_parts(found) if not set(terms(p.text)) & question_terms]
    return [p for p in found if _is_new(p.text, question_terms, terms)]


def _with_parts(phrases: list[Phrase]) -> list[Phrase]:
    """Each name, followed by its parts where it joins several ("X of Y", "X and Y")."""
    out: list[Phrase] = []
    for phrase in phrases:
        out.append(phrase)
        pos = 0
        pieces = _NAME_JOINT.split(phrase.text)
        if len(pieces) > 1:
            for piece in pieces:
                offset = phrase.text.index(piece, pos)
                pos = offset + len(piece)
                if piece and piece[0].isupper():
                    start = phrase.start + offset
                    out.append(Phrase(piece, start, start + len(piece), weak=phrase.weak))
    return out


def _is_new(text: str, question_terms: set[str], terms: Terms) -> bool:
    """True when a phrase says something the question does not already say."""
    own = set(terms(text))
    if not own:
        # Stop-word-only phrases ("one", "half") still answer "how many"; keep them.
        return True
    return not own <= question_terms


def _span(match: re.Match[str]) -> Phrase:
    text = match.group(0).strip(" ,")
    start = match.start() + match.group(0).find(text)
    return Phrase(text=text, start=start, end=start + len(text))


def _numbers(sentence: str) -> list[Phrase]:
    phrases = [_span(m) for m in _NUMBER.finditer(sentence)]
    phrases = [p for p in phrases if p.text and p.text.lower() not in {"one", "half"}]
    # A bare year answers "when", rarely "how many": weak evidence, offered last.
    phrases = [Phrase(p.text, p.start, p.end, weak=bool(_YEAR.fullmatch(p.text))) for p in phrases]
    durations = [_span(m) for m in _DURATION.finditer(sentence)]
    return sorted(phrases + durations, key=lambda p: p.weak)


def _dates(sentence: str) -> list[Phrase]:
    phrases = []
    for match in _DATE.finditer(sentence):
        phrase = _span(match)
        if _MONTH_ONLY.match(phrase.text) and (
            phrase.text[0].islower() or phrase.text in {"May", "March"}
        ):
            continue  # a bare "may" or "march" is usually a verb
        if phrase.text:
            phrases.append(phrase)
    # Longer phrases ("October 1981") say more than a bare weekday.
    return sorted(phrases, key=lambda p: -len(p.text))


def names_in(sentence: str) -> list[str]:
    """The proper names a sentence mentions (capitalised runs, openers trimmed), in order."""
    found = [_trim_name(m) for m in _NAME.finditer(sentence)]
    return [p.text for p in found if p is not None and p.text.lower() not in NATIONALITIES]


def _names(sentence: str) -> list[Phrase]:
    phrases = []
    for match in _NAME.finditer(sentence):
        phrase = _trim_name(match)
        if phrase is not None:
            phrases.append(phrase)
    phrases = _join_lists(sentence, phrases)
    # A lone nationality word ("French troops") says who only loosely: weak evidence.
    phrases = [
        Phrase(p.text, p.start, p.end, weak=True) if p.text.lower() in NATIONALITIES else p
        for p in phrases
    ]
    # Lists and multi-word names are more likely the answer than a lone capitalised word.
    return sorted(phrases, key=lambda p: (p.weak, -len(p.text.split())))


def _join_lists(sentence: str, phrases: list[Phrase]) -> list[Phrase]:
    """Names in a list ("Mali, Niger, and Burkina Faso") joined into one phrase."""
    out: list[Phrase] = []
    for phrase in phrases:
        if out and _LIST_GAP.fullmatch(sentence[out[-1].end : phrase.start]):
            first = out.pop()
            out.append(Phrase(sentence[first.start : phrase.end], first.start, phrase.end))
        else:
            out.append(phrase)
    return out


def _trim_name(match: re.Match[str]) -> Phrase | None:
    """A name match without leading non-name words ("The", "In"); None if nothing is left."""
    words = match.group(0).split()
    start = match.start()
    while words and words[0].strip("’'.,").lower() in _NOT_NAMES:
        start = match.string.find(words[0], start) + len(words[0])
        start += len(match.string[start:]) - len(match.string[start:].lstrip())
        words = words[1:]
    if not words:
        return None
    # Slice the sentence itself: the words may be joined by a line break or a no-break space,
    # and the phrase must stay ``sentence[start:end]``.
    end = match.end()
    while end > start and match.string[end - 1] in ".’'":
        end -= 1
    if match.string.endswith(("’s", "'s"), start, end):
        end -= 2
    if end <= start:
        return None
    return Phrase(text=match.string[start:end], start=start, end=end)


def _places(sentence: str) -> list[Phrase]:
    names = _names(sentence)
    after_preposition = [p for p in names if _PLACE_PREPOSITIONS.search(tail(sentence, p.start))]
    cued = {(p.start, p.end) for p in after_preposition}
    others = [p for p in names if (p.start, p.end) not in cued]
    return after_preposition + others


def _reasons(sentence: str) -> list[Phrase]:
    found = [_span(m) for m in _REASON.finditer(sentence) if len(m.group(0).split()) >= 2]
    for match in _CAUSE_BEFORE.finditer(sentence):
        cause = re.sub(r"^(?:but|and|so|yet|then)\s+", "", match.group("cause").strip(), flags=re.I)
        start = match.start("cause") + match.group("cause").find(cause)
        found.append(Phrase(cause, start, start + len(cause)))
    # "because" and "due to" state a reason outright; "after" and "following" may only be time.
    marked = [
        Phrase(p.text, p.start, p.end, weak=p.text.split()[0].lower() in _WEAK_REASONS)
        for p in found
    ]
    return sorted(marked, key=lambda p: p.weak)


def has_definition_cue(sentence: str) -> bool:
    """True when a sentence defines or names something ("known as", "is a", "named")."""
    return _DEFINITION_CUES.search(sentence) is not None


# Which date phrases answer "what year / month / day": others are only weak evidence.
YEAR_IN = re.compile(r"\b(?:1[5-9]|20)\d{2}s?\b")
MONTH_IN = re.compile(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)
_DAY_IN = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?|{_WEEKDAYS}|yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)
_DATE_TYPES: dict[str, re.Pattern[str]] = {
    "year": YEAR_IN,
    "years": YEAR_IN,
    "month": MONTH_IN,
    "date": re.compile(
        rf"{MONTH_IN.pattern}|\b\d{{1,2}}(?:st|nd|rd|th)?\b|{YEAR_IN.pattern}", re.IGNORECASE
    ),
    "day": _DAY_IN,
    "season": re.compile(r"\b(?:summer|winter|spring|autumn|fall)\b", re.IGNORECASE),
}


def typed_dates(type_word: str | None, phrases: list[Phrase]) -> list[Phrase]:
    """Date phrases with those that do not give what "which year/month/day" asks marked weak."""
    pattern = _DATE_TYPES.get(type_word or "")
    if pattern is None:
        return phrases
    marked = [
        Phrase(p.text, p.start, p.end, weak=p.weak or not pattern.search(p.text)) for p in phrases
    ]
    return sorted(marked, key=lambda p: p.weak)


_TAIL_CHARS = 60  # "outside the old ": room for the words a cue before a name is made of


def tail(sentence: str, end: int) -> str:
    """The last words of ``sentence[:end]``, cut at a space, for a regex anchored at its end:
    on the whole prefix such a regex rescans it for each name (quadratic in a long sentence)."""
    start = max(0, end - _TAIL_CHARS)
    if start > 0:
        space = sentence.find(" ", start, end)
        start = end if space < 0 else space
    return sentence[start:end]
