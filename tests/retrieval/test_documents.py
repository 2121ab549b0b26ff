"""Corpus loading: formats, front matter, and every faulty-file case named in issue 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.documents import load_corpus, parse_front_matter
from retrieval.errors import CorpusError


def write(path: Path, data: str | bytes) -> Path:
    """Write a file (text as UTF-8), creating its folder; the path back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_loads_txt_and_md_recursively_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Alpha sentence.")
    write(tmp_path / "sub" / "b.md", "Beta sentence.")
    write(tmp_path / ".hidden.txt", "Hidden.")
    write(tmp_path / ".git" / "c.txt", "In a hidden folder.")
    write(tmp_path / "notes.rst", "Not a corpus file.")
    loaded = load_corpus(tmp_path)
    assert [d.doc_id for d in loaded.documents] == ["a", "sub/b"]
    assert loaded.warnings == []


def test_front_matter_gives_title_url_date_source(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Mali mission ends\nurl: https://example.org/x\n"
        "date: 2023-12-31\nsource: BBC\n---\nBody here."
    )
    write(tmp_path / "m.txt", text)
    (doc,) = load_corpus(tmp_path).documents
    assert (doc.title, doc.url, doc.date, doc.source) == (
        "Mali mission ends",
        "https://example.org/x",
        "2023-12-31",
        "BBC",
    )
    assert doc.text == text  # offsets are into the text as loaded, front matter included


def test_title_falls_back_to_file_name(tmp_path: Path) -> None:
    write(tmp_path / "minusma-withdrawal.txt", "Body.")
    assert load_corpus(tmp_path).documents[0].title == "Minusma withdrawal"


def test_front_matter_parser_ignores_unknown_keys_and_plain_text() -> None:
    meta, body = parse_front_matter("---\ntitle: T\nauthor: X\n---\nText")
    assert meta == {"title": "T"}
    assert body == len("---\ntitle: T\nauthor: X\n---\n")
    assert parse_front_matter("No front matter\n---\n") == ({}, 0)


def test_invalid_utf8_is_replaced_and_named(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.txt", b"Caf\xe9 au lait is served. Another sentence.")
    good = write(tmp_path / "good.txt", "Good text.")
    loaded = load_corpus(tmp_path)
    assert {d.path for d in loaded.documents} == {"bad.txt", "good.txt"}
    doc = next(d for d in loaded.documents if d.path == "bad.txt")
    assert "\ufffd" in doc.text
    assert [w.path for w in loaded.warnings] == [str(bad)]
    assert "UTF-8" in loaded.warnings[0].problem
    assert good.exists()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("only-front.md", b"---\ntitle: x\n---\n", "no text"),
    ],
)
def test_unusable_files_are_skipped_with_a_warning(
    tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    write(tmp_path / name, data)
    write(tmp_path / "ok.txt", "Fine.")
    loaded = load_corpus(tmp_path)
    assert [d.path for d in loaded.documents] == ["ok.txt"]
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].path.endswith(name)
    assert problem in loaded.warnings[0].problem
    assert loaded.skipped == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "Secret.")
    locked.chmod(0)
    write(tmp_path / "ok.txt", "Fine.")
    try:
        loaded = load_corpus(tmp_path)
    finally:
        locked.chmod(0o644)
    assert [d.path for d in loaded.documents] == ["ok.txt"]
    assert "permission" in loaded.warnings[0].problem


def test_fifo_is_ignored_and_folder_named_txt_is_walked(tmp_path: Path) -> None:
    # Reading a FIFO would hang; it is not a regular file, so it is never opened.
    (tmp_path / "folder.txt").mkdir()
    write(tmp_path / "folder.txt" / "inside.txt", "Inside.")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    write(tmp_path / "ok.txt", "Fine.")
    loaded = load_corpus(tmp_path)
    assert sorted(d.path for d in loaded.documents) == ["folder.txt/inside.txt", "ok.txt"]


def test_symlink_loop_and_broken_link_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", "Fine.")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    loaded = load_corpus(tmp_path)
    assert [d.path for d in loaded.documents] == ["ok.txt"]
    problems = " ".join(w.problem for w in loaded.warnings)
    assert "loop" in problems
    assert len(loaded.warnings) == 3


def test_missing_corpus_folder_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(CorpusError, match=r"nope.*--corpus"):
        load_corpus(missing)


def test_corpus_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "x")
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(f)


def test_empty_corpus_folder_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    with pytest.raises(CorpusError, match="no usable"):
        load_corpus(tmp_path)
