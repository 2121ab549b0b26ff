"""Finding an index's documents by id and their sentences by document, without building them.

``DocumentLookup`` is the part of ``SentenceIndex`` that answers "which document": ids and
titles in index order, an id checked (with the closest ids when unknown), a sentence row's
document, a document's rows and a sentence's paragraph. Maps are built on first use, not at load.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from retrieval.document_table import DocumentTable
from retrieval.errors import UnknownDocumentError
from retrieval.models import Document

if TYPE_CHECKING:
    from retrieval.index import Analysis


class DocumentLookup:
    """Document lookups for a class holding ``documents`` and their sentences' ``analysis``."""

    documents: Sequence[Document]
    analysis: Analysis
    # Built on first use (see SentenceIndex.__init__): id -> number, sentence row ranges, ids.
    _doc_numbers: dict[str, int] | None
    _doc_ptr: NDArray[np.int64] | None
    _ids: list[str] | None

    def doc_ids(self) -> list[str]:
        """Every document's id, in index order."""
        documents = self.documents
        if isinstance(documents, DocumentTable):
            return [str(doc_id) for doc_id in documents.columns["doc_id"]]
        return [doc.doc_id for doc in documents]

    def titles(self) -> list[str]:
        """Every document's title, in index order."""
        documents = self.documents
        if isinstance(documents, DocumentTable):
            return [str(title) for title in documents.columns["title"]]
        return [doc.title for doc in documents]

    def has_document(self, doc_id: str) -> bool:
        """True when a document with this id is indexed."""
        return self._doc_number(doc_id) is not None

    def require(self, doc_id: str) -> str:
        """The id itself when indexed; else raise naming the closest ids."""
        if self.has_document(doc_id):
            return doc_id
        ids = self.doc_ids()
        close = difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.3)
        if not close:
            close = [i for i in ids if doc_id.lower() in i.lower()][:3] or ids[:3]
        listed = ", ".join(repr(c) for c in close)
        raise UnknownDocumentError(
            f"no article with id {doc_id!r}; the closest ids are {listed} "
            "(qabot search or the REPL's :sources lists them)"
        )

    def doc_of(self, row: int) -> str | None:
        """The id of the document holding global sentence ``row`` (None when out of range)."""
        if not 0 <= row < int(self.analysis.bounds.shape[0]):
            return None
        if self._ids is None:
            self._ids = self.doc_ids()
        return self._ids[int(self.analysis.bounds[row, 0])]

    def rows_of(self, doc_id: str) -> tuple[int, int] | None:
        """The global sentence numbers ``[lo, hi)`` of one document, or None if unknown."""
        doc_no = self._doc_number(doc_id)
        return None if doc_no is None else self._sentences_of(doc_no)

    def paragraph(self, doc_id: str, start: int) -> str:
        """The paragraph holding the sentence starting at ``start`` in ``doc_id`` ("" if none)."""
        doc_no = self._doc_number(doc_id)
        if doc_no is None:
            return ""
        lo, hi = self._sentences_of(doc_no)
        # Only this document's rows: a scan of every sentence costs milliseconds at a million.
        bounds = np.asarray(self.analysis.bounds[lo:hi])
        rows = np.flatnonzero((bounds[:, 1] <= start) & (bounds[:, 2] > start))
        if rows.size == 0:
            return ""
        paragraph = bounds[rows[0], 3]
        same = np.flatnonzero(bounds[:, 3] == paragraph)
        text = self._text(doc_no)
        return text[int(bounds[same[0], 1]) : int(bounds[same[-1], 2])]

    def _doc_number(self, doc_id: str) -> int | None:
        """The position of a document, from a map built on first use (not at load)."""
        if self._doc_numbers is None:
            self._doc_numbers = {doc_id: n for n, doc_id in enumerate(self.doc_ids())}
        return self._doc_numbers.get(doc_id)

    def _sentences_of(self, doc_no: int) -> tuple[int, int]:
        """The range of sentence rows of one document (rows are in document order)."""
        if self._doc_ptr is None:
            column = np.asarray(self.analysis.bounds[:, 0])
            wanted = np.arange(len(self.documents) + 1)
            self._doc_ptr = np.searchsorted(column, wanted).astype(np.int64)
        return int(self._doc_ptr[doc_no]), int(self._doc_ptr[doc_no + 1])

    def _text(self, doc_no: int) -> str:
        """A document's text, without building a Document when the table can decode it alone."""
        documents = self.documents
        if isinstance(documents, DocumentTable):
            return documents.text(doc_no)
        return documents[doc_no].text
