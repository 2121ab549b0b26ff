"""Per-file reuse: a changed corpus re-reads only changed files and equals a fresh build."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import chunks
from retrieval.cache import IndexCache, open_index
from retrieval.chunks import analyse_files
from retrieval.document_table import DocumentTable
from retrieval.documents import list_corpus_files, parse_front_matter
from retrieval.engines import Bm25sEngine, bm25_matrix, build_engine
from retrieval.index import BM25Params, SentenceIndex
from retrieval.merging import assemble, compact, concat
from retrieval.models import Document
from retrieval.segments import analyse_documents
from retrieval.sentences import sentence_bounds
from retrieval.tokens import Tokenizer

ARTICLES = {
    "a.txt": "Oil prices rose on Monday. OPEC kept output unchanged.\n\nTraders were calm.",
    "b.txt": "---\ntitle: Wheat\n---\nWheat exports to Egypt fell. Farmers blamed the drought.",
    "sub/c.md": "The central bank held rates. Inflation eased to 2.1 pct in March.",
    "sub/d.txt": "Shares of Acme Corp jumped 12 pct after the merger was announced.",
}


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    for name, text in articles.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def same_index(a: SentenceIndex, b: SentenceIndex) -> None:
    """Two indexes hold the same documents, sentences, term ids and scores."""
    assert [d.model_dump() for d in a.documents] == [d.model_dump() for d in b.documents]
    np.testing.assert_array_equal(np.asarray(a.analysis.bounds), np.asarray(b.analysis.bounds))
    np.testing.assert_array_equal(np.asarray(a.analysis.term_ids), np.asarray(b.analysis.term_ids))
    np.testing.assert_array_equal(np.asarray(a.analysis.indptr), np.asarray(b.analysis.indptr))
    assert a.analysis.vocabulary == b.analysis.vocabulary
    assert a.acronyms.to_json() == b.acronyms.to_json()
    for query in ("oil output", "wheat drought", "bank rates inflation", "zebra"):
        assert a.search(query, 5) == b.search(query, 5)


@pytest.mark.parametrize("change", ["add", "edit", "remove", "rename"])
def test_incremental_build_equals_a_fresh_one(tmp_path: Path, change: str) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(), cache)
    if change == "add":
        (corpus / "sub" / "aa.txt").write_text("Zebra crossings were painted.", encoding="utf-8")
    elif change == "edit":
        (corpus / "b.txt").write_text("Wheat prices fell. A zebra was seen.", encoding="utf-8")
    elif change == "remove":
        (corpus / "a.txt").unlink()
    else:
        (corpus / "a.txt").rename(corpus / "z.txt")
    opened = open_index(corpus, BM25Params(), cache)
    again, stats = opened.index, opened.stats
    assert not stats.from_cache
    fresh = open_index(corpus, BM25Params(), None).index
    same_index(again, fresh)


def test_unchanged_files_are_not_read_again(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(), cache)
    # Same size and mtime but other bytes: only a build that reuses the cached analysis
    # still finds "OPEC" (proof the file was not re-read).
    article = corpus / "a.txt"
    before = article.stat()
    article.write_bytes(article.read_bytes().replace(b"OPEC", b"XXXX"))
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    (corpus / "new.txt").write_text("Copper output doubled.", encoding="utf-8")
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert not stats.from_cache and stats.documents == 5
    assert index.search("OPEC", 1)[0].doc_id == "a"
    assert index.search("copper", 1)[0].doc_id == "new"


def test_warnings_of_reused_files_are_kept(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 owners protested.".encode("latin-1"))
    cache = tmp_path / "cache"
    first = open_index(corpus, BM25Params(), cache).warnings
    (corpus / "new.txt").write_text("Copper output doubled.", encoding="utf-8")
    opened = open_index(corpus, BM25Params(), cache)
    stats, again = opened.stats, opened.warnings
    assert not stats.from_cache
    assert [(w.path, w.problem) for w in again] == [(w.path, w.problem) for w in first]
    assert stats.skipped == 1


def test_engine_change_reuses_the_analysis(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(engine="bm25s"), cache)
    opened = open_index(corpus, BM25Params(engine="rank-bm25"), cache)
    other, stats = opened.index, opened.stats
    assert not stats.from_cache
    fresh = open_index(corpus, BM25Params(engine="rank-bm25"), None).index
    same_index(other, fresh)


def test_a_damaged_previous_cache_means_a_full_build(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    cache = tmp_path / "cache"
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.cache_path is not None
    (Path(stats.cache_path) / "term_ids.npy").write_bytes(b"garbage")
    (corpus / "new.txt").write_text("Copper output doubled.", encoding="utf-8")
    index = open_index(corpus, BM25Params(), cache).index
    same_index(index, open_index(corpus, BM25Params(), None).index)


def test_verify_hashes_every_file(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    stats = open_index(corpus, BM25Params(), tmp_path / "cache").stats
    assert stats.cache_path is not None
    store = IndexCache(tmp_path / "cache")
    key = Path(stats.cache_path).name
    assert store.verify(corpus.resolve(), key) == []
    texts = Path(stats.cache_path) / "texts.bin"
    data = bytearray(texts.read_bytes())
    data[len(data) // 2] ^= 1
    texts.write_bytes(bytes(data))
    assert store.verify(corpus.resolve(), key) == ["texts.bin"]


def test_progress_reports_stages_and_files(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    seen: list[tuple[str, int, int]] = []
    open_index(corpus, BM25Params(), tmp_path / "cache", lambda *a: seen.append(a))
    assert seen[0] == ("reading", 0, 4)
    assert ("reading", 4, 4) in seen
    assert seen[-1] == ("saving", 1, 1)
    seen.clear()
    open_index(corpus, BM25Params(), tmp_path / "cache", lambda *a: seen.append(a))
    assert seen == []  # a cache hit has nothing to report


def test_parallel_analysis_equals_sequential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(3)
    words = "oil wheat bank rates output shares merger drought inflation copper".split()
    articles = {
        f"f{i:03d}.txt": " ".join(
            rng.choice(words).capitalize() + " " + rng.choice(words) + "."
            for _ in range(rng.randint(1, 6))
        )
        for i in range(40)
    }
    files = list_corpus_files(write_corpus(tmp_path / "corpus", articles))
    sequential = analyse_files(files, Tokenizer(), workers=1)
    monkeypatch.setattr(chunks, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(chunks, "CHUNK_FILES", 7)
    parallel = analyse_files(files, Tokenizer(), workers=2)
    assert parallel.outcomes == sequential.outcomes
    assert parallel.segment.terms == sequential.segment.terms
    np.testing.assert_array_equal(parallel.segment.term_ids, sequential.segment.term_ids)
    np.testing.assert_array_equal(parallel.segment.bounds, sequential.segment.bounds)
    assert list(parallel.segment.documents) == list(sequential.segment.documents)


def test_concat_assemble_compact_round_trip(tmp_path: Path) -> None:
    files = list_corpus_files(write_corpus(tmp_path / "corpus", ARTICLES))
    whole = analyse_files(files, Tokenizer(), workers=1).segment
    first = analyse_files(files[:2], Tokenizer(), workers=1).segment
    rest = analyse_files(files[2:], Tokenizer(), workers=1).segment
    joined = concat([first, rest])
    assert joined.terms == whole.terms  # merged in corpus order: numbered as one pass would
    # Reversed halves gathered back in order give the whole, term numbering included.
    gathered = compact(assemble([rest, first], [(1, 0), (1, 1), (0, 0), (0, 1)]))
    for seg in (joined, gathered):
        assert seg.terms == whole.terms
        for name in ("term_ids", "bounds", "indptr", "doc_ptr"):
            np.testing.assert_array_equal(getattr(seg, name), getattr(whole, name))
        assert list(seg.documents) == list(whole.documents)
    # Gathering a subset keeps unused terms until compact drops them.
    subset = assemble([whole], [(0, 3)])
    assert len(subset.terms) == len(whole.terms)
    assert len(compact(subset).terms) < len(whole.terms)


def test_document_table_builds_documents_on_demand() -> None:
    docs = [
        Document(doc_id="x", title="X", path="x.txt", text="Ünïcode text. Second one."),
        Document(doc_id="y", title="Y", path="y.md", text="Plain.", url="https://e.org"),
    ]
    table = DocumentTable.from_documents(docs)
    assert len(table) == 2 and list(table) == docs
    assert table[-1] == docs[1] and table[0:1] == docs[:1]
    assert table.text(0) == docs[0].text
    with pytest.raises(IndexError):
        table[2]


def test_vectorised_matrix_matches_bm25s() -> None:
    rng = random.Random(11)
    corpus = [[rng.randrange(30) for _ in range(rng.randrange(0, 12))] for _ in range(200)]
    retriever = bm25s.BM25(method="lucene", k1=0.9, b=0.6)
    retriever.index(
        (corpus, {i: i for i in range(30)}), create_empty_token=False, show_progress=False
    )
    reference = retriever.scores
    lengths = [len(c) for c in corpus]
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    flat = np.array([t for c in corpus for t in c], dtype=np.int32)
    data, rows, columns = bm25_matrix(flat, indptr, 30, 0.9, 0.6)
    np.testing.assert_array_equal(columns, reference["indptr"])
    np.testing.assert_array_equal(rows, reference["indices"])
    np.testing.assert_allclose(data, reference["data"], rtol=1e-5)
    engine = Bm25sEngine.from_arrays(flat, indptr, 30, 0.9, 0.6)
    np.testing.assert_allclose(
        engine.scores([1, 5, 7]), Bm25sEngine.build(corpus, 30, 0.9, 0.6).scores([1, 5, 7])
    )


def test_parallel_analysis_from_a_threaded_process_uses_spawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Discord bot rebuilds while its event loop thread runs: fork is unsafe there.
    files = list_corpus_files(write_corpus(tmp_path / "corpus", ARTICLES))
    monkeypatch.setattr(chunks, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(chunks, "CHUNK_FILES", 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert chunks._pool_context().get_start_method() == "spawn"
        result = analyse_files(files, Tokenizer(), workers=2)
    finally:
        stop.set()
        other.join()
    expected = analyse_files(files, Tokenizer(), workers=1)
    assert result.segment.terms == expected.segment.terms
    np.testing.assert_array_equal(result.segment.term_ids, expected.segment.term_ids)


def reference_analysis(texts: list[str]) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Each sentence's terms and span, the slow way: ``tokenize`` on each sentence's text."""
    tokenizer = Tokenizer()
    terms: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    for text in texts:
        for start, end, _, _ in sentence_bounds(text, parse_front_matter(text)[1]):
            terms.append(tokenizer.tokenize(text[start:end]))
            spans.append((start, end))
    return terms, spans


