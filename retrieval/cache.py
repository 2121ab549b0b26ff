"""The on-disk index cache: keyed by the corpus files' names, sizes and times and the settings.

A restart over an unchanged corpus lists the files (``stat`` only, no reading) and loads the
cached index; any added, removed or changed file gives a new key and a rebuild. Every cached
file carries a checksum in ``meta.json``: a corrupt or truncated cache is rebuilt, never trusted.
Writing is atomic: a temporary folder renamed into place, so a crash mid-write loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.documents import (
    CorpusError,
    CorpusFile,
    LoadedCorpus,
    list_corpus_files,
    load_documents,
)
from retrieval.engines import Bm25sEngine, Engine, RankBm25Engine
from retrieval.index import Analysis, BM25Params, SentenceIndex
from retrieval.models import Document, IndexStats, LoadWarning
from retrieval.tokens import TOKENIZER_VERSION, Tokenizer

CACHE_VERSION = "1"
log = logging.getLogger(__name__)


class CacheError(Exception):
    """A cached index that is missing a file, truncated, or fails its checksum."""


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
    for f in files:
        digest.update(f"\n{f.relative}\t{f.size}\t{f.mtime_ns}".encode())
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
        except (CacheError, OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            log.warning("index cache %s is damaged (%s); rebuilding it", folder, exc)
            shutil.rmtree(folder, ignore_errors=True)
            return None

    def save(self, root: Path, key: str, index: SentenceIndex, warnings: list[LoadWarning]) -> Path:
        """Write the index atomically, then drop older caches of the same corpus root."""
        parent = self.folder_for(root)
        parent.mkdir(parents=True, exist_ok=True)
        final = parent / key
        tmp = parent / f".{key}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            _write(tmp, index, warnings)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for other in parent.iterdir():
            if other.name != key and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)
        return final


def _write(folder: Path, index: SentenceIndex, warnings: list[LoadWarning]) -> None:
    analysis = index.analysis
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as out:
        for doc in index.documents:
            out.write(doc.model_dump_json())
            out.write("\n")
    np.save(folder / "bounds.npy", analysis.bounds)
    np.save(folder / "term_ids.npy", analysis.term_ids)
    np.save(folder / "indptr.npy", analysis.indptr)
    terms = sorted(analysis.vocabulary, key=analysis.vocabulary.__getitem__)
    (folder / "vocabulary.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    engine_dir = folder / "engine"
    engine_dir.mkdir()
    index.engine.save(engine_dir)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    meta: dict[str, Any] = {
        "version": CACHE_VERSION,
        "engine": index.params.engine,
        "documents": len(index.documents),
        "sentences": len(index),
        "terms": len(terms),
        "warnings": [w.model_dump() for w in warnings],
        "checksums": {p.relative_to(folder).as_posix(): _checksum(p) for p in files},
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _read(folder: Path, params: BM25Params) -> tuple[SentenceIndex, list[LoadWarning]]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("version") != CACHE_VERSION or meta.get("engine") != params.engine:
        raise CacheError("made by another version or engine")
    for name, expected in meta["checksums"].items():
        path = folder / name
        if not path.is_file() or _checksum(path) != expected:
            raise CacheError(f"{name} is missing or does not match its checksum")
    with (folder / "documents.jsonl").open(encoding="utf-8") as lines:
        documents = [Document.model_validate_json(line) for line in lines]
    terms = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    analysis = Analysis(
        bounds=np.load(folder / "bounds.npy"),
        vocabulary={term: i for i, term in enumerate(terms)},
        term_ids=np.load(folder / "term_ids.npy", mmap_mode="r"),
        indptr=np.load(folder / "indptr.npy"),
    )
    if (
        len(documents) != meta["documents"]
        or analysis.bounds.shape[0] != meta["sentences"]
        or len(terms) != meta["terms"]
    ):
        raise CacheError("counts do not match meta.json")
    engine: Engine
    if params.engine == "bm25s":
        engine = Bm25sEngine.load(folder / "engine", len(analysis.bounds), len(terms))
    else:
        engine = RankBm25Engine.build(analysis.corpus_ids(), len(terms), params.k1, params.b)
    warnings = [LoadWarning.model_validate(w) for w in meta.get("warnings", [])]
    return SentenceIndex(documents, analysis, engine, Tokenizer(), params), warnings


def _checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def open_index(
    root: Path, params: BM25Params, cache_dir: Path | None
) -> tuple[SentenceIndex, IndexStats, list[LoadWarning]]:
    """Load the index of a corpus folder from the cache, or build (and cache) it."""
    began = time.perf_counter()
    warnings: list[LoadWarning] = []
    files = list_corpus_files(root, warnings)
    resolved = root.resolve()
    cache = IndexCache(cache_dir) if cache_dir is not None else None
    key = corpus_key(resolved, files, params)
    if cache is not None:
        cached = cache.load(resolved, key, params)
        if cached is not None:
            index, saved_warnings = cached
            return (
                index,
                _stats(index, True, began, cache.folder_for(resolved) / key, saved_warnings),
                saved_warnings,
            )
    loaded = LoadedCorpus(documents=load_documents(files, warnings), warnings=warnings)
    if not loaded.documents:
        raise CorpusError(
            f"corpus folder {str(root)!r} holds no usable .txt or .md file; "
            "add articles there or pass --corpus DIR"
        )
    index = SentenceIndex.build(loaded.documents, params)
    path: Path | None = None
    if cache is not None:
        try:
            path = cache.save(resolved, key, index, warnings)
        except OSError as exc:
            log.warning(
                "could not write the index cache under %s (%s); continuing without it",
                cache_dir,
                exc,
            )
    return index, _stats(index, False, began, path, warnings), warnings


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
