"""The Discord adapter end to end: the real discord.py client against a local fake Discord."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.core.models import Answer
from bot.discord import ChatCore, DiscordConfigError, QABotClient, serve
from bot.discord.answers import AnswerMemory, conversation_id, strip_mentions_of
from bot.discord.cooldown import QuestionCooldown
from bot.discord.feedback import FeedbackRecorder
from bot.discord.render import (
    CONTENT_LIMIT,
    CUSTOM_ID_LIMIT,
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    TOTAL_LIMIT,
)
from bot.settings import Settings
from retrieval.errors import UnknownDocumentError
from tests.bot.discord.test_render import SENTENCE
from tests.bot.discord.test_render import citation as cited
from tests.bot.fake_discord import ALL_PERMISSIONS, FakeDiscord, Json, Request
from tests.conftest import BUNDLED

ROOT = Path(__file__).resolve().parents[3]
PARAGRAPH = SENTENCE + " The decision for the withdrawal came in the summer."
DECLINE = "I can't find that in the articles I have."
USER = 100_000_000_000_000_500
OTHER_USER = 100_000_000_000_000_600
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
# Seconds to wait for an event the test needs: far above what it takes on an idle machine
# (well under a second), so a busy CI machine only makes the test slower, never red.
WAIT = 30


def reply_to(question: str) -> Answer:
    """The fake core's default: a cited answer, or a decline for questions about cheese."""
    if "cheese" in question:
        return Answer(question=question, answered=False, text=DECLINE, query="cheese")
    return Answer(
        question=question,
        answered=True,
        text=f"**310** peacekeepers died: “{SENTENCE}” [1]",
        citations=(cited(),),
        query="peacekeepers died",
    )


ARTICLES = {"mali": "UN mission in Mali ends", "harbour": "Harbour bridge reopens"}


class RecordingChat:
    """A small chat core that records what it was asked; thread-safe like the real one."""

    def __init__(self, answer: Callable[[str], Answer] = reply_to) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []
        self.articles_asked: list[str | None] = []
        self.resets: list[str] = []
        self.contexts: list[tuple[str, int]] = []
        self.reloads = 0
        self.reloaded = threading.Event()
        self.reload_error: str | None = None
        # Cleared by a test to hold every answer back until it is set again.
        self.gate = threading.Event()
        self.gate.set()
        self._lock = threading.Lock()

    def ask(self, question: str, conversation_id: str, article: str | None = None) -> Answer:
        if article is not None and article not in ARTICLES:
            raise UnknownDocumentError(f"no article with id {article!r}; the closest ids are ...")
        with self._lock:
            self.asked.append((question, conversation_id))
            self.articles_asked.append(article)
        if not self.gate.wait(timeout=2 * WAIT):
            raise TimeoutError("the test never opened the gate")
        return self.answer(question)

    def articles(self, text: str, limit: int) -> list[tuple[str, str]]:
        return [(i, t) for i, t in ARTICLES.items() if text.lower() in t.lower()][:limit]

    def reset(self, conversation_id: str) -> None:
        self.resets.append(conversation_id)

    def context(self, doc_id: str, start: int) -> str:
        self.contexts.append((doc_id, start))
        return PARAGRAPH if start == 412 else ""

    def describe(self) -> str:
        return "1 article, 15 sentences"

    def reload(self) -> str:
        self.reloads += 1
        self.reloaded.set()
        if self.reload_error:
            raise RuntimeError(self.reload_error)
        return "reloaded: 1 article, 15 sentences"

    @property
    def questions(self) -> list[str]:
        with self._lock:
            return [q for q, _ in self.asked]


def make_settings(fake: FakeDiscord, tmp_path: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": SecretStr(fake.token),
        "discord_api_base": fake.api_base,
        "discord_gateway": fake.gateway_url,
        "feedback_path": tmp_path / "feedback.jsonl",
        "discord_cooldown_burst": 100,
        "discord_cooldown_seconds": 60,
    }
    values.update(changes)
    return Settings(_env_file=None, **values)


@dataclass
class Running:
    """A bot being served against the fake, and the handles a test needs."""

    fake: FakeDiscord
    core: ChatCore
    settings: Settings
    stop: asyncio.Event
    task: asyncio.Task[int]

    @property
    def chat(self) -> RecordingChat:
        assert isinstance(self.core, RecordingChat)
        return self.core

    async def shutdown(self) -> int:
        self.stop.set()
        if isinstance(self.core, RecordingChat):
            self.core.gate.set()
        return await asyncio.wait_for(self.task, WAIT)


