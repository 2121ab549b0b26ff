"""One family of faults, each with the exit code the command line ends on."""

from __future__ import annotations

import pytest

from bot.cli.chat_stream import LineError
from bot.cli.parser import UsageError
from bot.core.evaluation import EvalError
from bot.discord import DiscordConfigError
from bot.news.commands import FeedsUsageError
from bot.news.follows import FeedsFileError
from retrieval.cache_format import CacheError
from retrieval.errors import (
    BadInputError,
    CorpusError,
    IndexUnusableError,
    QabotError,
    UnknownDocumentError,
)


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (CorpusError, 2),
        (UnknownDocumentError, 2),
        (EvalError, 2),
        (UsageError, 2),
        (DiscordConfigError, 2),
        (FeedsUsageError, 2),
        (FeedsFileError, 2),
        (CacheError, 1),
        (IndexUnusableError, 1),
    ],
)
def test_every_fault_is_a_qabot_error_with_its_exit_code(
    fault: type[QabotError], code: int
) -> None:
    assert issubclass(fault, QabotError)
    assert fault.exit_code == code
    assert issubclass(fault, BadInputError) == (code == 2)


def test_a_bad_chat_line_is_not_a_process_fault() -> None:
    # A line qabot chat cannot read is answered with an error object; it never ends the run.
    assert not issubclass(LineError, QabotError)
