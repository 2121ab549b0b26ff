"""CoQA's and SQuAD's short-answer measures, on examples worked by their official scripts."""

from __future__ import annotations

import pytest

from bot.core.answer_overlap import best_exact, best_f1, exact_match, f1_score, normalize_answer


def test_normalising_drops_case_punctuation_and_articles() -> None:
    assert normalize_answer("The  Armed Forces.") == "armed forces"
    assert normalize_answer("an overdose!") == "overdose"
    assert normalize_answer("Theatre") == "theatre"  # only whole words are articles


def test_exact_match_after_normalising() -> None:
    assert exact_match("the Denver Broncos", "Denver Broncos") == 1.0
    assert exact_match("Broncos", "Denver Broncos") == 0.0


@pytest.mark.parametrize(
    ("prediction", "gold", "f1"),
    [
        ("Denver Broncos", "Denver Broncos", 1.0),
        # precision 1/1, recall 1/2
        ("Broncos", "Denver Broncos", 2 / 3),
        # 2 of 4 predicted words are right, both gold words found: 2 * 0.5 * 1 / 1.5
        ("in 1996 and 2000", "1996 2000", 2 / 3),
        ("yes", "no", 0.0),
        ("", "anything", 0.0),
    ],
)
def test_word_overlap_f1(prediction: str, gold: str, f1: float) -> None:
    assert f1_score(prediction, gold) == pytest.approx(f1)


def test_the_best_accepted_answer_counts() -> None:
    golds = ["1973", "October", "October 1973"]
    assert best_f1("October 1973", golds) == 1.0
    assert best_exact("october", golds) == 1.0
    assert best_f1("anything", []) == 0.0
