"""Yes or No for a yes/no question, only where the cited sentence states it plainly.

The sentence states the asked fact when it holds every content word of the question (as
itself, another form or a close synonym) in one clause with nothing that turns it; it states
the opposite when a negation stands before or among them in that clause ("did not", "never",
"no longer"). A word counts as its dictionary form ("children", "a child") and as two words
written apart ("au pair"); the question's framing ("at the time", "might have been", "seem
like") is not asked of it. A negative question ("Didn't he ...?") asks the same fact, answered
the same way. Anything less is no verdict: a negation elsewhere, "refused to", "allegedly",
"would have", "will" for a past fact, roles the other way round ("Jones beat Carter" for "Did
Carter beat Jones?"), someone else in the asked person's place ("her rival won"). A wrong
verdict is worse than none. How the sentence's clause is read lives in ``verdict_clauses``,
whose subject it is in ``verdict_subjects``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.lexicon import DEMONYMS
from bot.core.questions import Terms, words_of
from bot.core.verdict_clauses import (
    Placed,
    hedged,
    lemmas,
    negated,
    negation,
    partial,
    reversed_in,
    split,
    tokens_of,
    told_as_future,
)
from bot.core.verdict_subjects import another_subject, named_subject_after

Verdict = Literal["yes", "no"]

# "Is it X or Y?" asks which, not whether: no verdict.
_ALTERNATIVE = re.compile(r"\bor\b(?!\s+not\b)", re.IGNORECASE)
# Vague words a question uses to ask whether there is any ("Did she sell *anything*?"): the
# sentence need not repeat them.
_VAGUE = frozenset(
    """something anything anyone someone anybody somebody everything everyone either ever
    also too really much lot lots well any some thing things feel think believe seem consider
    appear""".split()
)
# Words that frame the asked fact rather than state it: "at the time" (the time the conversation
# is about), "might have been" (the question's own hedge), "seem like" (an impression asked for).
_FRAMES = re.compile(
    r"\b(?:at|by) (?:the|that) (?:time|moment)\b|\b(?:might|could|would|may|should)\b"
    r"|\b(?:seem|seems|seemed|look|looks|looked|feel|feels|felt|sound|sounds|sounded) like\b"
    r"|\bof (?:its|their|his|her) kind\b",
    re.IGNORECASE,
)
# "This incident", "those men": a noun the conversation already talks about, which the sentence
# may call "it" or "they"; the question's other words carry what is asked. Not "that", mostly a
# conjunction ("Did she say that prices rose?").
_POINTED = re.compile(r"\b(?:this|these|those) (\w+)", re.IGNORECASE)
_QUESTION_WORD = re.compile(r"[\w'’]+")
_ALL_REACH = 3  # words from "all" to what it covers ("all of the houses")
_POSSESSIVE = re.compile(r"\w['’]s$|s['’]$", re.IGNORECASE)
_PRONOUNS = frozenset("it they them this these those".split())
# Question words asking about what was to come.
_FUTURE = frozenset("will shall going forthcoming upcoming future soon".split())
# "His country", "their country": the one question a people's name may answer.
_OWNED_COUNTRY = re.compile(r"\b(?:his|her|their|its) country\b", re.IGNORECASE)
# Third-person owners: "their orientation" is not "his orientation" (first and second person
# are left alone: a quote says "my" of whom the question says "his").
_OWNERS = frozenset("his her its their".split())
# Words the index drops as stop words but that carry the asked fact ("own" in "Did they own
# it?"): the sentence must hold them as words.
_FUNCTION = frozenset(
    """i me my we our you your he him his she her it its they them their this that these those
    there here is are was were be been being am do does did done has have had having will would
    shall should can could may might must a an the and or but if of at by for with about to from
    in on off out up down over under again then once so than too very just not no nor any some
    what which who whom whose when where why how all both each few more most other such only
    same as into through during before after above below between own""".split()
) - {"own", "off", "out", "up", "down", "over", "under", "more", "most", "only", "same", "all"}


@dataclass(frozen=True)
class _Asked:
    """What a question asks of a sentence: its words, and the index terms each must match."""

    question: str
    words: list[str]
    wanted: list[frozenset[str]]  # the content words the sentence must hold
    pointed: list[frozenset[str]]  # nouns pointed at ("this storm"), which it may call "it"
    # With its framing set aside, a question left with one word ("Might they have been *racing*
    # at the time?") is answered No where the sentence denies that word, but a Yes would take
    # any mention of it for the framed fact.
    thin: bool


def _asked(question: str, slots: Sequence[Iterable[str]], terms: Terms) -> _Asked:
    words = words_of(question)
    vague = {t for w in _VAGUE for t in terms(w)}
    framed = _framed_terms(question, terms)
    pointers = frozenset(t for m in _POINTED.finditer(question) for t in terms(m.group(1)))
    asked = [frozenset(s) for s in slots if s and not set(s) <= vague]
    wanted = [s for s in asked if not s <= framed | pointers]
    pointed = [s for s in asked if s <= pointers and not s <= framed]
    thin = len(wanted) < min(2, len(asked))
    # A word counts as its dictionary forms too: "children" is asked, "a child" is said.
    for word in words:
        own = frozenset(terms(word))
        wanted = [s | _word_terms(word, terms) if own and own <= s else s for s in wanted]
    return _Asked(question, words, wanted, pointed, thin)


def _word_terms(word: str, terms: Terms) -> frozenset[str]:
    """The index terms of a word and of its dictionary forms, which the stemmer keeps apart."""
    return frozenset(terms(word)).union(*(terms(lemma) for lemma in lemmas(word)))


def _framed_terms(question: str, terms: Terms) -> frozenset[str]:
    """The index terms of the question's framing words (see ``_FRAMES``)."""
    framed = [m.group() for m in _FRAMES.finditer(question)]
    return frozenset(t for phrase in framed for t in terms(phrase))


