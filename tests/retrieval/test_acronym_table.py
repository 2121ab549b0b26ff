"""The acronyms are learned with the index, per file, and come out of the cache with it."""

from __future__ import annotations

import os
from pathlib import Path

from retrieval.acronyms import Acronyms, find_acronyms
from retrieval.cache import open_index
from retrieval.index import BM25Params, SentenceIndex
from retrieval.models import Document

ARTICLES = {
    "a.txt": "Mali left the Economic Community of West African States (ECOWAS) in January.",
    "b.txt": "The United Nations mission ended. The UN said its troops had gone.",
    "c.txt": "Oil prices rose on Monday. The UN Security Council met. Traders were calm.",
}


def write(folder: Path, articles: dict[str, str]) -> Path:
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_built_index_knows_its_articles_acronyms(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, ARTICLES)
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    acronyms = opened.index.acronyms
    assert acronyms.expansions("ECOWAS") == ("Economic Community of West African States",)
    assert acronyms.expansions("UN") == ("United Nations",)
    # The same as learning from all the texts at once, as the chat used to on a question.
    assert acronyms.to_json() == Acronyms(ARTICLES.values()).to_json()


def test_a_restart_serves_the_table_from_the_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, ARTICLES)
    built = open_index(corpus, BM25Params(), tmp_path / "cache")
    again = open_index(corpus, BM25Params(), tmp_path / "cache")
    assert again.stats.from_cache
    assert again.index.acronyms.to_json() == built.index.acronyms.to_json()
    for short in ("UN", "ECOWAS", "UNSC", "NATO"):
        assert again.index.acronyms.expansions(short) == built.index.acronyms.expansions(short)
    assert again.index.acronyms.expansions("UNSC") == ("UN Security Council",)


def test_changing_one_file_relearns_only_what_it_said(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, ARTICLES)
    open_index(corpus, BM25Params(), tmp_path / "cache")
    (corpus / "b.txt").write_text("The mission ended quietly.", encoding="utf-8")
    os.utime(corpus / "b.txt", ns=(1, 1))
    changed = open_index(corpus, BM25Params(), tmp_path / "cache")
    assert not changed.stats.from_cache
    assert changed.index.acronyms.expansions("UN") == ()
    assert changed.index.acronyms.expansions("ECOWAS") != ()
    fresh = open_index(corpus, BM25Params(), None)
    assert changed.index.acronyms.to_json() == fresh.index.acronyms.to_json()


def test_an_index_built_in_memory_learns_them_too() -> None:
    docs = [Document(doc_id="b", title="b", path="b.txt", text=ARTICLES["b.txt"])]
    index = SentenceIndex.build(docs)
    assert index.acronyms.expansions("UN") == ("United Nations",)


def test_findings_of_one_document_are_plain_sorted_pairs() -> None:
    found = find_acronyms(ARTICLES["a.txt"])
    assert ("ECOWAS", "Economic Community of West African States") in found.pairs
    assert list(found.pairs) == sorted(found.pairs)
    assert Acronyms.merged([found]).expansions("ECOWAS") != ()
