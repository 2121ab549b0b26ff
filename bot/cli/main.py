"""The ``qabot`` command line: ``main`` parses, loads the settings, runs one command.

It is the one place where faults become exit codes and one-line messages. The parser lives in
``bot.cli.parser``, the wiring of settings to index and chat in ``bot.cli.wiring`` and the
subcommands in ``bot.cli.commands``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from bot.cli.commands import COMMANDS
from bot.cli.parser import EXIT_FAULT, EXIT_OK, build_parser, load_settings
from bot.logs import configure_logging
from retrieval.errors import QabotError


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (errors are one line on stderr)."""
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        settings = load_settings(args)
        level = "DEBUG" if debug else settings.log_level
        configure_logging(level, timestamps=args.command == "discord")
        return COMMANDS[args.command or "repl"](settings, args)
    except QabotError as exc:
        # The one place faults become exit codes: 2 for usage, settings and input, 1 else.
        if debug:
            raise
        print(f"qabot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left early (`qabot eval ... | head`); flushing at exit would fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        print(
            f"qabot: error: {type(exc).__name__}: {exc} (run again with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_FAULT
