"""Acronyms and their expansions, learned from the articles themselves.

Two general conventions of written English: a long name followed by its short form in
brackets ("Economic Community of West African States (ECOWAS)", or the reverse, "MINUSMA
(Multidimensional Integrated Stabilisation Mission)"), and a short form made of the initials
of a capitalised name ("United Nations" -> "UN") that the articles also use. Plain string
work, no I/O. The index builder finds each document's pairs once (``find_acronyms``, in the
worker that reads the file) and the cache keeps them per document, so a changed corpus re-reads
only its changed files; the merged table (``Acronyms.merged``) comes to the chat with the index.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

# Short words inside a name: "Bank *of* England", "Alliance *of* Sahel States".
JOINERS = frozenset("of the and for on in to de du des la le al".split())
# Capitalised words that open a sentence or a clause rather than a name (lower-cased); the
# one list of them, also used to trim answer phrases.
OPENERS = frozenset(
    """the a an in on at by for from with after before during despite although while when
    where who why how what which this that these those it its their they he she his her we
    our i as of and but or if since following initially originally meanwhile however also
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# A short form: 2-10 capitals, digits or "&", optionally dotted ("U.N.") or plural ("NGOs").
_SHORT = re.compile(r"^(?:[A-Z](?:\.?[A-Z0-9&]){1,9}\.?)s?$")
_WORD = re.compile(r"[A-Za-z][\w'’&.-]*|\(|\)|[^\w\s]")
_BRACKETED_SHORT = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.]{1,11})\s*\)")
_SHORT_THEN_LONG = re.compile(r"\b([A-Z][A-Z0-9&]{1,9})\s*\(([^()]{3,120})\)")
_MAX_NAME_WORDS = 10
_MAX_SENSES = 2
# "UN Security Council": a short form leading a name makes a longer one ("UNSC").
_SHORT_LED = re.compile(r"\b([A-Z]{2,6})\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\b")
# Names whose initials a question may use though the articles never do; bounded in memory.
_MAX_GUESSES = 200_000
_MIN_GUESS_LETTERS = 3
_SENTENCE_END = re.compile(r"[a-z0-9]{2,}[.!?]$")
# Only this much of one document is read for acronyms: the conventions show early, and one
# 200 MB file must not stall its build. (``Acronyms(texts, max_chars)`` applies it to all texts.)
MAX_SCAN_CHARS = 4_000_000


def bare(short: str) -> str:
    """A short form without dots or a plural "s": "U.N." -> "UN", "NGOs" -> "NGO"."""
    text = short.replace(".", "")
    if len(text) > 2 and text.endswith("s") and text[:-1].isupper():
        text = text[:-1]
    return text


# Memos: an index build asks about the same words and names in article after article.
_MEMO = 1 << 16


@functools.lru_cache(maxsize=_MEMO)
def is_short_form(word: str) -> bool:
    """True for a word written like an acronym: "UN", "ECOWAS", "U.N.", "NGOs"."""
    return bool(_SHORT.match(word)) and sum(c.isupper() for c in word) >= 2


def initials(words: Sequence[str]) -> set[str]:
    """The initials of a name, with and without its joiner words, upper-cased.

    "Economic Community of West African States" -> {"ECWAS", "ECOWAS"}.
    """
    return set(_initials(tuple(words)))


@functools.lru_cache(maxsize=_MEMO)
def _initials(words: tuple[str, ...]) -> frozenset[str]:
    heads = [w for w in words if w.lower() not in JOINERS]
    # "J R Hollis", "U S": single letters are a person's initials, not words to abbreviate.
    if len(heads) < 2 or any(len(w) < 2 for w in heads):
        return frozenset()
    joins = [i for i, w in enumerate(words) if w.lower() in JOINERS]
    out = set()
    for keep in itertools.product((False, True), repeat=min(len(joins), 3)):
        kept = {j for j, k in zip(joins, keep, strict=False) if k}
        out.add("".join(w[0] for i, w in enumerate(words) if i in kept or i not in joins).upper())
    return frozenset(out)


def abbreviates(short: str, long_words: Sequence[str]) -> bool:
    """True when ``short`` can stand for ``long_words``: same first letter, the initials in order.

    Loose on purpose, for names whose short form comes from another language
    ("MINUSMA" for "Multidimensional Integrated Stabilisation Mission").
    """
    letters = bare(short).upper()
    heads = [w for w in long_words if w.lower() not in JOINERS]
    if len(heads) < 2 or not letters or heads[0][0].upper() != letters[0]:
        return False
    if letters in _initials(tuple(long_words)):
        return True
    rest = iter(letters[1:])
    return all(any(c == w[0].upper() for c in rest) for w in heads[1:])


