"""Yes or No for a yes/no question, only where the cited sentence states it plainly.

The sentence states the asked fact when it holds every content word of the question (as
itself, another form or a close synonym) and no negation; it states the opposite when it
holds them all and a negation stands among them ("did not", "never", "no longer"). A word
counts as its dictionary form ("children", "a child") and as two words written apart ("au pair");
the question's framing ("at the time", "might have been", "seem like") is not asked of it. A
negative question ("Didn't he ...?") asks the same fact, answered the same way. Anything
less than that, or a hedged statement ("would have", "may"), is no verdict: never a guess.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from lemminflect import getAllLemmas

from bot.core.lexicon import DEMONYMS
from bot.core.questions import Terms, words_of

Verdict = Literal["yes", "no"]

_NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor cannot without n't""".split()
)
_TOKEN = re.compile(r"[\w'’]+|[.!?;:]")
# Marks that end a statement: a colon too ("It is not the first: they ...").
_STOPS = frozenset(".!?;:")
# "No. 1", "No.1": the number sign, neither a negation nor a full stop.
_NUMBER_SIGN = re.compile(r"\bNo\.\s?(?=\d)")
# "Is it X or Y?" asks which, not whether: no verdict.
_ALTERNATIVE = re.compile(r"\bor\b(?!\s+not\b)", re.IGNORECASE)
_NEAR = 6  # words from a question word within which a negation is read as denying it
_RELATIVES = frozenset("that which who whom whose".split())
# Words that leave a statement open ("would have agreed", "may have"): not a plain statement.
_HEDGES = frozenset("would could might may should if unless whether".split())
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
# Verbs by which a sentence reports what someone said: there "would be" is the future as told
# ("changes would be forthcoming, he said"), a plain statement, not a hedge.
_REPORTING = frozenset("said says told tells announced according".split())
# Question words asking about what was to come.
_FUTURE = frozenset("will shall going forthcoming upcoming future soon".split())

# Words that turn or open the statement they stand in ("refused to pay", "denied that he
# committed", "nearly sank", "is believed to cure", "rumours that ... were false"): where one
# stands in the asked words' clause and is not itself asked, the fact is not plainly stated.
_REVERSERS = frozenset(
    """refuse fail decline deny waive reject avoid stop abandon threaten bar veto withdraw drop
    clear attempt try nearly almost allegedly probably possibly reportedly supposedly perhaps
    likely unlikely expect hope fear claim accuse suspect believe appear seem doubt rumour rumor
    false verge""".split()
)
# Words that open another clause: what stands beyond one belongs to another statement.
_CLAUSE_OPENERS = frozenset(
    """when whenever since after before because while whereas although though unless until but
    yet who whom whose which where""".split()
)

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


def _negated(word: str) -> bool:
    lowered = word.lower().replace("’", "'")
    return lowered in _NEGATIONS or lowered.endswith("n't")


@functools.lru_cache(maxsize=8192)
def _lemmas(word: str) -> tuple[str, ...]:
    """The dictionary form of a word ("children" -> "child", "flown" -> "fly"), if it has one.

    Only a word with a single dictionary form across word classes: "lay" may be "lie" or "lay",
    "found" "find" or "found", "leaves" "leave" or "leaf", each a different word.
    """
    found = {lemma for forms in getAllLemmas(word.lower()).values() for lemma in forms}
    return tuple(found) if len(found) == 1 else ()


def _all_lemmas(word: str) -> frozenset[str]:
    """The word and every dictionary form it may have, of any word class."""
    lowered = word.lower()
    return frozenset(lemma for forms in getAllLemmas(lowered).values() for lemma in forms) | {
        lowered
    }


def _clause(tokens: Sequence[str], first: int, last: int) -> tuple[int, int]:
    """Where the clause holding tokens ``first`` to ``last`` begins and ends."""

    def inside(i: int) -> bool:
        return tokens[i] not in _STOPS and tokens[i].lower() not in _CLAUSE_OPENERS

    begin, end = first, last + 1
    while begin > 0 and inside(begin - 1):
        begin -= 1
    while end < len(tokens) and inside(end):
        end += 1
    return begin, end


def _tightest(found: Sequence[Sequence[int]]) -> tuple[int, int]:
    """The shortest stretch of tokens holding one place from each list (each sorted, not empty)."""
    spans = []
    for start in sorted({i for places in found for i in places}):
        ends = [next((i for i in places if i >= start), None) for places in found]
        if None not in ends:
            spans.append((max(e for e in ends if e is not None) - start, start))
    width, start = min(spans)
    return start, start + width


def _reversed(
    question: str, tokens: Sequence[str], clause: tuple[int, int], asked_at: set[int]
) -> bool:
    """True where a reversing or hedging word the question does not ask stands in the clause."""
    asked = frozenset().union(*(_all_lemmas(w) for w in words_of(question)))
    return any(
        i not in asked_at
        and _all_lemmas(tokens[i]) & _REVERSERS
        and not _all_lemmas(tokens[i]) & asked
        for i in range(*clause)
    )


def _word_terms(word: str, terms: Terms) -> frozenset[str]:
    """The index terms of a word and of its dictionary forms, which the stemmer keeps apart."""
    return frozenset(terms(word)).union(*(terms(lemma) for lemma in _lemmas(word)))


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


