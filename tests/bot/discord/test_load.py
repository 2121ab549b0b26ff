"""Load, faults and secrets: the real discord.py client against the fake Discord, misbehaving.

Each test names the case it keeps in ``docs/ROBUSTNESS.md``. Waits are bounded waits on
conditions (the fake's recorded requests and frames), never bare sleeps; the only absolute
timing bounds are the generous loop-lag and heartbeat-gap ones, and the delays the client
must at least wait (a 429's ``retry_after``, discord.py's 5xx back-off).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import discord.http
import discord.webhook.async_
import pytest
from pydantic import SecretStr

from bot.core.models import Answer
from bot.discord import DiscordConfigError, serve
from bot.discord.answers import conversation_id
from bot.settings import Settings
from tests.bot.discord.test_client import (
    ROOT,
    USER,
    RecordingChat,
    callback_for,
    for_token,
    is_callback,
    is_channel_post,
    is_original_edit,
    make_settings,
    reply_to,
    start_bot,
)
from tests.bot.fake_discord import FakeDiscord, Json, Request

USERS = [USER + 1_000 + i for i in range(20)]
ROUNDS = 10
# Short enough that a load test spans many heartbeats; Discord's own is 41.25 s.
HEARTBEAT_MS = 250
# About 10x the worst heartbeat gap on an idle machine (0.35 s, 0.25 s of it the interval):
# generous on a loaded 2-core CI machine, yet far below Discord's 41.25 s interval.
MAX_LOOP_BLOCK_SECONDS = 3.0
RETRY_AFTER = 0.75
SECRET = "MTAwMDAwMDAwMDAwMDAwMDAx.Gsecret.load-test-token-do-not-log"


def busy_reply(question: str) -> Answer:
    """The default cited answer after ~5 ms of pure-Python work, as a search holds the GIL."""
    until = time.perf_counter() + 0.005
    while time.perf_counter() < until:
        pass
    return reply_to(question)


class Concurrency:
    """Wraps an answer function and notes the most questions it was working on at once."""

    def __init__(self, answer: Callable[[str], Answer]) -> None:
        self.answer = answer
        self.most = 0
        self._now = 0
        self._lock = threading.Lock()

    def __call__(self, question: str) -> Answer:
        with self._lock:
            self._now += 1
            self.most = max(self.most, self._now)
        try:
            return self.answer(question)
        finally:
            with self._lock:
                self._now -= 1


def is_typing(r: Request) -> bool:
    return r.method == "POST" and r.path.endswith("/typing")


def is_ok(predicate: Callable[[Request], bool]) -> Callable[[Request], bool]:
    return lambda r: predicate(r) and r.status < 300


def content_of(r: Request) -> str:
    body: Json = r.body or {}
    data: Json = body.get("data") or {} if r.path.endswith("/callback") else body
    return str(data.get("content") or "")


def title_of(r: Request) -> str:
    return str(r.body["embeds"][0]["title"])


class LoopLagProbe:
    """Wakes every 10 ms and records how late it woke: the longest the event loop was blocked."""

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.worst = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopLagProbe:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.period)
            self.worst = max(self.worst, loop.time() - before - self.period)
            self.samples += 1


class _QuickBackoff:
    """discord.py's REST modules' view of ``asyncio``, with every sleep 50 times shorter.

    discord.py retries a 5xx five times, sleeping 1, 3, 5, 7 and 9 s; the tests that
    exhaust those retries keep the behaviour and drop the 25 s of waiting.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        return await asyncio.sleep(delay / 50, result)


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # REST calls (channel messages, typing) and webhooks (interaction replies) alike.
    monkeypatch.setattr(discord.http, "asyncio", _QuickBackoff())
    monkeypatch.setattr(discord.webhook.async_, "asyncio", _QuickBackoff())


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(heartbeat_interval_ms=HEARTBEAT_MS) as server:
        yield server