def capitalised_runs(text: str) -> Iterable[list[str]]:
    """Runs of capitalised words (joiners allowed inside), without sentence openers."""
    return _runs(_WORD.findall(text))


def _runs(words: list[str]) -> Iterable[list[str]]:
    run: list[str] = []
    for word in words:
        if word[0].isupper() and not is_short_form(word):
            run.append(word.rstrip(".’'").removesuffix("’s").removesuffix("'s"))
            if _SENTENCE_END.search(word):
                yield from _trimmed(run)
                run = []
        elif run and word.lower() in JOINERS and word[0].islower():
            run.append(word)
        elif run:  # a sentence end or any other word closes the run
            yield from _trimmed(run)
            run = []
    if run:
        yield from _trimmed(run)


def _trimmed(run: list[str]) -> Iterable[list[str]]:
    while run and (run[0].lower() in OPENERS or run[0].lower() in JOINERS):
        run = run[1:]
    while run and run[-1].lower() in JOINERS:
        run = run[:-1]
    if len(run) >= 2:
        yield run[:_MAX_NAME_WORDS]


def _sub_runs(run: list[str]) -> Iterable[list[str]]:
    """Every stretch of a run that starts and ends with a capitalised word, two words or more."""
    for i in range(len(run)):
        if run[i].lower() in JOINERS:
            continue
        for j in range(i + 2, len(run) + 1):
            if run[j - 1].lower() not in JOINERS:
                yield run[i:j]


class Findings(NamedTuple):
    """What one document says about acronyms: pairs it writes or implies, names by initials."""

    pairs: tuple[tuple[str, str], ...]  # (short form, long name)
    guesses: tuple[tuple[str, str], ...]  # (initials, name), for short forms never written


NO_FINDINGS = Findings((), ())


def find_acronyms(text: str, max_chars: int = MAX_SCAN_CHARS) -> Findings:
    """The acronym pairs and initialled names of one document (its first ``max_chars``)."""
    text = text[:max_chars]
    words = _WORD.findall(text)
    runs = list(_runs(words))
    pairs = _bracketed(text) | _initialled(words, runs)
    return Findings(tuple(sorted(pairs)), tuple(sorted(_guessable(text, runs))))


def _guessable(text: str, runs: list[list[str]]) -> set[tuple[str, str]]:
    """Names of three initials or more, and short-form-led names, by their initials."""
    found: set[tuple[str, str]] = set()
    for match in _SHORT_LED.finditer(text):
        rest = match.group(2).split()
        found.add((match.group(1) + "".join(w[0] for w in rest), match.group(0)))
    for run in runs:
        if "and" in run:
            continue
        for letters in _initials(tuple(run)):
            if len(letters) >= _MIN_GUESS_LETTERS:
                found.add((letters, " ".join(run)))
    return found


def _initialled(words: list[str], runs: list[list[str]]) -> set[tuple[str, str]]:
    """Pairs implied within one article: it says "United Nations" and also "UN"."""
    shorts = {bare(w) for w in set(words) if w[0].isupper() and is_short_form(w)}
    if not shorts:
        return set()
    # Initials start with the first word's letter and end with the last word's: a stretch
    # whose ends fit no short form of the article cannot match one (most do not).
    ends = {(short[0], short[-1]) for short in shorts}
    by_initials: dict[str, set[str]] = {}
    for run in runs:
        for part in _sub_runs(run):
            # "Tarvia and North Ellon" is two names, not one.
            if "and" in part or (part[0][0].upper(), part[-1][0].upper()) not in ends:
                continue
            for letters in _initials(tuple(part)) & shorts:
                by_initials.setdefault(letters, set()).add(" ".join(part))
    # Several names with the same initials in one article: which one is meant is a guess.
    return {
        (short, long_form)
        for short, long_forms in by_initials.items()
        if len(long_forms) <= _MAX_SENSES
        for long_form in long_forms
    }


