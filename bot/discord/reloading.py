"""Rebuilding the index while the bot runs: on /reload, on a timer, after news arrives."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.discord.answers import ChatCore

log = logging.getLogger(__name__)
T = TypeVar("T")


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """Run ``work`` in a daemon thread and await its result.

    A rebuild of a large corpus can take a minute; asyncio.to_thread's worker would keep the
    process alive after SIGTERM until it finished (the interpreter joins those threads at exit).
    A daemon thread does not hold up the exit, and the cache write it may be doing is atomic.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting coroutine, not lost in the thread
            outcome: tuple[T | None, BaseException | None] = (None, exc)
        else:
            outcome = (result, None)
        with contextlib.suppress(RuntimeError):  # the loop closed while we worked: no one waits
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name="qabot-reload", daemon=True).start()
    return await future


class Reloader:
    """One reload at a time, in a daemon thread; optionally every ``interval`` seconds."""

    def __init__(self, chat: ChatCore, interval: float) -> None:
        self.chat = chat
        self.interval = interval
        self._lock = asyncio.Lock()
        self._timer = Every(interval, self.reload, "timed reload failed; keeping the old index")

    @property
    def running(self) -> bool:
        """Whether a reload is under way."""
        return self._lock.locked()

    async def reload(self) -> str:
        """Rebuild the index in a background thread; its one-line summary."""
        async with self._lock:
            summary = await in_daemon_thread(self.chat.reload)
        log.info("reloaded the corpus: %s", summary)
        return summary

    def start(self) -> None:
        """Start the timer, if an interval is set."""
        self._timer.start(first_wait=True)

    async def stop(self) -> None:
        """Stop the timer."""
        await self._timer.stop()


class Every:
    """Runs ``work`` every ``seconds`` on the event loop (0 = never) until stopped; a failure
    is logged with ``failure`` and the next round still comes."""

    def __init__(self, seconds: float, work: Callable[[], Awaitable[object]], failure: str) -> None:
        self.seconds = seconds
        self._work = work
        self._failure = failure
        self._task: asyncio.Task[None] | None = None

    def start(self, *, first_wait: bool) -> None:
        """Start the rounds (``first_wait``: wait one interval before the first)."""
        if self.seconds > 0:
            self._task = asyncio.create_task(self._rounds(first_wait))

    async def stop(self) -> None:
        """Stop the rounds and wait until they have stopped."""
        await cancel(self._task)
        self._task = None

    async def _rounds(self, first_wait: bool) -> None:
        if first_wait:
            await asyncio.sleep(self.seconds)
        while True:
            try:
                await self._work()
            except Exception:
                log.exception(self._failure)
            await asyncio.sleep(self.seconds)


async def cancel(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` (if any) and wait until it has stopped."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
