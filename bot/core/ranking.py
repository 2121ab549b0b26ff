"""Ranking candidate sentences by evidence: how much of the question's weighted content a
sentence holds, whether it holds a phrase of the expected kind, where it stands in the
conversation. A pure function of the plan, the hits and the ``Evidence`` the index supplied.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.lexicon import NATIONALITIES, Lexicon
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases, has_definition_cue, typed_dates
from bot.core.reading import Plan, Slot
from retrieval.models import Hit

# Scoring weights, fitted by coordinate ascent on SQuAD v1.1 dev (9,804 questions, both halves
# agreeing within a point), never on the MINUSMA questions: see ``rank``.
_BM25_WEIGHT = 0.8
_COVERAGE_WEIGHT = 1.5
_CONTEXT_WEIGHT = 1.5  # question words found only in the sentence before: "It was built in 1902."
_KIND_BONUS = 0.4
# "When?", "Where?", "Who?" after a question: they borrow their topic and ask only for an
# answer of their kind, so that evidence counts double (CoQA-CNN article 0.6262 -> 0.6282,
# as one corpus 0.5421 -> 0.5440, the same from 1.5 to 3; not for "Why?", whose cues are
# weak, e.g. "after ...": the odd half of the stories lost a turn).
_ELLIPTICAL_KIND = 2.0
TYPED_KINDS = frozenset(
    {QuestionKind.DATE, QuestionKind.PLACE, QuestionKind.PERSON, QuestionKind.COUNT}
)
_ADJACENCY_WEIGHT = 0.5
_ADJACENT_WITHIN = 2  # term positions apart that still count as "next to each other"
_INHERITED_WEIGHT = 0.5  # a follow-up's borrowed words matter less than its own
_SYNONYM_CREDIT = 0.8  # a synonym covers a question word, a little less surely than the word
_TYPE_WORD_WEIGHT = 0.3  # "year" in "which year": describes the answer, need not be quoted
# Stems this long, one starting the other, are one word in another form that the stemmer
# does not join ("photo" and "photograph", "child" and "children", "injur" and "injuri"); they
# count as a synonym does. Shorter stems join unrelated words ("port" and "portion").
_RELATED_PREFIX = 5
# Conversation priors (see ``conversation_prior``), fitted on CoQA-CNN dev stories, both
# halves agreeing; they only apply within a conversation, so single questions are unchanged.
_SAME_SENTENCE = 0.3
_NEXT_SENTENCE = 0.2
_EARLIER_SENTENCE = 0.1
_READING_SPAN = 2.0
_LEAD = 0.3
_LEANING = 2.0
# How many BM25 hits are reranked: past 15 the gain on SQuAD dev is under 0.1 point.
CANDIDATES = 15
_PRONOUN_LED = re.compile(
    r"^\W*(?:it|its|they|their|them|he|his|she|her|this|these|those|that|there|such|"
    r"both)\b",
    re.IGNORECASE,
)


# A news dateline: the place a story was filed from, then the agency ("Lyon, France (AFP) --").
_DATELINE = re.compile(
    r"^\s*([A-Z][\w.'-]*(?:[ ,]+[A-Z][\w.'-]*){0,5})\s*\([A-Z][\w.&' ]{0,20}\)\s*(?:--|—|–)"
)
# Where someone comes from: "from Valparaiso", "Oslo-born", "a native of Ohio".
_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?[A-Z]|\b[A-Z][\w.-]*-born\b|\bnative\s+of\b")
_ASKS_ORIGIN = re.compile(
    r"\bwhere(?:['’]s|\s+(?:is|was|are|were|does|did|do))\s+(?:\w+\s+){1,3}(?:from|come\s+from)\W*$",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_PASSIVE_FROM = re.compile(r"\b[a-z]+ed\s+from\b")


def _nationality(sentence: str) -> bool:
    """True when a sentence holds a nationality word ("Chilean-American", "Danish")."""
    return any(word.lower() in NATIONALITIES for word in _CAPITALISED.findall(sentence))


def asks_origin(question: str) -> bool:
    """True for "Where is she from?": the question asks where someone comes from.

    Not "Where was the ship towed from?": a verb before "from" asks where something began.
    """
    match = _ASKS_ORIGIN.search(question)
    return match is not None and _PASSIVE_FROM.search(match.group()) is None


@dataclass(frozen=True)
class Evidence:
    """What the index knows that the answerer needs: term weights and preceding sentences.

    ``weights`` maps an index term to its IDF (terms absent from the corpus are missing);
    ``unknown_weight`` is what such an absent term weighs. Keyed by a hit's global sentence
    number: ``previous``, the sentence before it in the same paragraph (fetched for
    pronoun-led hits, to show with them); ``context_terms``, the searched terms that
    sentence holds; ``sequences``, the hit's own terms in order with every term that was not
    searched as "" (for closeness; tokenised here when missing).
    """

    weights: Mapping[str, float]
    unknown_weight: float
    previous: Mapping[int, Hit] = field(default_factory=dict)
    context_terms: Mapping[int, frozenset[str]] = field(default_factory=dict)
    sequences: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    about: str = "the loaded articles"
    # Within a conversation: the sentence the previous answer cited (same article only) and,
    # when the question is about one article, where it starts.
    anchor: int | None = None
    article_start: int | None = None
    scoped: bool = False  # the question is about one article the user chose
    # The article the candidates come from: the chosen one or the one the conversation follows.
    within: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A hit with the evidence that ranks it."""

    hit: Hit
    coverage: float
    phrases: tuple[Phrase, ...]
    score: float
    context: float = 0.0
    held: frozenset[str] = frozenset()  # the question's terms (at any credit) it holds

    @property
    def support(self) -> float:
        """Coverage counting the preceding sentence too: what declining is decided on."""
        return min(1.0, self.coverage + self.context)


