"""Votes on answers, appended to a JSON Lines file so operators can see what to improve."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import Field

from bot.core.models import Citation
from retrieval.models import Frozen

Vote = Literal["up", "down"]


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp, e.g. ``2024-01-01T12:00:00+00:00``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackRecord(Frozen):
    """One vote on one answer: what was asked, what was said, and the verdict."""

    question: str
    answer: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    vote: Vote
    user_id: str
    ts: str = Field(default_factory=utc_now)
    source: str = "discord"


class FeedbackRecorder:
    """Appends :class:`FeedbackRecord` lines to one file; safe to call from many threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # One lock per recorder: lines from concurrent votes must never interleave.
        self._lock = threading.Lock()

    def record(self, entry: FeedbackRecord) -> None:
        """Append one JSON line and flush it, creating the folder if needed."""
        line = entry.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Reopened per vote so log rotation (move + new file) just works.
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()

    def read(self) -> list[FeedbackRecord]:
        """Every record in the file, oldest first; an absent file holds none."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [FeedbackRecord.model_validate_json(line) for line in handle if line.strip()]
