"""Reading a question: its kind, its content words, and answer phrases of that kind in a sentence.

Everything here is plain string work on one question or one sentence: no index, no I/O. The
rules are about English question forms in general (``how many`` wants a number, ``when`` a
date, ``who`` a name), never about particular articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.lexicon import NATIONALITIES
from bot.core.models import QuestionKind

# Words that open a yes/no question ("Did France leave?").
_AUXILIARIES = frozenset(
    "is are was were am do does did can could has have had will would should shall may might "
    "must".split()
)
# Head nouns after what/which that ask for a number, a date, a person or a place.
_COUNT_NOUNS = frozenset(
    """number amount percentage percent proportion share price cost population size total
    rate sum fee salary budget value temperature distance height length weight age score
    figure count""".split()
)
_DATE_NOUNS = frozenset("year years date day month time century decade era period season".split())
_PERSON_NOUNS = frozenset(
    """person people man men woman women king queen president leader author writer player
    company organisation organization group team party minister general emperor official
    scientist artist singer actor founder ruler pope bishop architect composer engineer
    officer commander chairman director chief head body agency name names""".split()
)
_PLACE_NOUNS = frozenset(
    """country countries city cities region regions place places town towns state states
    continent area location island river province nation nations village capital county
    district street building site sites camp camps ocean sea mountain""".split()
)
_TYPE_NOUNS = _COUNT_NOUNS | _DATE_NOUNS | _PERSON_NOUNS | _PLACE_NOUNS
_GENERAL_NOUNS = frozenset(
    """name names type kind sort term number amount part example purpose role one ones thing
    things way ways reason result main first last other same""".split()
)
# Quantity adjectives after "how" ("how long", "how old") ask for a number too.
HOW_QUANTITY = frozenset(
    "many much long old far big large tall high wide deep heavy often fast".split()
)
_WH_WORDS = frozenset("what which who whom whose when where why how".split())
_REASON_OPENERS = (
    "why",
    "how come",
    "for what reason",
    "what caused",
    "what causes",
    "what made",
    "what makes",
    "what led",
    "what triggered",
    "what triggers",
    "what sparked",
    "what drove",
    "what forced",
    "what leads",
    "what prompted",
    "what was the reason",
    "what is the reason",
    "what were the reasons",
    "what are the reasons",
)
_DEFINITION = re.compile(
    r"^(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<subject>[^?]{1,60}?)\s*\??$"
)
_MEANING = re.compile(
    r"^(?:what\s+(?:does|did)\s+.+\s+(?:mean|stand\s+for)|define\s+.+|what\s+is\s+meant\s+by\s+.+"
    # "What was the operation called?": asks for a name, as "what is X" does.
    r"|what\s+(?:is|was|are|were)\s+.+\s+(?:called|named|known\s+as|dubbed))"
)
# Leading words of a conversational question that carry no meaning ("And when ...", "So why ...").
_FILLER = re.compile(r"^(?:and|so|but|ok|okay|also|then|well|now|right)\b[\s,]*", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")

_GREETINGS = frozenset(
    """hi hello hey hiya howdy yo greetings morning evening afternoon sup hallo""".split()
)
_THANKS = frozenset("thanks thank thx ty cheers great cool nice ok okay awesome perfect".split())
_FAREWELLS = frozenset("bye goodbye cya later farewell".split())
_HELP = frozenset("help ? usage commands".split())
_POLITE = frozenset(
    """there you very much so a lot good the bot qabot again all for it that's that is
    really how are doing :) please""".split()
)

SmalltalkKind = str  # one of "empty", "greeting", "thanks", "farewell", "help"


@dataclass(frozen=True)
class Phrase:
    """An answer phrase found in a sentence: ``sentence[start:end] == text``."""

    text: str
    start: int
    end: int
    weak: bool = False  # evidence of the kind, but too unsure to show as the answer


def strip_filler(question: str) -> str:
    """The question without leading conversational words such as "and" or "so"."""
    text = question.strip()
    while True:
        trimmed = _FILLER.sub("", text, count=1)
        if trimmed == text:
            return text
        text = trimmed


def words_of(text: str) -> list[str]:
    """The words of a text, lower-cased, apostrophes straightened."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def smalltalk(question: str) -> SmalltalkKind | None:
    """Which small-talk a message is (greeting, thanks, farewell, help, empty), or None."""
    words = words_of(question)
    if not words:
        return "empty" if not question.strip() or not re.search(r"\w", question) else None
    if len(words) > 6:
        return None
    head, rest = words[0], set(words[1:])
    if head in {"help", "usage"} or words in (
        ["what", "can", "you", "do"],
        ["how", "does", "this", "work"],
    ):
        return "help"
    allowed = _POLITE | _GREETINGS | _THANKS | _FAREWELLS
    if not rest <= allowed:
        return None
    if head in _GREETINGS or words[:2] == ["good", "morning"] or words[:2] == ["good", "evening"]:
        return "greeting"
    if head in _THANKS or words[:2] == ["thank", "you"]:
        return "thanks"
    if head in _FAREWELLS or words[:2] == ["see", "you"]:
        return "farewell"
    return None


