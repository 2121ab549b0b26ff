"""Short answers that are clauses or noun phrases: purposes, causes, times said by events,
people named by a noun, ranked superlatives, doers of passives (invented sentences)."""

from __future__ import annotations

import pytest

from bot.core.lexicon import irregular_forms
from bot.core.span_anchors import is_base_verb, verb_lemmas
from retrieval.tokens import Tokenizer
from tests.bot.core.spanning import span_for

TOKENIZER = Tokenizer()


def test_verb_forms_come_from_the_lexicon() -> None:
    assert "make" in verb_lemmas("made")
    assert is_base_verb("protect")
    assert not is_base_verb("several")
    assert not is_base_verb("protected")


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Why do the farmers plant hedges?",
            "The farmers of the valley plant hedges to shelter their barley from the wind.",
            "to shelter their barley from the wind",
        ),
        (
            "Why was the committee formed?",
            "A small committee was formed in order to review the harbour fees.",
            "in order to review the harbour fees",
        ),
    ],
)
def test_why_is_answered_by_an_infinitive_of_purpose(
    question: str, sentence: str, expected: str
) -> None:
    assert span_for(question, sentence) == expected


def test_an_infinitive_a_verb_takes_as_its_object_is_no_purpose() -> None:
    sentence = "The miners wanted to leave the shaft before the flood reached it."
    assert span_for("Why did the miners stop work?", sentence) is None


def test_to_before_a_name_or_a_noun_is_no_purpose() -> None:
    sentence = "The ferry crew sailed to Dunmore and handed the letters to several clerks."
    assert span_for("Why did the ferry crew sail?", sentence) is None


def test_what_caused_is_answered_by_the_subject_of_the_verb() -> None:
    sentence = "Heavy frost forced the closure of the mountain pass last week."
    assert span_for("What forced the closure of the pass?", sentence) == "Heavy frost"


def test_what_caused_is_answered_by_the_doer_of_a_passive() -> None:
    sentence = "The flooding of the lower town was caused by a blocked storm drain."
    assert span_for("What caused the flooding?", sentence) == "a blocked storm drain"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "When was the bridge repaired?",
            "The old bridge was repaired during the dry season of that year.",
            "during the dry season of that year",
        ),
        (
            "When do the gates open?",
            "The lock gates open when the tide is high enough for the barges.",
            "when the tide is high enough for the barges",
        ),
    ],
)
def test_when_without_a_date_is_answered_by_the_time_clause(
    question: str, sentence: str, expected: str
) -> None:
    assert span_for(question, sentence) == expected


def test_a_time_clause_does_not_answer_another_question_word() -> None:
    sentence = "Once a seed has been soaked, it swells into a soft pulp."
    assert span_for("When a seed is soaked, what does it swell into?", sentence) != (
        "Once a seed has been soaked"
    )


def test_who_with_no_name_is_answered_by_the_noun_where_the_question_has_who() -> None:
    sentence = "After the tender closed, the council awarded the contract to the cheapest bidder."
    assert span_for("The council awarded the contract to whom?", sentence) == "cheapest bidder"


def test_what_is_it_like_is_answered_by_what_it_remains() -> None:
    sentence = "The town's water supply remains fragile, strained by the long drought."
    assert span_for("What is the town's water supply like?", sentence) == "fragile"


def test_a_ranked_superlative_names_the_one_ahead_of_it() -> None:
    sentence = (
        "With 40 floors, Corran Tower is the second tallest building in the city, "
        "after the Vell Spire."
    )
    assert span_for("Which building is the tallest?", sentence) == "the Vell Spire"


def test_a_ranked_superlative_without_the_one_ahead_gives_no_span() -> None:
    sentence = "With 40 floors, Corran Tower is the second tallest building in the city."
    assert span_for("Which building is the tallest?", sentence) is None


def test_a_title_after_a_word_of_its_own_still_opens_the_name() -> None:
    sentence = "The envoy met on Friday with Ostland President Mara Velling in the capital."
    assert span_for("Which president did the envoy meet?", sentence) == "Mara Velling"


def test_a_by_phrase_after_a_passive_names_the_doer_of_what() -> None:
    sentence = "The old mill was damaged by a falling oak, the keeper said."
    assert span_for("What damaged the mill?", sentence) == "a falling oak"


def test_a_by_phrase_that_says_where_is_no_doer() -> None:
    sentence = "The keeper sat by the old mill, mending a net."
    assert span_for("What did the keeper mend?", sentence) != "the old mill"


def test_who_did_it_is_the_doer_a_passive_names_after_by() -> None:
    sentence = "The audit, ordered by Hella Marsh last spring, found no fault."
    assert span_for("Who ordered the audit?", sentence) == "Hella Marsh"


def test_a_name_set_off_by_an_apposition_is_the_subject_of_the_verb_after_it() -> None:
    sentence = (
        "Tomas Reyne, a retired surveyor who had mapped the northern marshes for the county "
        "board, founded the walking club in 1988."
    )
    assert span_for("Who founded the walking club?", sentence) == "Tomas Reyne"


def test_who_said_it_is_the_name_the_sentence_gives_as_its_speaker() -> None:
    sentence = (
        '"The ferry was late every day," said Orla Benn, 52, about her neighbour, '
        "Tamsin Hale, who drove her."
    )
    assert span_for("Who stated that the ferry was always late?", sentence) == "Orla Benn"


def test_how_is_answered_by_the_adverb_next_to_the_verb_as_a_last_resort() -> None:
    sentence = "In the new plan the orchards would be jointly owned by the villages."
    assert span_for("How would the orchards be owned?", sentence) != "jointly"  # "by" first
    sentence = "Under the new charter, the orchards would be jointly owned."
    assert span_for("How would the orchards be owned?", sentence) == "jointly"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("From what state?", "Then Sen. Ada Corvell, R-Ohio, arrived.", "Ohio"),
        ("For which country?", "Norway's fishing minister Jon Sela denied the report.", "Norway"),
    ],
)
def test_a_sort_of_place_may_be_the_owner_or_the_state_of_a_name(
    question: str, sentence: str, expected: str
) -> None:
    assert span_for(question, sentence) == expected


def test_the_only_date_of_a_sentence_answers_when_however_far_from_the_question() -> None:
    sentence = (
        "In 1871, after a long quarrel between the two families over the water rights and "
        "the old boundary stones, the mill was rebuilt."
    )
    assert span_for("When was the mill rebuilt?", sentence) == "1871"


def test_an_irregular_verb_is_found_in_another_of_its_forms() -> None:
    assert "held" in irregular_forms("hold")
    sentence = "The letters, which a cousin had sent from Lisbon, were held in the cellar."
    assert span_for("Where did they hold the letters?", sentence) == "in the cellar"


def test_a_place_phrase_right_after_a_long_question_word_is_next_to_it() -> None:
    sentence = "In dry valleys such as these, the rhododendrons sit on the terraces."
    assert span_for("Where are the rhododendrons?", sentence) == "on the terraces"