def _framed_terms(question: str, terms: Terms) -> frozenset[str]:
    """The index terms of the question's framing words (see ``_FRAMES``)."""
    framed = [m.group() for m in _FRAMES.finditer(question)]
    framed += [m.group(1) for m in _POINTED.finditer(question)]
    return frozenset(t for phrase in framed for t in terms(phrase))


def _reported_future(question: str, tokens: Sequence[str], at: int) -> bool:
    """True for "would be" in reported speech answering a question about the future.

    "Changes would be forthcoming, he said" tells the future; "the firm would be bankrupt by
    now, he said" is a hypothetical, and only a question about what was to come tells them apart.
    """
    following = tokens[at + 1].lower() if at + 1 < len(tokens) else ""
    return (
        following == "be"
        and not _FUTURE.isdisjoint(words_of(question))
        and any(t.lower() in _REPORTING for t in tokens)
    )


def _other_owner(
    question: str, tokens: Sequence[str], token_terms: Sequence[frozenset[str]], terms: Terms
) -> bool:
    """True where the question asks about "their" thing and the sentence only says "his" one."""
    words = words_of(question)
    for owner, word in itertools.pairwise(words):
        asked = frozenset(terms(word))
        if owner not in _OWNERS or not asked:
            continue
        said = [i for i, held in enumerate(token_terms) if held & asked]
        owners = {tokens[i - 1].lower() if i > 0 else "" for i in said}
        if said and owners <= _OWNERS - {owner}:
            return True
    return False


def is_alternative(question: str) -> bool:
    """True for a choice between options ("Was it normal or shocking?")."""
    return _ALTERNATIVE.search(question) is not None


def decide(
    question: str,
    sentence: str,
    slots: Sequence[Iterable[str]],
    terms: Terms,
) -> Verdict | None:
    """Yes or no where the sentence plainly states the asked fact or its negation, else None.

    ``slots`` are the question's content words, each as the index terms that count as it
    (its forms and synonyms); the question's own words, not those a follow-up borrowed.
    """
    vague = {t for w in _VAGUE for t in terms(w)}
    framed = _framed_terms(question, terms)
    asked = [frozenset(s) for s in slots if s and not set(s) <= vague]
    wanted = [s for s in asked if not s <= framed]
    # With its framing set aside, a question left with one word ("Might they have been *racing*
    # at the time?") is answered No where the sentence denies that word, but a Yes would take
    # any mention of it for the framed fact: no verdict then.
    thin = len(wanted) < min(2, len(asked))
    # A word counts as its dictionary forms too: "children" is asked, "a child" is said.
    for word in words_of(question):
        own = frozenset(terms(word))
        wanted = [s | _word_terms(word, terms) if own and own <= s else s for s in wanted]
    if not wanted or is_alternative(question):
        return None
    tokens = _TOKEN.findall(_NUMBER_SIGN.sub("number ", sentence))
    lowered = {t.lower() for t in tokens}
    for word in words_of(question):
        if _negated(word) or word in _FUNCTION or word in _VAGUE:
            continue
        if not terms(word) and word not in lowered:
            return None  # a stop word that carries meaning ("own") the sentence does not say
    # A word written apart counts as the word written together ("au pair" for "aupair").
    token_terms = [
        _word_terms(t, terms).union(terms(t + tokens[i + 1]) if i + 1 < len(tokens) else ())
        for i, t in enumerate(tokens)
    ]
    if _OWNED_COUNTRY.search(question):
        token_terms = _with_country(tokens, token_terms, wanted, terms)
    if _other_owner(question, tokens, token_terms, terms):
        return None
    found = [[i for i, held in enumerate(token_terms) if held & slot] for slot in wanted]
    if not all(found):
        return None
    positions = [i for places in found for i in places]
    first, last = min(positions), max(positions)
    nearest = _tightest(found)
    clause = _clause(tokens, *nearest)
    if _reversed(question, tokens, clause, set(positions)):
        return None
    # A negation counts only within the statement itself: "No. But he does say ..." answers
    # something else before the full stop.
    begin = max(0, first - _NEAR)
    end = last + _NEAR + 1
    stops_before = [i for i in range(begin, first) if tokens[i] in _STOPS]
    stops_after = [i for i in range(last, min(end, len(tokens))) if tokens[i] in _STOPS]
    begin = stops_before[-1] + 1 if stops_before else begin
    end = stops_after[0] if stops_after else end
    window = tokens[begin:end]
    # A hedge leaves the statement open ("the board would have agreed"), unless it stands in a
    # relative clause of its own after the asked words ("... hints that could explain").
    hedged = window
    for i, token in enumerate(tokens[last + 1 : end], start=last + 1):
        if token.lower() in _RELATIVES:
            hedged = tokens[begin:i]
            break
    if any(
        t.lower() in _HEDGES and not _reported_future(question, hedged, i)
        for i, t in enumerate(hedged)
    ):
        return None
    # "Didn't he attend?" asks whether he attended, as "Did he attend?" does: only the
    # sentence's negation decides, and only from before or among the asked words in their own
    # clause; one after them or in another clause ("found the weapon, not the car", "nobody
    # was hurt when the rescue succeeded") denies something else: no verdict then.
    if any(_negated(t) for t in tokens[max(clause[0], nearest[0] - _NEAR) : nearest[1] + 1]):
        return "no"
    if any(_negated(t) for t in [*window, *tokens[slice(*clause)]]):
        return None
    return None if thin else "yes"