TRICKY = [
    "The U.S. economy grew 2.5 pct in Q1. Exports rose to 12,000 tonnes; it's a record.",
    "Café owners in Zürich (ﬁnance hub) said the “deal” was off. Straße closed.",
    "Co-operation: e-mail, well-known, U.K.-based firms. Don`t panic... OK?",
    "ＦＵＬＬ width ＴＥＸＴ here. Soft\u00adhyphen and zero\u200bwidth joiners.",
    "---\ntitle: T\n---\nBody after front matter. 東京 stocks fell 3%.",
    "A" * 1600 + " tail words after a very long token.",
    # Characters that change length when normalised, then short sentences: misplaced offsets
    # would cut these words.
    "ﬁﬁﬁ ßßß ﬃ\u00ad\u200b. Quokka jumps. Wombat sleeps. Ibis flies.",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ab .,'-`1É\u00ad\n’")), max_size=80), max_size=4
    )
)
def test_segment_terms_equal_per_sentence_tokenize(extra: list[str]) -> None:
    texts = [t for t in TRICKY + extra if t.strip()]
    docs = [
        Document(doc_id=f"d{i}", title="t", path=f"d{i}.txt", text=t) for i, t in enumerate(texts)
    ]
    segment = analyse_documents(docs, Tokenizer())
    terms, spans = reference_analysis(texts)
    got = [
        [segment.terms[t] for t in segment.term_ids[segment.indptr[i] : segment.indptr[i + 1]]]
        for i in range(segment.sentences)
    ]
    assert got == terms
    assert [(int(r[1]), int(r[2])) for r in segment.bounds] == spans
    first_seen = list(dict.fromkeys(t for sentence in terms for t in sentence))
    assert segment.terms == first_seen  # ids in order of first use


