"""What the chat core asks of an index besides search: term weights, the terms of sentences
and their neighbours, how often an article repeats a term. Read from the stored arrays, so
nothing outside ``retrieval`` needs to know their layout.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from retrieval.engines import lucene_idf
from retrieval.index import SentenceIndex
from retrieval.models import Hit


def term_weights(index: SentenceIndex, terms: Iterable[str]) -> dict[str, float]:
    """The IDF the index scores each term with (terms it does not hold are left out)."""
    vocabulary = index.analysis.vocabulary
    n = len(index)
    return {
        term: lucene_idf(index.engine.document_frequency(vocabulary[term]), n)
        for term in terms
        if term in vocabulary
    }


def term_evidence(
    index: SentenceIndex, rows: Iterable[int], terms: Iterable[str]
) -> tuple[dict[int, frozenset[str]], dict[int, tuple[str, ...]]]:
    """From the stored term ids (no re-tokenising), for each sentence row: which of
    ``terms`` the sentence before it in the same paragraph holds, and the row's own terms
    in order ("" for a term not in ``terms``)."""
    vocabulary = index.analysis.vocabulary
    wanted = {vocabulary[t]: t for t in terms if t in vocabulary}
    if not wanted:
        return {}, {}
    bounds, term_ids, ptr = index.analysis.bounds, index.analysis.term_ids, index.analysis.indptr
    before: dict[int, frozenset[str]] = {}
    sequences: dict[int, tuple[str, ...]] = {}
    for i in rows:
        ids = term_ids[int(ptr[i]) : int(ptr[i + 1])].tolist()
        sequences[i] = tuple(wanted.get(t, "") for t in ids)
        if i > 0 and bounds[i - 1, 0] == bounds[i, 0] and bounds[i - 1, 3] == bounds[i, 3]:
            held = frozenset(
                wanted[t] for t in term_ids[int(ptr[i - 1]) : int(ptr[i])].tolist() if t in wanted
            )
            if held:
                before[i] = held
    return before, sequences


def occurrences(index: SentenceIndex, term: str, rows: tuple[int, int]) -> int:
    """How often an index term occurs in the sentence rows ``[lo, hi)`` (0 for unknown ones)."""
    term_id = index.analysis.vocabulary.get(term)
    if term_id is None:
        return 0
    lo, hi = rows
    ptr = index.analysis.indptr
    ids = np.asarray(index.analysis.term_ids[int(ptr[lo]) : int(ptr[hi])])
    return int(np.count_nonzero(ids == term_id))


def neighbours(index: SentenceIndex, hit: Hit) -> tuple[Hit | None, Hit | None]:
    """The sentences just before and after a hit within the same paragraph."""
    before = after = None
    bounds = index.analysis.bounds
    i = hit.index
    if i > 0 and bounds[i - 1, 0] == bounds[i, 0] and bounds[i - 1, 3] == bounds[i, 3]:
        before = index.sentence(i - 1)
    if i + 1 < len(index) and bounds[i + 1, 0] == bounds[i, 0] and bounds[i + 1, 3] == bounds[i, 3]:
        after = index.sentence(i + 1)
    return before, after
