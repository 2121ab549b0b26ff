"""Analysed documents: a Segment holds documents, their sentences and each sentence's term ids.

A Segment holds documents (metadata in columns, texts as UTF-8 back to back), their sentences'
bounds, and each sentence's term ids against the segment's own vocabulary. Worker processes
return one Segment per chunk of files (``retrieval.chunks``); the cache stores the merged one
(``retrieval.merging``), so a changed corpus re-reads and re-tokenizes only the files that
changed (see ``retrieval.cache``).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from retrieval.acronyms import Findings, find_acronyms
from retrieval.document_table import DOC_FIELDS, DocumentTable, PtrArray
from retrieval.documents import parse_front_matter
from retrieval.models import Document
from retrieval.sentences import sentence_bounds
from retrieval.tokens import Tokenizer, normalize, raw_words

IntArray = NDArray[np.int32]


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
