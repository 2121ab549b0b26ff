"""CoQA's and SQuAD's short-answer measures: word-overlap F1 and exact match after normalising.

Both benchmarks normalise the same way (lower case, punctuation and the articles a/an/the
dropped, white space collapsed) and score a reply against the best of the accepted answers.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable

_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_PUNCTUATION = frozenset(string.punctuation)


def normalize_answer(text: str) -> str:
    """Lower-cased, without punctuation or articles, white space collapsed (SQuAD's rule)."""
    lowered = text.lower()
    no_punctuation = "".join(ch for ch in lowered if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", no_punctuation).split())


def exact_match(prediction: str, gold: str) -> float:
    """1.0 when the two normalise to the same text, else 0.0."""
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1_score(prediction: str, gold: str) -> float:
    """Word-overlap F1 of the normalised texts (1.0 when both normalise to nothing)."""
    predicted = normalize_answer(prediction).split()
    wanted = normalize_answer(gold).split()
    if not predicted or not wanted:
        return float(predicted == wanted)
    common = Counter(predicted) & Counter(wanted)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted)
    recall = same / len(wanted)
    return 2 * precision * recall / (precision + recall)


def best_f1(prediction: str, golds: Iterable[str]) -> float:
    """The F1 against the best-matching accepted answer (0.0 when there is none)."""
    return max((f1_score(prediction, g) for g in golds), default=0.0)


def best_exact(prediction: str, golds: Iterable[str]) -> float:
    """Exact match against any accepted answer."""
    return max((exact_match(prediction, g) for g in golds), default=0.0)
