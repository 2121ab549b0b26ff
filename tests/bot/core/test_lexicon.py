"""General word knowledge: demonyms, number words, irregular forms."""

from __future__ import annotations

from bot.core.lexicon import DEMONYMS, Lexicon, demonym_forms, normalize_numbers, number_forms
from retrieval.tokens import Tokenizer


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


def test_irregular_forms_join_what_the_stemmer_cannot() -> None:
    lexicon = Lexicon(Tokenizer().tokenize)
    assert {"lose", "losing"} <= set(lexicon.forms("lost"))
    assert "went" in lexicon.forms("go")
    assert "lost" not in lexicon.forms("lost")  # the word itself is not another form


def test_plural_nationalities() -> None:
    assert "russia" in demonym_forms("Russians")
    assert demonym_forms("peacekeepers") == ()


def test_a_title_counts_as_its_abbreviation_unless_it_is_part_of_a_name() -> None:
    lexicon = Lexicon(Tokenizer().tokenize)
    assert "dr" in lexicon.forms("doctor")
    assert "sen" in lexicon.forms("senator")
    assert "dr" not in lexicon.forms("Doctor")  # "Doctor Marvello": a name, not a title


def test_sentence_terms_are_the_tokenizers_and_remembered() -> None:
    lexicon = Lexicon(Tokenizer().tokenize)
    sentence = "Photographs show two soldiers."
    assert lexicon.sentence_terms(sentence) == frozenset(Tokenizer().tokenize(sentence))
    assert lexicon.sentence_terms(sentence) is lexicon.sentence_terms(sentence)
