"""The sentence index: ranking, hits' offsets and fields, limits, determinism."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.documents import load_corpus
from retrieval.index import BM25Params, SentenceIndex
from retrieval.models import Document
from retrieval.statistics import neighbours


@pytest.fixture(scope="module")
def minusma() -> SentenceIndex:
    from tests.conftest import BUNDLED

    return SentenceIndex.build(load_corpus(BUNDLED).documents)


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id=doc_id, title=doc_id.title(), path=f"{doc_id}.txt", text=text)


@pytest.mark.parametrize("engine", ["bm25s", "rank-bm25"])
def test_peacekeepers_question_ranks_the_310_sentence_first(engine: str) -> None:
    from tests.conftest import BUNDLED

    index = SentenceIndex.build(load_corpus(BUNDLED).documents, BM25Params(engine=engine))  # type: ignore[arg-type]
    hits = index.search("How many peacekeepers lost their lives?", 5)
    assert "310 peacekeepers" in hits[0].sentence
    assert hits[0].matched == ("peacekeep", "live")
    assert hits[0].title == "Minusma withdrawal"


def test_hits_point_back_into_the_document(minusma: SentenceIndex) -> None:
    text = minusma.documents[0].text
    for hit in minusma.search("UN peacekeepers Mali withdrawal mission", 50):
        assert text[hit.start : hit.end] == hit.sentence
        assert hit.score > 0


def test_k_larger_than_corpus_and_zero(minusma: SentenceIndex) -> None:
    hits = minusma.search("mission", 10_000)
    assert 0 < len(hits) <= len(minusma)
    assert minusma.search("mission", 0) == []


def test_no_match_and_empty_queries_give_no_hits(minusma: SentenceIndex) -> None:
    assert minusma.search("zzyzx quux", 5) == []
    assert minusma.search("", 5) == []
    assert minusma.search("what is the?", 5) == []


def test_ties_are_broken_by_document_then_position() -> None:
    index = SentenceIndex.build([doc("b", "Alpha one. Alpha two."), doc("a", "Alpha three.")])
    hits = index.search("alpha", 3)
    assert [h.sentence for h in hits] == ["Alpha three.", "Alpha one.", "Alpha two."] or [
        h.sentence for h in hits
    ] == ["Alpha one.", "Alpha two.", "Alpha three."]
    # Equal scores keep corpus order (documents in the order given, then position).
    same = [h for h in hits if h.score == hits[0].score]
    assert [h.index for h in same] == sorted(h.index for h in same)


def test_neighbours_and_paragraph(minusma: SentenceIndex) -> None:
    hit = minusma.search("Security Council voted deadline December 31", 1)[0]
    before, after = neighbours(minusma, hit)
    assert before is not None and "12,000 peacemakers" in before.sentence
    assert after is None  # last sentence of its paragraph
    paragraph = minusma.paragraph(hit.doc_id, hit.start)
    assert paragraph.startswith("With 310 peacekeepers") and paragraph.endswith("December 31.")
    assert minusma.paragraph("no-such-doc", 0) == ""


WORDS = st.sampled_from(["mali", "mission", "troops", "peace", "un", "camp", "the", "12,000"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
DOCS = st.lists(st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(DOCS, st.lists(WORDS, min_size=1, max_size=3).map(" ".join), st.integers(1, 12))
def test_search_invariants(texts: list[str], query: str, k: int) -> None:
    documents = [doc(f"d{i}", t) for i, t in enumerate(texts)]
    index = SentenceIndex.build(documents)
    hits = index.search(query, k)
    assert len(hits) <= k
    assert all(h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        text = documents[int(h.doc_id[1:])].text
        assert text[h.start : h.end] == h.sentence
    assert index.search(query, k) == hits  # deterministic


def test_document_table_decodes_texts_right_while_its_cache_evicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from retrieval import document_table

    docs = [doc(f"d{i}", f"Text number {i} — ünïcode ✓.") for i in range(5)]
    table = document_table.DocumentTable.from_documents(docs)
    monkeypatch.setattr(document_table, "DECODED_DOCS", 2)
    for _ in range(2):
        for i, original in enumerate(docs):
            assert table.text(i) == original.text
            assert table[i].text == original.text
    assert len(table._decoded) <= 2
