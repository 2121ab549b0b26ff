"""The answer to "What's her name?": the name of whoever the pronoun stands for.

Offers ``referent_names``: of the names a sentence gives, the conversation's referent's, or
the one name that may be hers; nothing when several may be and none is the referent's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.entities import NameKind, name_kind, sex_of_given_name
from bot.core.phrases import Phrase
from bot.core.questions import words_of

# "her daughter Maria", "The boy's mother, Ada Reyes", "a friend of Ada Reyes": a name given
# for someone related to another, so not that other's name.
_RELATION = re.compile(
    r"(?:\b(?:his|her|their|its)\s+\w+|\w+['’]s\s+\w+)\s*,?\s*$|\b\w+\s+of\s+$",
    re.IGNORECASE,
)
_POSSESSOR = re.compile(r"['’]s?\b")
_SEX = {"her": "female", "his": "male"}


def referent_names(
    question: str, sentence: str, found: list[Phrase], referents: Sequence[str]
) -> list[Phrase] | None:
    """The name a "What's her / his / their name?" asks for among ``found``, or None."""
    pronoun = next((w for w in words_of(question) if w in {"his", "her", "their"}), "")
    referent = {w.lower() for w in referents[0].split()} if referents else set()
    people = [
        p
        for p in found
        if not p.weak
        and not _related(sentence[max(0, p.start - 40) : p.start], referent)
        and sex_of_given_name(p.text.split()[0]) in (None, _SEX.get(pronoun))
    ]
    if not referents:
        return people  # no one spoken of yet: the nearest name, as for "who"
    wanted = {w.lower() for w in referents[0].split() if w[:1].isupper()}
    own = [p for p in people if wanted & {w.lower() for w in p.text.split()}]
    if own:
        return own
    # A person's name is asked: not an owner ("*Roshan*'s driver") nor a name the data
    # does not know as a person's ("Press TV"), when a person's name is there.
    people = [p for p in people if not _POSSESSOR.match(sentence, p.end)]
    persons = [p for p in people if name_kind(p.text) is NameKind.PERSON]
    people = persons or people
    return people if len(people) == 1 else None


def _related(before: str, referent: set[str]) -> bool:
    """True when a name follows a relation of someone else's ("her *daughter*", "the boy's
    *mother*" when the boy is spoken of), not the referent's own ("Roshan's *driver*, Reza
    Qashqaei" while Roshan is not the one spoken of)."""
    match = _RELATION.search(before)
    if match is None:
        return False
    words = re.findall(r"\w+", match.group(0).lower())
    if len(words) >= 2 and words[-1] in referent:
        return False  # "her *driver*, Reza ..." when the driver is spoken of
    owner = re.search(r"(\w+)['’]s\s+\w+\s*,?\s*$", before)
    return owner is None or owner.group(1).lower() in referent
