"""Fixtures for the news tests: the local site, and settings that may fetch from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.news.site import NewsSite


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A news site on 127.0.0.1 (no robots.txt: everything allowed)."""
    server = NewsSite()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def news_env(isolated_cli: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for fetching from the local site: private URLs allowed, no per-host delay."""
    monkeypatch.setenv("QABOT_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("QABOT_FETCH_HOST_DELAY_SECONDS", "0")
    monkeypatch.setenv("QABOT_FETCH_TIMEOUT_SECONDS", "10")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder
