"""Adding articles and feeds to a corpus folder: fetch, extract, write; one outcome each."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from bot.news.articles import save_article
from bot.news.errors import NewsError
from bot.news.extract import extract_article
from bot.news.feeds import FeedEntry, parse_feed
from bot.news.fetcher import FEED_TYPES, HTML_TYPES, Fetcher, FetchPolicy
from bot.news.follows import FollowedFeed, load_feeds, save_feeds, upsert
from bot.news.urls import canonical_url, parse_web_url
from retrieval.models import Frozen

Status = Literal["added", "updated", "unchanged", "failed"]
# Called with (done, total) as articles finish; the CLI draws a bar with it.
Progress = Callable[[int, int], None]


class Outcome(Frozen):
    """What happened to one URL: written (where), already current, or failed (why)."""

    url: str
    status: Status
    title: str = ""
    path: str | None = None
    reason: str = ""

    def line(self) -> str:
        """One line for people: ``added: file.md (URL)`` or ``failed: URL: reason``."""
        if self.status == "failed":
            return f"failed: {self.url}: {self.reason}"
        return f"{self.status}: {self.path} ({self.url})"


class FeedReport(Frozen):
    """One feed's poll: its articles' outcomes, or why the feed itself failed."""

    url: str
    title: str = ""
    not_modified: bool = False
    # Entries seen before with the same stamp: current without being fetched again.
    current: int = 0
    outcomes: tuple[Outcome, ...] = ()
    failure: str | None = None


class Summary(Frozen):
    """The counts for the closing line."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    @classmethod
    def of(cls, outcomes: Sequence[Outcome], reports: Sequence[FeedReport] = ()) -> Summary:
        """Count ``outcomes`` and the feeds' results."""
        every = [*outcomes, *(o for r in reports for o in r.outcomes)]
        counts = {s: sum(1 for o in every if o.status == s) for s in ("added", "updated")}
        unchanged = sum(1 for o in every if o.status == "unchanged")
        unchanged += sum(r.current for r in reports)
        failed = sum(1 for o in every if o.status == "failed")
        failed += sum(1 for r in reports if r.failure is not None)
        return cls(**counts, unchanged=unchanged, failed=failed)

    @property
    def changed(self) -> bool:
        """True when a file was written, so an index over the corpus needs a reload."""
        return self.added + self.updated > 0

    def line(self) -> str:
        """``2 added, 0 updated, 1 unchanged, 1 failed``."""
        return (
            f"{self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )


class Ingestor:
    """Adds articles and feeds to one corpus folder through one polite Fetcher."""

    def __init__(self, corpus: Path, fetcher: Fetcher, progress: Progress | None = None) -> None:
        self.corpus = corpus
        self.fetcher = fetcher
        self.progress = progress

    async def add_url(self, url: str) -> Outcome:
        """Fetch, extract and write one article; never raises for a bad URL or page."""
        try:
            fetched = await self.fetcher.get(url, HTML_TYPES)
            article = await asyncio.to_thread(extract_article, fetched.body, fetched.final_url)
            saved = save_article(self.corpus, article)
        except NewsError as exc:
            return Outcome(url=url, status="failed", reason=exc.reason)
        except OSError as exc:
            return Outcome(url=url, status="failed", reason=f"could not write the file ({exc})")
        return Outcome(url=url, status=saved.status, title=article.title, path=saved.path.name)

    async def add_urls(self, urls: Sequence[str]) -> list[Outcome]:
        """Add every URL (a few at a time, as the fetcher allows); outcomes in input order."""
        done = 0

        async def one(url: str) -> Outcome:
            nonlocal done
            outcome = await self.add_url(url)
            done += 1
            if self.progress is not None:
                self.progress(done, len(urls))
            return outcome

        return list(await asyncio.gather(*(one(u) for u in urls)))

    async def add_feed(self, url: str, *, follow: bool = True) -> FeedReport:
        """Poll one feed (conditionally) and add its new or changed entries; follow it."""
        try:
            key = canonical_url(str(parse_web_url(url)))
        except NewsError as exc:
            return FeedReport(url=url, failure=exc.reason)
        feeds = load_feeds(self.corpus)
        record = next((f for f in feeds if f.url == key), None) or FollowedFeed(url=key)
        report, record = await self._poll(record)
        if follow or any(f.url == key for f in feeds):
            save_feeds(self.corpus, upsert(load_feeds(self.corpus), record))
        return report

    async def refresh_followed(self) -> list[FeedReport]:
        """Poll every followed feed, one after another (each feed's articles concurrently)."""
        return [await self.add_feed(feed.url, follow=False) for feed in load_feeds(self.corpus)]

    async def _poll(self, record: FollowedFeed) -> tuple[FeedReport, FollowedFeed]:
        try:
            fetched = await self.fetcher.get(
                record.url, FEED_TYPES, etag=record.etag, last_modified=record.last_modified
            )
            if fetched.not_modified:
                return FeedReport(url=record.url, title=record.title, not_modified=True), record
            feed = parse_feed(fetched.body, record.url)
        except NewsError as exc:
            return FeedReport(url=record.url, title=record.title, failure=exc.reason), record
        fresh = [e for e in feed.entries if record.seen.get(e.key) != e.stamp]
        linked = [e for e in fresh if e.link]
        fetched_outcomes = await self.add_urls([e.link for e in linked if e.link])
        outcomes = [_no_link(record.url, e) for e in fresh if not e.link] + fetched_outcomes
        seen = {e.key: e.stamp for e in feed.entries if record.seen.get(e.key) == e.stamp}
        # An entry without a link is reported once; a failed article is tried again next poll.
        seen |= {e.key: e.stamp for e in fresh if not e.link}
        for entry, outcome in zip(linked, fetched_outcomes, strict=True):
            if outcome.status != "failed":
                seen[entry.key] = entry.stamp
        updated = record.model_copy(
            update={
                "title": feed.title or record.title,
                "etag": fetched.etag,
                "last_modified": fetched.last_modified,
                "seen": seen,
            }
        )
        report = FeedReport(
            url=record.url,
            title=updated.title,
            current=len(feed.entries) - len(fresh),
            outcomes=tuple(outcomes),
        )
        return report, updated


def _no_link(feed_url: str, entry: FeedEntry) -> Outcome:
    return Outcome(
        url=feed_url,
        status="failed",
        title=entry.title,
        reason=f"entry {entry.title!r} has no link to an article",
    )


async def ingest(
    corpus: Path,
    policy: FetchPolicy,
    *,
    urls: Sequence[str] = (),
    feeds: Sequence[str] = (),
    refresh: bool = False,
    progress: Progress | None = None,
) -> tuple[list[Outcome], list[FeedReport]]:
    """Add ``urls``, then poll ``feeds`` (followed from now on) and, with ``refresh``, the rest."""
    corpus.mkdir(parents=True, exist_ok=True)
    async with Fetcher(policy) as fetcher:
        ingestor = Ingestor(corpus, fetcher, progress)
        outcomes = await ingestor.add_urls(urls) if urls else []
        reports = [await ingestor.add_feed(f) for f in feeds]
        if refresh:
            reports += await ingestor.refresh_followed()
    return outcomes, reports
