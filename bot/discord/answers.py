"""Questions to answers: the chat core as the adapter sees it, asked on one worker thread.

The chat core is CPU-bound and synchronous, so it runs off the event loop; questions share
one worker, so the loop never competes with more than one of them for the GIL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import secrets
from collections import OrderedDict
from typing import Protocol

from bot.core.models import Answer
from bot.discord.render import Reply, plain, render_answer
from retrieval.errors import UnknownDocumentError

log = logging.getLogger(__name__)

REMEMBERED_ANSWERS = 5000
FAULT_TEXT = "Sorry, something went wrong while searching the articles. Please try again later."


class ChatCore(Protocol):
    """The chat core as the adapter uses it (``bot.chat.Chat``); thread-safe, synchronous."""

    def ask(self, question: str, conversation_id: str, article: str | None = None) -> Answer:
        """Answer one question within a conversation (about one article when given)."""
        ...

    def articles(self, text: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (doc_id, title) pairs whose title or id holds ``text``."""
        ...

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation."""
        ...

    def context(self, doc_id: str, start: int) -> str:
        """The paragraph holding the sentence that starts at ``start``."""
        ...

    def describe(self) -> str:
        """What is searched, e.g. ``1 article, 15 sentences``."""
        ...

    def reload(self) -> str:
        """Rebuild the index from the corpus and swap it in; a one-line summary."""
        ...


class AnswerMemory:
    """The last few thousand answers by key, for the buttons that need more than a custom_id."""

    def __init__(self, size: int = REMEMBERED_ANSWERS) -> None:
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def remember(self, answer: Answer) -> str:
        """Store ``answer`` and return its new random key (unique across restarts)."""
        key = secrets.token_urlsafe(9)
        self._answers[key] = answer
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        """The answer stored under ``key``, if still remembered."""
        return self._answers.get(key)


def conversation_id(channel_id: int | None, user_id: int) -> str:
    """One conversation per user per channel or thread, so follow-ups continue it."""
    return f"discord:{channel_id or 0}:{user_id}"


def strip_mentions_of(content: str, user_id: int) -> str:
    """The message text without mentions of ``user_id`` (the bot)."""
    return " ".join(re.sub(rf"<@!?{user_id}>", " ", content).split())


class Asker:
    """Asks the chat core on one worker thread and renders what it says as replies."""

    def __init__(self, chat: ChatCore, memory: AnswerMemory) -> None:
        self.chat = chat
        self.memory = memory
        # One thread for questions, not asyncio's pool of up to 32: the GIL runs one question
        # at a time anyway, and with six pure-Python searches waiting for it the loop thread
        # (heartbeats included) got it so rarely it stood still for seconds under load.
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="qabot-ask")

    async def replies(
        self, question: str, conversation: str, article: str | None = None
    ) -> tuple[Reply, ...]:
        """The messages answering ``question``; a fault in the core becomes an apology."""
        try:
            loop = asyncio.get_running_loop()
            answer, describe = await loop.run_in_executor(
                self._worker, self._ask, question, conversation, article
            )
        except UnknownDocumentError as exc:
            return (plain(f"{exc}. Pick an article from the list /ask offers."),)
        except Exception:
            # A fault in the core must not leave the user staring at "thinking...".
            log.exception("chat.ask failed for a question of %d characters", len(question))
            return (plain(FAULT_TEXT),)
        key = self.memory.remember(answer)
        log.debug("answered=%s with %d citations", answer.answered, len(answer.citations))
        return render_answer(answer, describe=describe, key=key)

    def _ask(self, question: str, conversation: str, article: str | None) -> tuple[Answer, str]:
        return self.chat.ask(question, conversation, article), self.chat.describe()

    def close(self) -> None:
        """Drop queued questions (no one is left to answer); the one under way finishes."""
        self._worker.shutdown(wait=False, cancel_futures=True)
