"""BM25 engines behind one interface: ``bm25s`` (sparse, fast) and ``rank-bm25`` (the reference).

Both score the Lucene variant of BM25: IDF ``log(1 + (N - df + 0.5) / (df + 0.5))`` is never zero
or negative, so a term found in half of a 15-sentence corpus still counts (rank-bm25's default
Okapi IDF gives it 0). Term frequency: ``tf / (tf + k1 * (1 - b + b * len / avglen))``.
Engines see term ids, never strings: the index owns the vocabulary.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal, Protocol

import bm25s
import numpy as np
from numpy.typing import NDArray
from rank_bm25 import BM25Okapi

EngineName = Literal["bm25s", "rank-bm25"]
Scores = NDArray[np.float64]


class Engine(Protocol):
    """Scores every sentence for a set of distinct query term ids."""

    name: EngineName

    def scores(self, term_ids: list[int]) -> Scores:
        """One BM25 score per sentence (0 where no term matches)."""
        ...

    def save(self, folder: Path) -> None:
        """Write what the engine needs to reload quickly (may write nothing)."""
        ...


class Bm25sEngine:
    """bm25s: precomputed per-term score columns in a sparse matrix; memory-mappable."""

    name: EngineName = "bm25s"

    def __init__(self, retriever: bm25s.BM25, n_sentences: int) -> None:
        self._retriever = retriever
        self._n = n_sentences

    @classmethod
    def build(cls, corpus_ids: list[list[int]], n_terms: int, k1: float, b: float) -> Bm25sEngine:
        """Index sentences given as lists of term ids in ``range(n_terms)``."""
        retriever = bm25s.BM25(method="lucene", k1=k1, b=b)
        if n_terms and any(corpus_ids):
            vocab = {i: i for i in range(n_terms)}
            retriever.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)
        return cls(retriever, len(corpus_ids))

    @classmethod
    def load(cls, folder: Path, n_sentences: int, n_terms: int) -> Bm25sEngine:
        """Reload a saved index, memory-mapping its arrays."""
        if n_terms == 0:
            return cls(bm25s.BM25(method="lucene"), n_sentences)
        retriever = bm25s.BM25.load(str(folder), mmap=True, load_vocab=False, show_progress=False)
        return cls(retriever, n_sentences)

    def scores(self, term_ids: list[int]) -> Scores:
        """One BM25 score per sentence: the sum of the query terms' precomputed columns."""
        out = np.zeros(self._n, dtype=np.float64)
        if not term_ids or not hasattr(self._retriever, "scores"):
            return out
        matrix = self._retriever.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        for term in term_ids:
            lo, hi = int(indptr[term]), int(indptr[term + 1])
            if hi > lo:
                # bincount adds repeated rows correctly and is far faster than np.add.at.
                out += np.bincount(indices[lo:hi], weights=data[lo:hi], minlength=self._n)
        return out

    def save(self, folder: Path) -> None:
        """Write the sparse matrix (numpy files) for memory-mapped reloading."""
        if hasattr(self._retriever, "scores"):
            self._retriever.save(str(folder), show_progress=False)


class _LuceneBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi scorer with the Lucene IDF (never zero or negative)."""

    def _calc_idf(self, nd: dict[int, int]) -> None:
        n = self.corpus_size
        self.idf = {word: math.log(1 + (n - df + 0.5) / (df + 0.5)) for word, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / max(1, len(self.idf))


class RankBm25Engine:
    """rank-bm25: the owner's library, a dense reference scorer (slow at scale)."""

    name: EngineName = "rank-bm25"

    def __init__(self, model: _LuceneBM25 | None, n_sentences: int, k1: float) -> None:
        self._model = model
        self._n = n_sentences
        self._k1 = k1

    @classmethod
    def build(
        cls, corpus_ids: list[list[int]], n_terms: int, k1: float, b: float
    ) -> RankBm25Engine:
        """Index sentences given as lists of term ids."""
        if not any(corpus_ids):
            # rank-bm25 divides by the average length: with no terms at all that is 0/0.
            return cls(None, len(corpus_ids), k1)
        return cls(_LuceneBM25(corpus_ids, k1=k1, b=b), len(corpus_ids), k1)

    def scores(self, term_ids: list[int]) -> Scores:
        """One BM25 score per sentence, scaled to match the Lucene formula exactly."""
        if self._model is None or not term_ids:
            return np.zeros(self._n, dtype=np.float64)
        # rank-bm25 multiplies term frequency by (k1 + 1); Lucene does not.
        raw = np.asarray(self._model.get_scores(term_ids), dtype=np.float64)
        # An empty sentence with b = 1 makes rank-bm25 compute 0/0; it matched nothing.
        return np.nan_to_num(raw, nan=0.0) / (self._k1 + 1)

    def save(self, folder: Path) -> None:
        """Nothing to write: the engine is rebuilt from the cached term ids."""


def build_engine(
    name: EngineName, corpus_ids: list[list[int]], n_terms: int, k1: float, b: float
) -> Engine:
    """Build the named engine over sentences given as term-id lists."""
    if name == "bm25s":
        return Bm25sEngine.build(corpus_ids, n_terms, k1, b)
    return RankBm25Engine.build(corpus_ids, n_terms, k1, b)
