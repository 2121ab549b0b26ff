"""The on-disk index cache: keyed by the corpus files' names, sizes and times and the settings.

A restart over an unchanged corpus lists the files (``stat`` only, no reading) and loads the
cached index (``retrieval.cache_format``). Any added, removed or changed file gives a new key;
the new build then reuses the previous cache's analysis of every file whose relative path,
size and mtime are unchanged, so only changed files are read and tokenized again
(``retrieval.rebuild``).

Corruption: every cached file has its size and a checksum in ``meta.json``, checked on every
load (sampled for large files, see ``retrieval.checksums``); ``IndexCache.verify`` hashes
everything. A corrupt or truncated cache is rebuilt, never trusted. Writing is atomic: a
temporary folder renamed into place, so a crash mid-write loses nothing.

Faulty files: a build in which some file could not be read, or changed while it was read, is
saved under a key no listing gives (``<key>-unsettled``): it is never served as the corpus's
index, only reused by the next build, which reads those files again. (A ``chmod`` that makes
a file readable leaves its size and mtime as they were, so a stat-keyed cache would skip it
forever.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import time
from array import array
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from retrieval.acronyms import Findings
from retrieval.cache_format import (
    CACHE_VERSION,
    DAMAGE,
    FileRecords,
    Previous,
    check_folder,
    read_index,
    read_previous,
    write_index,
)
from retrieval.checksums import full_digest
from retrieval.chunks import ProgressCallback
from retrieval.documents import CorpusFile, list_corpus_files
from retrieval.errors import CorpusError
from retrieval.index import BM25Params, SentenceIndex
from retrieval.models import IndexStats, LoadWarning
from retrieval.rebuild import analyse_corpus
from retrieval.tokens import TOKENIZER_VERSION, Tokenizer

log = logging.getLogger(__name__)
# A build whose files were not all read cleanly is saved under a key no listing gives.
UNSETTLED_SUFFIX = "-unsettled"


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
            return read_index(folder, params)
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
                meta = check_folder(folder)
                if meta.get("tokenizer") != TOKENIZER_VERSION:
                    continue
                return read_previous(folder, meta)
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
            write_index(tmp, index, warnings, files, records, acronyms)
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
            if not path.is_file() or full_digest(path) != record["full"]:
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
    build = analyse_corpus(files, previous, tokenizer, progress)
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
