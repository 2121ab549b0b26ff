"""How a sentence states the asked words: its tokens, their clause, and what turns them.

A verdict reads the clause holding the asked words: a negation before or among them denies
them; a negation elsewhere, a word that reverses or hedges the clause ("refused to", "nearly",
"would have") leaves the fact unstated.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lemminflect import getAllLemmas

from bot.core.lexicon import SPEECH_VERBS

_TOKEN = re.compile(r"[\w'’]+|[.!?;:]")
# Marks that end a statement: a colon too ("It is not the first: they ...").
_STOPS = frozenset(".!?;:")
# "No. 1", "No.1": the number sign, neither a negation nor a full stop.
_NUMBER_SIGN = re.compile(r"\bNo\.\s?(?=\d)")
_NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor cannot without n't""".split()
)
_NEAR = 6  # words from an asked word within which a negation or hedge is read as its own
_RELATIVES = frozenset("that which who whom whose".split())
# Words that leave a statement open ("would have agreed", "may have"): not a plain statement.
_HEDGES = frozenset("would could might may should if unless whether".split())
_WILL = frozenset("will shall".split())
_JOINERS = frozenset("and or".split())
_VERB_CLASSES = frozenset("VERB AUX".split())
_PARTIAL = frozenset({("all", "but"), ("one", "of")})
# Words that turn or open the statement they stand in ("refused to pay", "denied that he
# committed", "nearly sank", "is believed to cure", "rumours that ... were false"): where one
# stands in the asked words' clause and is not itself asked, the fact is not plainly stated.
_REVERSERS = frozenset(
    """refuse fail decline deny waive reject avoid stop abandon threaten bar veto withdraw drop
    clear attempt try nearly almost allegedly probably possibly reportedly supposedly perhaps
    likely unlikely expect hope fear claim accuse suspect believe appear seem doubt rumour rumor
    false verge due plan rule lose""".split()
)
# Words that open another clause: what stands beyond one belongs to another statement.
_CLAUSE_OPENERS = frozenset(
    """when whenever since after before because while whereas although though unless until but
    who whom whose which where""".split()
)
# A sentence reporting speech: there "would be" may be the future as told ("changes would be
# forthcoming, he said").
_REPORTING = SPEECH_VERBS | {"according"}


def warm() -> None:
    """Load lemminflect's table now (about 0.2 s), not on a chat's first yes/no question."""
    getAllLemmas("warm")


def tokens_of(sentence: str) -> list[str]:
    """The words and stops of a sentence ("No. 1" read as "number 1")."""
    return _TOKEN.findall(_NUMBER_SIGN.sub("number ", sentence))


def negated(word: str) -> bool:
    """True for a negation ("not", "never", "didn't")."""
    lowered = word.lower().replace("’", "'")
    return lowered in _NEGATIONS or lowered.endswith("n't")


@functools.lru_cache(maxsize=8192)
def lemmas(word: str) -> tuple[str, ...]:
    """The dictionary form of a word ("children" -> "child", "flown" -> "fly"), if it has one.

    Only a word with a single dictionary form across word classes: "lay" may be "lie" or "lay",
    "found" "find" or "found", "leaves" "leave" or "leaf", each a different word.
    """
    found = {lemma for forms in getAllLemmas(word.lower()).values() for lemma in forms}
    return tuple(found) if len(found) == 1 else ()


@functools.lru_cache(maxsize=8192)
def all_lemmas(word: str) -> frozenset[str]:
    """The word and every dictionary form it may have, of any word class."""
    lowered = word.lower()
    forms = getAllLemmas(lowered).values()
    return frozenset(lemma for found in forms for lemma in found) | {lowered}


def tightest(found: Sequence[Sequence[int]]) -> tuple[int, int]:
    """The shortest stretch of tokens holding one place from each list (each sorted, not empty)."""
    spans = []
    for start in sorted({i for places in found for i in places}):
        ends = [next((i for i in places if i >= start), None) for places in found]
        if None not in ends:
            spans.append((max(e for e in ends if e is not None) - start, start))
    width, start = min(spans)
    return start, start + width


@dataclass(frozen=True)
class Placed:
    """Where the asked words stand in a sentence's tokens."""

    tokens: Sequence[str]
    asked_at: frozenset[int]  # every place an asked word stands
    nearest: tuple[int, int]  # the tightest stretch holding each asked word once
    clause: tuple[int, int]  # the clause around that stretch
    window: tuple[int, int]  # all the places, widened by _NEAR words, within the statement

    @classmethod
    def of(cls, tokens: Sequence[str], found: Sequence[Sequence[int]]) -> Placed:
        """The places of the asked words, each found at least once."""
        asked_at = frozenset(i for places in found for i in places)
        nearest = tightest(found)
        return cls(tokens, asked_at, nearest, _clause(tokens, *nearest), _window(tokens, asked_at))


