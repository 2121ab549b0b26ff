"""Short answers a reviewer found wrong: place phrases, states, speakers, people with no
name, names set off by commas, manner adverbs, "What's her name?" (invented sentences).

Each case gives the answer a person would accept, or None where no span is right.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.tokens import Tokenizer
from tests.bot.core.spanning import span_for

TOKENIZER = Tokenizer()


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Where did the side play?", "The side played under the new manager for a year.", None),
        (
            "Where were the nurses hired?",
            "The nurses were hired under the new deal with the city.",
            None,
        ),
        ("Where did the aide stand?", "The aide stood behind the plan to shut the depot.", None),
        ("Where did the tour go wrong?", "The tour went wrong along the way, staff said.", None),
        (
            "Where did the troops serve?",
            "The troops served under the command of Colonel Ida Berg.",
            None,
        ),
        ("Where were the men held?", "The men were held under the terms of the curfew law.", None),
        ("Where did the girl fall?", "The girl fell behind her classmates at school.", None),
        ("Where was the gold hidden?", "The gold was hidden beneath the floor of the shed.", None),
        (
            "Where is the firm based?",
            "The firm is based behind the times, rivals say, in Leeds.",
            "Leeds",
        ),
        (
            "Where did the monks settle?",
            "The monks settled beside the lake in 1120.",
            "beside the lake",
        ),
        (
            "Where were the notes found?",
            "The notes were found under his pillow, police said.",
            "under his pillow",
        ),
    ],
)
def test_weak_place_phrases(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "When did the biggest flood happen?",
            "The second biggest flood happened after a storm in 1987.",
            "1987",
        ),
        (
            "Where is the tallest mast?",
            "The second tallest mast stands in Leeds, behind the depot.",
            "Leeds",
        ),
        (
            "Which town is the largest?",
            "Dunmere became the third largest town after the war.",
            None,
        ),
        (
            "Which bank is the largest?",
            "Orla Bank became the second largest lender after the merger with Corbel.",
            None,
        ),
        (
            "Which is the deepest lake?",
            "Lake Vorn is the second deepest lake in the region behind the dam.",
            None,
        ),
        (
            "Which is the deepest lake?",
            "Lake Vorn is the third deepest lake, behind Lake Ossa.",
            "Lake Ossa",
        ),
        (
            "Who was the oldest rider?",
            "Ida Berg, 51, was the second oldest rider behind Tom Kell.",
            "Tom Kell",
        ),
        (
            "Which is the longest canal?",
            "The Mell is the second longest canal after the Orr canal.",
            "the Orr canal",
        ),
        (
            "Which is the busiest port?",
            "Dunmere is the second busiest port in the north, following the one in Hale.",
            "the one in Hale",
        ),
    ],
)
def test_ranked_superlatives(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


def test_a_superlative_question_loads_no_dictionary_for_an_unranked_sentence() -> None:
    # lemminflect's tables take half a second: a first question must not pay for them.
    code = (
        "import sys\n"
        "from tests.bot.core.test_span_names_review import span_for\n"
        "span_for('Which is the largest lake?', 'Lake Vorn, the largest lake, is in the hills.')\n"
        "print('lemminflect' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Which state is Marsh from?",
            "Sen. Ida Marsh clashed with Rep. Tom Kell, R-Utah, over the levy.",
            None,
        ),
        (
            "Which state is the senator from?",
            "Sen. Ida Marsh, D-Iowa, and Sen. Tom Kell, R-Utah, wrote the levy.",
            None,
        ),
        (
            "Which state is Kell from?",
            "Sen. Ida Marsh, D-Iowa, and Rep. Tom Kell, R-Utah, wrote it.",
            "Utah",
        ),
        ("From what state?", "Later Sen. Ida Marsh, D-Iowa, arrived.", "Iowa"),
        (
            "Which country did the envoy praise?",
            "The envoy met Poland's trade minister and praised Chile.",
            "Chile",
        ),
        ("Which country is the envoy from?", "The envoy met Poland's trade envoy in Geneva.", None),
        (
            "Which country won the final?",
            "The final, played at Peru's national stadium, was won by the guests.",
            None,
        ),
        (
            "Which country did the minister visit?",
            "Norway's farm minister Ola Berg visited Chile in May.",
            "Chile",
        ),
        ("For which country?", "Poland's deputy trade minister Jan Wolny denied it.", "Poland"),
    ],
)
def test_owner_places_and_party_states(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Who said the bus was late?",
            "Police said Ilse Marek had complained that the bus was late.",
            "Police",
        ),
        (
            "Who said the bus was late?",
            "Ilse Marek told Tomas Hald that the bus was late.",
            "Ilse Marek",
        ),
        (
            "Who said the pier was unsafe?",
            '"It is unsafe," said Ilse Marek, but Tomas Hald said the pier was fine.',
            None,
        ),
        (
            "Who said the bus was late?",
            '"The pier is fine," said Ilse Marek, but Tomas Hald said the bus was late.',
            "Tomas Hald",
        ),
        ("Who said the bus was late?", '"It was late," said Ilse Marek.', "Ilse Marek"),
        (
            "Who said the bus was late?",
            "Ilse Marek, who lives in Leeds, said the bus was late.",
            "Ilse Marek",
        ),
    ],
)
def test_speakers(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Who is the landlord?", "The landlord is unknown.", None),
        ("Who was the pilot?", "The pilot was drunk, officials said.", None),
        (
            "The board gave the job to whom?",
            "The board gave the job to the cheapest builder last month.",
            "cheapest builder",
        ),
        (
            "Who was the last to leave?",
            "The last to leave was a group of cooks.",
            "a group of cooks",
        ),
        (
            "Who must check the pipes?",
            "Before work starts, plumbers must check the pipes.",
            "plumbers",
        ),
    ],
)
def test_people_named_by_a_noun(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Who opened the bakery?",
            "Ines Varga, whose uncle, a miller, opened the bakery in 1961, now runs it.",
            None,
        ),
        (
            "Who built the mill?",
            "Ines Varga, the widow of the man who, in 1950, built the mill, died.",
            None,
        ),
        (
            "Who won the final?",
            "Tom Kell, who came second, said the man who, after a fight, won the final was kind.",
            None,
        ),
        (
            "Who shot the guard?",
            "Jon Sela, 24, was held after his brother, police said, shot the guard.",
            None,
        ),
        (
            "Who built the mill?",
            "Ines Varga, a mason who trained in Leeds, built the mill in 1950.",
            "Ines Varga",
        ),
        (
            "Who held the floor?",
            "Sen. Ida Marsh of Iowa, who held the floor for a day, spoke again.",
            "Sen. Ida Marsh",
        ),
    ],
)
def test_names_set_off_by_commas(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("How was the barn destroyed?", "The barn was almost entirely destroyed.", None),
        ("How was the lane closed?", "The lane was temporarily closed.", None),
        ("How did the mayor respond?", "The mayor has not publicly responded.", None),
        ("How did the dog die?", "The dog died unexpectedly.", "unexpectedly"),
        ("How was the vote passed?", "The vote was narrowly passed.", "narrowly"),
    ],
)
def test_manner_adverbs(question: str, sentence: str, expected: str | None) -> None:
    assert span_for(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "referent", "expected"),
    [
        (
            "What's her name?",
            "Ines Varga and her daughter Lena Varga opened the cafe.",
            "Ines Varga",
            "Ines Varga",
        ),
        (
            "What's her name?",
            "Her aunt, Lena Varga, said Ines Varga opened the cafe.",
            "Ines Varga",
            "Ines Varga",
        ),
        (
            "What's her name?",
            "Police held a woman after she argued with officer Tom Kell.",
            "a woman",
            None,
        ),
        (
            "What's her name?",
            "The woman, a friend of Lena Varga, was not named.",
            "the woman",
            None,
        ),
        ("What is his name?", "The boy's mother, Ines Varga, said he was safe.", "the boy", None),
        (
            "What's her name?",
            "Officials named the girl as Ines Varga, 9, and her pal as Lena Holm, 10.",
            "the girl",
            None,
        ),
        (
            "What was his name?",
            "Radio Nord said that Orban's driver, Tomas Hald, had died.",
            "Police",
            "Tomas Hald",
        ),
        ("What is her last name?", "Ines Varga met Lena Holm at the market.", "Lena", "Lena Holm"),
    ],
)
def test_name_of_the_referent(
    question: str, sentence: str, referent: str, expected: str | None
) -> None:
    assert span_for(question, sentence, referents=[referent]) == expected
