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
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.documents import CorpusError, CorpusFile, list_corpus_files
from retrieval.engines import Bm25sEngine, Engine, build_engine_from_arrays
from retrieval.index import Analysis, BM25Params, SentenceIndex
from retrieval.models import IndexStats, LoadWarning
from retrieval.segments import (
    DOC_FIELDS,
    DocumentTable,
    ProgressCallback,
    Segment,
    analyse_files,
    assemble,
    compact,
)
from retrieval.tokens import TOKENIZER_VERSION, Tokenizer

CACHE_VERSION = "2"
# Files up to this size are hashed whole on every load; larger ones are sampled.
SMALL_FILE = 1 << 20
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK = 4096
log = logging.getLogger(__name__)


class CacheError(Exception):
    """A cached index that is missing a file, truncated, or fails its checksum."""


# What reading a damaged cache can raise: every one means "rebuild", never "crash".
DAMAGE = (CacheError, OSError, ValueError, KeyError, TypeError, EOFError, IndexError)


@dataclass
class Previous:
    """An earlier build of the same corpus: its analysis and what it made of each file."""

    segment: Segment
    # (relative path, size, mtime_ns) -> document number, or -1 for a file that was skipped
    documents: dict[tuple[str, int, int], int]
    # relative path -> the warnings reading that file gave
    problems: dict[str, list[str]]


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
    digest.update("".join(f"\n{f.relative}\t{f.size}\t{f.mtime_ns}" for f in files).encode())
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
            shutil.rmtree(folder, ignore_errors=True)
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
        for folder in sorted(candidates, key=lambda p: p.stat().st_mtime_ns, reverse=True):
            try:
                meta = _check(folder)
                if meta.get("tokenizer") != TOKENIZER_VERSION:
                    continue
                return _read_previous(folder, meta)
            except DAMAGE as exc:
                log.warning("cannot reuse index cache %s (%s)", folder, exc)
        return None

    def save(
        self,
        root: Path,
        key: str,
        index: SentenceIndex,
        warnings: list[LoadWarning],
        files: list[CorpusFile] | None = None,
    ) -> Path:
        """Write the index atomically, then drop older caches of the same corpus root."""
        # With ``files`` (the listing the index came from) a later build can reuse the
        # analysis of every file that has not changed.
        parent = self.folder_for(root)
        parent.mkdir(parents=True, exist_ok=True)
        final = parent / key
        tmp = parent / f".{key}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            _write(tmp, index, warnings, files)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for other in parent.iterdir():
            if other.name != key and not other.name.startswith("."):
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


