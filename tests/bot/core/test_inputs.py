"""Cleaning outside text: what cannot be encoded becomes U+FFFD, the rest is untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.inputs import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain ascii", "plain ascii"),
        ("café ✓ 日本", "café ✓ 日本"),
        (b"peace \xff\xfe died".decode("utf-8", "surrogateescape"), "peace \ufffd\ufffd died"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("mixed \udcff and \ud83d", "mixed \ufffd and \ufffd"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@given(st.text())
def test_clean_text_always_encodes_and_keeps_valid_text(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # never raises
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assert len(cleaned) >= 1
    else:
        assert cleaned == text


def test_terminal_safe_defuses_escapes_and_bidi_overrides() -> None:
    from bot.cli.render_text import terminal_safe

    assert terminal_safe("a\x1b[31mred\x07\u202eevil\u2066 ok\ttab") == (
        "a\ufffd[31mred\ufffd\ufffdevil\ufffd ok\ttab"
    )
    assert terminal_safe("Mali’s 12,000 peacekeepers") == "Mali’s 12,000 peacekeepers"
