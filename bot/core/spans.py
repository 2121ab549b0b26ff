"""The short answer: the span of the cited sentence that gives what the question asks for.

A question's wording says what sort of phrase answers it (a person for "who", a place for
"where", a time for "when", a number for "how many", a reason for "why", a manner for "how
did", a verb phrase for "what did X do", a thing for "what" and "which"). The span is chosen
among the sentence's phrases of that sort that do not repeat the question, nearest the
question's own words in the sentence (an answer stands next to what the question says about
it). When no phrase is convincing there is no span: a wrong highlight is worse than none.

Offers ``choose_span`` (the chooser), ``Target`` and ``target_of`` (what sort of phrase a
question asks for). The candidates of each sort come from ``span_names`` (person, place),
``span_measures`` (time, number, reason, manner) and ``span_things`` (thing, action, quote,
description, with the positional clues of ``span_positions``), on the shared reading of
``span_anchors``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from enum import StrEnum

from bot.core.lexicon import irregular_forms
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases
from bot.core.questions import Terms, strip_filler, words_of
from bot.core.span_anchors import (
    AUX,
    TOKEN,
    WH_WORDS,
    Reading,
    Span,
    distance,
    find_anchors,
    passive_doer,
    previous_word,
    verb_lemmas,
)
from bot.core.span_doubts import stray_thing
from bot.core.span_measures import manner_adverbs, manner_candidates, typed_candidates
from bot.core.span_names import person_candidates, place_candidates
from bot.core.span_positions import copula_side, person_slot, ranked_first
from bot.core.span_referent import referent_names
from bot.core.span_things import describe, description_candidates, thing_candidates

__all__ = ["Span", "Target", "choose_span", "target_of"]


class Target(StrEnum):
    """What sort of phrase answers a question."""

    PERSON = "person"
    PLACE = "place"
    TIME = "time"
    NUMBER = "number"
    REASON = "reason"
    MANNER = "manner"
    ACTION = "action"
    THING = "thing"
    DESCRIPTION = "description"  # "What is MINUSMA?", "Who is X?": what the name stands for


_BY_KIND = {
    QuestionKind.PERSON: Target.PERSON,
    QuestionKind.PLACE: Target.PLACE,
    QuestionKind.DATE: Target.TIME,
    QuestionKind.COUNT: Target.NUMBER,
    QuestionKind.REASON: Target.REASON,
}
_FAR_CHARS = 56  # about eight words: a phrase farther from every question word is a guess
_NAMING = frozenset({"called", "named", "known", "mean", "means", "meant"})
_PERSONAL = frozenset("he she they him her his hers them their theirs it its".split())


def target_of(question: str, kind: QuestionKind) -> Target | None:
    """What sort of phrase answers the question (None for yes/no and small talk)."""
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    if kind in (QuestionKind.YESNO, QuestionKind.SMALLTALK):
        return None
    words = words_of(strip_filler(question))
    named = any(w[:1].isupper() for w in strip_filler(question).split()[1:])
    if asks_name_of_referent(question):
        return Target.PERSON
    if kind is QuestionKind.DEFINITION and named:
        return Target.DESCRIPTION
    if not words:
        return Target.THING
    if words[0] in {"who", "whom", "whose"}:
        return Target.PERSON
    if any(a == "how" and b in {"many", "much"} for a, b in itertools.pairwise(words)):
        return Target.NUMBER  # "..., which was how many days before?"
    if words[0] == "how" and len(words) > 1 and words[1] in AUX:
        return Target.MANNER
    if words[0] in {"what", "which"} and words[-1] in {"do", "doing", "done"}:
        return Target.ACTION
    return Target.THING


def choose_span(
    question: str,
    kind: QuestionKind,
    sentence: str,
    question_terms: frozenset[str],
    terms: Terms,
    type_word: str | None = None,
    referents: Sequence[str] = (),
    anchor_terms: frozenset[str] = frozenset(),
) -> Span | None:
    """The phrase of ``sentence`` that answers the question, or None when none is convincing.

    ``referents`` are who or what the conversation is about, most likely first: a pronoun in
    the question ("Who was *she* with?") stands for the first, so it is not the answer.
    ``anchor_terms`` are further terms that count as the question's words where they stand in
    the sentence (its synonyms: "admit" found as "acknowledged").
    """
    span = _choose(
        question, kind, sentence, question_terms, terms, type_word, referents, anchor_terms
    )
    if span is None:
        return None
    target = target_of(question, kind)
    if target not in (Target.TIME, Target.NUMBER) and _only_time(span.text, terms):
        # "What did the mayor need to do?" - "on 4 May 1902": a time answers only "when".
        return None
    bare = _BARE_PREPOSITION.match(strip_filler(question).strip())
    if bare is not None and not re.search(rf"\b{bare.group('word')}\b", sentence, re.I):
        # "Near what?" is answered by what the sentence puts after "near"; without it, nothing.
        return None
    span = _without_stranded_preposition(question, span)
    if target in (Target.THING, Target.ACTION) and bare is None and _LOCATIVE.match(span.text):
        # "What hit the car?" - "near the old mill": a place answers "where", not "what";
        # but "was hit *by* a falling branch" names the doer.
        return _agent(sentence, span)
    if (
        target in (Target.THING, Target.ACTION)
        and span.text[:3].lower() == "by "
        and passive_doer(sentence, span.start + 3) is None
    ):
        # "What damaged the mill?" - "by 1900 and abandoned soon after": a time, amount or
        # place after "by" answers "when", "how much" or "where", and names no doer.
        return None
    if target is Target.THING and stray_thing(
        span, find_anchors(sentence, question_terms | anchor_terms, terms)
    ):
        # A short phrase far from every word of the question names something else the
        # sentence mentions: a wrong highlight misleads, the sentence alone does not.
        return None
    return span


def _agent(sentence: str, span: Span) -> Span | None:
    """The doer a passive names after "by" ("was carried *by the river*"), without "by"."""
    first, _, rest = span.text.partition(" ")
    before = previous_word(sentence, span.start).split()
    if first.lower() != "by" or not before or not rest:
        return None
    verb = before[-1].lower()
    if not (verb.endswith(("ed", "en")) or (verb_lemmas(verb) - {verb})):
        return None  # "by the door": where, not who did it
    doer = passive_doer(sentence, span.end - len(rest))
    return None if doer is None else Span(doer.text, doer.start, doer.end)


def _choose(
    question: str,
    kind: QuestionKind,
    sentence: str,
    question_terms: frozenset[str],
    terms: Terms,
    type_word: str | None,
    referents: Sequence[str],
    anchor_terms: frozenset[str],
) -> Span | None:
    """``choose_span`` before the question's own preposition is taken off its span."""
    choice = _chosen_option(question, sentence)
    if choice is not None:
        return choice
    target = target_of(question, kind)
    if target is None:
        return None
    if target in (Target.THING, Target.ACTION) and _denied(question, sentence, terms):
        # "What did Miro post?" - "who has never posted pictures ...": a sentence saying
        # the thing was not done does not say what was done.
        return None
    words = words_of(question)
    naming = asks_name_of_referent(question)
    # An irregular verb stands where the question has another of its forms ("hold" - "held"):
    # the lexicon's irregular forms, which need no dictionary loaded (a first question stays fast).
    forms = {f for w in words if w not in AUX for f in irregular_forms(w)}
    anchor_terms = anchor_terms | frozenset(t for f in forms for t in terms(f))
    anchors = find_anchors(sentence, question_terms | anchor_terms, terms)
    if referents and _PERSONAL & set(words) and not naming:
        question_terms = question_terms | frozenset(terms(referents[0]))
    reading = Reading(question, kind, sentence, question_terms, terms, type_word, anchors)
    ranked, ahead = ranked_first(reading)
    if ranked:
        # "Which is the deadliest?" - "A is the second deadliest, after B": B, never A.
        return ahead
    if target is Target.PERSON and _asks_who_someone_is(question):
        # "Who is she?" asks what the person already spoken of is, never for another name:
        # what the sentence says of that person, or nothing.
        return describe(f"Who is {referents[0]}?", sentence) if referents else None
    if target in (Target.THING, Target.DESCRIPTION) and words[-1:] == ["like"]:
        # "What is the road like?" asks what the sentence says it is: "the road remains
        # *closed*".
        state = copula_side(reading, linking=True)
        if state is not None:
            return state
    found = _CANDIDATES[target](reading)
    if target is Target.MANNER and not found:
        # "How did the elders respond?" - "opened the doors": no "by" or "through", but the
        # words next to the question's, as for "what".
        found = thing_candidates(reading) or manner_adverbs(reading)
    if (
        found is None
        and target is Target.DESCRIPTION
        and words_of(strip_filler(question))[:1] == ["who"]
    ):
        # "Who is the Brazilian Trade Minister?" reads as a definition but, unless the
        # sentence describes the name, asks for a person.
        found = person_candidates(reading)
    if found is None and target is Target.DESCRIPTION and _NAMING & set(words):
        # "What is the turn of the road called?" asks for a name, "What does X mean?" for a
        # meaning: without a description, the name or words the sentence gives for it; the
        # words that merely stand next to the question's rarely say it.
        found = thing_candidates(reading, stretch=False)
    if target is Target.PERSON and isinstance(found, list) and all(p.weak for p in found):
        # No name: "awards the contract to whom?" - "to the lowest bidder", a person named
        # by a noun where the question has its "who".
        found = person_slot(reading) or found
    if naming and isinstance(found, list):
        # "What's her name?": hers, never her daughter's; nothing when it may be several.
        found = referent_names(question, sentence, found, referents)
    if isinstance(found, Span) or found is None:
        return found
    if not found:
        return None
    # Near the question's words first; among names about as near, the fuller one (a list of
    # names rather than one of its parts). Numbers and dates: simply the nearest.
    fuller = target in (Target.PERSON, Target.PLACE, Target.THING)
    bucket = 20 if fuller else 1
    best = min(
        found,
        key=lambda p: (p.weak, distance(p, anchors) // bucket, -len(p.text) if fuller else 0),
    )
    # A date far from the question's words is still the answer when it is the only one the
    # sentence gives ("In 1871, ... long clause ..., the mill was rebuilt"); a clause that
    # says when is not: far off, it tells when something else happened.
    alone = (
        target is Target.TIME
        and sum(not p.weak for p in found) == 1
        and _only_time(best.text, terms)
    )
    if best.weak or (anchors and distance(best, anchors) > _FAR_CHARS and not alone):
        return None
    return Span(best.text, best.start, best.end)


_CANDIDATES: dict[Target, Callable[[Reading], list[Phrase] | Span | None]] = {
    Target.PERSON: person_candidates,
    Target.PLACE: place_candidates,
    Target.TIME: typed_candidates,
    Target.NUMBER: typed_candidates,
    Target.REASON: typed_candidates,
    Target.MANNER: manner_candidates,
    Target.DESCRIPTION: description_candidates,
    Target.ACTION: thing_candidates,
    Target.THING: thing_candidates,
}


# "What is her name?" asks the name of whoever "her" stands for: a person's name, and the
# person the conversation is about may well be the answer rather than someone to leave out.
_NAME_OF_REFERENT = re.compile(
    r"\bwhat(?:'s|\s+is|\s+was)\s+(?:his|her|their)\s+(?:(?:full|first|last)\s+)?names?\W*$"
)


def asks_name_of_referent(question: str) -> bool:
    """True for "What's her name?", "..., what was his name?": a person's name is asked."""
    return _NAME_OF_REFERENT.search(" ".join(words_of(question))) is not None


_WHO_IS_KNOWN = re.compile(
    r"^who\s+(?:is|was|are|were)\s+(?:he|she|they|it|that|this|him|her|them)(?:\s+now)?\s*\??$",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset(
    """about against among as at by for from in into of on onto over through to toward towards
    under upon with within without""".split()
)


# "Near what?", "Along with whom?": a preposition and a question word, nothing else.
_BARE_PREPOSITION = re.compile(
    r"^(?:and\s+)?(?P<word>along\s+with|[a-z]+)\s+(?:what|whom|who|which)\W*$", re.IGNORECASE
)
# A phrase that only says where: "near the old mill", "outside the town hall".
_LOCATIVE = re.compile(
    r"^(?:near|at|in|inside|outside|around|behind|beside|beneath|below|above|across|along|"
    r"alongside|by|next\s+to|opposite|throughout|within)\s+(?:the|a|an|his|her|their|its)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
_DO = frozenset("did does do has have had will would could can".split())


def _denied(question: str, sentence: str, terms: Terms) -> bool:
    """True when the verb a "What did X <verb>?" question ends on is negated in the sentence."""
    words = words_of(strip_filler(question))
    if len(words) < 3 or words[1] not in _DO or {"not", "never"} & set(words):
        return False
    verb = set(terms(words[-1]))
    return bool(verb) and any(
        verb & set(terms(m.group(0))) and _NEGATED.search(sentence[: m.start()])
        for m in TOKEN.finditer(sentence)
    )


def _only_time(text: str, terms: Terms) -> bool:
    """True when a phrase says nothing but a time ("in March 1987", "Sunday")."""
    times = find_phrases(QuestionKind.DATE, text, set(), terms)
    rest = text
    for time in sorted(times, key=lambda p: -p.start):
        rest = rest[: time.start] + " " + rest[time.end :]
    return bool(times) and not list(terms(rest))


def _asks_who_someone_is(question: str) -> bool:
    """True for "Who is she?", "Who was that?": the person is known, their role is asked."""
    return _WHO_IS_KNOWN.match(strip_filler(question).strip()) is not None


def _without_stranded_preposition(question: str, span: Span) -> Span:
    """A span without the preposition the question ends on: "What was she charged *with*?" is
    answered by what follows "with" in the sentence, not by "with" again."""
    words = words_of(question)
    first, _, rest = span.text.partition(" ")
    if not words or words[-1] not in _PREPOSITIONS or first.lower() != words[-1] or not rest:
        return span
    start = span.end - len(rest.lstrip())
    return Span(span.text[start - span.start :], start, span.end)


_OPTIONS = re.compile(
    r"(?:^|,|\b(?:is|was|are|were|it|he|she|they|the)\s)\s*(?P<first>[^,?]{1,40}?),?\s+or\s+"
    r"(?P<second>[^,?]{1,40}?)\s*\??$",
    re.IGNORECASE,
)


def _offers_choice(question: str) -> bool:
    """True when an "or" in the question offers the answers to choose from.

    "Is she a dreamer or a planner?", "Who sent it, the governor or the council?" and "Which
    is older, A or B?" do; "What issues keep men from the farm or school?" asks for a
    thing, and its "or" is part of what it says (a wh-word with a noun or a verb of its own
    asks for something else than the options).
    """
    words = words_of(question)
    at = next((i for i, w in enumerate(words) if w in WH_WORDS), None)
    if at is None or words[at] in {"who", "whom"}:
        return True
    return words[at] == "which" and at + 1 < len(words) and words[at + 1] in AUX


def _chosen_option(question: str, sentence: str) -> Span | None:
    """For "Was it X or Y?": the one option the sentence says, as it says it."""
    match = _OPTIONS.search(question.strip())
    if match is None or not _offers_choice(question):
        return None
    found = []
    for option in (match.group("first"), match.group("second")):
        bare = re.sub(r"^(?:the|a|an)\s+(?:the\s+)?", "", option.strip(), flags=re.IGNORECASE)
        if not bare:
            continue
        at = re.search(rf"\b{re.escape(bare)}\b", sentence, re.IGNORECASE)
        if at is not None:
            found.append(Span(at.group(0), at.start(), at.end()))
    return found[0] if len(found) == 1 else None