def slot_weight(slot: Slot, evidence: Evidence) -> float:
    """How much a question word weighs: the IDF of its rarest known term, halved if borrowed.

    A word the articles only write otherwise (an acronym they spell out) weighs as that.
    """
    known = [evidence.weights[t] for t in slot.terms if t in evidence.weights]
    if not known:
        known = [
            min(evidence.weights[t] for t in alt)
            for alt in slot.alternatives
            if alt and all(t in evidence.weights for t in alt)
        ]
    if not known:
        # A word the articles never use but say otherwise ("leave" as "withdrawal") weighs as
        # what they say, not as an unknown word.
        known = [evidence.weights[t] for t in slot.synonym_terms if t in evidence.weights]
    weight = max(known) if known else evidence.unknown_weight
    if slot.type_word:
        weight *= _TYPE_WORD_WEIGHT
    return weight * (_INHERITED_WEIGHT if slot.inherited else 1.0)


def coverage(
    present: Iterable[str],
    slots: Sequence[Slot],
    weights: Sequence[float],
    typed: bool | None = None,
) -> float:
    """The share of the question's weighted words among ``present`` terms (synonyms count less).

    With ``typed`` given, a word that names the kind of answer ("year" in "What year?") is
    held when the sentence holds an answer of that kind, not when it repeats the word: "the
    four-year sentence" does not say which year.
    """
    total = sum(weights)
    if total <= 0:
        return 0.0
    held = set(present)
    heads: dict[str, list[str]] | None = None
    got = 0.0
    for slot, weight in zip(slots, weights, strict=True):
        if slot.type_word and typed is not None:
            got += weight * typed
        elif slot.terms & held or any(alt <= held for alt in slot.alternatives if alt):
            got += weight
        elif slot.synonym_terms & held:
            got += weight * _SYNONYM_CREDIT
        else:
            heads = heads if heads is not None else _by_head(held)
            got += weight * _SYNONYM_CREDIT * _related(slot.terms, heads)
    return got / total


def related(terms: Iterable[str], held: Iterable[str]) -> bool:
    """True when a held term is another form of one of ``terms``: one stem starts the other
    and both have at least ``_RELATED_PREFIX`` letters ("photo" and "photograph")."""
    return _related(terms, _by_head(held))


def _by_head(held: Iterable[str]) -> dict[str, list[str]]:
    """The terms long enough to have other forms, by their first ``_RELATED_PREFIX`` letters."""
    heads: dict[str, list[str]] = {}
    for h in held:
        if len(h) >= _RELATED_PREFIX and not h.isdigit():
            heads.setdefault(h[:_RELATED_PREFIX], []).append(h)
    return heads


def _related(terms: Iterable[str], heads: Mapping[str, list[str]]) -> bool:
    for t in terms:
        if len(t) < _RELATED_PREFIX:
            continue
        for h in heads.get(t[:_RELATED_PREFIX], ()):
            if h.startswith(t) or t.startswith(h):
                return True
    return False


def adjacency(sentence_terms: Sequence[str], slots: Sequence[Slot]) -> float:
    """The share of consecutive question words that stand close together in the sentence too."""
    own = [s.every_term for s in slots if not s.inherited]
    if len(own) < 2:
        return 0.0
    positions: dict[str, list[int]] = {}
    for i, term in enumerate(sentence_terms):
        if term:
            positions.setdefault(term, []).append(i)
    close = 0
    for first, second in itertools.pairwise(own):
        left = [i for t in first for i in positions.get(t, ())]
        right = [j for t in second for j in positions.get(t, ())]
        close += any(0 < abs(j - i) <= _ADJACENT_WITHIN for i in left for j in right)
    return close / (len(own) - 1)


def _topical(held: set[str], plan: Plan) -> bool:
    """True when a sentence holds a question word that is about the topic, not the answer kind."""
    return any(s.every_term & held for s in plan.slots if not s.type_word)


