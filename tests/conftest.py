"""Shared fixtures: paths to the bundled corpus and the shared data beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# How long an example takes is the machine's business, not the code's: no per-example
# deadline and no "too slow" health check, so a busy CI machine cannot fail a property.
settings.register_profile(
    "busy-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("busy-machine")

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