def _bracketed(text: str) -> set[tuple[str, str]]:
    """Pairs written out: "Long Name (LN)" and "LN (Long Name)"."""
    found: set[tuple[str, str]] = set()
    for match in _BRACKETED_SHORT.finditer(text):
        short = match.group(1)
        if not is_short_form(short):
            continue
        before = [w for w in _WORD.findall(text[max(0, match.start() - 200) : match.start()])]
        words = list(itertools.takewhile(lambda w: w[0].isalpha(), reversed(before)))
        words.reverse()
        # The shortest tail of the preceding words that the short form abbreviates.
        for size in range(2, min(len(words), _MAX_NAME_WORDS) + 1):
            tail = words[-size:]
            if tail[0][0].isupper() and abbreviates(short, tail):
                found.add((bare(short), " ".join(tail)))
                break
    for match in _SHORT_THEN_LONG.finditer(text):
        short, inside = match.group(1), match.group(2)
        words = [w for w in _WORD.findall(inside) if w[0].isalpha()]
        if is_short_form(short) and words and abbreviates(short, words):
            found.add((bare(short), " ".join(words)))
    return found


class Acronyms:
    """Short forms and the long names they stand for, as one corpus uses them."""

    def __init__(self, texts: Iterable[str] = (), max_chars: int = MAX_SCAN_CHARS) -> None:
        self._long: dict[str, set[str]] = {}  # "UN" -> {"United Nations"}
        self._short: dict[str, set[str]] = {}  # "united nations" -> {"UN"}
        # Initials -> names, for a short form the articles never write ("UNSC").
        self._guesses: dict[str, set[str]] = {}
        # The same, as read from the cache: left as lists, since a restart must not build
        # tens of thousands of sets for the few a question looks up.
        self._loaded_guesses: dict[str, list[str]] = {}
        seen = 0
        for text in texts:
            if seen >= max_chars:
                break
            # One huge article must not blow the budget either: read only what is left of it.
            found = find_acronyms(text, max_chars - seen)
            seen += min(len(text), max_chars - seen)
            self.add(found)

    @classmethod
    def merged(cls, findings: Iterable[Findings]) -> Acronyms:
        """One corpus's table from its documents' findings, in corpus order."""
        table = cls()
        for found in findings:
            table.add(found)
        return table

    def add(self, found: Findings) -> None:
        """Take in one more document's findings."""
        for short, long_form in found.pairs:
            self._long.setdefault(short.upper(), set()).add(long_form)
            self._short.setdefault(long_form.lower(), set()).add(short)
        # Bounded in memory: the first documents in corpus order fill it.
        if len(self._guesses) < _MAX_GUESSES:
            for letters, name in found.guesses:
                self._guesses.setdefault(letters, set()).add(name)

    def to_json(self) -> dict[str, dict[str, list[str]]]:
        """The table as plain JSON data (what the index cache stores)."""
        return {
            "long": {k: sorted(v) for k, v in self._long.items()},
            "short": {k: sorted(v) for k, v in self._short.items()},
            # More than _MAX_SENSES names is "too unsure" however many there are.
            "guesses": self._loaded_guesses
            | {k: sorted(v)[: _MAX_SENSES + 1] for k, v in self._guesses.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, dict[str, list[str]]]) -> Acronyms:
        """The table ``to_json`` wrote."""
        table = cls()
        table._long = {k: set(v) for k, v in data["long"].items()}
        table._short = {k: set(v) for k, v in data["short"].items()}
        table._loaded_guesses = data["guesses"]
        return table

    def expansions(self, short: str) -> tuple[str, ...]:
        """The long names a short form stands for here ("UN" -> ("United Nations",)).

        A short form the articles never pair with a name may still be the initials of one
        they use ("UNSC" -> "UN Security Council"), if only one or two names fit.
        """
        key = bare(short).upper()
        found: Collection[str] = self._long.get(key, ())
        if not found:
            found = self._guesses.get(key) or self._loaded_guesses.get(key) or ()
            if len(found) > _MAX_SENSES:
                return ()
        return tuple(sorted(found))

    def short_forms(self, words: Sequence[str]) -> tuple[str, ...]:
        """The short forms the articles use for a name given as words, if any."""
        return tuple(sorted(self._short.get(" ".join(words).lower(), ())))

    def names_in(self, text: str) -> list[tuple[list[str], tuple[str, ...]]]:
        """The long names in a text that have short forms here, with those short forms."""
        found = []
        for run in capitalised_runs(text):
            for part in _sub_runs(run):
                shorts = self.short_forms(part)
                if shorts:
                    found.append((part, shorts))
        return found

    def __len__(self) -> int:
        return len(self._long)
