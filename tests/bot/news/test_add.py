"""``qabot add``: article pages from a local site become clean Markdown files, cited by URL."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from retrieval.documents import parse_front_matter
from tests.bot.news.site import NewsSite, article_html
from tests.bot.news.stories import BRIDGE, BRIDGE_REVISED, LIBRARY, MARATHON

pytestmark = pytest.mark.usefixtures("news_env")

CLUTTER = [
    "Accept all cookies",
    "personalise content",
    "Related stories",
    "Ferry operators",
    "Comment by",
    "riverfan42",
    "Subscribe now",
    "Copyright 2024",
    "Privacy policy",
    "Manage preferences",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def md_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.md"))


def test_an_article_page_becomes_its_paragraphs_with_front_matter(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.page(
        "/2024/05/bridge.html", article_html("Council approves Elm River bridge", BRIDGE)
    )
    code, out, err = run(capsys, "add", url, "--corpus", str(corpus))
    assert code == 0, err
    (path,) = md_files(corpus)
    assert path.name.startswith("council-approves-elm-river-bridge-")
    text = path.read_text(encoding="utf-8")
    meta, body_start = parse_front_matter(text)
    assert meta == {
        "title": "Council approves Elm River bridge",
        "url": url,
        "date": "2024-05-02",
        "source": "The Riverside Gazette",
    }
    assert "author: Jane Doe" in text[:body_start]
    body = text[body_start:]
    assert [p.strip() for p in body.split("\n\n") if p.strip()] == BRIDGE
    for clutter in CLUTTER:
        assert clutter not in text, clutter
    assert "1 added, 0 updated, 0 unchanged, 0 failed" in out
    assert site.requests_to("/2024/05/bridge.html")[0].headers["User-Agent"].startswith("qabot/")


def test_ask_cites_the_added_article_with_its_url(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [
        site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE)),
        site.page("/library", article_html("Central library to reopen in June", LIBRARY)),
        site.page("/marathon", article_html("Mutua sets marathon course record", MARATHON)),
    ]
    code, out, err = run(capsys, "add", *urls, "--corpus", str(corpus))
    assert code == 0, err
    assert "3 added, 0 updated, 0 unchanged, 0 failed" in out
    code, out, err = run(
        capsys, "ask", "Who won the Riverside marathon?", "--json", "--corpus", str(corpus)
    )
    assert code == 0, err
    answer = json.loads(out)
    assert answer["answered"] is True
    first = answer["citations"][0]
    assert "Daniel Mutua" in first["sentence"]
    assert first["url"] == urls[2]
    assert first["title"] == "Mutua sets marathon course record"


def test_adding_again_leaves_an_unchanged_file_alone_and_updates_a_changed_one(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    assert run(capsys, "add", url, "--corpus", str(corpus))[0] == 0
    (path,) = md_files(corpus)
    # An old mtime, so that any rewrite would show even on a coarse clock.
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    code, out, _ = run(capsys, "add", url, "--corpus", str(corpus))
    assert code == 0 and "0 added, 0 updated, 1 unchanged, 0 failed" in out
    assert path.stat().st_mtime_ns == 1_000_000_000
    site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE_REVISED))
    code, out, _ = run(capsys, "add", url, "--corpus", str(corpus))
    assert code == 0 and "0 added, 1 updated, 0 unchanged, 0 failed" in out
    assert md_files(corpus) == [path]
    assert "withdrew their call for a referendum" in path.read_text(encoding="utf-8")


def test_a_new_title_renames_the_file_and_keeps_one_per_url(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    assert run(capsys, "add", url, "--corpus", str(corpus))[0] == 0
    site.page("/bridge", article_html("Elm River bridge approved after long debate", BRIDGE))
    code, out, _ = run(capsys, "add", url, "--corpus", str(corpus))
    assert code == 0 and "1 updated" in out
    (path,) = md_files(corpus)
    assert path.name.startswith("elm-river-bridge-approved-after-long-debate-")


def test_two_urls_with_one_canonical_url_make_one_file(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canonical = site.url("/news/bridge")
    html = article_html("Council approves Elm River bridge", BRIDGE, canonical=canonical)
    first = site.page("/amp/bridge", html)
    second = site.page("/print/bridge", html)
    third = canonical + "?utm_source=newsletter#comments"
    site.page("/news/bridge", html)
    code, out, err = run(capsys, "add", first, second, third, "--corpus", str(corpus))
    assert code == 0, err
    (path,) = md_files(corpus)
    assert parse_front_matter(path.read_text(encoding="utf-8"))[0]["url"] == canonical
    assert "1 added, 0 updated, 2 unchanged, 0 failed" in out


def test_a_canonical_url_on_another_site_is_not_trusted(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = article_html(
        "Council approves Elm River bridge", BRIDGE, canonical="https://other.example/x"
    )
    url = site.page("/bridge", html)
    assert run(capsys, "add", url, "--corpus", str(corpus))[0] == 0
    (path,) = md_files(corpus)
    assert parse_front_matter(path.read_text(encoding="utf-8"))[0]["url"] == url


def test_no_url_is_a_usage_error(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "add", "--corpus", str(corpus))
    assert code == 2
    assert "add needs at least one URL" in err and "Traceback" not in err


def test_asking_does_not_load_the_news_libraries() -> None:
    probe = (
        "import sys, bot.cli.main; print(sorted({'trafilatura', 'feedparser'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_requests_to_one_host_are_spaced_by_the_delay(
    site: NewsSite,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QABOT_FETCH_HOST_DELAY_SECONDS", "0.3")
    urls = [
        site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE)),
        site.page("/library", article_html("Central library to reopen in June", LIBRARY)),
    ]
    assert run(capsys, "add", *urls, "--corpus", str(corpus))[0] == 0
    arrivals = [s.at for s in site.seen]
    assert len(arrivals) == 3  # robots.txt, then the two pages
    # A lower bound only: a busy machine can make the gaps longer, never shorter.
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(arrivals))