def classify(question: str) -> QuestionKind:
    """The kind of answer a question asks for, from its wording alone."""
    if smalltalk(question) is not None:
        return QuestionKind.SMALLTALK
    text = " ".join(_expand_clitics(words_of(strip_filler(question))))
    words = text.split()
    if not words:
        return QuestionKind.OTHER
    # A question word is usually first, but "In what year ...", "By when ..." and
    # "The mission ended when?" put it later: look at the first wh-word.
    for i, word in enumerate(words):
        kind = _kind_at(words, i, text)
        if kind is not None:
            return kind
        if word in _AUXILIARIES and i == 0:
            return QuestionKind.YESNO
    return QuestionKind.OTHER


_CLITICS = {"s": "is", "re": "are", "d": "did", "ll": "will"}


def _expand_clitics(words: list[str]) -> list[str]:
    """A question word's contraction read in full: "where's" is "where is"."""
    out: list[str] = []
    for word in words:
        base, _, clitic = word.partition("'")
        if base in _WH_WORDS and clitic in _CLITICS:
            out += [base, _CLITICS[clitic]]
        else:
            out.append(word)
    return out


def _kind_at(words: list[str], i: int, text: str) -> QuestionKind | None:
    """The kind signalled by a wh-word at position ``i`` (None if ``words[i]`` is not one)."""
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    rest = " ".join(words[i:])
    if word == "why" or any(rest.startswith(opener) for opener in _REASON_OPENERS):
        return QuestionKind.REASON
    if word == "when":
        return QuestionKind.DATE
    if word == "where":
        return QuestionKind.PLACE
    if word in {"who", "whom", "whose"}:
        return QuestionKind.DEFINITION if _is_definition(text, word) else QuestionKind.PERSON
    if word == "how":
        if nxt in HOW_QUANTITY:
            return QuestionKind.DATE if nxt == "long" and "ago" in words else QuestionKind.COUNT
        return QuestionKind.OTHER
    if word in {"what", "which"}:
        heads = _head_nouns(words[i + 1 :])
        if heads & _DATE_NOUNS:
            return QuestionKind.DATE
        if heads & _COUNT_NOUNS:
            return QuestionKind.COUNT
        if heads & _PLACE_NOUNS:
            return QuestionKind.PLACE
        if heads & _PERSON_NOUNS:
            return QuestionKind.PERSON
        if _MEANING.match(rest) or _is_definition(rest, word):
            return QuestionKind.DEFINITION
        return QuestionKind.OTHER
    return None


def answer_type_word(question: str) -> str | None:
    """The noun right after what/which that names the kind of answer ("which *year*"), if any.

    Such a word describes the answer rather than the topic: the sentence that says
    "in 2013" need not say "year".
    """
    words = words_of(strip_filler(question))
    for i, word in enumerate(words):
        if word in {"what", "which"}:
            after = [w for w in words[i + 1 : i + 3] if w not in {"the", "a", "an"}]
            if after and after[0] in _TYPE_NOUNS:
                return after[0]
            return None
    return None


_NAMING = re.compile(
    r"\b(?:what|which)(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:(?P<how>full|official|real|proper|formal|complete|whole)\s+)?"
    r"(?P<what>name|names|term|title|abbreviation|acronym|meaning|definition)\s+(?:of|for)\b"
)


