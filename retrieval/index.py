"""The sentence index: documents split into sentences, tokenised, scored by a BM25 engine.

Search and sentences live here; finding documents by id (and their rows) in
``retrieval.document_lookup``, which ``SentenceIndex`` inherits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.acronyms import Acronyms
from retrieval.document_lookup import DocumentLookup
from retrieval.document_table import DocumentTable
from retrieval.engines import Engine, EngineName, build_engine_from_arrays
from retrieval.models import Document, Hit
from retrieval.segments import Segment, analyse_documents
from retrieval.tokens import Tokenizer

IntArray = NDArray[np.int32]


@dataclass(frozen=True)
class BM25Params:
    """Which engine and which BM25 parameters an index was built with."""

    engine: EngineName = "bm25s"
    k1: float = 0.7
    b: float = 0.4


@dataclass
class Analysis:
    """Sentences and their terms for a list of documents, before the engine is built.

    ``bounds`` has one row per sentence: document number, start, end, paragraph, position.
    ``term_ids`` and ``indptr`` hold each sentence's term ids back to back (CSR layout).
    """

    bounds: IntArray
    vocabulary: dict[str, int]
    term_ids: IntArray
    indptr: NDArray[np.int64]


def analyse(documents: Sequence[Document], tokenizer: Tokenizer) -> Analysis:
    """Split every document into sentences and map each sentence's terms to ids."""
    return analysis_of(analyse_documents(documents, tokenizer))


def analysis_of(segment: Segment) -> Analysis:
    """The Analysis view of a segment (its vocabulary as a dict)."""
    return Analysis(
        bounds=segment.bounds,
        vocabulary={term: i for i, term in enumerate(segment.terms)},
        term_ids=segment.term_ids,
        indptr=segment.indptr,
    )


class SentenceIndex(DocumentLookup):
    """Ranked, cited sentence search over a fixed set of documents."""

    def __init__(
        self,
        documents: Sequence[Document],
        analysis: Analysis,
        engine: Engine,
        tokenizer: Tokenizer,
        params: BM25Params,
        acronyms: Acronyms | None = None,
    ) -> None:
        # A DocumentTable stays as it is: listing it would build every Document (slow at scale).
        self.documents: Sequence[Document] = (
            documents if isinstance(documents, DocumentTable) else list(documents)
        )
        self.analysis = analysis
        self.engine = engine
        self.tokenizer = tokenizer
        self.params = params
        # What the corpus says about acronyms, learned with the index (never on a question).
        self.acronyms = acronyms if acronyms is not None else Acronyms()
        self._doc_numbers: dict[str, int] | None = None
        self._doc_ptr: NDArray[np.int64] | None = None
        self._ids: list[str] | None = None

    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        params: BM25Params | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> SentenceIndex:
        """Analyse the documents and build the chosen engine over their sentences."""
        params = params or BM25Params()
        tokenizer = tokenizer or Tokenizer()
        index = cls.from_segment(analyse_documents(documents, tokenizer), params, tokenizer)
        index.documents = list(documents)  # the caller's own objects, not copies from columns
        return index

    @classmethod
    def from_segment(
        cls, segment: Segment, params: BM25Params, tokenizer: Tokenizer | None = None
    ) -> SentenceIndex:
        """Build the chosen engine over an analysed segment (documents stay in columns)."""
        analysis = analysis_of(segment)
        engine = build_engine_from_arrays(
            params.engine,
            analysis.term_ids,
            analysis.indptr,
            len(segment.terms),
            params.k1,
            params.b,
        )
        acronyms = Acronyms.merged(segment.acronyms) if segment.acronyms is not None else None
        return cls(segment.documents, analysis, engine, tokenizer or Tokenizer(), params, acronyms)

    def __len__(self) -> int:
        return int(self.analysis.bounds.shape[0])

    @property
    def vocabulary_size(self) -> int:
        """How many distinct terms the index holds."""
        return len(self.analysis.vocabulary)

    def knows(self, term: str) -> bool:
        """True when some sentence holds the index term."""
        return term in self.analysis.vocabulary

    def query_terms(self, query: str) -> list[tuple[str, int]]:
        """The distinct terms of a query that the index knows, with their ids."""
        vocab = self.analysis.vocabulary
        return [(t, vocab[t]) for t in self.tokenizer.query_terms(query) if t in vocab]

    def search(self, query: str, k: int = 5, within: str | None = None) -> list[Hit]:
        """At most k sentences with score > 0, best first; ties by document, then position.

        ``within`` keeps the search inside one document (an unknown id finds nothing).
        """
        if k <= 0:
            return []
        terms = self.query_terms(query)
        if not terms:
            return []
        scores = self.engine.scores([term_id for _, term_id in terms])
        if within is None:
            order = top_k(scores, k)
        else:
            rows = self.rows_of(within)
            if rows is None:
                return []
            lo, hi = rows
            order = [lo + i for i in top_k(scores[lo:hi], k)]
        return [self._hit(int(i), float(scores[i]), terms) for i in order]

    def sentence(self, index: int) -> Hit:
        """The sentence at a global position (score 0, no matched terms)."""
        return self._hit(index, 0.0, [])

    def _hit(self, index: int, score: float, terms: list[tuple[str, int]]) -> Hit:
        doc_no, start, end, paragraph, position = (int(v) for v in self.analysis.bounds[index])
        doc = self.documents[doc_no]
        sentence = doc.text[start:end]
        matched: tuple[str, ...] = ()
        if terms:
            # The sentence's stored term ids say what it matched; no need to tokenize it again.
            ptr = self.analysis.indptr
            present = set(self.analysis.term_ids[int(ptr[index]) : int(ptr[index + 1])].tolist())
            matched = tuple(term for term, term_id in terms if term_id in present)
        return Hit(
            doc_id=doc.doc_id,
            title=doc.title,
            sentence=sentence,
            start=start,
            end=end,
            score=score,
            paragraph=paragraph,
            position=position,
            index=index,
            matched=matched,
            url=doc.url,
        )


def top_k(scores: NDArray[np.float64], k: int) -> list[int]:
    """Indices of the k best positive scores, ties broken by lower index (document order)."""
    positive = np.flatnonzero(scores > 0)
    if positive.size > k:
        values = scores[positive]
        kth = np.partition(values, positive.size - k)[positive.size - k]
        positive = positive[values >= kth]
    ordered = positive[np.lexsort((positive, -scores[positive]))]
    return [int(i) for i in ordered[:k]]
