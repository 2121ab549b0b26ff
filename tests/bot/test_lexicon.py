"""General word knowledge: demonyms, number words, phrasal verbs."""

from __future__ import annotations

from bot.lexicon import DEMONYMS, RELATED, normalize_numbers, number_forms, phrasal_meanings


def test_demonyms_go_both_ways() -> None:
    assert "mali" in DEMONYMS["malian"] and "malian" in DEMONYMS["mali"]
    assert "france" in DEMONYMS["french"] and "french" in DEMONYMS["france"]
    assert "russia" in DEMONYMS["russian"]
    assert "netherlands" in DEMONYMS["dutch"]


def test_number_words_and_digits() -> None:
    assert number_forms("two") == ("2",)
    assert number_forms("Twelve") == ("12",)
    assert set(number_forms("12")) == {"twelve", "dozen"}
    assert number_forms("second") == ("2nd",)
    assert number_forms("2nd") == ("second",)
    assert number_forms("310") == ()
    assert number_forms("peace") == ()


def test_numbers_normalised_as_the_tokenizer_reads_them() -> None:
    assert normalize_numbers("twelve thousand troops") == "12000 troops"
    assert normalize_numbers("12 000 troops") == "12000 troops"
    assert normalize_numbers("12k troops") == "12000 troops"
    assert normalize_numbers("three hundred and ten dead") == "310 dead"
    assert normalize_numbers("two coups") == "two coups"  # single words stay: forms match them
    assert normalize_numbers("1.5 million people") == "1.5 million people"
    assert normalize_numbers("In 2013 and 2021") == "In 2013 and 2021"


def test_phrasal_verbs_mean_their_phrase() -> None:
    assert phrasal_meanings(["When", "was", "it", "set", "up"]) == {
        3: ("establish", "create", "form", "launch")
    }
    assert phrasal_meanings(["pulled", "troops", "out"])[0][0] == "withdraw"
    assert phrasal_meanings(["set", "a", "deadline"]) == {}


def test_related_groups_are_single_words() -> None:
    assert all(" " not in w and w == w.lower() for group in RELATED for w in group)


def test_plural_nationalities_and_idioms() -> None:
    from bot.lexicon import demonym_forms, plain_idioms

    assert "russia" in demonym_forms("Russians")
    assert demonym_forms("peacekeepers") == ()
    assert plain_idioms("How many blue helmets died?") == "How many peacekeepers died?"
    assert plain_idioms("What was the death toll?") == "What was the deaths?"
