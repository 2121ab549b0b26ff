"""Sentence splitting: a table of hard cases and offset invariants (hypothesis)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.sentences import MAX_SENTENCE_CHARS, split_paragraphs, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


HARD_CASES: list[tuple[str, list[str]]] = [
    ("Dr. Smith went to Washington. He left.", ["Dr. Smith went to Washington.", "He left."]),
    ("The U.S. Army said so. It agreed.", ["The U.S. Army said so.", "It agreed."]),
    ("Troops left the U.S. The war ended.", ["Troops left the U.S.", "The war ended."]),
    ("On Jan. 5 they met. Talks failed.", ["On Jan. 5 they met.", "Talks failed."]),
    ("It grew 1.5 percent. Then 12,000 left.", ["It grew 1.5 percent.", "Then 12,000 left."]),
    ("John F. Kennedy was shot. Crowds wept.", ["John F. Kennedy was shot.", "Crowds wept."]),
    ("J. R. R. Tolkien wrote it. Fans loved it.", ["J. R. R. Tolkien wrote it.", "Fans loved it."]),
    ('He said "we will do". Then left.', ['He said "we will do".', "Then left."]),
    ("He said “we will do.” Then left.", ["He said “we will do.”", "Then left."]),
    ("She asked “why?” and left. Odd.", ["She asked “why?” and left.", "Odd."]),
    ("Wait... What happened? Nobody knows!", ["Wait...", "What happened?", "Nobody knows!"]),
    ("It was… fine. Really.", ["It was… fine.", "Really."]),
    ("e.g. the camps, i.e. the bases. Done.", ["e.g. the camps, i.e. the bases.", "Done."]),
    (
        "Mr. and Mrs. Wane arrived. Gen. Diallo spoke.",
        ["Mr. and Mrs. Wane arrived.", "Gen. Diallo spoke."],
    ),
    ("See No. 5 and p. 12 here. Next.", ["See No. 5 and p. 12 here.", "Next."]),
    (
        "UN ends Mali mission\nThe United Nations ended its mission in Mali, a decade on.",
        [
            "UN ends Mali mission",
            "The United Nations ended its mission in Mali, a decade on.",
        ],
    ),
    ("(It rained.) Then it stopped.", ["(It rained.)", "Then it stopped."]),
    ("Prices rose 3%. Markets fell.", ["Prices rose 3%.", "Markets fell."]),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES, ids=[c[0][:30] for c in HARD_CASES])
def test_hard_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_hard_wrapped_paragraphs_join_lines_and_blank_lines_separate() -> None:
    text = (
        "The mission began in 2013 after a rebellion in the north. It\n"
        "ended on Sunday.\n"
        "\n"
        "A second paragraph starts\n"
        "here and ends here.\n"
    )
    spans = split_sentences(text)
    got = [(" ".join(text[s.start : s.end].split()), s.paragraph, s.position) for s in spans]
    assert got == [
        ("The mission began in 2013 after a rebellion in the north.", 1, 1),
        ("It ended on Sunday.", 1, 2),
        ("A second paragraph starts here and ends here.", 2, 1),
    ]


def test_one_paragraph_per_line_keeps_each_line_a_paragraph(bundled_corpus: object) -> None:
    from tests.conftest import BUNDLED

    text = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert len(split_paragraphs(text)) == len(text.strip().splitlines()) == 8
    assert max(s.paragraph for s in spans) == 8
    assert len(spans) == 15
    assert any("310 peacekeepers" in text[s.start : s.end] for s in spans)


def test_list_items_and_headings_start_paragraphs() -> None:
    text = "# Heading\nIntro line.\n- first item\n- second item\n"
    assert [text[s:e] for s, e in split_paragraphs(text)] == [
        "# Heading",
        "Intro line.",
        "- first item",
        "- second item",
    ]


def test_overlong_run_without_punctuation_is_cut() -> None:
    text = "word " * 2000
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)


def test_start_offset_skips_front_matter() -> None:
    text = "---\ntitle: T\n---\nBody one. Body two."
    start = text.index("Body")
    assert [text[s.start : s.end] for s in split_sentences(text, start)] == [
        "Body one.",
        "Body two.",
    ]


PIECES = [
    *"abcXYZ .!?…\"'”’()\n\t,0123456789-é日#",
    "U.S.",
    "Dr.",
    "\n\n",
    "Mali",
    " the ",
    "\u200b",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=200).map("".join) | st.text(max_size=200)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_offsets_point_back_into_the_text(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for span in spans:
        sentence = text[span.start : span.end]
        assert sentence, "no empty sentence"
        assert sentence == sentence.strip(), "sentences carry no outer white space"
        assert span.start >= previous_end, "sentences are ordered and do not overlap"
        previous_end = span.end
    covered = "".join(text[s.start : s.end] for s in spans)
    assert "".join(covered.split()) == "".join(text.split()), "no text is lost"


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_paragraph_and_position_numbering(text: str) -> None:
    spans = split_sentences(text)
    for prev, cur in itertools.pairwise(spans):
        if cur.paragraph == prev.paragraph:
            assert cur.position == prev.position + 1
        else:
            assert cur.paragraph == prev.paragraph + 1
            assert cur.position == 1