def _write(
    folder: Path, index: SentenceIndex, warnings: list[LoadWarning], files: list[CorpusFile] | None
) -> None:
    analysis = index.analysis
    table = DocumentTable.from_documents(index.documents)
    (folder / "documents.json").write_text(
        json.dumps({name: table.columns[name] for name in DOC_FIELDS}, ensure_ascii=False),
        encoding="utf-8",
    )
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
    if files is not None:
        _write_manifest(folder, files, table, warnings)
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
    folder: Path, files: list[CorpusFile], table: DocumentTable, warnings: list[LoadWarning]
) -> None:
    """For each listed file: its stat, the document it became (or -1) and its own warnings."""
    number = {path: n for n, path in enumerate(table.columns["path"])}
    problems: dict[str, list[str]] = {}
    for w in warnings:
        problems.setdefault(w.path, []).append(w.problem)
    manifest = {
        "relative": [f.relative for f in files],
        "size": [f.size for f in files],
        "mtime_ns": [f.mtime_ns for f in files],
        "document": [number.get(f.relative, -1) for f in files],
        "problems": {f.relative: problems[f.location] for f in files if f.location in problems},
    }
    (folder / "files.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _read_previous(folder: Path, meta: dict[str, Any]) -> Previous:
    manifest = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    keys = zip(manifest["relative"], manifest["size"], manifest["mtime_ns"], strict=True)
    documents = dict(zip(keys, manifest["document"], strict=True))
    return Previous(_read_segment(folder, meta), documents, manifest["problems"])


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


def _read_segment(folder: Path, meta: dict[str, Any]) -> Segment:
    """The cached documents and analysis, large arrays memory-mapped."""
    columns = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    text_ptr = np.load(folder / "text_ptr.npy")
    terms: list[str] = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    segment = Segment(
        documents=DocumentTable(columns, _map(folder / "texts.bin"), text_ptr),
        bounds=np.load(folder / "bounds.npy", mmap_mode="r"),
        terms=terms,
        term_ids=np.load(folder / "term_ids.npy", mmap_mode="r"),
        indptr=np.load(folder / "indptr.npy", mmap_mode="r"),
        doc_ptr=np.load(folder / "doc_ptr.npy"),
    )
    n_docs, n_sent = meta["documents"], meta["sentences"]
    # Shape checks read a few numbers, not the arrays, and catch a file swapped for another.
    if (
        any(len(columns[name]) != n_docs for name in DOC_FIELDS)
        or text_ptr.shape != (n_docs + 1,)
        or int(text_ptr[-1]) != meta["text_bytes"]
        or segment.bounds.shape != (n_sent, 5)
        or segment.indptr.shape != (n_sent + 1,)
        or segment.term_ids.shape != (meta["tokens"],)
        or int(segment.indptr[-1]) != meta["tokens"]
        or segment.doc_ptr.shape != (n_docs + 1,)
        or int(segment.doc_ptr[-1]) != n_sent
        or len(terms) != meta["terms"]
    ):
        raise CacheError("array shapes do not match meta.json")
    return segment


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
    return SentenceIndex(segment.documents, analysis, engine, Tokenizer(), params), warnings


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


def open_index(
    root: Path,
    params: BM25Params,
    cache_dir: Path | None,
    progress: ProgressCallback | None = None,
) -> tuple[SentenceIndex, IndexStats, list[LoadWarning]]:
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
            return index, _stats(index, True, began, folder, saved_warnings), saved_warnings
        previous = cache.previous(resolved, key)
    tokenizer = Tokenizer()
    segment, file_warnings = _analyse_corpus(files, previous, tokenizer, progress)
    warnings.extend(file_warnings)
    if not len(segment.documents):
        raise CorpusError(
            f"corpus folder {str(root)!r} holds no usable .txt or .md file; "
            "add articles there or pass --corpus DIR"
        )
    if progress:
        progress("indexing", 0, 1)
    index = SentenceIndex.from_segment(segment, params, tokenizer)
    del segment, previous  # the old cache's maps: let them go before it is deleted
    if progress:
        progress("indexing", 1, 1)
    path: Path | None = None
    if cache is not None:
        if progress:
            progress("saving", 0, 1)
        try:
            path = cache.save(resolved, key, index, warnings, files)
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
    return index, _stats(index, False, began, path, warnings), warnings


def _analyse_corpus(
    files: list[CorpusFile],
    previous: Previous | None,
    tokenizer: Tokenizer,
    progress: ProgressCallback | None,
) -> tuple[Segment, list[LoadWarning]]:
    """Every file's analysis in corpus order: reused from ``previous`` if unchanged, else made."""
    if previous is None:
        result = analyse_files(files, tokenizer, progress)
        return result.segment, [w for found in result.warnings for w in found]
    known = previous.documents
    # Per file: (True, old document or -1) to reuse, or (False, position among fresh files).
    plan: list[tuple[bool, int]] = []
    fresh: list[CorpusFile] = []
    for f in files:
        doc = known.get((f.relative, f.size, f.mtime_ns))
        if doc is None:
            plan.append((False, len(fresh)))
            fresh.append(f)
        else:
            plan.append((True, doc))
    log.info("reusing the analysis of %d files, reading %d", len(files) - len(fresh), len(fresh))
    result = analyse_files(fresh, tokenizer, progress)
    picks: list[tuple[int, int]] = []
    warnings: list[LoadWarning] = []
    for f, (reused, n) in zip(files, plan, strict=True):
        if reused:
            if n >= 0:
                picks.append((0, n))
            problems = previous.problems.get(f.relative, ())
            warnings.extend(LoadWarning(path=f.location, problem=p) for p in problems)
        else:
            if result.outcomes[n] >= 0:
                picks.append((1, result.outcomes[n]))
            warnings.extend(result.warnings[n])
    # Gather old and new in corpus order, then renumber terms as a fresh build would:
    # the result is the same index, array for array, as building from scratch.
    return compact(assemble([previous.segment, result.segment], picks)), warnings


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
