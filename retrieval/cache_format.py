"""The cache's on-disk format: writing an index to a folder, checking it and reading it back.

Every cached file has its size and a checksum in ``meta.json`` (see ``retrieval.checksums``);
large ones are also checked by their numpy header and shape. The large arrays and the
document texts are memory-mapped at load, and documents are kept in columns (no million
objects at load). ``files.json`` (the manifest) records what each listed file became, so a
later build can reuse the analysis of every unchanged file (see ``retrieval.rebuild``).
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.acronyms import Acronyms, Findings, find_acronyms
from retrieval.checksums import SMALL_FILE, file_record, full_digest, sampled_digest
from retrieval.document_table import DOC_FIELDS, DocumentTable, PackedColumn
from retrieval.documents import CorpusFile
from retrieval.engines import Bm25sEngine, Engine, build_engine_from_arrays
from retrieval.errors import IndexUnusableError
from retrieval.index import Analysis, BM25Params, SentenceIndex
from retrieval.models import LoadWarning
from retrieval.segments import Segment
from retrieval.tokens import TOKENIZER_VERSION, Tokenizer

CACHE_VERSION = "5"


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
class FileRecords:
    """Per listed file, for the manifest: its content digest and whether it may be reused."""

    digests: list[str | None]
    reusable: list[bool]


def write_index(
    folder: Path,
    index: SentenceIndex,
    warnings: list[LoadWarning],
    files: list[CorpusFile] | None,
    records: FileRecords | None,
    acronyms: list[Findings] | None,
) -> None:
    """Write an index's files and its meta.json (sizes and checksums) into ``folder``."""
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
        "files": {p.relative_to(folder).as_posix(): file_record(p) for p in paths},
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


def read_previous(folder: Path, meta: dict[str, Any]) -> Previous:
    """A checked cache's analysis and manifest, for a new build to reuse."""
    manifest = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    keys = zip(manifest["relative"], manifest["size"], manifest["mtime_ns"], strict=True)
    values = zip(manifest["document"], manifest["digest"], strict=True)
    documents = dict(zip(keys, values, strict=True))
    segment = _read_segment(folder, meta, True)
    # A build picks most documents from here one by one: lists, not values decoded per pick.
    table = segment.documents
    table.columns = {name: list(column) for name, column in table.columns.items()}
    return Previous(segment, documents, manifest["problems"])


def check_folder(folder: Path) -> dict[str, Any]:
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
        if (full_digest(path) if size <= SMALL_FILE else sampled_digest(path)) != record["check"]:
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
    """Each document's acronym findings as ``write_index`` stored them."""
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


def read_index(folder: Path, params: BM25Params) -> tuple[SentenceIndex, list[LoadWarning]]:
    """The index cached in ``folder`` and its warnings, after checking every file."""
    meta = check_folder(folder)
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
