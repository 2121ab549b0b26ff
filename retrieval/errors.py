"""The one family of faults qabot reports: a base class and the kinds under it.

Every fault is one plain sentence naming the value and the fix. ``exit_code`` says how a
command ends on it (2: bad usage, settings or input; 1: a runtime fault); the command line
maps the whole family in one place. "No answer" is never a fault: it is a normal Answer.
"""

from __future__ import annotations

from typing import ClassVar


class QabotError(Exception):
    """Base of every fault qabot reports as one line."""

    exit_code: ClassVar[int] = 1


class BadInputError(QabotError):
    """Bad usage, settings or input the user can fix (exit 2)."""

    exit_code: ClassVar[int] = 2


class CorpusError(BadInputError):
    """The corpus folder cannot be used at all (missing, not a folder, nothing loadable)."""


class UnknownDocumentError(BadInputError, LookupError):
    """An article id that the index does not hold; the message names the closest ids."""


class IndexUnusableError(QabotError):
    """The index or its cache cannot be used (exit 1; a damaged cache is rebuilt, not raised)."""
