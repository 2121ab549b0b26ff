"""Reading a question: its kind, its content words, what it asks about, small talk.

Plain string work on one question: no index, no I/O. The rules are about English question
forms in general (``how many`` wants a number, ``when`` a date, ``who`` a name), never about
particular articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.core.models import QuestionKind

# Text to index terms: the index's tokenizer (``Tokenizer.tokenize``).
Terms = Callable[[str], Iterable[str]]

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
_VAGUE_NOUNS = frozenset(
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
# Words that stand for someone already named: "Who is he?" asks what he is.
_POINTERS = frozenset("he she they it this that him her them".split())
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
_POLITE = frozenset(
    """there you very much so a lot good the bot qabot again all for it that's that is
    really how are doing :) please""".split()
)

SmalltalkKind = str  # one of "empty", "greeting", "thanks", "farewell", "help"


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
    named = {w.lower() for w in _WORD.findall(question)[1:] if w[:1].isupper()}
    for i, word in enumerate(words):
        kind = _kind_at(words, i, text, named)
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


def _kind_at(words: list[str], i: int, text: str, named: set[str]) -> QuestionKind | None:
    """The kind signalled by a wh-word at position ``i`` (None if ``words[i]`` is not one).

    ``named`` holds the question's capitalised words past the first, lower-cased.
    """
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
        return QuestionKind.DEFINITION if _is_definition(text, word, named) else QuestionKind.PERSON
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
        if _MEANING.match(rest) or _is_definition(rest, word, named):
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
    return None if word in _VAGUE_NOUNS else word


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


def _is_definition(text: str, word: str, named: set[str]) -> bool:
    """True for "what is X" / "who was X" with a short X and no second verb phrase.

    "Who" defines only a name or a pronoun ("Who is Lena Moss?", "Who is he?"); "Who was the
    star?" or "Who was killed?" asks for a person, whose name answers it.
    """
    match = _DEFINITION.match(text[text.find(word) :] if word in text else text)
    if not match:
        return False
    subject = match.group("subject").split()
    if not 0 < len(subject) <= 4 or set(subject) & _AUXILIARIES:
        return False
    if word == "who" and subject[0] in _PERSON_NOUNS:
        return False  # "Who is President of Chile?": a role, which a name fills
    return word != "who" or bool(set(subject) & (named | _POINTERS))
