"""The Discord side of the news: /add, /follow, /sources and feed polling, on the fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.news.follows import FollowedFeed, save_feeds
from tests.bot.discord.test_client import (
    USER,
    RecordingChat,
    Running,
    callback_for,
    for_token,
    start_bot,
)
from tests.bot.fake_discord import ALL_PERMISSIONS, FakeDiscord
from tests.bot.news.site import NewsSite, Route, article_html, rss_xml
from tests.bot.news.stories import BRIDGE, LIBRARY

STAMP = "Thu, 02 May 2024 08:00:00 GMT"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


def news_settings(corpus: Path) -> dict[str, Any]:
    return {"corpus": corpus, "allow_private_urls": True, "fetch_host_delay_seconds": 0}


async def command(
    fake: FakeDiscord, name: str, options: dict[str, str], *, user_id: int, permissions: str = "0"
) -> str:
    """Run a slash command; the text the user ends up seeing."""
    sent = await fake.slash(name, options, user_id=user_id, permissions=permissions)
    token = sent["token"]
    await fake.wait_for(callback_for(token), timeout=30)
    (callback,) = fake.matching(callback_for(token))
    if callback.body["type"] == 4:
        return str(callback.body["data"]["content"])
    (edit,) = await fake.wait_for(for_token(token), timeout=30)
    return str(edit.body["content"])


def serve_feed(site: NewsSite) -> tuple[str, str, str]:
    bridge = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))
    library = site.page(
        "/library", article_html("Central library to reopen", LIBRARY, date="2024-05-03")
    )
    feed = rss_xml("Riverside Gazette", [("Bridge", bridge, STAMP), ("Library", library, STAMP)])
    site.routes["/rss.xml"] = Route(body=feed.encode(), content_type="application/rss+xml")
    return site.url("/rss.xml"), bridge, library


async def test_add_is_for_owners_and_managers_and_reloads_the_index(
    fake: FakeDiscord, tmp_path: Path, site: NewsSite, corpus: Path
) -> None:
    running = await start_bot(fake, tmp_path, **news_settings(corpus))
    chat = running.chat
    url = site.page("/bridge", article_html("Council approves Elm River bridge", BRIDGE))

    denied = await command(fake, "add", {"url": url}, user_id=USER)
    assert denied.startswith("Only the bot owner or members with Manage Server")
    assert site.seen == [] and chat.reloads == 0

    text = await command(fake, "add", {"url": url}, user_id=fake.owner_id)
    assert text.startswith(f"Added [Council approves Elm River bridge]({url})")
    assert "Reloaded: reloaded: 1 article" in text
    assert chat.reloads == 1 and len(list(corpus.glob("*.md"))) == 1

    again = await command(fake, "add", {"url": url}, user_id=USER, permissions=ALL_PERMISSIONS)
    assert again.startswith("Already current:") and chat.reloads == 1

    refused = await command(fake, "add", {"url": "ftp://example.org/a"}, user_id=fake.owner_id)
    assert refused.startswith("Could not add ftp://example.org/a: refused: only http")
    assert await running.shutdown() == 0


async def test_follow_adds_the_entries_and_sources_lists_them_as_links(
    fake: FakeDiscord, tmp_path: Path, site: NewsSite, corpus: Path
) -> None:
    running = await start_bot(fake, tmp_path, **news_settings(corpus))
    feed_url, bridge, library = serve_feed(site)

    empty = await command(fake, "sources", {}, user_id=USER)
    assert "No articles from the web yet" in empty

    text = await command(
        fake, "follow", {"feed": feed_url}, user_id=USER, permissions=ALL_PERMISSIONS
    )
    assert text.startswith("Following Riverside Gazette: 2 added, 0 updated, 0 unchanged, 0 failed")
    assert running.chat.reloads == 1

    listed = await command(fake, "sources", {}, user_id=USER)
    lines = listed.splitlines()
    assert lines[0] == "Searching 1 article, 15 sentences. Newest articles:"
    # Newest first: the library story is dated a day later.
    assert lines[1] == f"1. [Central library to reopen]({library}) · 2024-05-03"
    assert lines[2] == f"2. [Council approves Elm River bridge]({bridge}) · 2024-05-02"
    assert await running.shutdown() == 0


async def test_followed_feeds_are_polled_while_the_bot_runs(
    fake: FakeDiscord, tmp_path: Path, site: NewsSite, corpus: Path
) -> None:
    feed_url, _, _ = serve_feed(site)
    # Followed beforehand (as `qabot feeds add` would), then picked up by the poller.
    save_feeds(corpus, [FollowedFeed(url=feed_url)])
    chat = RecordingChat()
    running = await start_bot(
        fake, tmp_path, chat, feed_interval_seconds=3600, **news_settings(corpus)
    )
    # The first poll runs at start-up; a reload is the sign that it added the articles.
    assert await asyncio.to_thread(chat.reloaded.wait, 60)
    assert len(list(corpus.glob("*.md"))) == 2
    assert len(site.requests_to("/rss.xml")) == 1
    assert await running.shutdown() == 0


async def test_no_polling_when_the_interval_is_zero(
    fake: FakeDiscord, tmp_path: Path, site: NewsSite, corpus: Path
) -> None:
    feed_url, _, _ = serve_feed(site)
    save_feeds(corpus, [FollowedFeed(url=feed_url)])
    running: Running = await start_bot(fake, tmp_path, **news_settings(corpus))
    # A command round trip shows the bot is up and has run its start-up hook.
    assert "No articles from the web yet" in await command(fake, "sources", {}, user_id=USER)
    assert site.seen == []
    assert await running.shutdown() == 0
