"""Every refusal and failure of ``qabot add``: one line naming the URL and the reason, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main
from tests.bot.news.site import MEGABYTE, NewsSite, Route, article_html, rss_xml
from tests.bot.news.stories import BRIDGE, LIBRARY

pytestmark = pytest.mark.usefixtures("news_env")


def add(capsys: pytest.CaptureFixture[str], corpus: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["add", *argv, "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    return code, out, err


def failed_line(err: str, url: str) -> str:
    """The one stderr line about ``url``; no traceback anywhere."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if url in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"qabot: failed: {url}: ") or lines[0].startswith(
        f"qabot: failed: feed {url}: "
    )
    return lines[0]


def nothing_written(corpus: Path) -> bool:
    """No article and no half-written temporary file in the corpus."""
    return [p.name for p in corpus.iterdir() if p.name != ".qabot-feeds.json"] == []


def test_a_404_page(site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url("/gone")
    code, out, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith("HTTP 404 Not Found")
    assert "0 added, 0 updated, 0 unchanged, 1 failed" in out
    assert nothing_written(corpus)


def test_a_500_page(site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/broken"] = Route(status=500, body=b"oops")
    url = site.url("/broken")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith("HTTP 500 Internal Server Error")
    assert nothing_written(corpus)


def test_a_server_that_never_answers_times_out(
    site: NewsSite,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QABOT_FETCH_TIMEOUT_SECONDS", "0.5")
    site.routes["/slow"] = Route(hang=True)
    url = site.url("/slow")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith("timed out after 0.5 s")
    assert nothing_written(corpus)


def test_a_50_mb_page_is_cut_off_early(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/huge"] = Route(stream_bytes=50 * MEGABYTE)
    url = site.url("/huge")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert "too large (more than 5,000,000 bytes)" in failed_line(err, url)
    # The client stopped reading: most of the 50 MB was never sent.
    assert site.streamed < 50 * MEGABYTE
    assert nothing_written(corpus)


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    site: NewsSite,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QABOT_FETCH_MAX_BYTES", "2000")
    url = site.page("/long", article_html("Council approves Elm River bridge", BRIDGE * 5))
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert "too large (" in failed_line(err, url) and "limit 2,000)" in err


def test_a_non_html_content_type(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/report.pdf"] = Route(body=b"%PDF-1.7 ...", content_type="application/pdf")
    url = site.url("/report.pdf")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert "content type 'application/pdf' is not" in failed_line(err, url)
    assert nothing_written(corpus)


def test_a_redirect_loop(site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    site.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    url = site.url("/a")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert "redirect loop (back to " in failed_line(err, url)
    assert len(site.requests_to("/a")) == 1 and len(site.requests_to("/b")) == 1


def test_too_many_redirects(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(10):
        site.routes[f"/r{n}"] = Route(status=301, headers={"Location": f"/r{n + 1}"})
    url = site.url("/r0")
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith("too many redirects (more than 5)")
    assert len(site.requests_to("/r6")) == 0


def test_a_redirect_is_followed_and_each_hop_is_checked(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.page("/final", article_html("Council approves Elm River bridge", BRIDGE))
    site.routes["/moved"] = Route(status=301, headers={"Location": "/final"})
    site.routes["/sneaky"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    moved, sneaky = site.url("/moved"), site.url("/sneaky")
    code, out, err = add(capsys, corpus, moved, sneaky)
    assert code == 1
    assert "redirected to file:///etc/passwd: refused: only http:// and https://" in failed_line(
        err, sneaky
    )
    assert "1 added" in out and len(list(corpus.glob("*.md"))) == 1


def test_a_page_with_no_article_text(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.page("/empty", article_html("Gallery", ["Photos of the week."]))
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith("no article text found on the page")
    assert nothing_written(corpus)


def test_loopback_is_refused_without_the_setting(
    site: NewsSite,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QABOT_ALLOW_PRIVATE_URLS", "false")
    site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    by_address = site.url("/bridge")
    by_name = site.url("/bridge", host="localhost")
    code, _, err = add(capsys, corpus, by_address, by_name)
    assert code == 1
    assert "refused: 127.0.0.1 is a private, loopback or link-local address" in failed_line(
        err, by_address
    )
    # The name is checked by what it resolves to, not by its text.
    assert "refused: localhost (127.0.0.1) is a private," in failed_line(err, by_name)
    assert "QABOT_ALLOW_PRIVATE_URLS=true" in err
    assert site.seen == []
    assert nothing_written(corpus)


@pytest.mark.parametrize(
    ("url", "scheme"), [("file:///etc/passwd", "file://"), ("ftp://example.org/a.html", "ftp://")]
)
def test_other_schemes_are_refused(
    url: str, scheme: str, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith(
        f"only http:// and https:// URLs are fetched, not {scheme}"
    )
    assert nothing_written(corpus)


def test_robots_txt_is_honoured(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/robots.txt"] = Route(
        body=b"User-agent: qabot\nDisallow: /private/\n", content_type="text/plain"
    )
    private = site.page(
        "/private/bridge", article_html("Council approves Elm River bridge", BRIDGE)
    )
    public = site.page("/library", article_html("Central library to reopen in June", LIBRARY))
    code, out, err = add(capsys, corpus, private, public)
    assert code == 1
    assert "refused: robots.txt of 127.0.0.1 disallows it" in failed_line(err, private)
    assert site.requests_to("/private/bridge") == []
    assert len(site.requests_to("/robots.txt")) == 1
    assert "1 added" in out


def test_a_failure_never_stops_the_others(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    code, out, err = add(capsys, corpus, site.url("/missing"), "ftp://x.org/a", good)
    assert code == 1
    assert "1 added, 0 updated, 0 unchanged, 2 failed" in out
    assert len(list(corpus.glob("*.md"))) == 1 and err.count("qabot: failed:") == 2


def test_a_malformed_feed(site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/feed.xml"] = Route(
        body=b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Bridge</ti',
        content_type="application/rss+xml",
    )
    url = site.url("/feed.xml")
    code, _, err = add(capsys, corpus, "--feed", url)
    assert code == 1
    assert "malformed feed (" in failed_line(err, url)
    assert nothing_written(corpus)


def test_a_page_that_is_not_a_feed(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/feed"] = Route(body=b"<html><body>hi</body></html>", content_type="text/xml")
    url = site.url("/feed")
    code, _, err = add(capsys, corpus, "--feed", url)
    assert code == 1
    assert "not an RSS or Atom feed" in failed_line(err, url)


def test_a_feed_entry_without_a_link(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    stamp = "Thu, 02 May 2024 08:00:00 GMT"
    feed = rss_xml("Gazette", [("Bridge approved", good, stamp), ("Weather today", None, stamp)])
    site.routes["/feed.xml"] = Route(body=feed.encode(), content_type="application/rss+xml")
    url = site.url("/feed.xml")
    code, out, err = add(capsys, corpus, "--feed", url)
    assert code == 1
    assert failed_line(err, url).endswith("entry 'Weather today' has no link to an article")
    assert "1 added, 0 updated, 0 unchanged, 1 failed" in out
    assert len(list(corpus.glob("*.md"))) == 1


def test_an_unreadable_robots_txt_means_fetch_nothing(
    site: NewsSite, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/robots.txt"] = Route(status=503, body=b"busy")
    url = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    code, _, err = add(capsys, corpus, url)
    assert code == 1
    assert failed_line(err, url).endswith(
        "refused: robots.txt of 127.0.0.1 could not be read (HTTP 503 Service Unavailable)"
    )
    assert site.requests_to("/bridge") == []
