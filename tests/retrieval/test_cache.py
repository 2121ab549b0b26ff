"""The on-disk cache: reuse when unchanged, rebuild on change, never trust a damaged cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from retrieval.cache import IndexCache, open_index
from retrieval.index import BM25Params


@pytest.fixture
def corpus(tmp_path: Path, bundled_corpus: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(bundled_corpus, folder)
    return folder


@pytest.mark.parametrize("engine", ["bm25s", "rank-bm25"])
def test_second_open_loads_from_cache_with_same_results(
    corpus: Path, tmp_path: Path, engine: str
) -> None:
    params = BM25Params(engine=engine)  # type: ignore[arg-type]
    opened = open_index(corpus, params, tmp_path / "cache")
    first, stats1 = opened.index, opened.stats
    opened = open_index(corpus, params, tmp_path / "cache")
    second, stats2 = opened.index, opened.stats
    assert (stats1.from_cache, stats2.from_cache) == (False, True)
    q = "How many peacekeepers lost their lives?"
    assert first.search(q, 5) == second.search(q, 5)
    assert stats2.sentences == stats1.sentences == 15


def test_changed_added_and_removed_files_are_noticed(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(), cache)
    article = corpus / "minusma-withdrawal.txt"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nZebras grazed near Timbuktu.\n", encoding="utf-8"
    )
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert not stats.from_cache
    assert index.search("zebras", 1)[0].sentence == "Zebras grazed near Timbuktu."
    (corpus / "extra.txt").write_text("Giraffes too.", encoding="utf-8")
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert not stats.from_cache and stats.documents == 2
    (corpus / "extra.txt").unlink()
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert stats.documents == 1 and index.search("giraffes", 1) == []


def test_settings_change_the_key(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(k1=0.7), cache)
    stats = open_index(corpus, BM25Params(k1=1.5), cache).stats
    assert not stats.from_cache


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "garbage-meta"])
def test_damaged_cache_is_rebuilt_not_trusted(corpus: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.cache_path is not None
    folder = Path(stats.cache_path)
    target = folder / "bounds.npy"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:40])
    elif damage == "flip":
        data = bytearray(target.read_bytes())
        data[-1] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "delete":
        target.unlink()
    else:
        (folder / "meta.json").write_text("{not json", encoding="utf-8")
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert not stats.from_cache
    assert "310 peacekeepers" in index.search("peacekeepers lives", 1)[0].sentence
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.from_cache  # the rebuilt cache is good again


def test_interrupted_write_leaves_no_cache_behind(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index = open_index(corpus, BM25Params(), None).index
    store = IndexCache(cache)

    class BoomError(Exception):
        pass

    def explode(folder: Path) -> None:
        raise BoomError

    index.engine.save = explode  # type: ignore[method-assign]
    with pytest.raises(BoomError):
        store.save(corpus.resolve(), "somekey", index, [])
    parent = store.folder_for(corpus.resolve())
    assert list(parent.iterdir()) == []  # neither a half-written cache nor a temp folder


def test_cache_dir_that_cannot_be_written_still_answers(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    opened = open_index(corpus, BM25Params(), blocker / "cache")
    index, stats = opened.index, opened.stats
    assert stats.cache_path is None
    assert index.search("peacekeepers", 1)


def test_restart_keys_on_file_stat_not_content(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    open_index(corpus, BM25Params(), cache)
    article = corpus / "minusma-withdrawal.txt"
    before = article.stat()
    # Same size and modification time: a restart must not need to read the file to decide.
    data = article.read_bytes()
    article.write_bytes(data.replace(b"Timbuktu", b"Timbuktx"))
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert stats.from_cache
    assert index.search("Timbuktu", 1)  # the cached text, not re-read


@pytest.mark.slow
def test_concurrent_starts_share_one_cache_without_damage(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(300):
        (corpus / f"a{n:03}.txt").write_text(
            f"Article {n} says zebra{n} grazed near Timbuktu. It rained on day {n}.\n",
            encoding="utf-8",
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "bot", "search", "zebra7", "--corpus", str(corpus)]
    for round_ in range(3):
        if round_:
            (corpus / "a000.txt").write_text(f"Round {round_} zebra7.\n", encoding="utf-8")
        procs = [
            subprocess.Popen(
                command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(6)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert b"zebra7" in out
            assert b"damaged" not in err and b"could not write" not in err, err


def test_same_stem_different_suffix_get_distinct_doc_ids(tmp_path: Path) -> None:
    from retrieval.documents import load_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The alpha mission ended in May.", encoding="utf-8")
    (corpus / "a.md").write_text("The bravo mission ended in June.", encoding="utf-8")
    (corpus / "b.txt").write_text("The charlie mission went on.", encoding="utf-8")
    index = open_index(corpus, BM25Params(), tmp_path / "cache").index
    ids = {h.doc_id: h.sentence for h in index.search("mission", 5)}
    assert ids == {
        "a.md": "The bravo mission ended in June.",
        "a.txt": "The alpha mission ended in May.",
        "b": "The charlie mission went on.",
    }
    assert index.paragraph("a.md", 0) == "The bravo mission ended in June."
    assert index.paragraph("a.txt", 0) == "The alpha mission ended in May."
    assert [d.doc_id for d in load_corpus(corpus).documents] == ["a.md", "a.txt", "b"]
    # The collision gone, the plain id comes back, also for the reused (unchanged) file.
    (corpus / "a.md").unlink()
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    index, stats = opened.index, opened.stats
    assert not stats.from_cache
    assert {h.doc_id for h in index.search("mission", 5)} == {"a", "b"}


def test_document_columns_come_back_exactly_with_nones_and_odd_values(tmp_path: Path) -> None:
    from retrieval.index import SentenceIndex
    from retrieval.models import Document

    docs = [
        Document(doc_id="a", title="Plain", path="a.txt", text="Oil rose.", url=None),
        Document(doc_id="b", title="", path="b.txt", text="Wheat fell.", url="https://x.test/b"),
        # A value holding the packing separator is stored as a plain list instead.
        Document(doc_id="c", title="odd\x00title", path="c.txt", text="Gold held.", date="1987"),
    ]
    index = SentenceIndex.build(docs)
    store = IndexCache(tmp_path / "cache")
    store.save(tmp_path, "key", index, [])
    loaded = store.load(tmp_path, "key", BM25Params())
    assert loaded is not None
    assert [d.model_dump() for d in loaded[0].documents] == [d.model_dump() for d in docs]


def test_a_packed_column_reads_like_the_list_it_was_made_from() -> None:
    import pickle

    from retrieval.document_table import PackedColumn

    values = ["Oil", None, "", "Café\x00 – ünïcode", "z"]
    column = PackedColumn(*PackedColumn.pack(values))
    assert list(column) == values and len(column) == 5
    assert column[-1] == "z" and column[1:3] == [None, ""]
    with pytest.raises(IndexError):
        column[5]
    assert pickle.loads(pickle.dumps(column)) == values  # travels as its values
