"""The ``qabot`` command line: the one place where settings, index, chat and adapters meet."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.cli.progress import index_progress
from bot.cli.render_text import render_answer, render_hits
from bot.core.chat import Chat
from bot.core.conversation import ConversationMemory
from bot.core.evaluation import Report, evaluate, read_items
from bot.core.inputs import clean_text
from bot.logs import configure_logging
from bot.settings import Settings
from retrieval.cache import OpenedIndex, open_index
from retrieval.errors import BadInputError, QabotError, UnknownDocumentError
from retrieval.index import BM25Params, SentenceIndex
from retrieval.models import IndexStats, LoadWarning

EXIT_OK, EXIT_FAULT, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("qabot")


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
    for one in (repl, ask, search, chat):
        one.add_argument(
            "--article",
            default=None,
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


def params_of(settings: Settings) -> BM25Params:
    """The index parameters a settings object asks for."""
    return BM25Params(engine=settings.engine, k1=settings.k1, b=settings.b)


def open_corpus_index(settings: Settings, *, show_progress: bool = False) -> OpenedIndex:
    """Load (or build and cache) the index of the configured corpus.

    With ``show_progress`` a build draws progress bars on a terminal (nothing when piped).
    """
    cache_dir = settings.cache_dir if settings.use_cache else None
    if not show_progress:
        return open_index(settings.corpus, params_of(settings), cache_dir)
    with index_progress() as progress:
        return open_index(settings.corpus, params_of(settings), cache_dir, progress)


def report_warnings(warnings: Sequence[LoadWarning], verbose: bool = False) -> None:
    """One line on stderr about the skipped or repaired files (``verbose``: one line each)."""
    # The cache remembers them, so every start would otherwise repeat the same long list.
    if verbose:
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
    if len(warnings) == 1 and not verbose:
        print(f"warning: {warnings[0]}", file=sys.stderr)
    elif warnings:
        print(f"warning: {summarize_warnings(warnings)}", file=sys.stderr)


def summarize_warnings(warnings: Sequence[LoadWarning]) -> str:
    """One line counting skipped files by reason and repaired ones, naming how to list them."""
    kinds: dict[str, int] = {}
    repaired = 0
    for w in warnings:
        if not w.problem.startswith("skipped"):
            repaired += 1
            continue
        kind = w.problem.removeprefix("skipped:").strip()
        kind = "duplicate" if kind.startswith("duplicate of") else kind
        kinds[kind] = kinds.get(kind, 0) + 1
    skipped = sum(kinds.values())
    parts = []
    if skipped:
        detail = ", ".join(
            f"{n:,} {kind}{'s' if n != 1 and kind.endswith(('file', 'duplicate')) else ''}"
            for kind, n in sorted(kinds.items(), key=_most)
        )
        parts.append(f"skipped {skipped:,} file{'s' if skipped != 1 else ''} ({detail})")
    if repaired:
        parts.append(f"{repaired:,} repaired")
    return "; ".join(parts) + "; 'qabot index --verbose' lists them"


def _most(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def build_chat(settings: Settings) -> tuple[Chat, IndexStats]:
    """Wire settings -> corpus -> index -> chat."""
    opened = open_corpus_index(settings, show_progress=True)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    report_warnings(warnings)
    memory = ConversationMemory(
        turns=settings.conversation_turns, ttl_seconds=settings.conversation_ttl_seconds
    )

    def reload_index() -> SentenceIndex:
        opened = open_corpus_index(settings)
        fresh, fresh_warnings = opened.index, opened.warnings
        for warning in fresh_warnings:
            log.warning("%s", warning)
        return fresh

    chat = Chat(
        index,
        memory,
        top_k=settings.top_k,
        max_question_chars=settings.max_question_chars,
        loader=reload_index,
    )
    return chat, stats


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None))


def _article(chat: Chat, args: argparse.Namespace) -> str | None:
    """The article the command is kept to, checked against the index (a usage error if unknown)."""
    article: str | None = getattr(args, "article", None)
    if article is None:
        return None
    try:
        return chat.index.require(article)
    except UnknownDocumentError as exc:
        raise UsageError(f"--article: {exc}") from None


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    chat, _ = build_chat(settings)
    answer = chat.ask(clean_text(args.question), "cli", _article(chat, args))
    if args.json:
        _print_json(answer.model_dump(mode="json"))
    else:
        print(render_answer(answer))
    return EXIT_OK


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    if args.k < 1:
        raise UsageError(f"-k must be at least 1 (got {args.k}); pass -k 5 for five sentences")
    chat, _ = build_chat(settings)
    query = clean_text(args.query)
    hits = chat.search(query, args.k, _article(chat, args))
    if args.json:
        keys = {
            "doc_id",
            "title",
            "sentence",
            "start",
            "end",
            "score",
            "paragraph",
            "position",
            "matched",
            "url",
        }
        _print_json(
            {"query": query, "hits": [h.model_dump(mode="json", include=keys) for h in hits]}
        )
    else:
        print(render_hits(hits))
    return EXIT_OK


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    items = read_items(args.file)
    chat, _ = build_chat(settings)
    report = evaluate(items, chat.ask)
    if args.json:
        _print_json(report.model_dump(mode="json"))
    else:
        print(format_report(report))
    return EXIT_OK


def format_report(report: Report) -> str:
    """A short human-readable summary of an evaluation."""
    short = (
        [
            f"answer F1            {report.answer_f1:.3f} (over {report.short_answered})",
            f"answer exact         {report.answer_exact or 0.0:.3f}",
        ]
        if report.answer_f1 is not None
        else []
    )
    return "\n".join(
        [
            f"questions            {report.questions} ({report.conversations} conversations)",
            f"answerable           {report.answerable}",
            f"hit@1                {report.hit_at_1:.3f}",
            f"hit@3                {report.hit_at_3:.3f}",
            f"MRR                  {report.mrr:.3f}",
            *short,
            f"false abstentions    {report.false_abstentions}",
            f"unanswerable         {report.unanswerable} (declined {report.abstained_correctly})",
            f"seconds              {report.seconds:.2f}",
        ]
    )


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    opened = open_corpus_index(settings, show_progress=True)
    stats, warnings = opened.stats, opened.warnings
    report_warnings(warnings, verbose=args.verbose)
    source = "loaded from cache" if stats.from_cache else "built"
    print(
        f"{source}: {stats.documents:,} documents, {stats.sentences:,} sentences, "
        f"{stats.vocabulary:,} terms, engine {stats.engine}, {stats.seconds:.2f} s"
    )
    print(f"cache: {stats.cache_path or 'off'}")
    return EXIT_OK


def cmd_repl(settings: Settings, args: argparse.Namespace) -> int:
    from bot.repl.session import run_repl

    chat, _ = build_chat(settings)
    return run_repl(chat, article=_article(chat, args))


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.chat_stream import run_chat_stream

    chat, _ = build_chat(settings)
    article = _article(chat, args)
    return run_chat_stream(chat, sys.stdin, sys.stdout, as_json=args.json, article=article)


def cmd_discord(settings: Settings, args: argparse.Namespace) -> int:
    from bot.discord import run_discord

    token = settings.discord_token
    if token is None or not token.get_secret_value().strip():
        raise UsageError(
            "QABOT_DISCORD_TOKEN is not set; put the bot token in the environment or .env"
        )
    chat, _ = build_chat(settings)
    return run_discord(settings, chat, sync=args.sync or "none")


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    if not args.urls and not args.feed:
        raise UsageError("add needs at least one URL or --feed URL; e.g. qabot add https://...")
    from bot.news.commands import run_add

    return run_add(settings, urls=args.urls, feeds=args.feed)


def cmd_feeds(settings: Settings, args: argparse.Namespace) -> int:
    from bot.news.commands import run_feeds

    return run_feeds(settings, args.action or "list", args.feed_urls)


COMMANDS = {
    "repl": cmd_repl,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "search": cmd_search,
    "eval": cmd_eval,
    "index": cmd_index,
    "discord": cmd_discord,
    "add": cmd_add,
    "feeds": cmd_feeds,
}


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
