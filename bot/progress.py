"""A progress bar for index builds: rich on a terminal, silent when stderr is not a TTY."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from retrieval.segments import ProgressCallback

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
