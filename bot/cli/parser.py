"""The ``qabot`` command-line contract: its arguments, exit codes and settings.

Offers ``build_parser`` (every subcommand and option, see DESIGN.md), ``load_settings``
(settings from the environment and .env, overridden by options), the exit codes and
``UsageError``, the fault for bad usage or settings (exit 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.settings import Settings
from retrieval.errors import BadInputError

EXIT_OK, EXIT_FAULT, EXIT_USAGE = 0, 1, 2


class UsageError(BadInputError):
    """Bad command-line usage or settings (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        dashed = "unrecognized" in message or "required: question" in message or "query" in message
        hint = " (put -- before a question that starts with -)" if dashed else ""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{hint}; see '{self.prog} --help'\n")


def _common() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--corpus", type=Path, default=argparse.SUPPRESS, help="folder of .txt/.md articles"
    )
    common.add_argument(
        "--engine", choices=["bm25s", "rank-bm25"], default=argparse.SUPPRESS, help="BM25 engine"
    )
    common.add_argument(
        "--no-cache",
        action="store_true",
        default=argparse.SUPPRESS,
        help="neither read nor write the index cache",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand (see DESIGN.md for the contract)."""
    common = _common()
    parser = _Parser(
        prog="qabot",
        description="Answers questions about news articles, citing sentences.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    repl = sub.add_parser("repl", parents=[common], help="interactive REPL (the default)")
    ask = sub.add_parser("ask", parents=[common], help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true")
    search = sub.add_parser("search", parents=[common], help="ranked sentences, no answer")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="how many sentences (default 5)")
    search.add_argument("--json", action="store_true")
    chat = sub.add_parser(
        "chat", parents=[common], help="a conversation over standard input, a line a turn"
    )
    chat.add_argument("--json", action="store_true", help="one JSON object a line in and out")
    # Also on qabot itself, which starts the REPL: `qabot --article ID`.
    for one in (parser, repl, ask, search, chat):
        one.add_argument(
            "--article",
            default=argparse.SUPPRESS,
            metavar="DOC_ID",
            help="keep the conversation to one article (its id: see the REPL's :sources)",
        )
    ev = sub.add_parser("eval", parents=[common], help="score a JSON Lines question set")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true")
    index = sub.add_parser("index", parents=[common], help="build or refresh the index cache")
    index.add_argument("--verbose", action="store_true", help="name every skipped or repaired file")
    dis = sub.add_parser("discord", parents=[common], help="run the Discord bot")
    dis.add_argument(
        "--sync",
        choices=["global", "guild"],
        default=None,
        help="register the slash commands (globally, or to QABOT_DISCORD_GUILD_ID) and start",
    )
    add = sub.add_parser("add", parents=[common], help="fetch articles into the corpus")
    add.add_argument("urls", nargs="*", metavar="URL", help="article pages to add")
    add.add_argument(
        "--feed", action="append", default=[], metavar="URL", help="an RSS or Atom feed to follow"
    )
    feeds = sub.add_parser("feeds", parents=[common], help="list, add or remove followed feeds")
    feeds.add_argument("action", nargs="?", choices=["list", "add", "remove", "refresh"])
    feeds.add_argument("feed_urls", nargs="*", metavar="URL")
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment and .env, overridden by command-line options."""
    overrides: dict[str, object] = {}
    if "corpus" in args:
        overrides["corpus"] = args.corpus
    if "engine" in args:
        overrides["engine"] = args.engine
    if getattr(args, "no_cache", False):
        overrides["use_cache"] = False
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except (UnicodeDecodeError, SettingsError) as exc:
        raise UsageError(
            f"cannot read the settings ({type(exc).__name__}: {exc}); "
            "check QABOT_ variables and that .env is UTF-8 text of NAME=value lines"
        ) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise UsageError(
            f"setting QABOT_{field.upper()} is invalid: {err['msg']} (got {err.get('input')!r}); "
            "fix it in the environment or .env"
        ) from None
