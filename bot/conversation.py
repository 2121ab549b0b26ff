"""Conversation memory: a few recent turns per conversation id, expiring after a while."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from retrieval.models import Frozen


class TurnMemory(Frozen):
    """What a later question may need from an earlier turn."""

    question: str
    query: str
    subject: str
    answered: bool
    doc_id: str | None = None


class ConversationState(Frozen):
    """The recent turns of one conversation, oldest first (what the answerer sees)."""

    turns: tuple[TurnMemory, ...] = ()

    @property
    def last(self) -> TurnMemory | None:
        """The most recent turn, if any."""
        return self.turns[-1] if self.turns else None


@dataclass
class _Entry:
    turns: deque[TurnMemory]
    touched: float = field(default=0.0)


class ConversationMemory:
    """Thread-safe, bounded memory: at most ``turns`` per conversation and ``conversations`` in all."""

    def __init__(
        self,
        turns: int = 4,
        ttl_seconds: float = 1800.0,
        conversations: int = 10_000,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._turns = turns
        self._ttl = ttl_seconds
        self._max = conversations
        self._clock = clock or time.monotonic
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def state(self, conversation_id: str) -> ConversationState:
        """The live turns of a conversation (expired ones are forgotten)."""
        with self._lock:
            entry = self._entries.get(conversation_id)
            if entry is None:
                return ConversationState()
            if self._clock() - entry.touched > self._ttl:
                del self._entries[conversation_id]
                return ConversationState()
            return ConversationState(turns=tuple(entry.turns))

    def remember(self, conversation_id: str, turn: TurnMemory) -> None:
        """Add a turn, evicting the oldest turn and the least recently used conversation."""
        with self._lock:
            entry = self._entries.pop(conversation_id, None)
            if entry is None or self._clock() - entry.touched > self._ttl:
                entry = _Entry(turns=deque(maxlen=self._turns))
            entry.turns.append(turn)
            entry.touched = self._clock()
            self._entries[conversation_id] = entry
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation."""
        with self._lock:
            self._entries.pop(conversation_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
