"""Acronyms learned from text: bracketed pairs and initials of capitalised names."""

from __future__ import annotations

from retrieval.acronyms import (
    Acronyms,
    abbreviates,
    bare,
    capitalised_runs,
    initials,
    is_short_form,
)

ARTICLE = (
    "The United Nations mission ended. The UN said so. Mali is suspended from the Economic "
    "Community of West African States (ECOWAS). The mission, MINUSMA (Multidimensional "
    "Integrated Stabilisation Mission), left."
)


def test_initials_with_and_without_joiners() -> None:
    assert initials(["United", "Nations"]) == {"UN"}
    assert "ECOWAS" in initials("Economic Community of West African States".split())
    assert "ECWAS" in initials("Economic Community of West African States".split())
    assert initials(["Mali"]) == set()
    assert initials(["E", "W", "Scripps"]) == set()  # a person's initials


def test_short_forms_are_recognised_and_stripped() -> None:
    assert is_short_form("UN") and is_short_form("U.N.") and is_short_form("NGOs")
    assert not is_short_form("Mali") and not is_short_form("A")
    assert bare("U.N.") == "UN" and bare("NGOs") == "NGO"


def test_loose_abbreviation_for_names_from_another_language() -> None:
    assert abbreviates("MINUSMA", "Multidimensional Integrated Stabilisation Mission".split())
    assert abbreviates("ECOWAS", "Economic Community of West African States".split())
    assert not abbreviates("NATO", ["United", "Nations"])


def test_capitalised_runs_skip_openers_and_stop_at_sentence_ends() -> None:
    runs = list(capitalised_runs("In September the United Nations met. Most States agreed."))
    assert ["United", "Nations"] in runs
    assert all("Most" not in run or run[0] == "Most" for run in runs)


def test_learns_pairs_from_brackets_and_initials() -> None:
    acronyms = Acronyms([ARTICLE])
    assert acronyms.expansions("UN") == ("United Nations",)
    assert acronyms.expansions("u.n.") == ("United Nations",)
    assert acronyms.expansions("ECOWAS") == ("Economic Community of West African States",)
    assert acronyms.expansions("MINUSMA") == ("Multidimensional Integrated Stabilisation Mission",)
    assert acronyms.short_forms(["United", "Nations"]) == ("UN",)
    assert acronyms.expansions("NATO") == ()


def test_initials_need_the_short_form_in_the_same_article() -> None:
    acronyms = Acronyms(["The United Nations met.", "The UN met."])
    assert acronyms.expansions("UN") == ()


def test_names_in_a_question() -> None:
    acronyms = Acronyms([ARTICLE])
    assert acronyms.names_in("Has the United Nations mission ended?") == [
        (["United", "Nations"], ("UN",))
    ]
    assert acronyms.names_in("Where is Timbuktu?") == []


def test_scanning_stops_at_the_budget() -> None:
    acronyms = Acronyms(["x" * 10, ARTICLE], max_chars=5)
    assert len(acronyms) == 0


def test_a_short_form_the_articles_never_write_is_guessed_from_initials() -> None:
    acronyms = Acronyms(["The UN Security Council voted. The Alliance of Sahel States formed."])
    assert acronyms.expansions("UNSC") == ("UN Security Council",)
    assert acronyms.expansions("AoSS") == ("Alliance of Sahel States",)
    many = Acronyms(["Big Blue Cat. Big Brown Cow. Bad Black Crow."])
    assert many.expansions("BBC") == ()  # three names fit: too unsure to guess


def test_the_scan_budget_cuts_inside_one_huge_text() -> None:
    # A single 200 MB article must not be read whole on the first question.
    filler = "Nothing to see here. " * 100
    text = filler + "The World Health Organization (WHO) said so."
    assert Acronyms([text]).expansions("WHO") == ("World Health Organization",)
    assert Acronyms([text], max_chars=len(filler)).expansions("WHO") == ()
