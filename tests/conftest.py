"""Shared fixtures: paths to the bundled corpus and the shared data beside the project."""

from __future__ import annotations

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
