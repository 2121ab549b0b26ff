"""Loading a corpus folder: ``.txt``/``.md`` files, recursively, with optional front matter."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.errors import CorpusError
from retrieval.models import Document, LoadWarning

SUFFIXES = frozenset({".txt", ".md"})
_ENDINGS = tuple(SUFFIXES)
FRONT_MATTER_KEYS = frozenset({"title", "url", "date", "source"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# Control characters other than tab/newline/CR in the first KiB mark a binary file.
_BINARY_SAMPLE = 1024
_CONTROL = frozenset(range(0, 9)) | frozenset({11, 12}) | frozenset(range(14, 32)) - {27}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


class CorpusFile:
    """A candidate file with what ``stat`` says of it (used to key the cache without reading)."""

    # A plain class, not a dataclass: ``path`` is made from a string on first use, because
    # building 100k+ Path objects costs a restart more than listing the files does.
    __slots__ = ("_path", "mtime_ns", "relative", "size")

    def __init__(self, path: Path | str, relative: str, size: int, mtime_ns: int) -> None:
        self._path = path
        self.relative = relative
        self.size = size
        self.mtime_ns = mtime_ns

    @property
    def path(self) -> Path:
        """The file's full path."""
        if isinstance(self._path, str):
            self._path = Path(self._path)
        return self._path

    @property
    def location(self) -> str:
        """The file's full path as a string (what warnings name)."""
        return str(self._path)

    def read(self) -> tuple[bytes, os.stat_result]:
        """The file's bytes, and what ``fstat`` says of it once they are read."""
        # The reading boundary: a test subclass overrides it to fail as the OS would.
        with self.path.open("rb") as data:
            raw = data.read()
            return raw, os.fstat(data.fileno())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CorpusFile):
            return NotImplemented
        return (self.location, self.relative, self.size, self.mtime_ns) == (
            other.location,
            other.relative,
            other.size,
            other.mtime_ns,
        )

    def __hash__(self) -> int:
        return hash((self.location, self.relative, self.size, self.mtime_ns))

    def __repr__(self) -> str:
        return f"CorpusFile({self.location!r}, {self.relative!r}, {self.size}, {self.mtime_ns})"


@dataclass
class LoadedCorpus:
    """The documents that loaded, and a warning for each file that was skipped or repaired."""

    documents: list[Document] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """How many files were left out."""
        return sum(1 for w in self.warnings if w.problem.startswith("skipped"))


def check_corpus_dir(root: Path) -> Path:
    """Return the resolved corpus folder or raise a CorpusError naming the path and the fix."""
    if not root.exists():
        raise CorpusError(
            f"corpus folder {str(root)!r} does not exist; pass --corpus DIR or set QABOT_CORPUS"
        )
    if not root.is_dir():
        raise CorpusError(
            f"corpus path {str(root)!r} is not a folder; pass a folder of .txt/.md files"
        )
    return root.resolve()


def list_corpus_files(root: Path, warnings: list[LoadWarning] | None = None) -> list[CorpusFile]:
    """Every visible ``.txt``/``.md`` file below ``root``, sorted, with its size and mtime."""
    root = check_corpus_dir(root)
    found: list[CorpusFile] = []
    _collect(root, "", set(), warnings if warnings is not None else [], found)
    found.sort(key=_relative)
    return found


def _relative(file: CorpusFile) -> str:
    return file.relative


def _collect(
    directory: Path,
    prefix: str,
    seen: set[tuple[int, int]],
    warnings: list[LoadWarning],
    found: list[CorpusFile],
) -> None:
    """Add the corpus files below ``directory`` to ``found``; symlinked folders followed once."""
    # A restart lists 100k+ files before anything else: one scandir a folder and one stat a
    # file (through the DirEntry), no Path objects, no per-folder sort (the caller sorts once).
    try:
        st = directory.stat()
    except OSError as exc:
        warnings.append(LoadWarning(path=str(directory), problem=f"skipped: {_reason(exc)}"))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        warnings.append(
            LoadWarning(path=str(directory), problem="skipped: folder seen before (symlink loop)")
        )
        return
    seen.add(key)
    folders: list[os.DirEntry[str]] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_dir():
                        folders.append(entry)
                    elif not name.lower().endswith(_ENDINGS):
                        continue
                    elif entry.is_file():
                        st = entry.stat()
                        found.append(
                            CorpusFile(entry.path, prefix + name, st.st_size, st.st_mtime_ns)
                        )
                    elif entry.is_symlink():
                        warnings.append(
                            LoadWarning(
                                path=entry.path, problem="skipped: broken or looping symlink"
                            )
                        )
                except OSError as exc:
                    problem = f"skipped: {_reason(exc)}"
                    warnings.append(LoadWarning(path=entry.path, problem=problem))
    except OSError as exc:
        warnings.append(LoadWarning(path=str(directory), problem=f"skipped: {_reason(exc)}"))
        return
    # Folders in name order, so which of two links to one folder is followed never varies.
    for entry in sorted(folders, key=lambda e: e.name):
        _collect(Path(entry.path), f"{prefix}{entry.name}/", seen, warnings, found)


def _reason(exc: OSError) -> str:
    """A short reason for an OS error, without the traceback."""
    return exc.strerror.lower() if exc.strerror else type(exc).__name__