def naming_words(question: str) -> set[str]:
    """Words that ask for a name rather than name the topic: "full", "name" in
    "What is the full name of MINUSMA?" (the answer need not say "name")."""
    match = _NAMING.search(" ".join(words_of(strip_filler(question))))
    if match is None:
        return set()
    return {w for w in (match.group("how"), match.group("what")) if w}


def focus_word(question: str) -> str | None:
    """The noun a question asks about: "how many *goals*", "what is the *capital* of ..."."""
    words = words_of(strip_filler(question))
    for i, word in enumerate(words[:-1]):
        if word == "how" and words[i + 1] in {"many", "much"}:
            after = [w for w in words[i + 2 : i + 4] if w not in {"of", "the", "a", "an"}]
            return _specific(after[0]) if after and after[0] not in _AUXILIARIES else None
        # "What is the capital of ...", also "Which city is the capital of ...".
        copula = i + 2 if word == "which" and i + 2 < len(words) else i + 1
        if word in {"what", "who", "which"} and words[copula] not in {"is", "was", "are", "were"}:
            copula = i + 1
        if word in {"what", "who", "which"} and words[copula] in {"is", "was", "are", "were"}:
            rest = words[copula + 1 : copula + 5]
            if len(rest) >= 3 and rest[0] == "the" and rest[2] in {"of", "in", "for"}:
                return _specific(rest[1])
            return None
    return None


def _specific(word: str) -> str | None:
    """A focus word unless it is too general to say what the question is about."""
    return None if word in _GENERAL_NOUNS else word


def _head_nouns(after: list[str]) -> set[str]:
    """The first few words after what/which, skipping an article: where a head noun sits."""
    skipped = {"the", "a", "an", "kind", "type", "sort", "of", "his", "her", "its", "their"}
    words = [w for w in after[:5] if w not in skipped]
    # "What is the capital ..." puts the head after a copula; "What year did ..." right away;
    # "What did the head ..." has no head noun: the auxiliary starts a clause.
    if words and words[0] in {"is", "are", "was", "were"}:
        words = words[1:]
    elif words and words[0] in _AUXILIARIES:
        return set()
    return set(words[:2])


def _is_definition(text: str, word: str) -> bool:
    """True for "what is X" / "who was X" with a short X and no second verb phrase."""
    match = _DEFINITION.match(text[text.find(word) :] if word in text else text)
    if not match:
        return False
    subject = match.group("subject").split()
    return 0 < len(subject) <= 4 and not (set(subject) & _AUXILIARIES)


# --- answer phrases -----------------------------------------------------------------------

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
    # "October 1973", "December 31", "31 December 2023", "March 4, 1974"
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
_NOT_NAMES = frozenset(
    (
        "The A An In On At By For From With After Before During Despite Although While When "
        "Where Who Why How What Which This That These Those It Its Their They He She His Her "
        "We Our I As Of And But Or If Since Following Initially Originally Meanwhile However "
        f"{_MONTHS.replace('|', ' ')} {_WEEKDAYS.replace('|', ' ')}"
    ).split()
)

# Text to index terms: the index's tokenizer (``Tokenizer.tokenize``).
Terms = Callable[[str], Iterable[str]]


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
        # "Friedrich Ratzel of Germany" the answer to "Where was Ratzel born?" is "Germany".
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
    # Longer phrases ("October 1973") say more than a bare weekday.
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
    while words and words[0].strip("’'.,") in _NOT_NAMES:
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
    after_preposition = [p for p in names if _PLACE_PREPOSITIONS.search(sentence[: p.start])]
    others = [p for p in names if p not in after_preposition]
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
_YEAR_IN = re.compile(r"\b(?:1[5-9]|20)\d{2}s?\b")
_MONTH_IN = re.compile(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)
_DAY_IN = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?|{_WEEKDAYS}|yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)
_DATE_TYPES: dict[str, re.Pattern[str]] = {
    "year": _YEAR_IN,
    "years": _YEAR_IN,
    "month": _MONTH_IN,
    "date": re.compile(
        rf"{_MONTH_IN.pattern}|\b\d{{1,2}}(?:st|nd|rd|th)?\b|{_YEAR_IN.pattern}", re.IGNORECASE
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
