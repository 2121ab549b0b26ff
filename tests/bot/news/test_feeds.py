"""Feeds: RSS and Atom entries become articles; unchanged feeds cost one conditional request."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.bot.news.site import NewsSite, Route, article_html, atom_xml, rss_xml
from tests.bot.news.stories import BRIDGE, BRIDGE_REVISED, LIBRARY, MARATHON

pytestmark = pytest.mark.usefixtures("news_env")

OLD = 1_000_000_000  # an mtime long past, so any rewrite shows


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def age_files(corpus: Path) -> None:
    for path in corpus.iterdir():
        os.utime(path, ns=(OLD, OLD))


def mtimes(corpus: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()}


def serve_stories(site: NewsSite) -> dict[str, str]:
    return {
        "bridge": site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE)),
        "library": site.page("/library", article_html("Central library to reopen", LIBRARY)),
        "marathon": site.page("/marathon", article_html("Mutua sets course record", MARATHON)),
    }


def test_an_rss_feed_is_followed_and_an_unchanged_feed_costs_one_conditional_request(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = serve_stories(site)
    stamp = "Thu, 02 May 2024 08:00:00 GMT"
    feed = rss_xml("Riverside Gazette", [(n, u, stamp) for n, u in urls.items()])
    site.routes["/rss.xml"] = Route(
        body=feed.encode(), content_type="application/rss+xml", etag='"v1"'
    )
    feed_url = site.url("/rss.xml")
    code, out, err = run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))
    assert code == 0, err
    assert "3 added, 0 updated, 0 unchanged, 0 failed" in out
    assert len(list(corpus.glob("*.md"))) == 3
    followed = json.loads((corpus / ".qabot-feeds.json").read_text(encoding="utf-8"))
    assert [f["url"] for f in followed["feeds"]] == [feed_url]

    code, out, _ = run(capsys, "feeds", "--corpus", str(corpus))
    assert code == 0 and f"{feed_url}  Riverside Gazette  (3 entries seen)" in out

    age_files(corpus)
    before = mtimes(corpus)
    pages_before = len(site.seen)
    code, out, err = run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))
    assert code == 0, err
    assert "not modified since the last poll" in out
    assert "0 added, 0 updated, 0 unchanged, 0 failed" in out
    new = site.seen[pages_before:]
    assert [(s.path, s.status) for s in new if s.path != "/robots.txt"] == [("/rss.xml", 304)]
    assert new[-1].headers["If-None-Match"] == '"v1"'
    assert mtimes(corpus) == before


def test_a_changed_atom_entry_updates_its_file_and_only_its_page_is_fetched(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = serve_stories(site)
    first = [
        ("Bridge", urls["bridge"], "2024-05-02T08:00:00Z"),
        ("Library", urls["library"], "2024-05-02T09:00:00Z"),
    ]
    site.routes["/atom.xml"] = Route(
        body=atom_xml("Gazette", first).encode(),
        content_type="application/atom+xml",
        etag='"a1"',
    )
    feed_url = site.url("/atom.xml")
    code, out, err = run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))
    assert code == 0 and "2 added" in out, err
    (bridge_file,) = corpus.glob("council-approves-elm-river-bridge-*.md")
    (library_file,) = corpus.glob("central-library-*.md")
    age_files(corpus)

    site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE_REVISED))
    second = [("Bridge", urls["bridge"], "2024-05-03T10:00:00Z"), first[1]]
    second.append(("Marathon", urls["marathon"], "2024-05-03T11:00:00Z"))
    site.routes["/atom.xml"] = Route(
        body=atom_xml("Gazette", second).encode(),
        content_type="application/atom+xml",
        etag='"a2"',
    )
    code, out, err = run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))
    assert code == 0, err
    assert "1 added, 1 updated, 1 unchanged, 0 failed" in out
    assert "withdrew their call for a referendum" in bridge_file.read_text(encoding="utf-8")
    assert library_file.stat().st_mtime_ns == OLD
    assert len(site.requests_to("/library")) == 1
    assert len(site.requests_to("/bridge")) == 2
    assert site.requests_to("/atom.xml")[-1].headers["If-None-Match"] == '"a1"'

    code, out, err = run(
        capsys, "ask", "Did the councillors withdraw their call for a referendum?", "--json",
        "--corpus", str(corpus),
    )  # fmt: skip
    assert code == 0, err
    cited = json.loads(out)["citations"][0]
    assert cited["url"] == urls["bridge"] and "withdrew" in cited["sentence"]


def test_last_modified_is_sent_back_and_a_200_with_nothing_new_writes_nothing(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = serve_stories(site)
    stamp = "Thu, 02 May 2024 08:00:00 GMT"
    site.routes["/rss.xml"] = Route(
        body=rss_xml("Gazette", [("Bridge", urls["bridge"], stamp)]).encode(),
        content_type="application/rss+xml",
        headers={"Last-Modified": stamp},
    )
    feed_url = site.url("/rss.xml")
    assert run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))[0] == 0
    age_files(corpus)
    before = mtimes(corpus)
    code, out, _ = run(capsys, "add", "--feed", feed_url, "--corpus", str(corpus))
    assert code == 0 and "0 added, 0 updated, 1 unchanged, 0 failed" in out
    assert site.requests_to("/rss.xml")[-1].headers["If-Modified-Since"] == stamp
    assert len(site.requests_to("/bridge")) == 1
    assert mtimes(corpus) == before


def test_feeds_add_remove_refresh_and_usage_errors(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = serve_stories(site)
    stamp = "Thu, 02 May 2024 08:00:00 GMT"
    site.routes["/rss.xml"] = Route(
        body=rss_xml("Gazette", [("Bridge", urls["bridge"], stamp)]).encode(),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    feed_url = site.url("/rss.xml")
    code, out, _ = run(capsys, "feeds", "--corpus", str(corpus))
    assert code == 0 and "No feeds are followed" in out
    code, out, _ = run(capsys, "feeds", "add", feed_url, "--corpus", str(corpus))
    assert code == 0 and "1 added" in out
    code, out, _ = run(capsys, "feeds", "refresh", "--corpus", str(corpus))
    assert code == 0 and "not modified since the last poll" in out

    code, _, err = run(capsys, "feeds", "remove", site.url("/other.xml"), "--corpus", str(corpus))
    assert code == 2 and "is not a followed feed (followed: " in err and feed_url in err
    code, _, err = run(capsys, "feeds", "add", "--corpus", str(corpus))
    assert code == 2 and "feeds add needs a feed URL" in err
    code, out, _ = run(capsys, "feeds", "remove", feed_url, "--corpus", str(corpus))
    assert code == 0 and f"unfollowed: {feed_url}" in out
    code, out, _ = run(capsys, "feeds", "list", "--corpus", str(corpus))
    assert "No feeds are followed" in out
    # Unfollowing keeps the articles already added.
    assert len(list(corpus.glob("*.md"))) == 1


def test_a_damaged_feeds_file_is_one_clear_error(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / ".qabot-feeds.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "feeds", "--corpus", str(corpus))
    assert code == 1
    assert ".qabot-feeds.json is not a followed-feeds file" in err and "fix or delete it" in err


def test_relative_entry_links_resolve_against_the_feed(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_stories(site)
    stamp = "Thu, 02 May 2024 08:00:00 GMT"
    site.routes["/feeds/rss.xml"] = Route(
        body=rss_xml("Gazette", [("Library", "/library", stamp)]).encode(),
        content_type="application/rss+xml",
    )
    code, out, err = run(
        capsys, "add", "--feed", site.url("/feeds/rss.xml"), "--corpus", str(corpus)
    )
    assert code == 0, err
    assert f"({site.url('/library')})" in out and "1 added" in out