async def start_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    chat: ChatCore | None = None,
    *,
    sync: Any = "none",
    handle_signals: bool = False,
    **changes: Any,
) -> Running:
    chat = chat or RecordingChat()
    settings = make_settings(fake, tmp_path, **changes)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(settings, chat, sync=sync, stop=stop, handle_signals=handle_signals)
    )
    ready = asyncio.create_task(fake.identified.wait())
    done, _ = await asyncio.wait({task, ready}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # raise what stopped the bot early
    assert ready in done, "the bot never identified on the fake gateway"
    return Running(fake, chat, settings, stop, task)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[Running]:
    running = await start_bot(fake, tmp_path)
    yield running
    assert await running.shutdown() == 0


class LogWatch(logging.Handler):
    """Sets ``seen`` once a log line holding ``text`` is emitted, from whatever thread."""

    def __init__(self, text: str) -> None:
        super().__init__(logging.DEBUG)
        self.text = text
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.seen.set()


# -- predicates over recorded REST calls --------------------------------------------


def is_callback(r: Request) -> bool:
    return r.method == "POST" and r.path.endswith("/callback")


def is_original_edit(r: Request) -> bool:
    return r.method == "PATCH" and r.path.endswith("/messages/@original")


def is_channel_post(channel_id: int) -> Callable[[Request], bool]:
    return lambda r: r.method == "POST" and r.path == f"/channels/{channel_id}/messages"


def is_followup(r: Request) -> bool:
    return r.method == "POST" and r.path.startswith("/webhooks/") and "/messages" not in r.path


def sends(fake: FakeDiscord) -> list[Request]:
    """Every request that put a message in front of someone."""
    return [
        r
        for r in fake.requests
        if is_callback(r) or is_original_edit(r) or is_followup(r) or r.path.endswith("/messages")
    ]


def message_body(r: Request) -> Json:
    """The message part of a send: the callback's ``data`` or the whole body."""
    body: Json = r.body or {}
    return body.get("data") or {} if is_callback(r) else body


def custom_ids(body: Json) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


def callback_for(token: str) -> Callable[[Request], bool]:
    return lambda r: is_callback(r) and token in r.path


def for_token(token: str) -> Callable[[Request], bool]:
    return lambda r: is_original_edit(r) and token in r.path


# -- unit tests of the adapter's small parts ----------------------------------------


def test_cooldown_allows_a_burst_then_warns_once_per_spell() -> None:
    now = [100.0]
    cooldown = QuestionCooldown(burst=2, window=10, clock=lambda: now[0])
    assert [cooldown.check(1).allowed for _ in range(2)] == [True, True]
    blocked = cooldown.check(1)
    assert not blocked.allowed and blocked.warn and blocked.retry_after == 10
    assert not cooldown.check(1).warn  # told once; no second warning in the same spell
    assert cooldown.check(2).allowed  # other users are not affected
    now[0] = 110.5
    assert cooldown.check(1).allowed
    assert QuestionCooldown(burst=1, window=0).check(1).allowed  # a zero window turns it off


def test_answer_memory_is_bounded_and_keys_are_unique() -> None:
    memory = AnswerMemory(size=3)
    keys = [memory.remember(reply_to(f"q{i}")) for i in range(5)]
    assert len(set(keys)) == 5
    assert memory.get(keys[0]) is None and memory.get(keys[1]) is None
    remembered = memory.get(keys[4])
    assert remembered is not None and remembered.question == "q4"


def test_mentions_of_the_bot_are_stripped_and_conversations_are_per_user_and_channel() -> None:
    assert strip_mentions_of("<@42> how many <@!42> died? <@7>", 42) == "how many died? <@7>"
    assert conversation_id(5, 9) != conversation_id(5, 10) != conversation_id(6, 9)


async def test_gateway_url_keeps_discord_py_query_and_leaves_voice_alone(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, discord_gateway="ws://127.0.0.1:9/gateway", feedback_path=tmp_path / "f"
    )
    client = QABotClient(settings, RecordingChat())
    await client.setup_hook()  # resolves the gateway; nothing else to do without sync or timer
    url = client.gateway_url("wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream")
    assert url == "ws://127.0.0.1:9/gateway?v=10&encoding=json&compress=zlib-stream"
    assert client.gateway_url("wss://voice.example/?v=8") == "wss://voice.example/?v=8"


async def test_a_missing_token_is_a_config_error_naming_the_setting(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, discord_token=None, feedback_path=tmp_path / "f")
    with pytest.raises(DiscordConfigError, match="QABOT_DISCORD_TOKEN"):
        await serve(settings, RecordingChat())


async def test_guild_sync_without_a_guild_id_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, discord_token=SecretStr("t"), feedback_path=tmp_path / "f")
    with pytest.raises(DiscordConfigError, match="QABOT_DISCORD_GUILD_ID"):
        await serve(settings, RecordingChat(), sync="guild")


# -- end to end against the fake ----------------------------------------------------


