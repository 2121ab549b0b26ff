"""Analysed documents in compact columns: built per chunk of files (in parallel), merged, reused.

A Segment holds documents (metadata in columns, texts as UTF-8 back to back), their sentences'
bounds, and each sentence's term ids against the segment's own vocabulary. Worker processes
return one Segment per chunk of files; the cache stores the merged one, so a changed corpus
re-reads and re-tokenizes only the files that changed (see ``retrieval.cache``).
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from retrieval.acronyms import Findings, find_acronyms
from retrieval.documents import CorpusFile, parse_front_matter, read_file
from retrieval.models import Document, LoadWarning
from retrieval.sentences import sentence_bounds
from retrieval.tokens import Tokenizer, normalize, raw_words

IntArray = NDArray[np.int32]
PtrArray = NDArray[np.int64]
# (stage, done, total): "reading" counts files, "indexing" and "saving" go 0 -> 1.
ProgressCallback = Callable[[str, int, int], None]
DOC_FIELDS = ("doc_id", "title", "path", "url", "date", "source")
# Below this many bytes of new text, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 8 << 20
# Files per task: large enough that a worker rarely meets a word it has not mapped to ids yet.
CHUNK_FILES = 1024
# How much decoded text DocumentTable keeps for reuse: documents, and characters in all.
DECODED_DOCS = 256
DECODED_CHARS = 256 << 20
Text = bytes | mmap.mmap


class PackedColumn(Sequence[Any]):
    """A column of strings (or None) stored as UTF-8 back to back, decoded one value at a time.

    What a cached index's document columns are: a restart maps them instead of parsing a
    list of 100k+ strings per column, and a question decodes only its hits' values.
    """

    def __init__(self, blob: Text, offsets: PtrArray, missing: NDArray[np.bool_]) -> None:
        self._blob = blob
        self._offsets = offsets
        self._missing = missing

    @staticmethod
    def pack(values: Sequence[Any]) -> tuple[bytes, PtrArray, NDArray[np.bool_]]:
        """(blob, offsets into it, which values are None) for a column of strings or None."""
        encoded = [b"" if v is None else str(v).encode("utf-8") for v in values]
        missing = np.fromiter((v is None for v in values), dtype=np.bool_, count=len(values))
        return b"".join(encoded), _pointers([len(e) for e in encoded]), missing

    def __len__(self) -> int:
        return int(self._missing.shape[0])

    @overload
    def __getitem__(self, n: int) -> Any: ...

    @overload
    def __getitem__(self, n: slice) -> Sequence[Any]: ...

    def __getitem__(self, n: int | slice) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        if self._missing[n]:
            return None
        lo, hi = int(self._offsets[n]), int(self._offsets[n + 1])
        return bytes(self._blob[lo:hi]).decode("utf-8")

    def __iter__(self) -> Iterator[Any]:
        # Plain ints and one pass: a build that reuses a cache reads every value.
        offsets, missing, blob = self._offsets.tolist(), self._missing.tolist(), self._blob
        for i, absent in enumerate(missing):
            yield None if absent else bytes(blob[offsets[i] : offsets[i + 1]]).decode("utf-8")

    def __reduce__(self) -> tuple[Any, ...]:
        # A mapped file does not travel between processes: send the values.
        return (list, (list(self),))


Columns = dict[str, Sequence[Any]]


class DocumentTable(Sequence[Document]):
    """An index's documents in columns; a Document is only made when one is asked for."""

    def __init__(self, columns: Columns, text: Text, text_ptr: PtrArray) -> None:
        self.columns = columns
        self.text_bytes = text
        self.text_ptr = text_ptr
        # Recently decoded texts: one question's hits often share documents, and decoding a
        # large document for each of them would cost more than the search itself.
        self._decoded: OrderedDict[int, str] = OrderedDict()
        self._decoded_chars = 0
        self._decoded_lock = threading.Lock()

    @classmethod
    def from_documents(cls, documents: Sequence[Document]) -> DocumentTable:
        """Columns and one text blob from a list of Documents."""
        if isinstance(documents, DocumentTable):
            return documents
        columns: dict[str, list[Any]] = {name: [] for name in DOC_FIELDS}
        blobs: list[bytes] = []
        for doc in documents:
            for name in DOC_FIELDS:
                columns[name].append(getattr(doc, name))
            blobs.append(doc.text.encode("utf-8"))
        return cls(dict(columns), b"".join(blobs), _pointers([len(b) for b in blobs]))

    def __len__(self) -> int:
        return len(self.columns["doc_id"])

    @overload
    def __getitem__(self, n: int) -> Document: ...

    @overload
    def __getitem__(self, n: slice) -> Sequence[Document]: ...

    def __getitem__(self, n: int | slice) -> Document | Sequence[Document]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        c = self.columns
        # model_construct skips validation: the values were validated when the file was read.
        return Document.model_construct(
            doc_id=c["doc_id"][n],
            title=c["title"][n],
            path=c["path"][n],
            text=self.text(n),
            url=c["url"][n],
            date=c["date"][n],
            source=c["source"][n],
        )

    def __iter__(self) -> Iterator[Document]:
        return (self[i] for i in range(len(self)))

    def __getstate__(self) -> dict[str, Any]:
        # Tables travel between worker processes: send the data, not the cache or its lock.
        return {"columns": self.columns, "text": self.text_bytes, "text_ptr": self.text_ptr}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["columns"], state["text"], state["text_ptr"])  # type: ignore[misc]

    def text(self, n: int) -> str:
        """The text of document ``n``, decoded from the blob on demand (recent ones kept)."""
        with self._decoded_lock:
            found = self._decoded.get(n)
            if found is not None:
                self._decoded.move_to_end(n)
                return found
        lo, hi = int(self.text_ptr[n]), int(self.text_ptr[n + 1])
        text = bytes(self.text_bytes[lo:hi]).decode("utf-8")
        with self._decoded_lock:
            if n not in self._decoded and len(text) <= DECODED_CHARS:
                self._decoded[n] = text
                self._decoded_chars += len(text)
                while self._decoded_chars > DECODED_CHARS or len(self._decoded) > DECODED_DOCS:
                    _, old = self._decoded.popitem(last=False)
                    self._decoded_chars -= len(old)
        return text

    @classmethod
    def concat(cls, tables: Sequence[DocumentTable]) -> DocumentTable:
        """The documents of several tables, one after the other."""
        columns: dict[str, list[Any]] = {name: [] for name in DOC_FIELDS}
        for table in tables:
            for name in DOC_FIELDS:
                columns[name].extend(table.columns[name])
        blob = b"".join(bytes(t.text_bytes[: int(t.text_ptr[-1])]) for t in tables)
        sizes = np.concatenate([np.diff(t.text_ptr) for t in tables]) if tables else np.zeros(0)
        return cls(dict(columns), blob, _pointers(sizes))


