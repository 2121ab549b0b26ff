"""The articles' acronyms as the chat sees them: learned with the index (retrieval.acronyms)."""

from __future__ import annotations

from retrieval.acronyms import (
    JOINERS,
    MAX_SCAN_CHARS,
    Acronyms,
    abbreviates,
    bare,
    capitalised_runs,
    initials,
    is_short_form,
)

__all__ = [
    "JOINERS",
    "MAX_SCAN_CHARS",
    "Acronyms",
    "abbreviates",
    "bare",
    "capitalised_runs",
    "initials",
    "is_short_form",
]
