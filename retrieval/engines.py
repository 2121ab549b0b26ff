"""BM25 engines behind one interface: ``bm25s`` (sparse, fast) and ``rank-bm25`` (the reference).

Both score the Lucene variant of BM25: IDF ``log(1 + (N - df + 0.5) / (df + 0.5))`` is never zero
or negative, so a term found in half of a 15-sentence corpus still counts (rank-bm25's default
Okapi IDF gives it 0). Term frequency: ``tf / (tf + k1 * (1 - b + b * len / avglen))``.
Engines see term ids, never strings: the index owns the vocabulary.

The libraries are imported when an engine is built or saved, not to serve a saved index: a
restart memory-maps the bm25s matrix with numpy alone (bm25s pulls in scipy, half a second).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from rank_bm25 import BM25Okapi

EngineName = Literal["bm25s", "rank-bm25"]


def lucene_idf(df: int, n: int) -> float:
    """The Lucene BM25 IDF: ``log(1 + (n - df + 0.5) / (df + 0.5))``, never zero or negative."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


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

    def document_frequency(self, term_id: int) -> int:
        """How many sentences hold the term (without scoring every sentence)."""
        ...


# The files bm25s.BM25.save writes for its sparse matrix (so bm25s can load ours as its own).
_BM25S_ARRAYS = ("data", "indices", "indptr")


class Bm25sEngine:
    """bm25s: precomputed per-term score columns in a sparse matrix; memory-mappable."""

    name: EngineName = "bm25s"

    def __init__(
        self,
        matrix: tuple[NDArray[Any], NDArray[Any], NDArray[Any]] | None,
        n_sentences: int,
        k1: float = 0.7,
        b: float = 0.4,
    ) -> None:
        self._n = n_sentences
        self._k1, self._b = k1, b
        # Plain attributes: a query reads them once per term, dict lookups would add up.
        self._data: NDArray[Any] | None = matrix[0] if matrix else None
        self._indices: NDArray[Any] | None = matrix[1] if matrix else None
        self._indptr: NDArray[Any] | None = matrix[2] if matrix else None

    @classmethod
    def build(cls, corpus_ids: list[list[int]], n_terms: int, k1: float, b: float) -> Bm25sEngine:
        """Index sentences given as lists of term ids in ``range(n_terms)``."""
        lengths = np.fromiter(
            (len(ids) for ids in corpus_ids), dtype=np.int64, count=len(corpus_ids)
        )
        indptr = np.zeros(len(corpus_ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = np.fromiter(
            (t for ids in corpus_ids for t in ids), dtype=np.int32, count=int(indptr[-1])
        )
        return cls.from_arrays(flat, indptr, n_terms, k1, b)

    @classmethod
    def from_arrays(
        cls,
        term_ids: NDArray[np.int32],
        indptr: NDArray[np.int64],
        n_terms: int,
        k1: float,
        b: float,
    ) -> Bm25sEngine:
        """Index sentences in CSR layout: sentence i holds ``term_ids[indptr[i]:indptr[i+1]]``."""
        n = len(indptr) - 1
        if not (n_terms and n):
            return cls(None, n, k1, b)
        # The layout bm25s.BM25.index builds, so bm25s saves and memory-maps it as its own.
        return cls(bm25_matrix(term_ids, indptr, n_terms, k1, b), n, k1, b)

    @classmethod
    def load(cls, folder: Path, n_sentences: int, n_terms: int) -> Bm25sEngine:
        """Reload a saved index, memory-mapping its arrays (numpy only, no bm25s import)."""
        if n_terms == 0 or not (folder / "params.index.json").exists():
            return cls(None, n_sentences)
        data, indices, indptr = (
            np.load(folder / f"{name}.csc.index.npy", mmap_mode="r") for name in _BM25S_ARRAYS
        )
        if indptr.shape != (n_terms + 1,) or data.shape != indices.shape:
            raise ValueError(f"the BM25 matrix in {folder} does not fit {n_terms} terms")
        return cls((data, indices, indptr), n_sentences)

    def scores(self, term_ids: list[int]) -> Scores:
        """One BM25 score per sentence: the sum of the query terms' precomputed columns."""
        if not term_ids or self._indptr is None or self._indices is None or self._data is None:
            return np.zeros(self._n, dtype=np.float64)
        indptr, indices, data = self._indptr, self._indices, self._data
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in term_ids]
        spans = [(lo, hi) for lo, hi in spans if hi > lo]
        if not spans:
            return np.zeros(self._n, dtype=np.float64)
        # One bincount over all the query's postings: it adds repeated rows correctly, is far
        # faster than np.add.at, and allocates the dense result once, not once per term.
        rows = np.concatenate([indices[lo:hi] for lo, hi in spans])
        weights = np.concatenate([data[lo:hi] for lo, hi in spans])
        return np.bincount(rows, weights=weights, minlength=self._n).astype(np.float64, copy=False)

    def document_frequency(self, term_id: int) -> int:
        """How many sentences hold the term: the length of its column."""
        if self._indptr is None or not 0 <= term_id < len(self._indptr) - 1:
            return 0
        return int(self._indptr[term_id + 1]) - int(self._indptr[term_id])

    def save(self, folder: Path) -> None:
        """Write the sparse matrix (numpy files, bm25s's format) for memory-mapped reloading."""
        if self._data is None or self._indices is None or self._indptr is None:
            return
        import bm25s

        retriever = bm25s.BM25(method="lucene", k1=self._k1, b=self._b)
        retriever.scores = {
            "data": self._data,
            "indices": self._indices,
            "indptr": self._indptr,
            "num_docs": self._n,
        }
        retriever.vocab_dict = {}
        retriever.unique_token_ids_set = set()
        retriever.nonoccurrence_array = None
        retriever.save(str(folder), show_progress=False)


def bm25_matrix(
    term_ids: NDArray[np.int32], indptr: NDArray[np.int64], n_terms: int, k1: float, b: float
) -> tuple[NDArray[np.float32], NDArray[np.int32], NDArray[np.int64]]:
    """The Lucene BM25 score of every (sentence, term) pair as CSC arrays: data, rows, columns."""
    # Vectorised (one sort of the postings) where bm25s loops over sentences in Python:
    # the same numbers, several times faster on a million sentences.
    n = len(indptr) - 1
    ptr = np.asarray(indptr, dtype=np.int64)
    lengths = ptr[1:] - ptr[:-1]
    ids = np.asarray(term_ids, dtype=np.int64)
    columns = np.zeros(n_terms + 1, dtype=np.int64)
    if ids.size == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int32), columns
    # Sorting term * n + sentence groups the postings by term, then by sentence: CSC order.
    keys = ids * n + np.repeat(np.arange(n, dtype=np.int64), lengths)
    del ids
    keys.sort()
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    tf = np.diff(np.append(starts, keys.size)).astype(np.float64)
    pairs = keys[starts]
    del keys, starts
    terms = pairs // n
    rows = pairs - terms * n
    df = np.bincount(terms, minlength=n_terms)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    avg = float(lengths.sum()) / n
    norm = k1 * (1.0 - b + b * lengths / avg) if avg > 0 else np.full(n, k1)
    data = (idf[terms] * tf / (tf + norm[rows])).astype(np.float32)
    np.cumsum(df, out=columns[1:])
    return data, rows.astype(np.int32), columns


