"""Places that own a name ("*Russia's* foreign minister") or a party's state ("Sen. Ada
Reyes, R-*Ohio*"): kept as the answer to "Which country / state?" only when surely the asked one's.

Offers ``Owner`` (such a place, as ``span_names`` finds it) and ``owners_kept``.
"""

from __future__ import annotations

import re

from bot.core.entities import is_place_of_type, is_title
from bot.core.phrases import Phrase
from bot.core.questions import strip_filler
from bot.core.span_anchors import Reading


class Owner(Phrase):
    """A place found as the owner of a name ("Russia's minister") or a party's state ("R-Ohio")."""


# The name a party tag follows: "Sen. Ada Reyes, *R-Ohio*".
_TAGGED_NAME = re.compile(r"(?P<name>\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*),\s*$")
_PARTY_TAG = re.compile(r"\b[A-Z]-[A-Z]")
_POSSESSIVE = re.compile(r"['’]s\s")


def owners_kept(r: Reading, found: list[Phrase], place_word: str) -> list[Phrase]:
    """The places found, with an owner kept only when it is surely the asked one's.

    A party's state only right after the name the question asks about (or, when it names
    no one, after the sentence's first name, the one tag it has); a place owning a thing only
    when that thing is the question's, mentioned there first ("Brazil's *stadium*" says
    nothing of who won); and no owner at all beside another place of the asked sort.
    """
    owners = [p for p in found if isinstance(p, Owner) or _POSSESSIVE.match(r.sentence, p.end)]
    if not owners:
        return found
    of_type = sum(1 for p in found if is_place_of_type(p.text, place_word))
    named = any(
        w[:1].isupper() and w.lower().strip("?") != place_word
        for w in strip_filler(r.question).split()[1:]
    )
    tags = len(_PARTY_TAG.findall(r.sentence))
    own = r.question_terms - set(r.terms(place_word))
    first: dict[str, int] = {}  # where each word of the question is first mentioned
    dropped = set()
    for owner in owners:
        if re.fullmatch(r"[A-Z]-", r.sentence[owner.start - 2 : owner.start]):
            if not _tag_holds(r, owner.start - 2, named, tags):
                dropped.add(id(owner))
            continue
        if of_type > 1:
            dropped.add(id(owner))
            continue
        if not own:
            continue  # "For which country?" after an answer: the owner is all there is
        owned = r.sentence[owner.end : owner.end + 80].split()[1:4]  # "fishing minister Jon"
        hit = next((w for w in owned if set(r.terms(w)) & own), None)
        if hit is None:
            dropped.add(id(owner))
            continue
        if hit.lower() not in first:
            at = re.search(rf"\b{re.escape(hit)}\b", r.sentence, re.I)
            first[hit.lower()] = at.start() if at else len(r.sentence)
        if first[hit.lower()] < owner.start:
            dropped.add(id(owner))  # "The minister met Poland's minister": the first one is asked
    return [p for p in found if id(p) not in dropped]


def _tag_holds(r: Reading, tag: int, named: bool, tags: int) -> bool:
    """True when the party tag at ``tag`` follows the asked person's name (``tags``: how many
    tags the sentence has)."""
    if not named and tags != 1:
        return False  # no one named and several tags: whose is asked is not said
    window = max(0, tag - _NAME_CHARS)
    name = _TAGGED_NAME.search(r.sentence, window, tag)
    if name is None:
        return False
    if named:
        return bool(set(r.terms(name.group("name"))) & r.question_terms)
    # No one named: the tag of the sentence's first name (past its opening word).
    before = [w for w in r.sentence[: name.start()].split()[1:] if not is_title(w)]
    return not any(w[:1].isupper() for w in before)


_NAME_CHARS = 80  # how far back a tagged name may start: a few words