def _unsaid_function_word(asked: _Asked, tokens: Sequence[str], terms: Terms) -> bool:
    """True where a stop word that carries meaning ("own") is asked and the sentence lacks it."""
    lowered = {t.lower() for t in tokens}
    return any(
        not (negated(word) or word in _FUNCTION or word in _VAGUE)
        and not terms(word)
        and word not in lowered
        for word in asked.words
    )


def _token_terms(tokens: Sequence[str], terms: Terms) -> list[frozenset[str]]:
    """Each token's index terms, its dictionary form's, and those of it written with the next.

    A word written apart counts as the word written together ("au pair" for "aupair").
    """
    return [
        _word_terms(t, terms).union(terms(t + tokens[i + 1]) if i + 1 < len(tokens) else ())
        for i, t in enumerate(tokens)
    ]


def _with_country(
    tokens: Sequence[str],
    token_terms: Sequence[frozenset[str]],
    wanted: Sequence[frozenset[str]],
    terms: Terms,
) -> list[frozenset[str]]:
    """Token terms where a people's name right after an asked word also says "country".

    "The first South African" is the first for his country; "an American athlete boycotted"
    says nothing of what a country did.
    """
    country = frozenset(terms("country")).union(terms("countries"))
    others = [slot for slot in wanted if not slot & country]
    out = list(token_terms)
    for i, token in enumerate(tokens):
        if not (token[:1].isupper() and token.lower() in DEMONYMS):
            continue
        before = i - 1
        while before > 0 and tokens[before][:1].isupper() and before > i - 3:
            before -= 1  # "South" in "the first South African"
        if any(token_terms[before] & slot for slot in others):
            out[i] = out[i] | country
    return out


def _other_owner(
    words: Sequence[str],
    tokens: Sequence[str],
    token_terms: Sequence[frozenset[str]],
    terms: Terms,
) -> bool:
    """True where the question asks about "their" thing and the sentence says another's."""
    for owner, word in itertools.pairwise(words):
        asked = frozenset(terms(word))
        if owner not in _OWNERS or not asked:
            continue
        said = [i for i, held in enumerate(token_terms) if held & asked]
        owners = {tokens[i - 1].lower().replace("’", "'") if i > 0 else "" for i in said}
        # "His brother's car" is not "his car" either.
        others = {o for o in owners if o in _OWNERS - {owner} or o.endswith("'s")}
        if said and owners <= others:
            return True
    return False


def _swapped(
    question: str, tokens: Sequence[str], token_terms: Sequence[frozenset[str]], terms: Terms
) -> bool:
    """True where the sentence gives the question's roles the other way round.

    "Jones beat Carter" does not answer "Did Carter beat Jones?" (two names in the other
    order, no "by" between them), nor "Togo is bigger than Ghana" "Is Ghana bigger than
    Togo?", nor "higher in 2010 than in 2012" "Was it higher in 2012?" (a word on the other
    side of "than").
    """
    raw = _QUESTION_WORD.findall(question)

    def first_at(word: str) -> int | None:
        own = frozenset(terms(word))
        return next((i for i, held in enumerate(token_terms) if own and held & own), None)

    named = [at for w in raw[1:] if w[:1].isupper() and (at := first_at(w)) is not None]
    for a, b in itertools.pairwise(named):
        if b < a and "by" not in {t.lower() for t in tokens[b:a]}:
            return True
    lowered = [w.lower() for w in raw]
    than_q = lowered.index("than") if "than" in lowered else len(raw)
    said = [t.lower() for t in tokens]
    than_s = said.index("than") if "than" in said else len(tokens)
    if than_q == len(raw) and than_s == len(tokens):
        return False
    for k, word in enumerate(raw):
        at = first_at(word)
        if at is not None and lowered[k] not in _FUNCTION and (k > than_q) != (at > than_s):
            return True
    return False


