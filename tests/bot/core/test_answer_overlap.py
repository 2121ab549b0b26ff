"""CoQA's and SQuAD's short-answer measures, on examples worked by their official scripts."""

from __future__ import annotations

import pytest

from bot.core.answer_overlap import best_exact, best_f1, exact_match, f1_score, normalize_answer


def test_normalising_drops_case_punctuation_and_articles() -> None:
    assert normalize_answer("The  Harbour Pilots.") == "harbour pilots"
    assert normalize_answer("an avalanche!") == "avalanche"
    assert normalize_answer("Theatre") == "theatre"  # only whole words are articles


def test_exact_match_after_normalising() -> None:
    assert exact_match("the Harbor Owls", "Harbor Owls") == 1.0
    assert exact_match("Owls", "Harbor Owls") == 0.0


@pytest.mark.parametrize(
    ("prediction", "gold", "f1"),
    [
        ("Harbor Owls", "Harbor Owls", 1.0),
        # precision 1/1, recall 1/2
        ("Owls", "Harbor Owls", 2 / 3),
        # 2 of 4 predicted words are right, both gold words found: 2 * 0.5 * 1 / 1.5
        ("in 1988 and 2004", "1988 2004", 2 / 3),
        ("yes", "no", 0.0),
        ("", "anything", 0.0),
    ],
)
def test_word_overlap_f1(prediction: str, gold: str, f1: float) -> None:
    assert f1_score(prediction, gold) == pytest.approx(f1)


def test_the_best_accepted_answer_counts() -> None:
    golds = ["1981", "March", "March 1981"]
    assert best_f1("March 1981", golds) == 1.0
    assert best_exact("march", golds) == 1.0
    assert best_f1("anything", []) == 0.0
