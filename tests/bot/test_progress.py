"""The indexing progress bar: drawn on a terminal, absent when stderr is piped."""

from __future__ import annotations

import io
from pathlib import Path

from bot.progress import index_progress
from retrieval.cache import open_index
from retrieval.index import BM25Params


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_piped_output_gets_no_callback() -> None:
    with index_progress(io.StringIO()) as progress:
        assert progress is None


def test_terminal_gets_bars_that_follow_the_build(tmp_path: Path, bundled_corpus: Path) -> None:
    screen = FakeTerminal()
    with index_progress(screen) as progress:
        assert progress is not None
        open_index(bundled_corpus, BM25Params(), tmp_path / "cache", progress)
    drawn = screen.getvalue()
    assert "reading and tokenizing files" in drawn
    assert "1/1" in drawn
