"""The on-disk index cache: keyed by the corpus files' names, sizes and times and the settings.

A restart over an unchanged corpus lists the files (``stat`` only, no reading) and loads the
cached index: the large arrays and the document texts are memory-mapped, and documents are
kept in columns (no million objects at load). Any added, removed or changed file gives a new
key; the new build then reuses the previous cache's analysis of every file whose relative path,
size and mtime are unchanged, so only changed files are read and tokenized again (the BM25
matrix is rebuilt from the merged term ids, which takes seconds).

Corruption: every cached file has its size and a checksum in ``meta.json``. Small files are
hashed whole on every load; large ones (texts, term ids, the BM25 matrix) are checked by size,
by their numpy header and shape, and by a checksum of 64 sampled blocks plus the last block,
so a restart does not read hundreds of megabytes. ``IndexCache.verify`` hashes everything.
A corrupt or truncated cache is rebuilt, never trusted. Writing is atomic: a temporary folder
renamed into place, so a crash mid-write loses nothing.

Faulty files: a file whose content another file already has (in corpus order) is skipped as a
duplicate. A build in which some file could not be read, or changed while it was read, is saved
under a key no listing gives (``<key>-unsettled``): it is never served as the corpus's index,
only reused by the next build, which reads those files again. (A ``chmod`` that makes a file
readable leaves its size and mtime as they were, so a stat-keyed cache would skip it forever.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import mmap
import os
import shutil
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from retrieval.acronyms import Acronyms, Findings, find_acronyms
from retrieval.documents import (
    CorpusFile,
    duplicate_of,
    duplicate_warning,
    list_corpus_files,
    unique_doc_ids,
)
from retrieval.engines import Bm25sEngine, Engine, build_engine_from_arrays
from retrieval.errors import CorpusError, IndexUnusableError
from retrieval.index import Analysis, BM25Params, SentenceIndex
from retrieval.models import IndexStats, LoadWarning
from retrieval.segments import (
    DOC_FIELDS,
    DocumentTable,
    PackedColumn,
    ProgressCallback,
    Segment,
    analyse_files,
    assemble,
    compact,
)
from retrieval.tokens import TOKENIZER_VERSION, Tokenizer

CACHE_VERSION = "5"
# Files up to this size are hashed whole on every load; larger ones are sampled.
SMALL_FILE = 1 << 20
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK = 4096
log = logging.getLogger(__name__)
# A build whose files were not all read cleanly is saved under a key no listing gives.
UNSETTLED_SUFFIX = "-unsettled"


class CacheError(IndexUnusableError):
    """A cached index that is missing a file, truncated, or fails its checksum."""


# What reading a damaged cache can raise: every one means "rebuild", never "crash".
DAMAGE = (CacheError, OSError, ValueError, KeyError, TypeError, EOFError, IndexError)


@dataclass
class Previous:
    """An earlier build of the same corpus: its analysis and what it made of each file."""

    segment: Segment
    # (relative path, size, mtime_ns) -> document number (-1 for a file that was skipped) and
    # the digest of its content (None unless it became a document)
    documents: dict[tuple[str, int, int], tuple[int, str | None]]
    # relative path -> the warnings reading that file gave
    problems: dict[str, list[str]]


@dataclass
class Build:
    """A corpus analysed: the segment to index, its warnings, and per file what to record."""

    segment: Segment
    warnings: list[LoadWarning]
    digests: list[str | None]
    reusable: list[bool]
    # False if some file could not be read or changed while it was read
    settled: bool

    def records(self) -> FileRecords:
        """What the cache's manifest keeps of each file."""
        return FileRecords(self.digests, self.reusable)


@dataclass
class FileRecords:
    """Per listed file, for the manifest: its content digest and whether it may be reused."""

    digests: list[str | None]
    reusable: list[bool]


