"""Whose fact a sentence states: a verdict about "he" or "she" needs that person as its subject.

"Did she win the title?" is not answered by "Her rival Elena Ruiz won the title", "Police
arrested his driver" or "He lost to Ann Fry, who won easily": the clause holding the asked
words must name the person (the same pronoun, or a name the conversation is about) or name
nobody else.
"""

from __future__ import annotations

from collections.abc import Sequence

from lemminflect import getAllLemmas

from bot.core.questions import Terms
from bot.core.verdict_clauses import Placed

# The asked person: "Did *she* win?", "Was *he* arrested?".
_PERSONS = frozenset("he she".split())
# Someone else's: "his partner", "her student".
_POSSESSIVES = frozenset("his her their".split())
# A relative clause ("..., who won easily") takes its subject from the words before it.
_RELATIVES = frozenset("who whom whose which".split())
_ANTECEDENT = 3  # words before "who" read as whom it stands for
# An active question's auxiliary: "Did Bieber post?" has Bieber do it ("Was Bieber arrested?"
# and "Has he been seen?" have it done to him).
_ACTIVE_AUXILIARIES = frozenset("do does did has have had".split())
_COMMON_CAPITALS = frozenset(
    "the a an in on at by for of to and but as it this that i you we he she they".split()
)


def asked_person(question_words: Sequence[str]) -> str | None:
    """The pronoun a yes/no question asks about ("Did she win?" -> "she"), if any."""
    if len(question_words) > 1 and question_words[1] in _PERSONS:
        return question_words[1]
    return None


def _bare(token: str) -> str:
    """A token lower-cased without its clitic ("He's" -> "he", "Bieber's" -> "bieber")."""
    return token.lower().replace("’", "'").split("'")[0]


def _is_name(tokens: Sequence[str], i: int) -> bool:
    token = tokens[i]
    if not token[:1].isupper() or _bare(token) in _COMMON_CAPITALS:
        return False
    # A capital opening the sentence is a name only if it is no dictionary word ("Police").
    return i > 0 or not getAllLemmas(_bare(token))


def another_subject(
    question_words: Sequence[str], placed: Placed, referents: Sequence[str]
) -> bool:
    """True where the asked person is not who the clause holding the asked words is about."""
    person = asked_person(question_words)
    if person is None:
        return False
    tokens = placed.tokens
    begin, first, last = placed.clause[0], placed.nearest[0], placed.nearest[1]
    lead = list(range(begin, first))
    if begin > 0 and tokens[begin - 1].lower() in _RELATIVES:
        lead = list(range(max(0, begin - 1 - _ANTECEDENT), begin - 1))
    known = {_bare(w) for name in referents for w in name.split()}
    if any(_bare(tokens[i]) == person or _bare(tokens[i]) in known for i in lead):
        return False
    after = [last + 1] if last + 1 < len(tokens) else []
    if any(tokens[i].lower() in _POSSESSIVES for i in [*lead, *after]):
        return True
    # Whom "he" means is known only from the conversation: without it, any name may be his.
    return bool(known) and any(_is_name(tokens, i) for i in lead)


def named_subject_after(question: str, placed: Placed, terms: Terms) -> bool:
    """True where the name an active question asks about stands only after the asked words.

    "Did Bieber post about it?" is not answered by "Yousafzai, who has not posted any tweets
    about her time with Bieber": there Bieber is what the clause speaks of, not who did it.
    """
    raw = question.split()
    if len(raw) < 3 or raw[0].lower() not in _ACTIVE_AUXILIARIES or "been" in question.lower():
        return False
    names = []
    for word in raw[1:]:
        if not word[:1].isupper():
            break
        names.append(word)
    subject = frozenset(t for name in names for t in terms(name))
    if not subject:
        return False
    first, last = placed.nearest
    at = [i for i in range(first, last + 1) if subject & frozenset(terms(placed.tokens[i]))]
    others = [i for i in placed.asked_at if first <= i <= last and i not in at]
    if not at or not others or min(at) < max(others):
        return False
    # "The final was won *by* Ruiz": a passive names its doer after the verb.
    return min(at) == 0 or placed.tokens[min(at) - 1].lower() != "by"