async def ask_slash(fake: FakeDiscord, question: str, user_id: int) -> str:
    """``/ask question`` by ``user_id``; the interaction token its replies are sent under."""
    sent = await fake.slash("ask", {"question": question}, user_id=user_id)
    return str(sent["token"])


async def ask_mention(fake: FakeDiscord, question: str, user_id: int) -> str:
    """``@qabot question`` by ``user_id``; the id of the message the reply must reference."""
    sent = await fake.send_message(question, user_id=user_id, mention_bot=True)
    return str(sent["id"])


def reply_to_message(fake: FakeDiscord, message_id: str) -> Callable[[Request], bool]:
    def matches(r: Request) -> bool:
        if not is_channel_post(fake.channel_id)(r) or r.status >= 300:
            return False
        reference = (r.body or {}).get("message_reference") or {}
        return str(reference.get("message_id")) == message_id

    return matches


# -- load -----------------------------------------------------------------------------


@pytest.mark.slow
async def test_two_hundred_questions_from_twenty_users_are_all_answered_with_heartbeats_flowing(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """Load: 20 users x 10 questions in flight at once, half /ask and half mentions."""
    searches = Concurrency(busy_reply)
    chat = RecordingChat(searches)
    # A burst of exactly 10 lets every user ask all 10; the 11th must be refused.
    running = await start_bot(
        fake, tmp_path, chat, discord_cooldown_burst=ROUNDS, discord_cooldown_seconds=600
    )
    await fake.wait_until(lambda: len(fake.heartbeats) >= 2)
    slash: dict[str, str] = {}  # interaction token -> question
    mentions: dict[str, str] = {}  # message id -> question
    async with LoopLagProbe() as probe:
        chat.gate.clear()  # hold every answer back until all 200 are in flight
        started = time.monotonic()
        for round_ in range(ROUNDS):
            for index, user in enumerate(USERS):
                question = f"user {index} question {round_}"
                if (index + round_) % 2:
                    mentions[await ask_mention(fake, question, user)] = question
                else:
                    slash[await ask_slash(fake, question, user)] = question
        # All 200 in flight: each /ask deferred, each mention typing, none answered yet.
        await fake.wait_for(is_callback, count=100, timeout=30)
        await fake.wait_for(is_typing, count=100, timeout=30)
        assert not fake.matching(is_original_edit)
        assert not fake.matching(is_channel_post(fake.channel_id))
        chat.gate.set()
        edits = await fake.wait_for(is_original_edit, count=100, timeout=60)
        posts = await fake.wait_for(is_channel_post(fake.channel_id), count=100, timeout=60)
        finished = time.monotonic()
        await fake.wait_until(lambda: fake.heartbeats[-1] > finished)

    # Every question answered once, in the right place, with its own answer.
    assert len(chat.asked) == 200
    assert {r.path.split("/")[3]: title_of(r) for r in edits} == slash
    answered = {str(r.body["message_reference"]["message_id"]): title_of(r) for r in posts}
    assert answered == mentions
    assert not any("Slow down" in content_of(r) for r in fake.requests)
    assert {c for _, c in chat.asked} == {conversation_id(fake.channel_id, user) for user in USERS}

    # One search at a time: with several pure-Python searches waiting for the GIL, the loop
    # thread got it so rarely that it stood still for seconds on a busy machine.
    assert searches.most == 1
    # The loop was never blocked for long: a 10 ms probe never woke late by much, and the
    # heartbeats (sent from discord.py's thread but written by the loop) kept their pace.
    assert probe.samples > 10
    assert probe.worst < MAX_LOOP_BLOCK_SECONDS, f"the loop was blocked {probe.worst:.2f} s"
    before = max(t for t in fake.heartbeats if t <= started)
    after = min(t for t in fake.heartbeats if t >= finished)
    during = [t for t in fake.heartbeats if before <= t <= after]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert len(during) >= 3
    assert max(gaps) < MAX_LOOP_BLOCK_SECONDS, f"heartbeat gaps {gaps}"

    # The cooldown held per user: an 11th question is refused, someone new is answered.
    over_slash = await ask_slash(fake, "one too many", USERS[0])
    (refused,) = await fake.wait_for(callback_for(over_slash))
    assert refused.body["type"] == 4 and refused.body["data"]["flags"] == 64
    assert "Slow down" in refused.body["data"]["content"]
    over_mention = await ask_mention(fake, "one too many", USERS[1])
    (told,) = await fake.wait_for(reply_to_message(fake, over_mention))
    assert "Slow down" in told.body["content"] and not told.body.get("embeds")
    newcomer = await ask_slash(fake, "a newcomer asks", USER)
    (edit,) = await fake.wait_for(for_token(newcomer))
    assert title_of(edit) == "a newcomer asks"
    assert len(chat.asked) == 201  # the refused two never reached the core
    assert await running.shutdown() == 0


async def test_one_user_over_the_burst_is_slowed_down_while_others_are_answered(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """Cooldown under concurrency: a flooding user is refused, interleaved users are not."""
    running = await start_bot(
        fake, tmp_path, discord_cooldown_burst=3, discord_cooldown_seconds=600
    )
    flooder, calm = USERS[0], USERS[1:4]
    tokens: dict[int, list[str]] = {user: [] for user in (flooder, *calm)}
    for i in range(6):
        tokens[flooder].append(await ask_slash(fake, f"flood {i}", flooder))
        if i < 3:
            for user in calm:
                tokens[user].append(await ask_slash(fake, f"calm {i}", user))
    callbacks = await fake.wait_for(is_callback, count=15)
    await fake.wait_for(is_original_edit, count=12)
    assert await running.shutdown() == 0

    def kinds(user: int) -> list[int]:
        by_token = {r.path.split("/")[3]: r.body["type"] for r in callbacks}
        return [by_token[token] for token in tokens[user]]

    assert kinds(flooder) == [5, 5, 5, 4, 4, 4]  # three deferred and answered, three refused
    assert all(kinds(user) == [5, 5, 5] for user in calm)
    assert running.chat.questions.count("flood 0") == 1
    assert sum(q.startswith("flood") for q in running.chat.questions) == 3


# -- gateway faults -------------------------------------------------------------------


@pytest.mark.parametrize("code", [1000, 1001, 4000])
async def test_the_gateway_closing_mid_answer_loses_no_reply(
    fake: FakeDiscord, tmp_path: Path, code: int
) -> None:
    """The fake closes the gateway while answers are being computed; the bot resumes."""
    running = await start_bot(fake, tmp_path)
    running.chat.gate.clear()
    slash = [await ask_slash(fake, f"slash {i}", USERS[i]) for i in range(4)]
    mentions = [await ask_mention(fake, f"mention {i}", USERS[4 + i]) for i in range(4)]
    await fake.wait_for(is_callback, count=4)
    await fake.wait_for(is_typing, count=4)

    await fake.drop_connection(code)
    # Asked while the bot is away: Discord (and the fake) replay these after the RESUME.
    slash.append(await ask_slash(fake, "slash while away", USERS[8]))
    mentions.append(await ask_mention(fake, "mention while away", USERS[9]))
    await fake.wait_until(lambda: fake.resumes >= 1)
    running.chat.gate.set()

    for token in slash:
        await fake.wait_for(for_token(token))
    for message_id in mentions:
        await fake.wait_for(reply_to_message(fake, message_id))
    assert await running.shutdown() == 0
    questions = running.chat.questions
    assert len(questions) == len(set(questions)) == 10  # every one answered, none twice
    assert fake.identifies == 1  # resumed the session, not a fresh login
    await fake.wait_until(lambda: len(fake.sessions) == 2)
    assert [s.resumed for s in fake.sessions] == [False, True]


# -- REST faults ----------------------------------------------------------------------

ROUTES: dict[str, Callable[[FakeDiscord], Callable[[Request], bool]]] = {
    "slash": lambda fake: is_original_edit,
    "mention": lambda fake: is_channel_post(fake.channel_id),
}


async def ask_by(route: str, fake: FakeDiscord, question: str, user_id: int) -> str:
    if route == "slash":
        return await ask_slash(fake, question, user_id)
    return await ask_mention(fake, question, user_id)


def replied(route: str, fake: FakeDiscord, handle: str) -> Callable[[Request], bool]:
    return for_token(handle) if route == "slash" else reply_to_message(fake, handle)


@pytest.mark.parametrize("route", sorted(ROUTES))
async def test_a_429_with_retry_after_is_obeyed(
    fake: FakeDiscord, tmp_path: Path, route: str
) -> None:
    """The reply's route answers 429 once; the client waits retry_after, then it lands."""
    running = await start_bot(fake, tmp_path)
    sends = ROUTES[route](fake)
    fake.fail_next(sends, 429, retry_after=RETRY_AFTER)
    handle = await ask_by(route, fake, "How many died?", USER)
    await fake.wait_for(is_ok(replied(route, fake, handle)))
    assert await running.shutdown() == 0
    limited, landed = fake.matching(sends)
    assert (limited.status, landed.status) == (429, 200)
    assert landed.at - limited.at >= RETRY_AFTER - 1e-3
    assert title_of(landed) == "How many died?"


@pytest.mark.parametrize("route", sorted(ROUTES))
async def test_a_single_500_on_a_reply_is_retried_and_the_reply_lands(
    fake: FakeDiscord, tmp_path: Path, route: str
) -> None:
    """One 500 on the reply: discord.py backs off (1 s) and retries; nothing is lost."""
    running = await start_bot(fake, tmp_path)
    sends = ROUTES[route](fake)
    fake.fail_next(sends, 500)
    handle = await ask_by(route, fake, "How many died?", USER)
    await fake.wait_for(is_ok(replied(route, fake, handle)))
    failed, landed = fake.matching(sends)
    assert (failed.status, landed.status) == (500, 200)
    assert landed.at - failed.at >= 1.0 - 1e-3
    following = await ask_by(route, fake, "And the next question?", USER)
    await fake.wait_for(is_ok(replied(route, fake, following)))
    assert await running.shutdown() == 0


@pytest.mark.usefixtures("quick_backoff")
@pytest.mark.parametrize("route", sorted(ROUTES))
async def test_a_reply_that_keeps_failing_is_logged_and_the_next_question_works(
    fake: FakeDiscord, tmp_path: Path, route: str, caplog: pytest.LogCaptureFixture
) -> None:
    """500 on every try (discord.py gives up after 5): logged, and the bot answers on."""
    caplog.set_level(logging.INFO)
    running = await start_bot(fake, tmp_path)
    sends = ROUTES[route](fake)
    fake.fail_next(sends, 500, times=5)
    await ask_by(route, fake, "lost to a server error", USER)
    await fake.wait_for(lambda r: sends(r) and r.status == 500, count=5)
    await fake.wait_until(lambda: "could not deliver" in caplog.text)
    following = await ask_by(route, fake, "And the next question?", USER)
    (landed,) = await fake.wait_for(is_ok(replied(route, fake, following)))
    assert await running.shutdown() == 0
    assert title_of(landed) == "And the next question?"
    (failure,) = [r for r in caplog.records if "could not deliver" in r.getMessage()]
    assert failure.levelno == logging.ERROR and failure.name == "bot.discord.client"
    assert "500" in failure.getMessage()
    # Handled by the adapter, not left to discord.py's "Ignoring exception" handler.
    assert "Ignoring exception" not in caplog.text


@pytest.mark.usefixtures("quick_backoff")
async def test_a_failing_typing_indicator_does_not_cost_the_answer(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    running = await start_bot(fake, tmp_path)
    fake.fail_next(is_typing, 500, times=5)
    handle = await ask_mention(fake, "How many died?", USER)
    (post,) = await fake.wait_for(reply_to_message(fake, handle))
    assert await running.shutdown() == 0
    assert title_of(post) == "How many died?"
    assert "could not show typing" in caplog.text


# -- secrets --------------------------------------------------------------------------


class _Capture(logging.Handler):
    """Keeps every record as the full text a log file would get, exception included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextlib.contextmanager
def everything_logged() -> Iterator[_Capture]:
    """DEBUG for every logger, captured before any handler-level redaction could hide it."""
    capture = _Capture()
    # On the package loggers themselves: serve() redacts only the root's handlers, so this
    # sees what discord.py and qabot actually tried to log.
    loggers = [logging.getLogger(name) for name in ("", "discord", "bot", "aiohttp", "asyncio")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    for lg in loggers[1:]:
        lg.addHandler(capture)
    root_capture = _Capture()
    logging.getLogger().addHandler(root_capture)
    try:
        yield capture
    finally:
        for lg in loggers[1:]:
            lg.removeHandler(capture)
        logging.getLogger().removeHandler(root_capture)
        for lg, level in saved:
            lg.setLevel(level)
        capture.lines += root_capture.lines


def exception_texts(exc: BaseException) -> list[str]:
    """The message, repr and formatted traceback of ``exc`` and every exception it chains."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), *traceback.format_exception(current)]
        current = current.__cause__ or current.__context__
    return texts


def wire_without_credentials(fake: FakeDiscord) -> str:
    """Everything the fake received except where a token must go: the Authorization
    header, and the ``token`` of IDENTIFY (op 2) and RESUME (op 6)."""
    requests = [
        json.dumps([r.method, r.path, r.query, r.body], ensure_ascii=False) for r in fake.requests
    ]
    frames = [
        json.dumps({**f, "d": {**f["d"], "token": None}} if f.get("op") in (2, 6) else f)
        for f in fake.frames
    ]
    return "\n".join(requests + frames)


async def test_the_token_is_in_no_log_frame_or_reply_through_faults(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """A whole session at DEBUG, with a 429, a failed reply and a resume: token nowhere."""
    fake.token = SECRET
    with everything_logged() as logs:
        running = await start_bot(fake, tmp_path)
        fake.fail_next(is_original_edit, 429, retry_after=0.05)
        fake.fail_next(is_channel_post(fake.channel_id), 404)
        token = await ask_slash(fake, "How many died?", USER)
        await ask_mention(fake, "a reply that fails", USERS[0])
        await fake.wait_for(is_ok(for_token(token)))
        await fake.wait_for(lambda r: r.status == 404)
        await fake.drop_connection()
        await fake.wait_until(lambda: fake.resumes >= 1)
        after = await ask_mention(fake, "still there?", USERS[1])
        await fake.wait_for(reply_to_message(fake, after))
        assert await running.shutdown() == 0
    # The token really was used: in the Authorization header and in IDENTIFY only.
    assert {r.authorization for r in fake.requests if r.authorization} == {f"Bot {SECRET}"}
    assert [f["d"]["token"] for f in fake.frames if f.get("op") in (2, 6)] == [SECRET] * 2
    assert any("could not deliver" in line for line in logs.lines)
    assert len(logs.lines) > 50  # DEBUG really was on
    assert SECRET not in "\n".join(logs.lines)
    assert SECRET not in wire_without_credentials(fake)
    assert SECRET not in repr(running.settings) + str(running.settings)
    assert SECRET not in running.settings.model_dump_json()


async def test_a_rejected_token_is_in_no_log_or_exception_text(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    settings = make_settings(fake, tmp_path, discord_token=SecretStr(SECRET))
    with everything_logged() as logs, pytest.raises(DiscordConfigError) as caught:
        await serve(settings, RecordingChat())
    assert "QABOT_DISCORD_TOKEN" in str(caught.value)
    assert (fake.requests[0].path, fake.requests[0].status) == ("/users/@me", 401)
    assert SECRET not in "\n".join(exception_texts(caught.value))
    assert SECRET not in "\n".join(logs.lines)
    assert SECRET not in wire_without_credentials(fake)


async def test_an_unreachable_discord_is_in_no_log_or_exception_text(tmp_path: Path) -> None:
    async with FakeDiscord() as gone:
        dead_base = gone.api_base  # the port is closed once the fake stops
    settings = Settings(
        _env_file=None,
        discord_token=SecretStr(SECRET),
        discord_api_base=dead_base,
        feedback_path=tmp_path / "f.jsonl",
    )
    with everything_logged() as logs, pytest.raises(aiohttp.ClientConnectorError) as caught:
        await asyncio.wait_for(serve(settings, RecordingChat()), 30)
    assert SECRET not in "\n".join(exception_texts(caught.value))
    assert SECRET not in "\n".join(logs.lines)


async def run_qabot_discord(
    fake: FakeDiscord, token: str, tmp_path: Path
) -> asyncio.subprocess.Process:
    """``python -m bot discord`` at DEBUG against ``fake``, as a child process."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("QABOT_")},
        "QABOT_DISCORD_TOKEN": token,
        "QABOT_DISCORD_API_BASE": fake.api_base,
        "QABOT_DISCORD_GATEWAY": fake.gateway_url,
        "QABOT_CACHE_DIR": str(tmp_path / "cache"),
        "QABOT_FEEDBACK_PATH": str(tmp_path / "feedback.jsonl"),
        "QABOT_LOG_LEVEL": "DEBUG",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "discord",
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_qabot_discord_never_prints_the_token_rejected_or_accepted(tmp_path: Path) -> None:
    """Child processes at DEBUG: a rejected login (exit 2), then a session that answers."""

    async def scenario() -> tuple[list[int | None], str, FakeDiscord]:
        async with FakeDiscord(token=SECRET) as server:
            rejected = await run_qabot_discord(server, SECRET + "-wrong", tmp_path)
            out, err = await asyncio.wait_for(rejected.communicate(), 60)
            texts = [out.decode(), err.decode()]
            accepted = await run_qabot_discord(server, SECRET, tmp_path)
            try:
                await asyncio.wait_for(server.identified.wait(), 60)
                token = await ask_slash(server, "How many peacekeepers died in Mali?", USER)
                await server.wait_for(for_token(token), timeout=30)
            finally:
                accepted.send_signal(signal.SIGTERM)
                out, err = await asyncio.wait_for(accepted.communicate(), 30)
            texts += [out.decode(), err.decode()]
            return [rejected.returncode, accepted.returncode], "\n".join(texts), server

    codes, printed, server = asyncio.run(scenario())
    assert codes == [2, 0], printed
    assert "QABOT_DISCORD_TOKEN" in printed  # the rejection names the setting...
    assert SECRET not in printed  # ...but neither token, at DEBUG, in either process
    assert "DEBUG" in printed and "Traceback" not in printed
    assert SECRET not in wire_without_credentials(server)


def test_dot_env_is_git_ignored() -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
        assert ".env" in patterns
        return

    def ignored(path: str) -> bool:
        result = subprocess.run([git, "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert result.returncode in (0, 1), f"git check-ignore failed for {path}"
        return result.returncode == 0

    assert ignored(".env") and ignored("bot/.env")
    assert not ignored(".env.example")  # the documented template is committed


def test_settings_never_show_the_token() -> None:
    settings = Settings(_env_file=None, discord_token=SecretStr(SECRET))
    shown = [repr(settings), str(settings), settings.model_dump_json(), f"{settings}"]
    assert all(SECRET not in text for text in shown)
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == SECRET