@pytest.mark.parametrize("name", ["bm25s", "rank-bm25"])
def test_document_frequency_counts_sentences_holding_the_term(name: str) -> None:
    corpus = [[0, 1, 1], [1], [2], []]
    engine = build_engine(name, corpus, 4, 0.7, 0.4)  # type: ignore[arg-type]
    assert [engine.document_frequency(t) for t in range(4)] == [1, 2, 1, 0]
    assert engine.document_frequency(99) == 0


def test_duplicates_are_remembered_not_read_again_until_their_original_goes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    for n in range(3):
        (corpus / f"z-copy{n}.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")
    cache = tmp_path / "cache"
    first = open_index(corpus, BM25Params(), cache)
    assert sum("duplicate of" in w.problem for w in first.warnings) == 3
    (corpus / "sub" / "d.txt").write_text("Shares of Acme Corp fell.", encoding="utf-8")
    with caplog.at_level("INFO", logger="retrieval.cache"):
        changed = open_index(corpus, BM25Params(), cache)
    assert "reusing the analysis of 6 files, reading 1" in caplog.text  # the copies: not read
    assert sum("duplicate of" in w.problem for w in changed.warnings) == 3
    assert len(changed.index.documents) == 4
    # The original gone, its first copy is the document now (it is read again to find out).
    (corpus / "a.txt").unlink()
    caplog.clear()
    with caplog.at_level("INFO", logger="retrieval.cache"):
        moved = open_index(corpus, BM25Params(), cache)
    assert [d.path for d in moved.index.documents].count("z-copy0.txt") == 1
    assert sum("duplicate of" in w.problem for w in moved.warnings) == 2
    same_index(moved.index, open_index(corpus, BM25Params(), None).index)
