"""Merging segments: concatenated, gathered document by document, and renumbered.

An incremental build gathers unchanged documents from the previous cache's segment and the
changed ones from a fresh segment, then renumbers terms so the result equals a fresh build.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from retrieval.acronyms import Findings
from retrieval.document_table import DOC_FIELDS, DocumentTable, PtrArray, pointers
from retrieval.segments import IntArray, Segment, empty_segment


def concat(segments: Sequence[Segment]) -> Segment:
    """Segments one after the other, their vocabularies merged (first seen, first numbered)."""
    if not segments:
        return empty_segment()
    if len(segments) == 1:
        return segments[0]
    vocab: dict[str, int] = {}
    ids: list[IntArray] = []
    bounds: list[IntArray] = []
    indptr: list[PtrArray] = [np.zeros(1, dtype=np.int64)]
    doc_ptr: list[PtrArray] = [np.zeros(1, dtype=np.int64)]
    docs = tokens = sentences = 0
    for seg in segments:
        # Merging in corpus order numbers terms as one sequential pass would.
        mapping = np.fromiter(
            (vocab.setdefault(t, len(vocab)) for t in seg.terms),
            dtype=np.int32,
            count=len(seg.terms),
        )
        ids.append(mapping[seg.term_ids] if seg.term_ids.size else np.zeros(0, dtype=np.int32))
        part = np.array(seg.bounds, dtype=np.int32)
        part[:, 0] += docs
        bounds.append(part)
        indptr.append(np.asarray(seg.indptr[1:], dtype=np.int64) + tokens)
        doc_ptr.append(np.asarray(seg.doc_ptr[1:], dtype=np.int64) + sentences)
        docs += len(seg.documents)
        tokens += int(seg.term_ids.size)
        sentences += seg.sentences
    return Segment(
        documents=DocumentTable.concat([s.documents for s in segments]),
        bounds=np.concatenate(bounds).reshape(-1, 5),
        terms=list(vocab),
        term_ids=np.concatenate(ids).astype(np.int32, copy=False),
        indptr=np.concatenate(indptr),
        doc_ptr=np.concatenate(doc_ptr),
        acronyms=[f for seg in segments for f in _acronyms_of(seg)],
    )


def assemble(segments: Sequence[Segment], picks: Sequence[tuple[int, int]]) -> Segment:
    """The documents ``(segment, number)`` in the given order, gathered in one pass."""
    # Straight from each segment, without first copying every segment whole: an incremental
    # build picks most documents from the memory-mapped previous cache.
    vocab: dict[str, int] = {}
    mappings = [
        np.fromiter(
            (vocab.setdefault(t, len(vocab)) for t in seg.terms),
            dtype=np.int32,
            count=len(seg.terms),
        )
        for seg in segments
    ]
    source = np.fromiter((p[0] for p in picks), dtype=np.int64, count=len(picks))
    number = np.fromiter((p[1] for p in picks), dtype=np.int64, count=len(picks))
    s_len = np.zeros(len(picks), dtype=np.int64)
    for k, seg in enumerate(segments):
        mine = source == k
        docs = number[mine]
        s_len[mine] = np.asarray(seg.doc_ptr[docs + 1]) - np.asarray(seg.doc_ptr[docs])
    doc_ptr = pointers(s_len)
    n_sent = int(doc_ptr[-1])
    bounds = np.zeros((n_sent, 5), dtype=np.int32)
    t_len = np.zeros(n_sent, dtype=np.int64)
    rows_of: list[tuple[PtrArray, PtrArray]] = []
    for k, seg in enumerate(segments):
        mine = np.flatnonzero(source == k)
        docs = number[mine]
        src = _ranges(np.asarray(seg.doc_ptr[docs], dtype=np.int64), s_len[mine])
        dest = _ranges(doc_ptr[mine], s_len[mine])
        bounds[dest] = seg.bounds[src]
        t_len[dest] = np.asarray(seg.indptr[src + 1]) - np.asarray(seg.indptr[src])
        rows_of.append((src, dest))
    bounds[:, 0] = np.repeat(np.arange(len(picks), dtype=np.int32), s_len)
    indptr = pointers(t_len)
    term_ids = np.zeros(int(indptr[-1]), dtype=np.int32)
    for seg, mapping, (src, dest) in zip(segments, mappings, rows_of, strict=True):
        lengths = t_len[dest]
        tokens = _ranges(np.asarray(seg.indptr[src], dtype=np.int64), lengths)
        term_ids[_ranges(indptr[dest], lengths)] = mapping[seg.term_ids[tokens]]
    columns: dict[str, list[Any]] = {name: [] for name in DOC_FIELDS}
    pieces: list[bytes] = []
    for k, n in picks:
        table = segments[k].documents
        for name in DOC_FIELDS:
            columns[name].append(table.columns[name][n])
        pieces.append(table.text_bytes[int(table.text_ptr[n]) : int(table.text_ptr[n + 1])])
    documents = DocumentTable(dict(columns), b"".join(pieces), pointers([len(p) for p in pieces]))
    found = [_acronyms_of(seg) for seg in segments]
    acronyms = [found[k][n] for k, n in picks]
    return Segment(documents, bounds, list(vocab), term_ids, indptr, doc_ptr, acronyms)


def compact(seg: Segment) -> Segment:
    """Drop unused terms and number the rest in order of first use (as a fresh build does)."""
    ids = np.asarray(seg.term_ids)
    first = np.full(len(seg.terms), ids.size, dtype=np.int64)
    # minimum.at is linear; np.unique(return_index=True) sorts and is ten times slower.
    np.minimum.at(first, ids, np.arange(ids.size, dtype=np.int64))
    used = np.flatnonzero(first < ids.size)
    order = used[np.argsort(first[used], kind="stable")]
    remap = np.full(len(seg.terms), -1, dtype=np.int32)
    remap[order] = np.arange(order.size, dtype=np.int32)
    terms = seg.terms
    return Segment(
        documents=seg.documents,
        bounds=seg.bounds,
        terms=[terms[i] for i in order.tolist()],
        term_ids=remap[ids],
        indptr=seg.indptr,
        doc_ptr=seg.doc_ptr,
        acronyms=seg.acronyms,
    )


def _acronyms_of(seg: Segment) -> list[Findings]:
    """A segment's per-document acronym findings; a segment read without them cannot merge."""
    if seg.acronyms is None:
        raise ValueError("segment was read without its acronym findings")
    return seg.acronyms


def _ranges(starts: PtrArray, lengths: PtrArray) -> PtrArray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without a loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)
