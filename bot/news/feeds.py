"""Reading RSS and Atom feeds (feedparser) into the entries worth fetching."""

from __future__ import annotations

import feedparser

from bot.news.errors import NewsError
from retrieval.models import Frozen

# feedparser's notes that the declared encoding was off: the feed itself is still fine.
_HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")


class FeedEntry(Frozen):
    """One item of a feed: its link and what says whether it changed."""

    key: str
    title: str
    link: str | None
    # The entry's updated or published stamp: a new stamp means a changed article.
    stamp: str


class Feed(Frozen):
    """A parsed feed."""

    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(body: bytes, url: str) -> Feed:
    """The entries of an RSS or Atom document; NewsError when it is not a readable feed."""
    # Always bytes: given a str, feedparser would treat it as a URL or a file name to open.
    # The feed's own URL as its base, so that relative entry links resolve against it.
    parsed = feedparser.parse(bytes(body), response_headers={"content-location": url})
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        detail = f" ({problem})" if problem else ""
        raise NewsError(url, f"not an RSS or Atom feed{detail}")
    entries = tuple(_entry(e, n) for n, e in enumerate(parsed.entries))
    harmful = parsed.get("bozo") and type(problem).__name__ not in _HARMLESS
    if harmful and not any(e.link for e in entries):
        raise NewsError(url, f"malformed feed ({problem}); nothing was added")
    title = " ".join(str(parsed.feed.get("title", "")).split())
    return Feed(title=title, entries=entries)


def _entry(entry: feedparser.FeedParserDict, n: int) -> FeedEntry:
    link = str(entry.get("link") or "").strip() or None
    title = " ".join(str(entry.get("title") or "").split()) or f"entry {n + 1}"
    key = str(entry.get("id") or link or title)
    # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
    stamp = str(dict.get(entry, "updated") or dict.get(entry, "published") or "")
    return FeedEntry(key=key, title=title, link=link, stamp=stamp)