@dataclass(frozen=True, slots=True)
class FileRead:
    """What reading one file gave: its document (or None) and at most one problem."""

    document: Document | None
    problem: str | None = None
    # blake2b of the raw bytes: two files with the same digest are duplicates.
    digest: str | None = None
    # False when the read failed or the file changed under it: this result is for this build
    # only, and the file must be read again next time (a fix such as chmod leaves the mtime).
    settled: bool = True

    def warning(self, file: CorpusFile) -> LoadWarning | None:
        """The one warning naming this file, if it has a problem."""
        return (
            None if self.problem is None else LoadWarning(path=file.location, problem=self.problem)
        )


def read_file(file: CorpusFile) -> FileRead:
    """Read one file into a Document, or say why it cannot be used (one problem a file)."""
    try:
        raw, after = file.read()
    except FileNotFoundError:
        return FileRead(None, "skipped: vanished after it was listed", settled=False)
    except OSError as exc:
        return FileRead(None, f"skipped: {_reason(exc)}", settled=False)
    # A file written to while it was listed and read: what was read may be half old, half
    # new. It is indexed as read, and not reused by the next build, which reads it again.
    changed = after.st_size != file.size or after.st_mtime_ns != file.mtime_ns
    notes = ["changed while indexing; indexed as read"] if changed else []
    settled = not changed
    if not raw.strip():
        return FileRead(None, "skipped: empty file", settled=settled)
    if _looks_binary(raw):
        return FileRead(None, "skipped: binary file", settled=settled)
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        notes.append("not valid UTF-8; undecodable bytes replaced with U+FFFD")
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    meta, body_start = parse_front_matter(text)
    if not text[body_start:].strip():
        return FileRead(None, "skipped: no text after front matter", settled=settled)
    doc = Document(
        doc_id=_doc_id(file.relative),
        title=meta.get("title") or _title_from_name(file.path),
        path=file.relative,
        text=text,
        url=meta.get("url"),
        date=meta.get("date"),
        source=meta.get("source"),
    )
    return FileRead(doc, "; ".join(notes) or None, digest, settled)


def read_document(file: CorpusFile, warnings: list[LoadWarning]) -> Document | None:
    """Read one file into a Document, or append a warning and return None if it cannot be used."""
    result = read_file(file)
    warning = result.warning(file)
    if warning is not None:
        warnings.append(warning)
    return result.document


def duplicate_of(files: list[CorpusFile], digests: list[str | None]) -> dict[int, CorpusFile]:
    """For each file whose content an earlier file (in corpus order) has: that earlier file."""
    first: dict[str, CorpusFile] = {}
    found: dict[int, CorpusFile] = {}
    for n, (file, digest) in enumerate(zip(files, digests, strict=True)):
        if digest is None:
            continue
        original = first.setdefault(digest, file)
        if original is not file:
            found[n] = original
    return found


def duplicate_warning(file: CorpusFile, original: CorpusFile) -> LoadWarning:
    """The one warning for a file skipped because another file has the same content."""
    return LoadWarning(path=file.location, problem=f"skipped: duplicate of {original.location}")


def load_documents(files: list[CorpusFile], warnings: list[LoadWarning]) -> list[Document]:
    """Read every file, skipping (with one warning each) those that cannot be used or repeat."""
    results = [read_file(file) for file in files]
    duplicates = duplicate_of(files, [r.digest if r.document else None for r in results])
    documents: list[Document] = []
    for n, (file, result) in enumerate(zip(files, results, strict=True)):
        if n in duplicates:
            warnings.append(duplicate_warning(file, duplicates[n]))
            continue
        warning = result.warning(file)
        if warning is not None:
            warnings.append(warning)
        if result.document is not None:
            documents.append(result.document)
    ids = unique_doc_ids([d.path for d in documents])
    return [
        d if d.doc_id == i else d.model_copy(update={"doc_id": i})
        for d, i in zip(documents, ids, strict=True)
    ]


def load_corpus(root: Path) -> LoadedCorpus:
    """Load every usable document below ``root``; raise CorpusError if none can be used."""
    loaded = LoadedCorpus()
    files = list_corpus_files(root, loaded.warnings)
    loaded.documents = load_documents(files, loaded.warnings)
    if not loaded.documents:
        raise CorpusError(
            f"corpus folder {str(root)!r} holds no usable .txt or .md file; "
            "add articles there or pass --corpus DIR"
        )
    return loaded


def parse_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Front matter keys (title, url, date, source) and where the body starts."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, 0
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in FRONT_MATTER_KEYS:
            meta[key] = value.strip().strip("\"'")
    return meta, match.end()


def _looks_binary(raw: bytes) -> bool:
    """True for data that is not text: a NUL byte, or many control bytes near the start."""
    sample = raw[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    # translate() deletes every other byte in C: what is left are the control bytes.
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > len(sample) // 10


def _doc_id(relative: str) -> str:
    """A stable id: the relative path without its suffix (``minusma-withdrawal``)."""
    return relative.rsplit(".", 1)[0]


def unique_doc_ids(paths: Sequence[str]) -> list[str]:
    """Each document's id: its path without the suffix, or the whole path where two collide.

    ``a.txt`` and ``a.md`` would both be ``a``; a citation's doc_id must name one text.
    """
    ids = [_doc_id(p) for p in paths]
    counts = Counter(ids)
    return [p if counts[i] > 1 else i for i, p in zip(ids, paths, strict=True)]


def _title_from_name(path: Path) -> str:
    """A readable title from a file name: ``minusma-withdrawal.txt`` -> ``Minusma withdrawal``."""
    stem = re.sub(r"[-_]+", " ", path.stem).strip()
    return stem[:1].upper() + stem[1:] if stem else path.name
