"""The one logging set-up of every ``qabot`` command: stderr, ``--debug`` or QABOT_LOG_LEVEL."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, *, timestamps: bool = False) -> None:
    """Log to stderr at ``level`` (``DEBUG`` ... ``CRITICAL``), qabot's and discord.py's alike.

    Only the root logger gets a level: every other logger (``bot``, ``discord``) inherits it.
    A long-running command (the Discord bot) asks for ``timestamps``.
    """
    number = logging.getLevelNamesMapping()[level]
    logging.basicConfig(level=number, format=f"%(asctime)s {FORMAT}" if timestamps else FORMAT)
    # bm25s sets its own logger to DEBUG and is chatty; it speaks up from WARNING only.
    logging.getLogger("bm25s").setLevel(max(logging.WARNING, number))


class RedactSecret(logging.Filter):
    """Replaces a secret in any log line that would carry it (belt and braces)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Let the record through, with the secret replaced by ``[token]``."""
        message = record.getMessage()
        if self.secret and self.secret in message:
            record.msg, record.args = message.replace(self.secret, "[token]"), None
        return True


@contextlib.contextmanager
def redacting(secret: str) -> Iterator[None]:
    """Within the block, the root logger's handlers never write ``secret``."""
    redactor = RedactSecret(secret)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)
