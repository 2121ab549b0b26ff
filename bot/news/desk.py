"""The news desk of a long-running bot: add, follow and poll, one job at a time, synchronously.

Each call runs its own event loop, so an adapter calls it from a worker thread and its own
loop never waits on a download or an extraction.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from bot.news.articles import StoredArticle, list_articles
from bot.news.fetcher import FetchPolicy
from bot.news.ingestion import FeedReport, Outcome, ingest


class NewsDesk:
    """Adds articles and feeds to one corpus folder; thread-safe (jobs run one at a time)."""

    def __init__(self, corpus: Path, policy: FetchPolicy) -> None:
        self.corpus = corpus
        self.policy = policy
        # One job at a time: two polls must not race on the followed-feeds file.
        self._lock = threading.Lock()

    def add_url(self, url: str) -> Outcome:
        """Fetch one article into the corpus."""
        with self._lock:
            outcomes, _ = asyncio.run(ingest(self.corpus, self.policy, urls=[url]))
        return outcomes[0]

    def follow(self, url: str) -> FeedReport:
        """Follow a feed and add its entries."""
        with self._lock:
            _, reports = asyncio.run(ingest(self.corpus, self.policy, feeds=[url]))
        return reports[0]

    def poll(self) -> list[FeedReport]:
        """Poll every followed feed (conditionally) and add what is new."""
        with self._lock:
            _, reports = asyncio.run(ingest(self.corpus, self.policy, refresh=True))
        return reports

    def newest(self, limit: int) -> list[StoredArticle]:
        """The newest fetched articles, newest first."""
        return list_articles(self.corpus)[:limit] if self.corpus.is_dir() else []
