"""The news on Discord: /sources, /add and /follow, and polling the followed feeds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.discord.answers import ChatCore
from bot.discord.reloading import Every, Reloader, in_daemon_thread
from bot.discord.render import CONTENT_LIMIT, LINK_TITLE_CHARS, Reply, is_web_url, link_text, plain
from bot.discord.views import message_kwargs, send_kwargs
from bot.settings import Settings

if TYPE_CHECKING:  # imported when first used: trafilatura and feedparser load slowly
    from bot.news.articles import StoredArticle
    from bot.news.desk import NewsDesk
    from bot.news.ingestion import FeedReport, Outcome, Summary

log = logging.getLogger(__name__)

SOURCES_SHOWN = 10


def render_sources(articles: Sequence[StoredArticle], describe: str) -> Reply:
    """``/sources``: the newest fetched articles, each title a link, within one message."""
    if not articles:
        return plain(
            f"Searching {describe}. No articles from the web yet: "
            "the owner or a manager can use /add or /follow."
        )
    lines = [f"Searching {escape_markdown(describe)}. Newest articles:"]
    for n, article in enumerate(articles, start=1):
        date = f" · {escape_markdown(article.date)}" if article.date else ""
        title = link_text(article.title, LINK_TITLE_CHARS)
        line = f"{n}. [{title}]({article.url}){date}" if is_web_url(article.url) else title
        # Whole lines only: a link cut in half would show as raw markdown.
        if sum(len(x) + 1 for x in lines) + len(line) > CONTENT_LIMIT:
            break
        lines.append(line)
    return Reply(content=escape_mentions("\n".join(lines)))


def news_line(outcome: Outcome) -> str:
    """One line about an added article: a link to it, or why it failed."""
    if outcome.status == "failed":
        return f"Could not add {outcome.url}: {escape_markdown(outcome.reason)}"
    title = link_text(outcome.title or outcome.url, LINK_TITLE_CHARS)
    link = f"[{title}]({outcome.url})" if is_web_url(outcome.url) else title
    verb = {"added": "Added", "updated": "Updated", "unchanged": "Already current:"}
    return f"{verb[outcome.status]} {link}"


def render_news(lines: Sequence[str]) -> Reply:
    """A reply made of whole news lines, as many as fit one message."""
    kept: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in kept) + len(line) > CONTENT_LIMIT:
            break
        kept.append(line)
    return Reply(content=escape_mentions("\n".join(kept) or "Nothing to report."))


def feed_line(report: FeedReport, summary: Summary) -> str:
    """One line about a followed feed."""
    name = report.title or report.url
    if report.failure is not None:
        return f"Could not follow {report.url}: {report.failure}"
    if report.not_modified:
        return f"Following {name}: nothing new since the last poll."
    return f"Following {name}: {summary.line()}."


class NewsRoom:
    """The news desk over the corpus folder, seen from Discord; reloads what it changes."""

    def __init__(self, settings: Settings, chat: ChatCore, reloader: Reloader) -> None:
        self.settings = settings
        self.chat = chat
        self.reloader = reloader
        self._desk: NewsDesk | None = None
        self._poller = Every(
            settings.feed_interval_seconds,
            self.poll,
            "polling the feeds failed; trying again next time",
        )

    @property
    def desk(self) -> NewsDesk:
        """The news desk (created on first use, on the loop, so commands share its lock)."""
        if self._desk is None:
            from bot.news.desk import NewsDesk
            from bot.news.fetcher import FetchPolicy

            self._desk = NewsDesk(self.settings.corpus, FetchPolicy.from_settings(self.settings))
        return self._desk

    async def sources(self, interaction: discord.Interaction[Any]) -> None:
        """``/sources``: the newest fetched articles, titles linked."""
        desk = self.desk
        articles = await asyncio.to_thread(desk.newest, SOURCES_SHOWN)
        describe = await asyncio.to_thread(self.chat.describe)
        reply = render_sources(articles, describe)
        await interaction.response.send_message(**send_kwargs(reply), ephemeral=True)

    async def add(self, interaction: discord.Interaction[Any], url: str, *, feed: bool) -> None:
        """``/add url:`` or ``/follow feed:``: fetch off the loop; reload if anything changed."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        from bot.news.ingestion import Summary

        desk = self.desk
        try:
            if feed:
                report = await in_daemon_thread(lambda: desk.follow(url))
                summary = Summary.of((), [report])
                lines = [feed_line(report, summary), *(news_line(o) for o in report.outcomes)]
            else:
                outcome = await in_daemon_thread(lambda: desk.add_url(url))
                summary = Summary.of([outcome])
                lines = [news_line(outcome)]
            if summary.changed:
                lines.append(f"Reloaded: {await self.reloader.reload()}")
        except Exception as exc:
            log.exception("adding %s failed", "a feed" if feed else "an article")
            lines = [f"Could not add that: {exc}"]
        await interaction.edit_original_response(**message_kwargs(render_news(lines)))

    async def poll(self) -> str:
        """Poll the followed feeds; reload when an article was added or updated."""
        from bot.news.ingestion import Summary

        desk = self.desk
        reports = await in_daemon_thread(desk.poll)
        for report in reports:
            if report.failure:
                log.warning("feed %s: %s", report.url, report.failure)
            for outcome in report.outcomes:
                if outcome.status == "failed":
                    log.warning("%s", outcome.line())
        summary = Summary.of((), reports)
        if summary.changed:
            await self.reloader.reload()
        log.info("polled %d feeds: %s", len(reports), summary.line())
        return summary.line()

    def start(self) -> None:
        """Poll the feeds every QABOT_FEED_INTERVAL_SECONDS, if set."""
        self._poller.start(first_wait=False)

    async def stop(self) -> None:
        """Stop polling."""
        await self._poller.stop()
