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
_TAGGED_NAME = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*),\s*$")
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
    of_type = [p for p in found if is_place_of_type(p.text, place_word)]
    named = any(
        w[:1].isupper() and w.lower().strip("?") != place_word
        for w in strip_filler(r.question).split()[1:]
    )
    kept = []
    for owner in owners:
        if re.fullmatch(r"[A-Z]-", r.sentence[owner.start - 2 : owner.start]):
            if _tag_holds(r, owner.start - 2, named):
                kept.append(owner)
            continue
        if len(of_type) > 1:
            continue
        owned = r.sentence[owner.end :].split()[1:4]  # past "'s": "fishing minister Jon"
        own = r.question_terms - set(r.terms(place_word))
        if not own:
            kept.append(owner)  # "For which country?" after an answer: the owner is all there is
            continue
        hit = [w for w in owned if set(r.terms(w)) & own]
        if hit and not re.search(rf"\b{re.escape(hit[0])}\b", r.sentence[: owner.start], re.I):
            kept.append(owner)
    return [p for p in found if p not in owners or p in kept]


def _tag_holds(r: Reading, tag: int, named: bool) -> bool:
    """True when the party tag at ``tag`` follows the asked person's name."""
    name = _TAGGED_NAME.search(r.sentence[:tag])
    if name is None:
        return False
    if named:
        return bool(set(r.terms(name.group("name"))) & r.question_terms)
    # No one named: the tag of the sentence's first name (past its opening word), when it
    # has no other tag.
    before = [w for w in r.sentence[: name.start()].split()[1:] if not is_title(w)]
    return len(_PARTY_TAG.findall(r.sentence)) == 1 and not any(w[:1].isupper() for w in before)
