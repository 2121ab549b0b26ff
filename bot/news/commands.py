"""The text side of ``qabot add`` and ``qabot feeds``: run ingestion, print one line each."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from bot.cli.progress import count_progress
from bot.news.errors import NewsError
from bot.news.fetcher import FetchPolicy
from bot.news.follows import FeedsFileError, load_feeds, save_feeds
from bot.news.ingestion import FeedReport, Outcome, Summary, ingest
from bot.news.urls import canonical_url, parse_web_url
from bot.settings import Settings
from retrieval.errors import BadInputError

EXIT_OK, EXIT_FAULT = 0, 1


class FeedsUsageError(BadInputError):
    """``qabot feeds`` was asked for something it cannot do (exit 2)."""


def run_add(
    settings: Settings,
    *,
    urls: Sequence[str] = (),
    feeds: Sequence[str] = (),
    refresh: bool = False,
) -> int:
    """Add ``urls`` and ``feeds`` to the corpus; 0 when all are current, 1 when any failed."""
    policy = FetchPolicy.from_settings(settings)
    try:
        with count_progress("fetching articles") as progress:
            outcomes, reports = asyncio.run(
                ingest(
                    settings.corpus,
                    policy,
                    urls=urls,
                    feeds=feeds,
                    refresh=refresh,
                    progress=progress,
                )
            )
    except FeedsFileError as exc:
        print(f"qabot: error: {exc}", file=sys.stderr)
        return EXIT_FAULT
    for outcome in outcomes:
        _print_outcome(outcome)
    for report in reports:
        _print_report(report)
    summary = Summary.of(outcomes, reports)
    print(summary.line())
    return EXIT_FAULT if summary.failed else EXIT_OK


def run_feeds(settings: Settings, action: str, urls: Sequence[str]) -> int:
    """``qabot feeds [list|add|remove|refresh] [URL...]``."""
    if action in ("list", "refresh") and urls:
        raise FeedsUsageError(f"feeds {action} takes no URL (got {urls[0]!r})")
    if action in ("add", "remove") and not urls:
        raise FeedsUsageError(f"feeds {action} needs a feed URL; e.g. qabot feeds {action} URL")
    try:
        if action == "add":
            return run_add(settings, feeds=urls)
        if action == "remove":
            return _remove(settings, urls)
        if action == "refresh":
            if not load_feeds(settings.corpus):
                print("No feeds are followed; add one with: qabot feeds add URL")
                return EXIT_OK
            return run_add(settings, refresh=True)
        return _list(settings)
    except FeedsFileError as exc:
        print(f"qabot: error: {exc}", file=sys.stderr)
        return EXIT_FAULT


def _list(settings: Settings) -> int:
    feeds = load_feeds(settings.corpus)
    if not feeds:
        print("No feeds are followed; add one with: qabot feeds add URL")
    for feed in feeds:
        title = f"  {feed.title}" if feed.title else ""
        print(f"{feed.url}{title}  ({len(feed.seen)} entries seen)")
    return EXIT_OK


def _remove(settings: Settings, urls: Sequence[str]) -> int:
    feeds = load_feeds(settings.corpus)
    followed = {f.url for f in feeds}
    for url in urls:
        try:
            key = canonical_url(str(parse_web_url(url)))
        except NewsError as exc:
            raise FeedsUsageError(str(exc)) from None
        if key not in followed:
            known = ", ".join(sorted(followed)) or "none"
            raise FeedsUsageError(f"{url} is not a followed feed (followed: {known})")
        feeds = [f for f in feeds if f.url != key]
        print(f"unfollowed: {key}")
    save_feeds(settings.corpus, feeds)
    return EXIT_OK


def _print_outcome(outcome: Outcome) -> None:
    if outcome.status == "failed":
        print(f"qabot: {outcome.line()}", file=sys.stderr)
    else:
        print(outcome.line())


def _print_report(report: FeedReport) -> None:
    name = f"feed {report.url}"
    if report.failure is not None:
        print(f"qabot: failed: {name}: {report.failure}", file=sys.stderr)
        return
    if report.not_modified:
        print(f"{name}: not modified since the last poll")
        return
    fresh = len(report.outcomes)
    print(f"{name}: {fresh} new or changed entr{'y' if fresh == 1 else 'ies'}")
    for outcome in report.outcomes:
        _print_outcome(outcome)
