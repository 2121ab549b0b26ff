"""The ``qabot`` subcommands: one ``cmd_*`` function each, found by name in ``COMMANDS``.

Each takes the settings and the parsed arguments and returns an exit code; the adapters
(REPL, chat stream, Discord, news) are imported only by the command that runs them.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.parser import EXIT_OK, UsageError
from bot.cli.render_text import render_answer, render_hits
from bot.cli.wiring import build_chat, open_corpus_index, report_warnings
from bot.core.chat import Chat
from bot.core.evaluation import Report, evaluate, read_items
from bot.core.inputs import clean_text
from bot.settings import Settings
from retrieval.errors import UnknownDocumentError


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