def _opens(tokens: Sequence[str], i: int) -> bool:
    """True where token ``i`` ends a clause: a stop, a clause opener, or "and" before a verb.

    "Dunn bought a bicycle and sold his car": what he sold is another statement.
    """
    token = tokens[i].lower()
    if tokens[i] in _STOPS or token in _CLAUSE_OPENERS:
        return True
    following = getAllLemmas(tokens[i + 1].lower()) if i + 1 < len(tokens) else {}
    return token in _JOINERS and bool(following) and set(following) <= _VERB_CLASSES


def _clause(tokens: Sequence[str], first: int, last: int) -> tuple[int, int]:
    def inside(i: int) -> bool:
        return not _opens(tokens, i)

    begin, end = first, last + 1
    while begin > 0 and inside(begin - 1):
        begin -= 1
    while end < len(tokens) and inside(end):
        end += 1
    return begin, end


def _window(tokens: Sequence[str], asked_at: frozenset[int]) -> tuple[int, int]:
    # A negation counts only within the statement itself: "No. But he does say ..." answers
    # something else before the full stop.
    first, last = min(asked_at), max(asked_at)
    begin = max(0, first - _NEAR)
    end = last + _NEAR + 1
    stops_before = [i for i in range(begin, first) if tokens[i] in _STOPS]
    stops_after = [i for i in range(last, min(end, len(tokens))) if tokens[i] in _STOPS]
    begin = stops_before[-1] + 1 if stops_before else begin
    end = stops_after[0] if stops_after else end
    return begin, end


def _core(placed: Placed) -> tuple[int, int]:
    """The tightest stretch of asked words without an asked verb of saying at its ends."""
    first, last = placed.nearest
    said = [
        i
        for i in range(first, last + 1)
        if i in placed.asked_at and placed.tokens[i].lower() not in _REPORTING
    ]
    return (said[0], said[-1]) if said else (first, last)


def told_as_future(placed: Placed) -> bool:
    """True where "will" stands before the asked words in their clause ("the plant will close").

    Not a statement that it happened: no Yes to "Did the plant close?" (a No to "will not
    close" still holds).
    """
    begin, last = placed.clause[0], _core(placed)[1]
    return any(
        placed.tokens[i].lower() in _WILL and not (i > 0 and placed.tokens[i][:1].isupper())
        for i in range(begin, last + 1)
    )


def partial(placed: Placed, question_words: Sequence[str]) -> bool:
    """True where "all but" or "one of" near the asked words says part of what is asked.

    "All but two of the miners survived" is no Yes to "Did all the miners survive?", nor "one
    of only three survivors" to "Was he the only survivor?"; the question may ask it itself.
    """
    begin, end = placed.window
    said = [t.lower() for t in placed.tokens[begin:end]]
    asked = set(itertools.pairwise(question_words))
    return any(pair in _PARTIAL and pair not in asked for pair in itertools.pairwise(said))


def split(placed: Placed) -> bool:
    """True where the asked words stand in different clauses ("which began in 2012, ended").

    An asked verb of saying frames what was said and may stand outside it ("'He suffered,
    but ...,' Ancelotti said" for "Did he say that he suffered?").
    """
    first, last = _core(placed)
    return any(_opens(placed.tokens, i) for i in range(first, last + 1) if i not in placed.asked_at)


def reversed_in(placed: Placed, question_words: Iterable[str]) -> bool:
    """True where a reversing or hedging word the question does not ask stands in the clause."""
    asked = frozenset().union(*(all_lemmas(w) for w in question_words))
    return any(
        i not in placed.asked_at
        and all_lemmas(placed.tokens[i]) & _REVERSERS
        and not all_lemmas(placed.tokens[i]) & asked
        for i in range(*placed.clause)
    )


def hedged(placed: Placed, asks_future: bool) -> bool:
    """True where a hedge leaves the statement open ("the board would have agreed").

    Not in a relative clause of its own after the asked words ("... hints that could
    explain"); nor "would be" in reported speech answering a question about the future.
    A capital inside the sentence is a name ("in May").
    """
    tokens, (begin, end) = placed.tokens, placed.window
    last = max(placed.asked_at)
    stretch = tokens[begin:end]
    for i in range(last + 1, min(end, len(tokens))):
        if tokens[i].lower() in _RELATIVES:
            stretch = tokens[begin:i]
            break
    reported = asks_future and any(t.lower() in _REPORTING for t in stretch)
    return any(
        t.lower() in _HEDGES
        and not (t[:1].isupper() and begin + i > 0)
        and not (reported and i + 1 < len(stretch) and stretch[i + 1].lower() == "be")
        for i, t in enumerate(stretch)
    )


def negation(placed: Placed) -> Literal["denies", "elsewhere"] | None:
    """Whether a negation denies the asked words, stands elsewhere near them, or is absent.

    It denies them only from before them (within _NEAR words) or among them, in their own
    clause; one after them or in another clause ("found the weapon, not the car", "nobody was
    hurt when the rescue succeeded") denies something else.
    """
    tokens, (begin, end), (first, last) = placed.tokens, placed.clause, placed.nearest
    if any(negated(t) for t in tokens[max(begin, first - _NEAR) : last + 1]):
        return "denies"
    if any(negated(t) for t in [*tokens[slice(*placed.window)], *tokens[begin:end]]):
        return "elsewhere"
    return None