def corpus_key(root: Path, files: list[CorpusFile], params: BM25Params) -> str:
    """A digest of everything the index depends on: files (name, size, mtime) and settings."""
    digest = hashlib.sha256()
    head = {
        "cache": CACHE_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "engine": params.engine,
        "k1": params.k1,
        "b": params.b,
        "root": str(root),
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    # Names, sizes and times as three blocks: a restart keys 100k+ files, and formatting a
    # line per file took longer than hashing.
    digest.update("\n".join([f.relative for f in files]).encode())
    digest.update(array("q", [f.size for f in files]).tobytes())
    digest.update(array("q", [f.mtime_ns for f in files]).tobytes())
    return digest.hexdigest()[:32]


class IndexCache:
    """Reads and writes cached indexes below one cache folder."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def folder_for(self, root: Path) -> Path:
        """The folder that holds the caches of one corpus root."""
        return self.cache_dir / hashlib.sha256(str(root).encode()).hexdigest()[:16]

    def load(
        self, root: Path, key: str, params: BM25Params
    ) -> tuple[SentenceIndex, list[LoadWarning]] | None:
        """The cached index for ``key``, or None if absent; a damaged cache is removed."""
        folder = self.folder_for(root) / key
        if not (folder / "meta.json").exists():
            return None
        try:
            return _read(folder, params)
        except DAMAGE as exc:
            log.warning("index cache %s is damaged (%s); rebuilding it", folder, exc)
            _discard(folder)
            return None

    def previous(self, root: Path, key: str) -> Previous | None:
        """The analysis of the newest other cache of this root and what it made of each file."""
        parent = self.folder_for(root)
        if not parent.is_dir():
            return None
        candidates = [
            p
            for p in parent.iterdir()
            if p.name != key and not p.name.startswith(".") and (p / "files.json").is_file()
        ]
        for folder in sorted(candidates, key=_mtime_or_zero, reverse=True):
            try:
                meta = _check(folder)
                if meta.get("tokenizer") != TOKENIZER_VERSION:
                    continue
                return _read_previous(folder, meta)
            except DAMAGE as exc:
                log.info("not reusing index cache %s (%s); reading the files again", folder, exc)
        return None

    def save(
        self,
        root: Path,
        key: str,
        index: SentenceIndex,
        warnings: list[LoadWarning],
        files: list[CorpusFile] | None = None,
        records: FileRecords | None = None,
        acronyms: list[Findings] | None = None,
    ) -> Path:
        """Write the index atomically, then drop older caches of the same corpus root."""
        # With ``files`` (the listing the index came from) a later build can reuse the
        # analysis of every file that has not changed (and is marked reusable in ``records``).
        # ``acronyms`` are the documents' own findings (found again from the texts if absent).
        parent = self.folder_for(root)
        parent.mkdir(parents=True, exist_ok=True)
        final = parent / key
        tmp = parent / f".{key}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            _write(tmp, index, warnings, files, records, acronyms)
            if final.exists() and not key.endswith(UNSETTLED_SUFFIX):
                # Another process saved this very listing first: the same content, keep it.
                return final
            if final.exists():
                _discard(final)
            try:
                tmp.rename(final)
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                # A concurrent writer won the rename: its cache stands in for ours.
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for other in parent.iterdir():
            if other.name != key and (not other.name.startswith(".") or _abandoned(other)):
                shutil.rmtree(other, ignore_errors=True)
        return final

    def verify(self, root: Path, key: str) -> list[str]:
        """Hash every cached file in full; the names that do not match (slow, thorough)."""
        folder = self.folder_for(root) / key
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        bad: list[str] = []
        for name, record in meta["files"].items():
            path = folder / name
            if not path.is_file() or _full_digest(path) != record["full"]:
                bad.append(name)
        return bad


def _discard(folder: Path) -> None:
    """Remove a cache folder by renaming it aside first, so no reader sees it half deleted."""
    # Named like a temporary folder of this process, so a crash mid-delete is cleaned up later.
    aside = folder.with_name(f".{folder.name}.discard.tmp-{os.getpid()}")
    try:
        folder.rename(aside)
    except OSError:
        return  # already gone, or replaced by another process: nothing of ours to remove
    shutil.rmtree(aside, ignore_errors=True)


def _mtime_or_zero(folder: Path) -> int:
    """A folder's modification time; 0 if another process removed it meanwhile."""
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0


def _abandoned(folder: Path) -> bool:
    """A temporary folder whose writer is gone (it crashed mid-write): safe to delete."""
    _, sep, pid = folder.name.rpartition(".tmp-")
    if not sep or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def _write(
    folder: Path,
    index: SentenceIndex,
    warnings: list[LoadWarning],
    files: list[CorpusFile] | None,
    records: FileRecords | None,
    acronyms: list[Findings] | None,
) -> None:
    analysis = index.analysis
    table = DocumentTable.from_documents(index.documents)
    # Document columns as UTF-8 back to back with offsets: mapped at load, never parsed.
    packed = [PackedColumn.pack(table.columns[name]) for name in DOC_FIELDS]
    base = np.cumsum([0] + [len(blob) for blob, _, _ in packed[:-1]])
    with (folder / "columns.bin").open("wb") as out:
        for blob, _, _ in packed:
            out.write(blob)
    pointers = [offsets + start for (_, offsets, _), start in zip(packed, base, strict=True)]
    np.save(folder / "column_ptr.npy", np.stack(pointers).astype(np.int64))
    np.save(folder / "column_none.npy", np.stack([m for _, _, m in packed]))
    with (folder / "texts.bin").open("wb") as out:
        out.write(table.text_bytes[: int(table.text_ptr[-1])])
    np.save(folder / "text_ptr.npy", np.asarray(table.text_ptr, dtype=np.int64))
    np.save(folder / "bounds.npy", np.asarray(analysis.bounds, dtype=np.int32))
    np.save(folder / "term_ids.npy", np.asarray(analysis.term_ids, dtype=np.int32))
    np.save(folder / "indptr.npy", np.asarray(analysis.indptr, dtype=np.int64))
    doc_ptr = np.searchsorted(np.asarray(analysis.bounds[:, 0]), np.arange(len(table) + 1))
    np.save(folder / "doc_ptr.npy", doc_ptr.astype(np.int64))
    terms = sorted(analysis.vocabulary, key=analysis.vocabulary.__getitem__)
    (folder / "vocabulary.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    if acronyms is None:
        acronyms = [find_acronyms(doc.text) for doc in index.documents]
    # Per document, for the next build to merge without re-reading; the merged table to serve.
    (folder / "acronyms.json").write_text(
        json.dumps([[f.pairs, f.guesses] for f in acronyms], ensure_ascii=False), encoding="utf-8"
    )
    (folder / "acronym_table.json").write_text(
        json.dumps(index.acronyms.to_json(), ensure_ascii=False), encoding="utf-8"
    )
    if files is not None:
        _write_manifest(folder, files, table, warnings, records)
    engine_dir = folder / "engine"
    engine_dir.mkdir()
    index.engine.save(engine_dir)
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    meta: dict[str, Any] = {
        "version": CACHE_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "engine": index.params.engine,
        "documents": len(table),
        "sentences": len(index),
        "terms": len(terms),
        "tokens": int(analysis.term_ids.size),
        "text_bytes": int(table.text_ptr[-1]),
        "warnings": [w.model_dump() for w in warnings],
        "files": {p.relative_to(folder).as_posix(): _record(p) for p in paths},
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _write_manifest(
    folder: Path,
    files: list[CorpusFile],
    table: DocumentTable,
    warnings: list[LoadWarning],
    records: FileRecords | None,
) -> None:
    """For each listed file: its stat, the document it became (or -1) and its own warnings."""
    number = {path: n for n, path in enumerate(table.columns["path"])}
    problems: dict[str, list[str]] = {}
    for w in warnings:
        problems.setdefault(w.path, []).append(w.problem)
    if records is None:
        records = FileRecords([None] * len(files), [False] * len(files))
    manifest = {
        "relative": [f.relative for f in files],
        # A size no file has keeps a file that must be read again from matching.
        "size": [f.size if ok else -1 for f, ok in zip(files, records.reusable, strict=True)],
        "mtime_ns": [f.mtime_ns for f in files],
        "document": [number.get(f.relative, -1) for f in files],
        "digest": records.digests,
        "problems": {f.relative: problems[f.location] for f in files if f.location in problems},
    }
    (folder / "files.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _read_previous(folder: Path, meta: dict[str, Any]) -> Previous:
    manifest = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    keys = zip(manifest["relative"], manifest["size"], manifest["mtime_ns"], strict=True)
    values = zip(manifest["document"], manifest["digest"], strict=True)
    documents = dict(zip(keys, values, strict=True))
    segment = _read_segment(folder, meta, True)
    # A build picks most documents from here one by one: lists, not values decoded per pick.
    table = segment.documents
    table.columns = {name: list(column) for name, column in table.columns.items()}
    return Previous(segment, documents, manifest["problems"])


def _check(folder: Path) -> dict[str, Any]:
    """meta.json, after checking every listed file's size and (whole or sampled) checksum."""
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("version") != CACHE_VERSION:
        raise CacheError("made by another version")
    for name, record in meta["files"].items():
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            raise CacheError(f"{name} is missing") from None
        if size != record["size"]:
            raise CacheError(f"{name} has {size} bytes, expected {record['size']}")
        if (_full_digest(path) if size <= SMALL_FILE else _sampled_digest(path)) != record["check"]:
            raise CacheError(f"{name} does not match its checksum")
    return meta


def _read_segment(folder: Path, meta: dict[str, Any], with_acronyms: bool = False) -> Segment:
    """The cached documents and analysis, large arrays memory-mapped."""
    blob = _map(folder / "columns.bin")
    # Small (16 bytes a document), read whole: element access on a memmap is slow.
    column_ptr = np.load(folder / "column_ptr.npy")
    column_none = np.load(folder / "column_none.npy")
    columns: dict[str, Sequence[Any]] = {
        name: PackedColumn(blob, column_ptr[i], column_none[i]) for i, name in enumerate(DOC_FIELDS)
    }
    text_ptr = np.load(folder / "text_ptr.npy")
    terms: list[str] = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    segment = Segment(
        documents=DocumentTable(columns, _map(folder / "texts.bin"), text_ptr),
        bounds=np.load(folder / "bounds.npy", mmap_mode="r"),
        terms=terms,
        term_ids=np.load(folder / "term_ids.npy", mmap_mode="r"),
        indptr=np.load(folder / "indptr.npy", mmap_mode="r"),
        doc_ptr=np.load(folder / "doc_ptr.npy"),
        # Only a build merges per-document findings; serving needs the merged table alone.
        acronyms=_read_findings(folder / "acronyms.json") if with_acronyms else None,
    )
    n_docs, n_sent = meta["documents"], meta["sentences"]
    # Shape checks read a few numbers, not the arrays, and catch a file swapped for another.
    if (
        column_ptr.shape != (len(DOC_FIELDS), n_docs + 1)
        or column_none.shape != (len(DOC_FIELDS), n_docs)
        or int(column_ptr[-1, -1]) != len(blob)
        or text_ptr.shape != (n_docs + 1,)
        or int(text_ptr[-1]) != meta["text_bytes"]
        or segment.bounds.shape != (n_sent, 5)
        or segment.indptr.shape != (n_sent + 1,)
        or segment.term_ids.shape != (meta["tokens"],)
        or int(segment.indptr[-1]) != meta["tokens"]
        or segment.doc_ptr.shape != (n_docs + 1,)
        or int(segment.doc_ptr[-1]) != n_sent
        or len(terms) != meta["terms"]
        or (segment.acronyms is not None and len(segment.acronyms) != n_docs)
    ):
        raise CacheError("array shapes do not match meta.json")
    return segment


def _read_findings(path: Path) -> list[Findings]:
    """Each document's acronym findings as ``_write`` stored them."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        Findings(tuple((a, b) for a, b in pairs), tuple((a, b) for a, b in guesses))
        for pairs, guesses in rows
    ]


def _map(path: Path) -> bytes | mmap.mmap:
    """A read-only memory map of a file (b"" for an empty one, which mmap refuses)."""
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _read(folder: Path, params: BM25Params) -> tuple[SentenceIndex, list[LoadWarning]]:
    meta = _check(folder)
    if meta.get("engine") != params.engine or meta.get("tokenizer") != TOKENIZER_VERSION:
        raise CacheError("made by another engine or tokenizer")
    segment = _read_segment(folder, meta)
    analysis = Analysis(
        bounds=segment.bounds,
        vocabulary={term: i for i, term in enumerate(segment.terms)},
        term_ids=segment.term_ids,
        indptr=segment.indptr,
    )
    engine: Engine
    if params.engine == "bm25s":
        engine = Bm25sEngine.load(folder / "engine", segment.sentences, len(segment.terms))
    else:
        engine = build_engine_from_arrays(
            params.engine, segment.term_ids, segment.indptr, len(segment.terms), params.k1, params.b
        )
    warnings = [LoadWarning.model_validate(w) for w in meta.get("warnings", [])]
    acronyms = Acronyms.from_json(
        json.loads((folder / "acronym_table.json").read_text(encoding="utf-8"))
    )
    index = SentenceIndex(segment.documents, analysis, engine, Tokenizer(), params, acronyms)
    return index, warnings


def _record(path: Path) -> dict[str, Any]:
    size = path.stat().st_size
    full = _full_digest(path)
    return {
        "size": size,
        "full": full,
        "check": full if size <= SMALL_FILE else _sampled_digest(path),
    }


def _full_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _sampled_digest(path: Path) -> str:
    """A checksum of 64 evenly spaced 4 KiB blocks and the last block: milliseconds, any size."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as data:
        size = os.fstat(data.fileno()).st_size
        digest.update(str(size).encode())
        last = max(0, size - SAMPLE_BLOCK)
        for i in range(SAMPLE_BLOCKS):
            digest.update(os.pread(data.fileno(), SAMPLE_BLOCK, last * i // (SAMPLE_BLOCKS - 1)))
        digest.update(os.pread(data.fileno(), SAMPLE_BLOCK, last))
    return digest.hexdigest()


class OpenedIndex(BaseModel):
    """An index ready to search, how it was obtained, and the files skipped or repaired."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    index: SentenceIndex
    stats: IndexStats
    warnings: list[LoadWarning]


def open_index(
    root: Path,
    params: BM25Params,
    cache_dir: Path | None,
    progress: ProgressCallback | None = None,
) -> OpenedIndex:
    """Load the index of a corpus folder from the cache, or build (and cache) it."""
    # progress(stage, done, total) is called while building: stage "reading" counts files,
    # then "indexing" and "saving" go from 0 to 1. A cache hit calls it not at all.
    began = time.perf_counter()
    warnings: list[LoadWarning] = []
    files = list_corpus_files(root, warnings)
    resolved = root.resolve()
    cache = IndexCache(cache_dir) if cache_dir is not None else None
    key = corpus_key(resolved, files, params)
    previous = None
    if cache is not None:
        cached = cache.load(resolved, key, params)
        if cached is not None:
            index, saved_warnings = cached
            folder = cache.folder_for(resolved) / key
            stats = _stats(index, True, began, folder, saved_warnings)
            return OpenedIndex(index=index, stats=stats, warnings=saved_warnings)
        previous = cache.previous(resolved, key)
    tokenizer = Tokenizer()
    build = _analyse_corpus(files, previous, tokenizer, progress)
    segment = build.segment
    warnings.extend(build.warnings)
    if not build.settled:
        log.info(
            "some files could not be read or changed while being read; "
            "they will be read again on the next start"
        )
        key = (
            f"{key}{UNSETTLED_SUFFIX}"  # no listing gives this key: only ever reused, never served
        )
    if not len(segment.documents):
        raise CorpusError(
            f"corpus folder {str(root)!r} holds no usable .txt or .md file; "
            "add articles there or pass --corpus DIR"
        )
    if progress:
        progress("indexing", 0, 1)
    index = SentenceIndex.from_segment(segment, params, tokenizer)
    records = build.records()
    findings = segment.acronyms
    del segment, previous, build  # the old cache's maps: let them go before it is deleted
    if progress:
        progress("indexing", 1, 1)
    path: Path | None = None
    if cache is not None:
        if progress:
            progress("saving", 0, 1)
        try:
            path = cache.save(resolved, key, index, warnings, files, records, findings)
        except OSError as exc:
            log.warning(
                "could not write the index cache under %s (%s); continuing without it",
                cache_dir,
                exc,
            )
        else:
            if params.engine == "bm25s":
                # Serve from the memory-mapped cache just written, not the arrays built in
                # memory: a long-running bot then holds after a rebuild what it holds after a
                # restart. (rank-bm25 has no on-disk form: reloading would rebuild it.)
                mapped = cache.load(resolved, key, params)
                if mapped is not None:
                    index = mapped[0]
        if progress:
            progress("saving", 1, 1)
    stats = _stats(index, False, began, path, warnings)
    return OpenedIndex(index=index, stats=stats, warnings=warnings)


def _analyse_corpus(
    files: list[CorpusFile],
    previous: Previous | None,
    tokenizer: Tokenizer,
    progress: ProgressCallback | None,
) -> Build:
    """Every file's analysis in corpus order: reused from ``previous`` if unchanged, else made."""
    known = previous.documents if previous is not None else {}
    problems = previous.problems if previous is not None else {}
    # Per file: (True, old document or -1) to reuse, or (False, position among fresh files).
    plan: list[tuple[bool, int]] = []
    fresh: list[CorpusFile] = []
    # Digests of the unchanged documents so far: a duplicate last time is one still (and is
    # not read again) if the file it repeated is unchanged and comes earlier in corpus order.
    kept_digests: set[str] = set()
    for f in files:
        old = known.get((f.relative, f.size, f.mtime_ns))
        was_duplicate = old is not None and old[0] < 0 and old[1] is not None
        if old is None or (was_duplicate and old[1] not in kept_digests):
            plan.append((False, len(fresh)))
            fresh.append(f)
        else:
            plan.append((True, old[0]))
            if old[0] >= 0 and old[1] is not None:
                kept_digests.add(old[1])
    if previous is not None:
        log.info(
            "reusing the analysis of %d files, reading %d", len(files) - len(fresh), len(fresh)
        )
    result = analyse_files(fresh, tokenizer, progress)
    # Per file: (segment, document) or None, its warnings, its content digest, settled or not.
    picks: list[tuple[int, int] | None] = []
    found: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    for f, (reused, n) in zip(files, plan, strict=True):
        if reused:
            picks.append((0, n) if n >= 0 else None)
            found.append(
                [LoadWarning(path=f.location, problem=p) for p in problems.get(f.relative, ())]
            )
            digests.append(known[(f.relative, f.size, f.mtime_ns)][1])
            settled.append(True)
        else:
            outcome = result.outcomes[n]
            picks.append((1, outcome) if outcome >= 0 else None)
            found.append(result.warnings[n])
            digests.append(result.digests[n])
            settled.append(result.settled[n])
    # The same content under two names is indexed once, as the first name in corpus order,
    # so an answer does not cite it twice.
    duplicates = duplicate_of(
        files, [d if p else None for d, p in zip(digests, picks, strict=True)]
    )
    for n, original in duplicates.items():
        picks[n] = None
        found[n] = [duplicate_warning(files[n], original)]
    # A duplicate keeps its digest in the manifest, so the next build need not read it again.
    reusable = settled
    warnings = [w for ws in found for w in ws]
    kept = [p for p in picks if p is not None]
    if previous is None and not duplicates:
        segment = result.segment  # already every document, in corpus order
    else:
        # Gather old and new in corpus order, then renumber terms as a fresh build would:
        # the result is the same index, array for array, as building from scratch.
        sources = [result.segment] if previous is None else [previous.segment, result.segment]
        if previous is None:
            kept = [(0, n) for _, n in kept]
        segment = compact(assemble(sources, kept))
    # Ids come from the paths on every build, so a collision that appears or goes away
    # (a.txt joined by a.md) renames the ids of reused documents too.
    segment.documents.columns["doc_id"] = unique_doc_ids(segment.documents.columns["path"])
    return Build(segment, warnings, digests, reusable, all(settled))


def _stats(
    index: SentenceIndex,
    from_cache: bool,
    began: float,
    path: Path | None,
    warnings: list[LoadWarning],
) -> IndexStats:
    return IndexStats(
        documents=len(index.documents),
        sentences=len(index),
        vocabulary=index.vocabulary_size,
        engine=index.params.engine,
        from_cache=from_cache,
        seconds=time.perf_counter() - began,
        cache_path=str(path) if path else None,
        skipped=sum(1 for w in warnings if w.problem.startswith("skipped")),
    )
