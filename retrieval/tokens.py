"""Tokenizing for BM25: one tokenizer for documents and queries alike.

NFKC normalisation and case folding, curly apostrophes made straight, invisible characters
removed, numbers with thousands separators joined (``12,000`` -> ``12000``), hyphenated words
kept whole and split into parts, possessives dropped, stop words removed, English Snowball
stemming. Chinese, Japanese and Korean characters are indexed one by one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import Stemmer

TOKENIZER_VERSION = "1"

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each few for from further had hadn't
    has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself no nor not of off on once only or other ought
    our ours ourselves out over own same shan't she she'd she'll she's should shouldn't
    so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's will with won't many much would
    wouldn't you you'd you'll you're you've your yours yourself yourselves s t d ll m re
    ve""".split()
)

# Invisible characters that would otherwise split or disguise a word.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_RAW = re.compile(r"\w+(?:['\-.,]\w+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CACHE_LIMIT = 500_000


def normalize(text: str) -> str:
    """NFKC, case folding, straight apostrophes, invisible characters removed."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE).translate(_APOSTROPHES).casefold()


def raw_words(normalized: str, start: int = 0, end: int | None = None) -> list[str]:
    """The raw words ``tokenize`` finds in already-normalised text, between start and end."""
    return _RAW.findall(normalized, start, len(normalized) if end is None else end)


class Tokenizer:
    """Turns text into BM25 terms; memoises the work per distinct raw word."""

    def __init__(self, language: str = "english") -> None:
        self._stemmer = Stemmer.Stemmer(language)
        self._cache: dict[str, tuple[str, ...]] = {}
        self.language = language

    def tokenize(self, text: str) -> list[str]:
        """All terms of ``text`` in order, repeats kept (documents)."""
        cache = self._cache
        terms: list[str] = []
        for raw in _RAW.findall(normalize(text)):
            found = cache.get(raw)
            if found is None:
                found = self._terms_of(raw)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[raw] = found
            terms.extend(found)
        return terms

    def word_terms(self, raw: str) -> tuple[str, ...]:
        """The terms of one raw word as ``raw_words`` gives it (memoised, like ``tokenize``)."""
        found = self._cache.get(raw)
        if found is None:
            found = self._terms_of(raw)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[raw] = found
        return found

    def query_terms(self, text: str) -> list[str]:
        """Distinct terms of ``text`` in first-seen order (a repeated query word counts once)."""
        return list(dict.fromkeys(self.tokenize(text)))

    def stem(self, word: str) -> str:
        """The stem of one already-normalised word."""
        return str(self._stemmer.stemWord(word))

    def _terms_of(self, raw: str) -> tuple[str, ...]:
        """Terms for one raw word as the regex found it (normalised, may hold - ' . ,)."""
        if raw[0].isdigit() or raw[-1].isdigit():
            numbers = self._numbers(raw)
            if numbers is not None:
                return numbers
        if _CJK.search(raw):
            return tuple(t for piece in _split_cjk(raw) if (t := self._word_terms(piece)))
        if "." in raw or "," in raw:
            letters = raw.replace(",", ".").split(".")
            if all(len(p) == 1 for p in letters):
                return (raw.replace(",", "."),)  # an acronym such as u.s
            return tuple(t for part in letters for t in self._terms_of(part) if part)
        if raw.endswith("'s"):
            raw = raw[:-2]
        raw = raw.strip("'")
        if not raw:
            return ()
        if "-" in raw:
            parts = [p for p in raw.split("-") if p]
            terms = [self._word_terms(p) for p in parts]
            whole = "".join(parts)
            if whole not in STOP_WORDS:
                terms.append(self.stem(whole))
            return tuple(t for t in terms if t)
        term = self._word_terms(raw)
        return (term,) if term else ()

    def _word_terms(self, word: str) -> str:
        """The stem of a plain word, or "" for a stop word or a lone letter."""
        if word in STOP_WORDS:
            return ""
        if len(word) == 1 and not word.isdigit() and not _CJK.match(word):
            return ""
        if "'" in word:
            word = word.replace("'", "")
        return self.stem(word) if not word.isdigit() else word

    def _numbers(self, raw: str) -> tuple[str, ...] | None:
        """Numbers with separators joined: 12,000 -> 12000; 1.5 stays; None if not numeric."""
        if _THOUSANDS.fullmatch(raw):
            return (raw.replace(",", ""),)
        if _NUMBER.fullmatch(raw):
            return (raw,)
        if all(_NUMBER.fullmatch(p) for p in raw.split(",")):
            return tuple(raw.split(","))
        return None


def _split_cjk(raw: str) -> Iterable[str]:
    """Each CJK character on its own; runs of other characters kept together."""
    return [piece for piece in re.split(f"({_CJK.pattern})", raw) if piece]
