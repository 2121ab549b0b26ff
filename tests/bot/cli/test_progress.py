"""The indexing progress bar: drawn on a terminal, absent when stderr is piped."""

from __future__ import annotations

import io
from pathlib import Path

from bot.cli.progress import count_progress, index_progress
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


def test_downloads_get_a_bar_on_a_terminal_only_for_several() -> None:
    with count_progress("fetching articles", io.StringIO()) as progress:
        assert progress is None
    screen = FakeTerminal()
    with count_progress("fetching articles", screen) as progress:
        assert progress is not None
        progress(1, 1)  # a single article: no bar
        assert "fetching articles" not in screen.getvalue()
        for done in range(1, 4):
            progress(done, 3)
    assert "fetching articles" in screen.getvalue() and "3/3" in screen.getvalue()
