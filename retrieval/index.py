"""The sentence index: documents split into sentences, tokenised, scored by a BM25 engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.documents import parse_front_matter
from retrieval.engines import Engine, EngineName, build_engine
from retrieval.models import Document, Hit
from retrieval.sentences import sentence_bounds
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

    def corpus_ids(self) -> list[list[int]]:
        """Each sentence's term ids as a list (what the engines index)."""
        ids = self.term_ids.tolist()
        ptr = self.indptr.tolist()
        return [ids[ptr[i] : ptr[i + 1]] for i in range(len(ptr) - 1)]


def analyse(documents: Sequence[Document], tokenizer: Tokenizer) -> Analysis:
    """Split every document into sentences and map each sentence's terms to ids."""
    vocabulary: dict[str, int] = {}
    rows: list[tuple[int, int, int, int, int]] = []
    flat: list[int] = []
    indptr: list[int] = [0]
    for doc_no, doc in enumerate(documents):
        text = doc.text
        body = _body_start(text)
        for start, end, paragraph, position in sentence_bounds(text, body):
            rows.append((doc_no, start, end, paragraph, position))
            for term in tokenizer.tokenize(text[start:end]):
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = vocabulary[term] = len(vocabulary)
                flat.append(term_id)
            indptr.append(len(flat))
    bounds = np.array(rows, dtype=np.int32).reshape(-1, 5)
    return Analysis(
        bounds=bounds,
        vocabulary=vocabulary,
        term_ids=np.array(flat, dtype=np.int32),
        indptr=np.array(indptr, dtype=np.int64),
    )


def _body_start(text: str) -> int:
    """Where the text after any front matter begins."""
    return parse_front_matter(text)[1]


class SentenceIndex:
    """Ranked, cited sentence search over a fixed set of documents."""

    def __init__(
        self,
        documents: Sequence[Document],
        analysis: Analysis,
        engine: Engine,
        tokenizer: Tokenizer,
        params: BM25Params,
    ) -> None:
        self.documents = list(documents)
        self.analysis = analysis
        self.engine = engine
        self.tokenizer = tokenizer
        self.params = params
        self._doc_numbers = {doc.doc_id: n for n, doc in enumerate(self.documents)}

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
        analysis = analyse(documents, tokenizer)
        engine = build_engine(
            params.engine, analysis.corpus_ids(), len(analysis.vocabulary), params.k1, params.b
        )
        return cls(documents, analysis, engine, tokenizer, params)

    def __len__(self) -> int:
        return int(self.analysis.bounds.shape[0])

    @property
    def vocabulary_size(self) -> int:
        """How many distinct terms the index holds."""
        return len(self.analysis.vocabulary)

    def query_ids(self, query: str) -> list[int]:
        """The distinct known term ids of a query."""
        vocab = self.analysis.vocabulary
        return [vocab[t] for t in self.tokenizer.query_terms(query) if t in vocab]

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """At most k sentences with score > 0, best first; ties by document, then position."""
        if k <= 0:
            return []
        ids = self.query_ids(query)
        if not ids:
            return []
        scores = self.engine.scores(ids)
        order = top_k(scores, k)
        terms = self.tokenizer.query_terms(query)
        return [self._hit(int(i), float(scores[i]), terms) for i in order]

    def sentence(self, index: int) -> Hit:
        """The sentence at a global position (score 0, no matched terms)."""
        return self._hit(index, 0.0, [])

    def neighbours(self, hit: Hit) -> tuple[Hit | None, Hit | None]:
        """The sentences just before and after a hit within the same paragraph."""
        before = after = None
        bounds = self.analysis.bounds
        i = hit.index
        if i > 0 and bounds[i - 1, 0] == bounds[i, 0] and bounds[i - 1, 3] == bounds[i, 3]:
            before = self.sentence(i - 1)
        if (
            i + 1 < len(self)
            and bounds[i + 1, 0] == bounds[i, 0]
            and bounds[i + 1, 3] == bounds[i, 3]
        ):
            after = self.sentence(i + 1)
        return before, after

    def paragraph(self, doc_id: str, start: int) -> str:
        """The paragraph holding the sentence starting at ``start`` in ``doc_id`` ("" if none)."""
        doc_no = self._doc_numbers.get(doc_id)
        if doc_no is None:
            return ""
        bounds = self.analysis.bounds
        rows = np.flatnonzero(
            (bounds[:, 0] == doc_no) & (bounds[:, 1] <= start) & (bounds[:, 2] > start)
        )
        if rows.size == 0:
            return ""
        paragraph = bounds[rows[0], 3]
        same = np.flatnonzero((bounds[:, 0] == doc_no) & (bounds[:, 3] == paragraph))
        text = self.documents[doc_no].text
        return text[int(bounds[same[0], 1]) : int(bounds[same[-1], 2])]

    def _hit(self, index: int, score: float, terms: list[str]) -> Hit:
        doc_no, start, end, paragraph, position = (int(v) for v in self.analysis.bounds[index])
        doc = self.documents[doc_no]
        sentence = doc.text[start:end]
        matched: tuple[str, ...] = ()
        if terms:
            present = set(self.tokenizer.tokenize(sentence))
            matched = tuple(t for t in terms if t in present)
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