@dataclass
class Segment:
    """Documents with their sentences and term ids (CSR), against the segment's own vocabulary.

    ``bounds`` has one row per sentence: document number, start, end, paragraph, position;
    ``doc_ptr[d]:doc_ptr[d + 1]`` are the sentences of document ``d``. ``acronyms`` holds what
    each document says about acronyms (None when not loaded: a cache opened only to serve).
    """

    documents: DocumentTable
    bounds: IntArray
    terms: list[str]
    term_ids: IntArray
    indptr: PtrArray
    doc_ptr: PtrArray
    acronyms: list[Findings] | None

    @property
    def sentences(self) -> int:
        """How many sentences the segment holds."""
        return int(self.bounds.shape[0])


@dataclass
class ChunkResult:
    """What analysing a list of files gives: a segment, and per file its document or -1.

    Per file, too: its warnings (at most one), the digest of its content (None unless it
    became a document) and whether the result may be reused by a later build.
    """

    segment: Segment
    outcomes: list[int]
    warnings: list[list[LoadWarning]] = field(default_factory=list)
    digests: list[str | None] = field(default_factory=list)
    settled: list[bool] = field(default_factory=list)


class SegmentBuilder:
    """Analyses documents one by one into a Segment (used in workers and in-process)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._vocab: dict[str, int] = {}
        # raw word -> its term ids: one lookup a word instead of a stem lookup plus a term lookup
        self._words_ids: dict[str, tuple[int, ...]] = {}
        # array('i') keeps millions of ids compact and hands them to numpy without a copy.
        self._flat = array("i")
        self._indptr: list[int] = [0]
        self._rows = array("i")
        self._docs: list[Document] = []
        self._doc_ptr: list[int] = [0]
        self._acronyms: list[Findings] = []

    def add(self, doc: Document) -> None:
        """Split one document into sentences and map their terms to ids."""
        text = doc.text
        doc_no = len(self._docs)
        flat, rows, indptr = self._flat, self._rows, self._indptr
        words_ids = self._words_ids
        # ASCII text normalises character for character (lower case, straight quotes), so the
        # whole document is normalised once and each sentence's words are found in place;
        # other text is normalised sentence by sentence, exactly as ``tokenize`` does.
        whole = normalize(text) if text.isascii() else None
        for start, end, paragraph, position in sentence_bounds(text, parse_front_matter(text)[1]):
            rows.extend((doc_no, start, end, paragraph, position))
            words = (
                raw_words(whole, start, end)
                if whole is not None
                else raw_words(normalize(text[start:end]))
            )
            try:
                ids = [words_ids[w] for w in words]
            except KeyError:
                ids = [words_ids[w] if w in words_ids else self._learn(w) for w in words]
            flat.extend(chain.from_iterable(ids))
            indptr.append(len(flat))
        self._docs.append(doc)
        self._doc_ptr.append(len(indptr) - 1)
        # Learned here, per file and in the worker, so no question ever scans the corpus.
        self._acronyms.append(find_acronyms(text))

    def _learn(self, word: str) -> tuple[int, ...]:
        """Term ids for a raw word not seen before, numbering new terms as they come."""
        vocab = self._vocab
        ids = tuple(vocab.setdefault(t, len(vocab)) for t in self._tokenizer.word_terms(word))
        self._words_ids[word] = ids
        return ids

    def finish(self) -> Segment:
        """The segment of every document added so far."""
        return Segment(
            documents=DocumentTable.from_documents(self._docs),
            bounds=np.frombuffer(self._rows, dtype=np.int32).reshape(-1, 5).copy(),
            terms=list(self._vocab),
            term_ids=np.frombuffer(self._flat, dtype=np.int32).copy(),
            indptr=np.array(self._indptr, dtype=np.int64),
            doc_ptr=np.array(self._doc_ptr, dtype=np.int64),
            acronyms=list(self._acronyms),
        )


def analyse_documents(documents: Sequence[Document], tokenizer: Tokenizer) -> Segment:
    """One segment for a list of documents, in-process."""
    builder = SegmentBuilder(tokenizer)
    for doc in documents:
        builder.add(doc)
    return builder.finish()


def analyse_chunk(files: Sequence[CorpusFile], tokenizer: Tokenizer | None = None) -> ChunkResult:
    """Read and analyse files; a file that cannot be used gets outcome -1 and its warnings."""
    builder = SegmentBuilder(tokenizer or _worker_tokenizer())
    outcomes: list[int] = []
    warnings: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    added = 0
    for file in files:
        result = read_file(file)
        doc = result.document
        if doc is None:
            outcomes.append(-1)
        else:
            builder.add(doc)
            outcomes.append(added)
            added += 1
        warning = result.warning(file)
        warnings.append([] if warning is None else [warning])
        digests.append(result.digest)
        settled.append(result.settled)
    return ChunkResult(builder.finish(), outcomes, warnings, digests, settled)


# Each worker process keeps one tokenizer (and its memo of stems) for all its chunks.
_TOKENIZERS: list[Tokenizer] = []


def _worker_tokenizer() -> Tokenizer:
    if not _TOKENIZERS:
        _TOKENIZERS.append(Tokenizer())
    return _TOKENIZERS[0]


def worker_count() -> int:
    """How many processes may analyse files: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def analyse_files(
    files: Sequence[CorpusFile],
    tokenizer: Tokenizer,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> ChunkResult:
    """Analyse files into one segment, in parallel when there is enough text to pay for it."""
    workers = worker_count() if workers is None else workers
    total_bytes = sum(f.size for f in files)
    if progress:
        progress("reading", 0, len(files))
    if workers < 2 or total_bytes < PARALLEL_MIN_BYTES or len(files) < 2 * CHUNK_FILES:
        results: list[ChunkResult] = []
        for lo in range(0, len(files), CHUNK_FILES):
            results.append(analyse_chunk(files[lo : lo + CHUNK_FILES], tokenizer))
            if progress:
                progress("reading", min(lo + CHUNK_FILES, len(files)), len(files))
        return merge_chunks(results)
    chunks = [list(files[lo : lo + CHUNK_FILES]) for lo in range(0, len(files), CHUNK_FILES)]
    results = []
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
            for result in pool.map(analyse_chunk, chunks):
                results.append(result)
                done += len(result.outcomes)
                if progress:
                    progress("reading", done, len(files))
    except BrokenProcessPool:
        # A worker died (killed, out of memory, or an unguarded script re-run by spawn):
        # the build still finishes, on one core.
        results = [analyse_chunk(chunk, tokenizer) for chunk in chunks]
    return merge_chunks(results)


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork when this is the only thread (fast, and no re-import of ``__main__``), else spawn.

    Forking a process that runs other threads (the Discord bot rebuilds from one) can copy a
    lock another thread holds into the child, which then waits forever.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def merge_chunks(results: Sequence[ChunkResult]) -> ChunkResult:
    """One result for consecutive chunks: outcomes renumbered, segments concatenated."""
    outcomes: list[int] = []
    warnings: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    offset = 0
    for result in results:
        outcomes.extend(o + offset if o >= 0 else -1 for o in result.outcomes)
        warnings.extend(result.warnings)
        digests.extend(result.digests)
        settled.extend(result.settled)
        offset += len(result.segment.documents)
    segment = concat([r.segment for r in results])
    return ChunkResult(segment, outcomes, warnings, digests, settled)


def empty_segment() -> Segment:
    """A segment without documents."""
    return Segment(
        documents=DocumentTable(
            {name: [] for name in DOC_FIELDS}, b"", np.zeros(1, dtype=np.int64)
        ),
        bounds=np.zeros((0, 5), dtype=np.int32),
        terms=[],
        term_ids=np.zeros(0, dtype=np.int32),
        indptr=np.zeros(1, dtype=np.int64),
        doc_ptr=np.zeros(1, dtype=np.int64),
        acronyms=[],
    )


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
    doc_ptr = _pointers(s_len)
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
    indptr = _pointers(t_len)
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
    documents = DocumentTable(dict(columns), b"".join(pieces), _pointers([len(p) for p in pieces]))
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


def _pointers(sizes: Sequence[int] | NDArray[Any]) -> PtrArray:
    """Start offsets of consecutive pieces of the given sizes, plus the end."""
    ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(np.asarray(sizes, dtype=np.int64), out=ptr[1:])
    return ptr
