"""The real-news corpus generator, on tiny archives (the real ones make minutes-long corpora)."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from bench import corpus as generator
from bench.corpus import (
    REPO,
    body_sentences,
    check_work_dir,
    generate,
    make_questions,
    read_articles,
)

ARTICLES = {
    "news/one.txt": "OIL PRICES RISE\n\nOil prices rose sharply. OPEC met in Vienna.\n\n"
    "Traders said the rise was driven by the cartel's decision to hold output steady.\n",
    "news/two.txt": "WHEAT FALLS\n\nWheat fell. Farmers were worried. Rain came late.\n\n"
    "Exporters in Kansas said the drought had cut the winter wheat harvest by a third.\n",
    "news/three.txt": "GOLD STEADY\n\nGold held at 400 dlrs.\n\nDealers were quiet.\n",
    "news/copy-of-one.txt": "OIL PRICES RISE\n\nOil prices rose sharply. OPEC met in Vienna.\n\n"
    "Traders said the rise was driven by the cartel's decision to hold output steady.\n",
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


def test_originals_then_recombined_articles_all_distinct(tmp_path: Path) -> None:
    articles = read_articles((make_archive(tmp_path),))
    # The empty file is left out, and so is the byte-identical copy.
    assert sorted(a.name for a in articles) == ["copy-of-one", "three", "two"]
    out = tmp_path / "work" / "corpus"
    files, sentences = generate(articles, 40, out)
    written = sorted(out.rglob("*.txt"))
    assert len(written) == files and sentences >= 40
    texts = [p.read_text(encoding="utf-8") for p in written]
    assert len(set(texts)) == len(texts)  # no two files equal
    assert len({p.name for p in written}) == len(written)
    # The counts are what the index will find: front matter is not a sentence.
    assert sum(body_sentences(t) for t in texts) == sentences
    recombined = [t for t in texts if "recombined" in t]
    assert recombined  # past the originals, articles are made of two originals' paragraphs
    # Every paragraph of every file is real text from the archive.
    source = "\n\n".join(ARTICLES.values())
    for text in texts:
        body = text.split("---\n", 2)[2]
        assert all(p.strip() in source for p in body.split("\n\n"))


def test_a_tiny_archive_that_cannot_reach_the_target_says_so(tmp_path: Path) -> None:
    articles = read_articles((make_archive(tmp_path),))
    with pytest.raises(ValueError, match="only"):
        generate(articles, 10_000, tmp_path / "work" / "corpus")


def test_known_item_questions_quote_a_sentence_of_the_corpus(tmp_path: Path) -> None:
    articles = read_articles((make_archive(tmp_path),))
    questions = make_questions(articles, 5)
    assert questions
    for q in questions:
        assert q["question"].startswith("What about ") and len(q["gold"]) == 1
        assert len(q["gold"][0]) > generator.MIN_GOLD_CHARS
        assert any(q["gold"][0] in text for text in ARTICLES.values())


def test_generation_is_deterministic_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = make_archive(tmp_path)
    monkeypatch.setitem(generator.SIZES, "tiny", 25)
    work = tmp_path / "work"
    folder, files, sentences = generator.ensure_corpus(work, "tiny", (archive,))
    first = {p.name: p.read_text(encoding="utf-8") for p in folder.rglob("*.txt")}
    marker = (folder / ".generated").stat().st_mtime_ns
    assert generator.ensure_corpus(work, "tiny", (archive,)) == (folder, files, sentences)
    assert (folder / ".generated").stat().st_mtime_ns == marker  # not regenerated
    (folder / ".generated").unlink()
    generator.ensure_corpus(work, "tiny", (archive,))
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.rglob("*.txt")} == first
    questions = generator.ensure_questions(work, 3, "tiny", (archive,))
    lines = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines()]
    assert lines and all(set(q) == {"question", "gold"} for q in lines)


def test_work_folder_inside_the_repository_is_refused() -> None:
    with pytest.raises(ValueError, match="inside the repository"):
        check_work_dir(REPO / "bench-output")


def test_missing_archive_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.tar\.gz"):
        read_articles((tmp_path / "nope.tar.gz",))
