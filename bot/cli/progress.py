"""Progress bars for index builds and downloads: rich on a terminal, silent when not a TTY."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from retrieval.chunks import ProgressCallback

LABELS = {
    "reading": "reading and tokenizing files",
    "indexing": "building the BM25 index",
    "saving": "saving the index cache",
}


@contextmanager
def index_progress(stream: TextIO | None = None) -> Iterator[ProgressCallback | None]:
    """A callback for ``open_index(..., progress=...)`` drawing bars, or None when piped."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    # transient: the bars vanish when done, leaving only the command's own summary line.
    with Progress(*columns, console=Console(file=out), transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = bars.add_task(LABELS.get(stage, stage), total=total)
            bars.update(task, completed=done, total=total)

        yield report


@contextmanager
def count_progress(
    label: str, stream: TextIO | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A ``(done, total)`` callback drawing one bar on a terminal, or None when piped."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(file=out), transient=True) as bars:
        tasks: dict[int, TaskID] = {}

        def report(done: int, total: int) -> None:
            # A single article needs no bar; several (or a large feed) get one per batch.
            if total <= 1:
                return
            if done == 1 or total not in tasks:
                tasks[total] = bars.add_task(label, total=total)
            bars.update(tasks[total], completed=done)

        yield report