async def test_a_rejected_token_is_a_config_error_that_never_shows_the_token(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    settings = make_settings(fake, tmp_path, discord_token=SecretStr("wrong-secret-token"))
    with pytest.raises(DiscordConfigError, match="QABOT_DISCORD_TOKEN") as caught:
        await serve(settings, RecordingChat())
    assert "wrong-secret-token" not in str(caught.value)
    assert fake.requests[0].path == "/users/@me"


async def test_slash_ask_defers_then_edits_in_a_cited_embed(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "How many peacekeepers died?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    (callback,) = fake.matching(callback_for(sent["token"]))
    assert callback.body == {"type": 5}  # deferred before the answer was looked up
    assert fake.requests.index(callback) < fake.requests.index(edit)
    assert bot.chat.asked == [
        ("How many peacekeepers died?", conversation_id(fake.channel_id, USER))
    ]
    (embed,) = edit.body["embeds"]
    assert embed["title"] == "How many peacekeepers died?"
    assert embed["description"].startswith("**310** peacekeepers died")
    assert embed["description"].endswith("[1]")
    assert embed["fields"] == [
        {
            "name": "[1] UN mission in Mali ends",
            "value": f"> {SENTENCE}\nparagraph 2, sentence 1",
            "inline": False,
        }
    ]
    assert embed["footer"]["text"] == "1 article, 15 sentences · searched: peacekeepers died"
    assert edit.body["allowed_mentions"] == NO_MENTIONS
    assert custom_ids(edit.body)[0] == "qabot:ctx:412:minusma-withdrawal"


async def test_slash_ask_about_one_article_passes_it_to_the_chat(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "Who?", "article": "harbour"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))
    assert bot.chat.articles_asked == ["harbour"]


async def test_slash_ask_with_an_unknown_article_says_so_politely(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "Who?", "article": "nope"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    assert "no article with id 'nope'" in edit.body["content"]
    assert bot.chat.asked == []


async def test_the_article_option_autocompletes_over_titles(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.autocomplete(
        "ask", {"question": "Who?", "article": "bridge"}, "article", user_id=USER
    )
    (callback,) = await fake.wait_for(callback_for(sent["token"]))
    assert callback.body == {
        "type": 8,
        "data": {"choices": [{"name": "Harbour bridge reopens", "value": "harbour"}]},
    }


async def test_a_mention_in_a_channel_is_answered_as_a_reply(bot: Running) -> None:
    fake = bot.fake
    await fake.send_message("just chatting, not for the bot", user_id=USER)
    message = await fake.send_message("how many peacekeepers died?", user_id=USER, mention_bot=True)
    (post,) = await fake.wait_for(is_channel_post(fake.channel_id))
    # The unmentioned message came first and was ignored.
    assert bot.chat.asked == [
        ("how many peacekeepers died?", conversation_id(fake.channel_id, USER))
    ]
    assert str(post.body["message_reference"]["message_id"]) == message["id"]
    assert post.body["message_reference"]["fail_if_not_exists"] is False
    assert post.body["embeds"][0]["description"].startswith("**310**")
    assert post.body["allowed_mentions"] == NO_MENTIONS
    assert fake.matching(lambda r: r.path == f"/channels/{fake.channel_id}/typing")


async def test_a_dm_is_answered_without_a_mention(bot: Running) -> None:
    fake = bot.fake
    await fake.send_message("how many peacekeepers died?", user_id=USER, in_guild=False)
    (post,) = await fake.wait_for(is_channel_post(fake.dm_channel_id))
    assert bot.chat.asked == [
        ("how many peacekeepers died?", conversation_id(fake.dm_channel_id, USER))
    ]
    assert post.body["embeds"][0]["fields"][0]["name"] == "[1] UN mission in Mali ends"


async def test_other_bots_and_itself_are_ignored(bot: Running) -> None:
    fake = bot.fake
    other_bot = fake.message_json(
        f"<@{fake.bot_id}> how many?",
        author={**fake.bot_user, "id": str(OTHER_USER), "username": "otherbot"},
        mentions=[fake.bot_user],
    )
    itself = fake.message_json(f"<@{fake.bot_id}> how many?", author=fake.bot_user)
    await fake.dispatch("MESSAGE_CREATE", other_bot)
    await fake.dispatch("MESSAGE_CREATE", itself)
    await fake.send_message("a human question", user_id=USER, in_guild=False)
    await fake.wait_for(is_channel_post(fake.dm_channel_id))
    assert bot.chat.questions == ["a human question"]
    assert not fake.matching(is_channel_post(fake.channel_id))


async def test_a_bare_mention_gets_help_not_a_search(bot: Running) -> None:
    fake = bot.fake
    await fake.send_message("", user_id=USER, mention_bot=True)
    (post,) = await fake.wait_for(is_channel_post(fake.channel_id))
    assert "/ask" in post.body["content"]
    assert bot.chat.asked == []


async def test_a_decline_is_a_plain_not_in_the_articles_reply(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "Which cheese is best?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    assert edit.body["content"] == DECLINE
    assert edit.body["embeds"] == []
    assert custom_ids(edit.body) == [c for c in custom_ids(edit.body) if ":vote:" in c]
    assert len(custom_ids(edit.body)) == 2


def long_answer(question: str) -> Answer:
    words = " ".join(f"word{i}" for i in range(5000))
    citations = tuple(
        cited(n, title="T" * 400, sentence="S " * 700, url="https://example.org/" + "a" * 1500)
        for n in range(1, 31)
    )
    return Answer(
        question=question * 40,
        answered=True,
        text=f"**{words}** [1]",
        citations=citations,
        query="q" * 3000,
        note="n" * 3000,
    )


async def test_a_very_long_answer_is_split_and_every_limit_holds(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path, RecordingChat(long_answer))
    sent = await fake.slash("ask", {"question": "Tell me everything"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))
    followups = await fake.wait_for(lambda r: is_followup(r) and sent["token"] in r.path, count=2)
    assert await running.shutdown() == 0
    bodies = [message_body(r) for r in sends(fake)]
    assert len(bodies) == 4  # the deferral, the edited original and two follow-ups
    for body in bodies:
        assert len(body.get("content") or "") <= CONTENT_LIMIT
        total = 0
        for embed in body.get("embeds") or []:
            assert len(embed.get("title", "")) <= TITLE_LIMIT
            assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(embed.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
            assert len(embed.get("fields", [])) <= FIELD_COUNT_LIMIT
            for field in embed.get("fields", []):
                assert len(field["name"]) <= FIELD_NAME_LIMIT
                assert len(field["value"]) <= FIELD_VALUE_LIMIT
            total += sum(len(embed.get(k, "")) for k in ("title", "description"))
            total += len(embed.get("footer", {}).get("text", ""))
            total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        assert total <= TOTAL_LIMIT
        assert all(len(cid) <= CUSTOM_ID_LIMIT for cid in custom_ids(body))
    # Sources and buttons are on the last message of the answer.
    last = followups[-1].body
    assert last["embeds"][0]["fields"] and custom_ids(last)


async def test_everyone_in_a_question_pings_no_one(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "@everyone how many died?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    await fake.send_message("@everyone @here cheese?", user_id=USER, mention_bot=True)
    await fake.wait_for(is_channel_post(fake.channel_id))
    assert "@everyone" not in edit.body["embeds"][0]["title"]
    posted = sends(fake)
    assert len(posted) == 3
    for r in posted:
        body = message_body(r)
        if body.get("content") or body.get("embeds"):
            assert body["allowed_mentions"] == NO_MENTIONS


async def test_cooldown_answers_slash_with_an_ephemeral_slow_down_and_mentions_once(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path, discord_cooldown_burst=2, discord_cooldown_seconds=60)
    for i in range(3):
        await fake.slash("ask", {"question": f"slash {i}"}, user_id=USER)
    callbacks = await fake.wait_for(is_callback, count=3)
    (slow,) = [r for r in callbacks if r.body["type"] == 4]
    assert slow.body["data"]["flags"] == 64  # ephemeral: only the asker sees it
    assert "Slow down" in slow.body["data"]["content"]
    assert sum(r.body == {"type": 5} for r in callbacks) == 2

    for i in range(4):
        await fake.send_message(f"mention {i}", user_id=OTHER_USER, mention_bot=True)
    # Events are handled in order: once this DM is answered, every mention was seen.
    await fake.send_message("a third user", user_id=USER + 1, in_guild=False)
    await fake.wait_for(is_channel_post(fake.dm_channel_id))
    posts = await fake.wait_for(is_channel_post(fake.channel_id), count=3)
    assert await running.shutdown() == 0
    assert sum("Slow down" in (p.body.get("content") or "") for p in posts) == 1
    assert sum(bool(p.body.get("embeds")) for p in posts) == 2
    assert len(fake.matching(is_channel_post(fake.channel_id))) == 3  # the 4th: silence
    assert len(running.chat.asked) == 5


async def test_slash_mentions_and_dms_share_one_budget_per_user(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(
        fake, tmp_path, discord_cooldown_burst=2, discord_cooldown_seconds=600
    )
    sent = await fake.slash("ask", {"question": "by slash"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))
    await fake.send_message("by DM", user_id=USER, in_guild=False)
    await fake.wait_for(is_channel_post(fake.dm_channel_id))
    # Two questions spent the budget, whichever way they came: a mention is now refused.
    await fake.send_message("by mention", user_id=USER, mention_bot=True)
    (slow,) = await fake.wait_for(is_channel_post(fake.channel_id))
    refused = await fake.slash("ask", {"question": "by slash again"}, user_id=USER)
    (callback,) = await fake.wait_for(callback_for(refused["token"]))
    assert await running.shutdown() == 0
    assert "Slow down" in slow.body["content"]
    assert callback.body["type"] == 4 and "Slow down" in callback.body["data"]["content"]
    assert running.chat.questions == ["by slash", "by DM"]


class FaultyContextChat(RecordingChat):
    """A core whose paragraph look-up breaks."""

    def context(self, doc_id: str, start: int) -> str:
        raise RuntimeError("index exploded")


async def test_a_fault_behind_a_button_still_answers_the_click(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path, FaultyContextChat())
    click = await fake.click("qabot:ctx:412:minusma-withdrawal", user_id=USER)
    (reply,) = await fake.wait_for(callback_for(click["token"]))
    assert await running.shutdown() == 0
    assert reply.body["data"]["flags"] == 64
    assert "something went wrong" in reply.body["data"]["content"]


async def test_buttons_show_context_and_record_votes(bot: Running) -> None:
    fake = bot.fake
    sent = await fake.slash("ask", {"question": "How many died?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    context_id, up_id, down_id = custom_ids(edit.body)
    message = fake.message_json("", author=fake.bot_user)
    message["components"] = edit.body["components"]

    click = await fake.click(context_id, user_id=OTHER_USER, message=message)
    (shown,) = await fake.wait_for(callback_for(click["token"]))
    assert shown.body["type"] == 4 and shown.body["data"]["flags"] == 64
    assert shown.body["data"]["embeds"][0]["description"] == PARAGRAPH
    assert bot.chat.contexts == [("minusma-withdrawal", 412)]

    for custom_id in (up_id, down_id):
        vote = await fake.click(custom_id, user_id=OTHER_USER, message=message)
        (thanks,) = await fake.wait_for(callback_for(vote["token"]))
        assert "recorded" in thanks.body["data"]["content"]
    again = await fake.click(down_id, user_id=OTHER_USER, message=message)
    (repeat,) = await fake.wait_for(callback_for(again["token"]))
    assert "already" in repeat.body["data"]["content"]
    records = FeedbackRecorder(bot.settings.feedback_path).read()
    assert [r.vote for r in records] == ["up", "down"]  # the repeated 👎 wrote nothing
    assert records[0].question == "How many died?"
    assert records[0].answer.startswith("**310** peacekeepers died")
    assert records[0].citations[0].sentence == SENTENCE
    assert records[0].user_id == str(OTHER_USER)


async def test_stale_and_gone_buttons_answer_politely(bot: Running) -> None:
    fake = bot.fake
    stale = await fake.click("qabot:vote:up:not-a-key", user_id=USER)
    gone = await fake.click("qabot:ctx:999:minusma-withdrawal", user_id=USER)
    await fake.wait_for(is_callback, count=2)
    replies = {r.path: r.body["data"]["content"] for r in fake.matching(is_callback)}
    assert any("too old" in text for path, text in replies.items() if stale["token"] in path)
    assert any("no longer" in text for path, text in replies.items() if gone["token"] in path)
    assert not bot.settings.feedback_path.exists()


async def test_a_long_doc_id_button_finds_its_citation_in_memory(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    long_id = "archive/" * 15 + "mali"

    def answer(question: str) -> Answer:
        return reply_to(question).model_copy(update={"citations": (cited(doc_id=long_id),)})

    running = await start_bot(fake, tmp_path, RecordingChat(answer))
    sent = await fake.slash("ask", {"question": "How many died?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    context_id = custom_ids(edit.body)[0]
    assert context_id.startswith("qabot:cit:") and len(context_id) <= CUSTOM_ID_LIMIT
    click = await fake.click(context_id, user_id=USER)
    (shown,) = await fake.wait_for(callback_for(click["token"]))
    assert shown.body["data"]["embeds"][0]["title"] == "Context: UN mission in Mali ends"
    assert running.chat.contexts == [(long_id, 412)]
    assert await running.shutdown() == 0


async def test_fifty_questions_in_flight_are_all_answered(bot: Running) -> None:
    fake = bot.fake
    bot.chat.gate.clear()  # hold every answer back: all 50 must be in flight at once
    sent = [
        await fake.slash("ask", {"question": f"question {i}"}, user_id=USER + i) for i in range(50)
    ]
    # The loop stays free while the core works: every interaction is deferred first.
    await fake.wait_for(is_callback, count=50)
    assert not fake.matching(is_original_edit)
    bot.chat.gate.set()
    edits = await fake.wait_for(is_original_edit, count=50, timeout=30)
    titles = {r.path.split("/")[3]: r.body["embeds"][0]["title"] for r in edits}
    assert titles == {s["token"]: f"question {i}" for i, s in enumerate(sent)}


async def test_follow_ups_share_a_conversation_and_reset_forgets_it(bot: Running) -> None:
    fake = bot.fake
    for text in ("how many died?", "and when?"):
        await fake.send_message(text, user_id=USER, mention_bot=True)
    await fake.send_message("and where?", user_id=OTHER_USER, mention_bot=True)
    await fake.wait_for(is_channel_post(fake.channel_id), count=3)
    conversations = [c for _, c in bot.chat.asked]
    assert conversations[0] == conversations[1] != conversations[2]
    sent = await fake.slash("reset", user_id=USER)
    await fake.wait_for(callback_for(sent["token"]))
    assert bot.chat.resets == [conversations[0]]


async def test_reload_is_for_owners_and_managers_and_reports_failure(bot: Running) -> None:
    fake = bot.fake

    async def reload_as(user_id: int, permissions: str = "0") -> str:
        sent = await fake.slash("reload", user_id=user_id, permissions=permissions)
        token = sent["token"]
        await fake.wait_for(callback_for(token))
        (callback,) = fake.matching(callback_for(token))
        if callback.body["type"] == 4:
            return str(callback.body["data"]["content"])
        (edit,) = await fake.wait_for(for_token(token))
        return str(edit.body["content"])

    assert "Only the bot owner" in await reload_as(USER)
    assert bot.chat.reloads == 0
    assert await reload_as(fake.owner_id) == "Done: reloaded: 1 article, 15 sentences"
    assert await reload_as(USER, ALL_PERMISSIONS) == "Done: reloaded: 1 article, 15 sentences"
    bot.chat.reload_error = "corpus folder /nope does not exist"
    failed = await reload_as(fake.owner_id)
    assert "old index" in failed and "/nope does not exist" in failed
    assert bot.chat.reloads == 3


async def test_a_fault_in_the_core_still_answers(fake: FakeDiscord, tmp_path: Path) -> None:
    def broken(question: str) -> Answer:
        raise RuntimeError("index exploded")

    running = await start_bot(fake, tmp_path, RecordingChat(broken))
    sent = await fake.slash("ask", {"question": "How many died?"}, user_id=USER)
    (edit,) = await fake.wait_for(for_token(sent["token"]))
    assert "something went wrong" in edit.body["content"]
    assert await running.shutdown() == 0


async def test_commands_sync_only_on_request(fake: FakeDiscord, tmp_path: Path) -> None:
    running = await start_bot(fake, tmp_path, sync="guild", discord_guild_id=fake.guild_id)
    assert await running.shutdown() == 0
    (put,) = fake.matching(lambda r: r.method == "PUT")
    assert put.path == f"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands"
    commands = {c["name"]: c for c in put.body}
    assert set(commands) == {"ask", "reset", "reload", "sources", "add", "follow"}
    question, article = commands["ask"]["options"]
    assert question["name"] == "question" and question["required"] is True
    assert article["name"] == "article" and article["required"] is False
    assert article["autocomplete"] is True
    # Manage Server; discord.py sends the bit field as a number.
    assert str(commands["reload"]["default_member_permissions"]) == str(1 << 5)
    for name in ("add", "follow"):
        assert str(commands[name]["default_member_permissions"]) == str(1 << 5)


async def test_no_sync_by_default_and_the_gateway_comes_from_rest(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path, discord_gateway=None)
    assert await running.shutdown() == 0
    assert not fake.matching(lambda r: r.method == "PUT")
    assert fake.matching(lambda r: r.path == "/gateway/bot")
    session = await fake.wait_session_closed()
    assert session.identify is not None and session.query["encoding"] == "json"


async def test_a_dropped_connection_resumes_and_keeps_answering(bot: Running) -> None:
    fake = bot.fake
    await fake.drop_connection()
    assert (await fake.wait_session_closed()).identify is not None
    await asyncio.wait_for(fake.resumed.wait(), WAIT)
    sent = await fake.slash("ask", {"question": "still there?"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))


async def test_clean_shutdown_closes_the_gateway_and_returns_zero(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path)
    assert await running.shutdown() == 0
    session = await fake.wait_session_closed()
    # discord.py closes with a close frame of its own (4000 keeps the session resumable);
    # 1006 would mean the socket was dropped without one.
    assert session.close_code in (1000, 4000)
    assert running.task.done() and not running.task.cancelled()


async def test_sigterm_stops_the_bot_cleanly(fake: FakeDiscord, tmp_path: Path) -> None:
    running = await start_bot(fake, tmp_path, handle_signals=True)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(running.task, WAIT) == 0
    assert (await fake.wait_session_closed()).close_code in (1000, 4000)
    # The handlers are gone again: SIGTERM is back to its default.
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_the_token_never_reaches_a_log_line(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    running = await start_bot(fake, tmp_path)
    sent = await fake.slash("ask", {"question": "How many died?"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))
    assert await running.shutdown() == 0
    assert caplog.records, "debug logging was on, so discord.py must have logged something"
    assert fake.token not in caplog.text


@pytest.mark.slow
def test_run_discord_exits_zero_on_sigterm(tmp_path: Path) -> None:
    """The real entry point in a child process, as a service manager would stop it."""
    script = textwrap.dedent(
        """
        import asyncio, json, sys
        from pydantic import SecretStr
        from bot.discord import run_discord
        from bot.logs import configure_logging
        from bot.settings import Settings
        from tests.bot.discord.test_client import RecordingChat
        api_base, gateway, token, feedback = sys.argv[1:5]
        settings = Settings(_env_file=None, discord_token=SecretStr(token),
                            discord_api_base=api_base, discord_gateway=gateway,
                            feedback_path=feedback, log_level="INFO")
        configure_logging(settings.log_level, timestamps=True)
        sys.exit(run_discord(settings, RecordingChat()))
        """
    )

    async def scenario() -> tuple[int, str]:
        async with FakeDiscord() as server:
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                script,
                server.api_base,
                server.gateway_url,
                server.token,
                str(tmp_path / "f.jsonl"),
                cwd=ROOT,
                stderr=subprocess.PIPE,
            )
            await asyncio.wait_for(server.identified.wait(), 2 * WAIT)
            child.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(child.communicate(), 30)
            assert child.returncode is not None
            return child.returncode, stderr.decode()

    code, stderr = asyncio.run(scenario())
    assert code == 0, stderr
    assert "fake-token" not in stderr
    assert "Traceback" not in stderr


async def test_the_real_chat_cites_the_310_sentence(fake: FakeDiscord, tmp_path: Path) -> None:
    """Shows done: the real chat over the bundled article, through the real client."""
    from bot.cli.wiring import build_chat

    chat, _ = build_chat(Settings(_env_file=None, use_cache=False))
    running = await start_bot(fake, tmp_path, chat)
    sent = await fake.slash(
        "ask", {"question": "How many peacekeepers died in Mali?"}, user_id=USER
    )
    (edit,) = await fake.wait_for(for_token(sent["token"]), timeout=30)
    assert await running.shutdown() == 0
    (embed,) = edit.body["embeds"]
    assert "310 peacekeepers" in embed["description"] and "[1]" in embed["description"]
    assert embed["fields"][0]["name"].startswith("[1] ")
    assert "310 peacekeepers" in embed["fields"][0]["value"]
    assert embed["footer"]["text"].startswith("1 article")


@pytest.mark.slow
def test_qabot_discord_answers_through_the_two_settings(tmp_path: Path) -> None:
    """Shows done, literally: ``qabot discord`` pointed at the fake by API base and gateway."""

    async def scenario() -> tuple[int, str, Request]:
        async with FakeDiscord() as server:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("QABOT_")},
                "QABOT_DISCORD_TOKEN": server.token,
                "QABOT_DISCORD_API_BASE": server.api_base,
                "QABOT_DISCORD_GATEWAY": server.gateway_url,
                "QABOT_CACHE_DIR": str(tmp_path / "cache"),
                "QABOT_FEEDBACK_PATH": str(tmp_path / "feedback.jsonl"),
            }
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "discord",
                cwd=tmp_path,
                env=env,
                stderr=subprocess.PIPE,
            )
            try:
                await asyncio.wait_for(server.identified.wait(), 60)
                question = {"question": "How many peacekeepers died in Mali?"}
                sent = await server.slash("ask", question, user_id=USER)
                (edit,) = await server.wait_for(for_token(sent["token"]), timeout=30)
            finally:
                child.send_signal(signal.SIGTERM)
                _, stderr = await asyncio.wait_for(child.communicate(), 30)
            assert child.returncode is not None
            return child.returncode, stderr.decode(), edit

    code, stderr, edit = asyncio.run(scenario())
    assert code == 0, stderr
    assert "310 peacekeepers" in edit.body["embeds"][0]["description"]
    assert "fake-token" not in stderr


@pytest.mark.slow
def test_qabot_discord_debug_logs_at_debug(tmp_path: Path) -> None:
    """``--debug`` wins over QABOT_LOG_LEVEL for qabot's loggers and discord.py's alike."""

    async def scenario() -> tuple[int, str]:
        async with FakeDiscord() as server:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("QABOT_")},
                "QABOT_DISCORD_TOKEN": server.token,
                "QABOT_DISCORD_API_BASE": server.api_base,
                "QABOT_DISCORD_GATEWAY": server.gateway_url,
                "QABOT_CACHE_DIR": str(tmp_path / "cache"),
                "QABOT_FEEDBACK_PATH": str(tmp_path / "feedback.jsonl"),
                "QABOT_LOG_LEVEL": "WARNING",
            }
            child = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot", "discord", "--debug"),
                cwd=tmp_path,
                env=env,
                stderr=subprocess.PIPE,
            )
            try:
                await asyncio.wait_for(server.identified.wait(), 60)
                sent = await server.slash("ask", {"question": "Who left Mali?"}, user_id=USER)
                await server.wait_for(for_token(sent["token"]), timeout=30)
            finally:
                child.send_signal(signal.SIGTERM)
                _, stderr = await asyncio.wait_for(child.communicate(), 30)
            assert child.returncode is not None
            return child.returncode, stderr.decode()

    code, stderr = asyncio.run(scenario())
    assert code == 0, stderr
    debug_from = {line.split()[3] for line in stderr.splitlines() if " DEBUG " in line}
    assert any(name.startswith("discord.") for name in debug_from), stderr
    assert "bot.discord.answers:" in debug_from, stderr
    assert "fake-token" not in stderr


async def test_the_index_reloads_on_a_timer_when_asked(fake: FakeDiscord, tmp_path: Path) -> None:
    running = await start_bot(fake, tmp_path, reload_interval_seconds=0.05)
    assert await asyncio.to_thread(running.chat.reloaded.wait, WAIT)
    assert await running.shutdown() == 0
    assert running.chat.reloads >= 1


async def test_stopping_during_login_still_exits_zero(fake: FakeDiscord, tmp_path: Path) -> None:
    stop = asyncio.Event()
    stop.set()  # SIGTERM before the bot even logged in
    settings = make_settings(fake, tmp_path)
    assert await asyncio.wait_for(serve(settings, RecordingChat(), stop=stop), WAIT) == 0


@pytest.mark.slow
async def test_shard_settings_open_one_gateway_session_per_shard(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    # Bots in 2,500+ guilds must shard; here this process runs shards 0 and 1 of 2.
    running = await start_bot(fake, tmp_path, discord_shard_count=2, discord_shard_ids=[0, 1])
    await fake.wait_until(lambda: fake.identifies >= 2)
    shards = sorted(f["d"]["shard"] for f in fake.frames if f.get("op") == 2)
    assert shards == [[0, 2], [1, 2]]
    sent = await fake.slash("ask", {"question": "sharded?"}, user_id=USER)
    await fake.wait_for(for_token(sent["token"]))
    assert await running.shutdown() == 0


async def test_unsharded_bot_identifies_as_shard_0_of_1(bot: Running) -> None:
    (identify,) = [f for f in bot.fake.frames if f.get("op") == 2]
    assert identify["d"]["shard"] == [0, 1]


async def test_reload_rebuilds_off_the_loop_while_answering(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """A changed corpus is re-indexed on /reload while questions keep being answered."""
    from bot.cli.wiring import open_corpus_index
    from bot.core.chat import Chat
    from retrieval.index import SentenceIndex

    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED, corpus)
    settings = Settings(_env_file=None, corpus=corpus, cache_dir=tmp_path / "cache")
    started, release = threading.Event(), threading.Event()

    def held_loader() -> SentenceIndex:
        # The real rebuild, held open until the test has seen questions answered meanwhile.
        started.set()
        assert release.wait(60)
        return open_corpus_index(settings).index

    chat = Chat(open_corpus_index(settings).index, loader=held_loader)
    running = await start_bot(fake, tmp_path, chat)

    async def reload_reply() -> str:
        sent = await fake.slash("reload", user_id=fake.owner_id)
        token = sent["token"]
        await fake.wait_for(callback_for(token), timeout=60)
        (callback,) = fake.matching(callback_for(token))
        if callback.body["type"] == 4:
            return str(callback.body["data"]["content"])
        (edit,) = await fake.wait_for(for_token(token), timeout=60)
        return str(edit.body["content"])

    async def ask(question: str, user: int) -> str:
        sent = await fake.slash("ask", {"question": question}, user_id=user)
        (edit,) = await fake.wait_for(for_token(sent["token"]), timeout=60)
        embeds = edit.body.get("embeds") or [{}]
        return str(embeds[0].get("description") or edit.body.get("content"))

    (corpus / "zebras.txt").write_text(
        "Rangers counted 41 zebras near Timbuktu in 2024.\n", encoding="utf-8"
    )
    reload = asyncio.create_task(reload_reply())
    assert await asyncio.to_thread(started.wait, 30)
    during = await asyncio.gather(
        *(ask("How many peacekeepers died in Mali?", USER + n) for n in range(5))
    )
    assert all("310 peacekeepers" in text for text in during)
    assert not reload.done()  # all five were answered while the rebuild was still running
    release.set()
    assert (await reload).startswith("Done: reloaded: 2 articles")
    assert "41 zebras" in await ask("How many zebras did rangers count?", USER + 10)

    shutil.rmtree(corpus)  # the next rebuild fails: the old index must stay in use
    assert (await reload_reply()).startswith("Reload failed; still answering from the old index.")
    assert "41 zebras" in await ask("How many zebras did rangers count?", USER + 11)
    assert await running.shutdown() == 0


async def test_in_daemon_thread_returns_results_and_raises_errors() -> None:
    from bot.discord.reloading import in_daemon_thread

    assert await in_daemon_thread(lambda: threading.current_thread().daemon) is True

    def fail() -> str:
        raise RuntimeError("rebuild failed: disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        await in_daemon_thread(fail)


@pytest.mark.slow
def test_a_running_rebuild_does_not_hold_up_the_exit() -> None:
    # SIGTERM during a long /reload: serve() returns at once, and the process must exit too,
    # not wait for the rebuild thread (asyncio.to_thread's worker would be joined at exit).
    script = textwrap.dedent(
        """
        import asyncio, time
        from bot.discord.reloading import in_daemon_thread

        async def main():
            try:
                await asyncio.wait_for(in_daemon_thread(lambda: time.sleep(60)), 0.2)
            except asyncio.TimeoutError:
                print("stopped waiting", flush=True)

        asyncio.run(main())
        """
    )
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=50, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stopped waiting"
    assert time.monotonic() - began < 30  # far below the 60 s the rebuild would take


async def test_a_refused_help_reply_is_logged_and_the_bot_goes_on(
    bot: Running, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    caplog.set_level(logging.INFO)
    watch = LogWatch("could not deliver the answer to a mention")
    logging.getLogger("bot").addHandler(watch)
    request.addfinalizer(lambda: logging.getLogger("bot").removeHandler(watch))
    fake = bot.fake
    fake.fail_next(is_channel_post(fake.channel_id), 403)  # e.g. no permission to post there
    await fake.send_message("", user_id=USER, mention_bot=True)
    await fake.wait_for(is_channel_post(fake.channel_id))
    await fake.send_message("", user_id=USER, mention_bot=True)
    posts = await fake.wait_for(is_channel_post(fake.channel_id), count=2)
    assert [p.status for p in posts] == [403, 200]
    expected = "could not deliver the answer to a mention: Discord said 403"
    # The log line follows the 403 response, after the last request the fake sees.
    assert await asyncio.to_thread(watch.seen.wait, WAIT), caplog.text
    assert expected in caplog.text
    assert "Ignoring exception" not in caplog.text
