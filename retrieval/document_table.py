"""An index's documents in compact columns: metadata as UTF-8 strings, texts in one blob.

``DocumentTable`` makes a Document only when one is asked for, and ``PackedColumn`` decodes
one value at a time, so a cached index of 100k+ documents is mapped at load, never parsed.
"""

from __future__ import annotations

import mmap
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from retrieval.models import Document

PtrArray = NDArray[np.int64]
DOC_FIELDS = ("doc_id", "title", "path", "url", "date", "source")
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
        return b"".join(encoded), pointers([len(e) for e in encoded]), missing

    def __len__(self) -> int:
        return int(self._missing.shape[0])

    @overload
    def __getitem__(self, n: int) -> Any: ...

    @overload
    def __getitem__(self, n: slice) -> Sequence[Any]: ...

    def __getitem__(self, n: int | slice) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        n = position(n, len(self))
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
        return cls(dict(columns), b"".join(blobs), pointers([len(b) for b in blobs]))

    def __len__(self) -> int:
        return len(self.columns["doc_id"])

    @overload
    def __getitem__(self, n: int) -> Document: ...

    @overload
    def __getitem__(self, n: slice) -> Sequence[Document]: ...

    def __getitem__(self, n: int | slice) -> Document | Sequence[Document]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        n = position(n, len(self))
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
        return cls(dict(columns), blob, pointers(sizes))


def pointers(sizes: Sequence[int] | NDArray[Any]) -> PtrArray:
    """Start offsets of consecutive pieces of the given sizes, plus the end."""
    ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(np.asarray(sizes, dtype=np.int64), out=ptr[1:])
    return ptr


def position(n: int, length: int) -> int:
    """A sequence index as a position from the start (negative counts from the end)."""
    at = n + length if n < 0 else n
    if not 0 <= at < length:
        raise IndexError(n)
    return at