def _all_elsewhere(
    words: Sequence[str], tokens: Sequence[str], token_terms: Sequence[frozenset[str]], terms: Terms
) -> bool:
    """True where the question asks "all (the) X" and the sentence says "all" of something else.

    "All the cars and some houses were destroyed" is no Yes to "Were all the houses destroyed?";
    "all the houses", "the houses all" are.
    """
    if "all" not in words:
        return False
    at = words.index("all") + 1
    while at < len(words) and words[at] in {"the", "of", "their", "its", "his", "her"}:
        at += 1
    own = frozenset(terms(words[at])) if at < len(words) else frozenset()
    if not own:
        return False
    alls = [i for i, t in enumerate(tokens) if t.lower() == "all"]
    held = [i for i, found in enumerate(token_terms) if found & own]
    return not any(-2 <= h - a <= _ALL_REACH for a in alls for h in held)


def is_alternative(question: str) -> bool:
    """True for a choice between options ("Was it normal or shocking?")."""
    return _ALTERNATIVE.search(question) is not None


def _placed(asked: _Asked, sentence: str, terms: Terms) -> Placed | None:
    """Where the sentence holds every asked word in the asked roles, or None."""
    tokens = tokens_of(sentence)
    if _unsaid_function_word(asked, tokens, terms):
        return None
    token_terms = _token_terms(tokens, terms)
    if _OWNED_COUNTRY.search(asked.question):
        token_terms = _with_country(tokens, token_terms, asked.wanted, terms)
    if _other_owner(asked.words, tokens, token_terms, terms):
        return None
    if _swapped(asked.question, tokens, token_terms, terms):
        return None
    if _all_elsewhere(asked.words, tokens, token_terms, terms):
        return None
    # "The mayor's driver was arrested" says nothing of the mayor being arrested: an asked
    # word owning the subject, before the other asked words, counts only where what it owns
    # is asked too ("the channel's content") or the question has it in the possessive.
    asked_at = [any(held & slot for slot in asked.wanted) for held in token_terms]
    plain = [i for i, t in enumerate(tokens) if asked_at[i] and not _POSSESSIVE.search(t)]
    owned = {
        i
        for i, t in enumerate(tokens[: plain[0] if plain else len(tokens)])
        if _POSSESSIVE.search(t) and not (i + 1 < len(tokens) and asked_at[i + 1])
    }
    if not any(_POSSESSIVE.search(w) for w in asked.words):
        token_terms = [frozenset() if i in owned else held for i, held in enumerate(token_terms)]
    found = [[i for i, held in enumerate(token_terms) if held & slot] for slot in asked.wanted]
    if not all(found):
        return None
    pointed = [[i for i, held in enumerate(token_terms) if held & s] for s in asked.pointed]
    placed = Placed.of(tokens, [*found, *(places for places in pointed if places)])
    # A noun pointed at may go unsaid only where the sentence calls it "it" or "they": "nurses
    # went on strike" says nothing of "these workers".
    begin, end = placed.clause
    if not all(pointed) and _PRONOUNS.isdisjoint(t.lower() for t in tokens[begin:end]):
        return None
    return placed


def decide(
    question: str,
    sentence: str,
    slots: Sequence[Iterable[str]],
    terms: Terms,
    referents: Sequence[str] = (),
) -> Verdict | None:
    """Yes or no where the sentence plainly states the asked fact or its negation, else None.

    ``slots`` are the question's content words, each as the index terms that count as it
    (its forms and synonyms); the question's own words, not those a follow-up borrowed.
    ``referents`` are who the conversation is about, most likely first (whom "he" means).
    """
    asked = _asked(question, slots, terms)
    # "Should the council raise taxes?" asks an opinion, which no statement of fact answers.
    if not asked.wanted or is_alternative(question) or asked.words[:1] == ["should"]:
        return None
    placed = _placed(asked, sentence, terms)
    if placed is None or split(placed) or partial(placed, asked.words):
        return None
    if reversed_in(placed, asked.words):
        return None
    if another_subject(asked.words, placed, referents):
        return None
    if named_subject_after(question, placed, terms):
        return None
    asks_future = not _FUTURE.isdisjoint(asked.words)
    if hedged(placed, asks_future):
        return None
    # "Didn't he attend?" asks whether he attended, as "Did he attend?" does: only the
    # sentence's negation decides.
    said = negation(placed)
    if said == "denies":
        return "no"
    if said == "elsewhere" or asked.thin:
        return None
    return None if told_as_future(placed) and not asks_future else "yes"