def _kind_evidence(
    kind: QuestionKind, sentence: str, phrases: Sequence[Phrase], origin: bool = False
) -> float:
    """1 for an answer of the expected kind, 0.5 for a weak one, 0 for none.

    ``origin``: the question asks where someone is from, which a place alone does not say
    ("on the Internet", "in Washington"); "from Valparaiso", "a Chilean-American" or
    "Oslo-born" do.
    """
    if origin:
        return float(bool(_ORIGIN.search(sentence) or _nationality(sentence)))
    if any(not p.weak for p in phrases):
        return 1.0
    if phrases:
        return 0.5  # a bare year for "how many", "after ..." for "why"
    return float(kind is QuestionKind.DEFINITION and has_definition_cue(sentence))


def rank(plan: Plan, hits: Sequence[Hit], evidence: Evidence, lexicon: Lexicon) -> list[Candidate]:
    """The hits reordered by evidence, best first.

    A weighted sum of: the BM25 score as a share of the best; the weighted coverage of the
    question's words (hits carry the searched terms they hold, see ``Hit.matched``); the words
    only the preceding sentence holds; question words standing together; and a phrase of the
    expected answer kind that the question does not already contain.
    """
    if not hits:
        return []
    weights = [slot_weight(s, evidence) for s in plan.slots]
    top = max(h.score for h in hits) or 1.0
    known = set(plan.question_terms)
    origin = plan.kind is QuestionKind.PLACE and asks_origin(plan.question)
    elliptical = (
        plan.kind in TYPED_KINDS and bool(plan.slots) and all(s.inherited for s in plan.slots)
    )
    kind_bonus = _KIND_BONUS * (_ELLIPTICAL_KIND if elliptical else 1.0)
    out = []
    for hit in hits:
        sequence = evidence.sequences.get(hit.index)
        if sequence is None:
            sequence = tuple(lexicon.terms(hit.sentence))
        # The searched terms plus looser paraphrases, which are not searched (they would
        # crowd the query) but still count when the sentence holds them.
        present = set(hit.matched) | set(sequence)
        if any(not s.every_term & present for s in plan.slots if not s.type_word):
            # Every term of the sentence, for the other forms of a word it does not hold.
            present |= lexicon.sentence_terms(hit.sentence)
        present.discard("")
        dateline = _DATELINE.match(hit.sentence)
        if dateline is not None:
            # Where the story was filed ("London (CNN) --") says nothing of what happened there.
            present -= set(lexicon.terms(dateline.group(1))) - set(
                lexicon.terms(hit.sentence[dateline.end() :])
            )
        found = find_phrases(plan.kind, hit.sentence, known, lexicon.terms)
        if plan.kind is QuestionKind.DATE:
            found = typed_dates(plan.type_word, found)
        phrases = tuple(found)
        typed = _kind_evidence(plan.kind, hit.sentence, phrases, origin)
        answers = typed >= 1.0
        cov = coverage(present, plan.slots, weights, answers)
        before = evidence.context_terms.get(hit.index, frozenset())
        extra = (
            coverage(set(before) | present, plan.slots, weights, answers) - cov
            if before and _topical(present, plan)
            else 0.0
        )
        near = adjacency(sequence, plan.slots)
        score = (
            _BM25_WEIGHT * hit.score / top
            + _COVERAGE_WEIGHT * cov
            + _CONTEXT_WEIGHT * extra
            + kind_bonus * typed
            + _ADJACENCY_WEIGHT * near
            + conversation_prior(hit.index, evidence, plan.leans)
        )
        out.append(
            Candidate(
                hit=hit,
                coverage=cov,
                phrases=phrases,
                score=score,
                context=extra,
                held=frozenset(present),
            )
        )
    # Stable sort keeps BM25 order among equal scores: deterministic.
    return sorted(out, key=lambda c: -c.score)


def conversation_prior(row: int, evidence: Evidence, leans: bool = False) -> float:
    """What the conversation so far says of a sentence, before its words are read.

    People ask about an article in reading order: the next answer is most often in the
    sentence just cited or shortly after it, rarely before it; the first question about an
    article is most often answered near its start (news puts the essentials first). A
    question that ``leans`` on the conversation (a pronoun, "And then?") stays nearer still.
    """
    prior = 0.0
    if evidence.anchor is not None:
        delta = row - evidence.anchor
        near = 0.0
        if delta == 0:
            near = _SAME_SENTENCE
        elif delta > 0:
            near = _NEXT_SENTENCE * math.exp(-(delta - 1) / _READING_SPAN)
        else:
            near = _EARLIER_SENTENCE * math.exp((delta + 1) / _READING_SPAN)
        prior += near * (_LEANING if leans else 1.0)
    elif evidence.article_start is not None and row >= evidence.article_start:
        prior += _LEAD * math.exp(-(row - evidence.article_start) / _READING_SPAN)
    return prior


def needs_context(sentence: str) -> bool:
    """True when a sentence opens with a word that points back to the sentence before it."""
    return _PRONOUN_LED.match(sentence) is not None
