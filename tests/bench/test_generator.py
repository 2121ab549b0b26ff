"""The news-corpus generator, on tiny archives (the real ones make minutes-long corpora)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from bench import corpus as generator
from bench.corpus import REPO, body_sentences, check_work_dir, generate, read_articles, unpack

ARTICLES = {
    "news/one.txt": "OIL PRICES RISE\n\nOil prices rose. OPEC met in Vienna.\n",
    "news/two.txt": "WHEAT FALLS\n\nWheat fell. Farmers were worried. Rain came late.\n",
    "news/empty.txt": "   \n",
}


def make_archive(folder: Path) -> Path:
    source = folder / "src"
    for name, text in ARTICLES.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    archive = folder / "news.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source / "news", arcname="news")
    return archive


def test_copies_are_distinct_files_until_the_target(tmp_path: Path) -> None:
    raw = unpack((make_archive(tmp_path),), tmp_path / "work")
    articles = read_articles(raw)
    assert sorted(a.name for a in articles) == ["one", "two"]  # the empty file is left out
    out = tmp_path / "work" / "corpus"
    files, sentences = generate(articles, 20, out)
    written = sorted(out.rglob("*.txt"))
    assert len(written) == files and sentences >= 20
    texts = [p.read_text(encoding="utf-8") for p in written]
    assert len(set(texts)) == len(texts)  # copies differ (copy number in the front matter)
    assert len({p.name for p in written}) == len(written)
    # The counts are what the index will find: front matter is not a sentence.
    assert sum(body_sentences(t) for t in texts) == sentences
    assert "title: OIL PRICES RISE" in texts[0] or "title: WHEAT FALLS" in texts[0]


def test_generation_is_deterministic_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = make_archive(tmp_path)
    monkeypatch.setitem(generator.SIZES, "tiny", 12)
    work = tmp_path / "work"
    folder, files, sentences = generator.ensure_corpus(work, "tiny", (archive,))
    first = {p.name: p.read_text(encoding="utf-8") for p in folder.rglob("*.txt")}
    marker = (folder / ".generated").stat().st_mtime_ns
    assert generator.ensure_corpus(work, "tiny", (archive,)) == (folder, files, sentences)
    assert (folder / ".generated").stat().st_mtime_ns == marker  # not regenerated
    (folder / ".generated").unlink()
    generator.ensure_corpus(work, "tiny", (archive,))
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.rglob("*.txt")} == first


def test_work_folder_inside_the_repository_is_refused() -> None:
    with pytest.raises(ValueError, match="inside the repository"):
        check_work_dir(REPO / "bench-output")


def test_missing_archive_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.tar\.gz"):
        unpack((tmp_path / "nope.tar.gz",), tmp_path / "work")
