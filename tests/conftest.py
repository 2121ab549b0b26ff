"""Shared fixtures: paths to the bundled corpus and the shared data beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def bundled_corpus() -> Path:
    """The bundled MINUSMA article folder."""
    return BUNDLED


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` (DESIGN.md, eval sets, data); tests needing it skip if it is absent."""
    if not SHARED.exists():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture
def isolated_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run commands in an empty folder (no stray .env, no QABOT_ variables), private cache."""
    for key in list(os.environ):
        if key.startswith("QABOT_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QABOT_CACHE_DIR", str(tmp_path / "cache"))