def _lucene_bm25(corpus_ids: list[list[int]], k1: float, b: float) -> BM25Okapi:
    """rank-bm25's Okapi scorer with the Lucene IDF (never zero or negative)."""
    from rank_bm25 import BM25Okapi

    class LuceneBM25(BM25Okapi):  # type: ignore[misc]
        def _calc_idf(self, nd: dict[int, int]) -> None:
            self.document_frequencies = nd  # kept: rank-bm25 itself drops it after the IDF
            n = self.corpus_size
            self.idf = {w: lucene_idf(df, n) for w, df in nd.items()}
            self.average_idf = sum(self.idf.values()) / max(1, len(self.idf))

    return LuceneBM25(corpus_ids, k1=k1, b=b)


class RankBm25Engine:
    """rank-bm25: the owner's library, a dense reference scorer (slow at scale)."""

    name: EngineName = "rank-bm25"

    def __init__(self, model: BM25Okapi | None, n_sentences: int, k1: float) -> None:
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
        return cls(_lucene_bm25(corpus_ids, k1, b), len(corpus_ids), k1)

    def scores(self, term_ids: list[int]) -> Scores:
        """One BM25 score per sentence, scaled to match the Lucene formula exactly."""
        if self._model is None or not term_ids:
            return np.zeros(self._n, dtype=np.float64)
        # rank-bm25 multiplies term frequency by (k1 + 1); Lucene does not.
        raw = np.asarray(self._model.get_scores(term_ids), dtype=np.float64)
        # An empty sentence with b = 1 makes rank-bm25 compute 0/0; it matched nothing.
        return np.nan_to_num(raw, nan=0.0) / (self._k1 + 1)

    def document_frequency(self, term_id: int) -> int:
        """How many sentences hold the term, as counted when the model was built."""
        if self._model is None:
            return 0
        return int(self._model.document_frequencies.get(term_id, 0))

    def save(self, folder: Path) -> None:
        """Nothing to write: the engine is rebuilt from the cached term ids."""


def build_engine(
    name: EngineName, corpus_ids: list[list[int]], n_terms: int, k1: float, b: float
) -> Engine:
    """Build the named engine over sentences given as term-id lists."""
    if name == "bm25s":
        return Bm25sEngine.build(corpus_ids, n_terms, k1, b)
    return RankBm25Engine.build(corpus_ids, n_terms, k1, b)


def build_engine_from_arrays(
    name: EngineName,
    term_ids: NDArray[np.int32],
    indptr: NDArray[np.int64],
    n_terms: int,
    k1: float,
    b: float,
) -> Engine:
    """Build the named engine over sentences in CSR layout (bm25s without per-sentence lists)."""
    if name == "bm25s":
        return Bm25sEngine.from_arrays(term_ids, indptr, n_terms, k1, b)
    ids = np.asarray(term_ids).tolist()
    ptr = np.asarray(indptr).tolist()
    return RankBm25Engine.build(
        [ids[ptr[i] : ptr[i + 1]] for i in range(len(ptr) - 1)], n_terms, k1, b
    )
