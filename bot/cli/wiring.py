"""Wiring a command's settings to its index and chat: where settings, corpus and index meet.

Offers ``open_corpus_index`` (load, or build and cache, the configured corpus's index),
``build_chat`` (settings -> corpus -> index -> chat, reloadable), ``params_of`` and the one-line
summaries of skipped or repaired files (``report_warnings``, ``summarize_warnings``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from bot.cli.progress import index_progress
from bot.core.chat import Chat
from bot.core.conversation import ConversationMemory
from bot.settings import Settings
from retrieval.cache import OpenedIndex, open_index
from retrieval.index import BM25Params, SentenceIndex
from retrieval.models import IndexStats, LoadWarning

log = logging.getLogger("qabot")


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
