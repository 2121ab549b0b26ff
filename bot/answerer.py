"""The template answerer: a pure function of the question, the hits and the conversation state.

``plan`` reads a question (its kind, a follow-up's borrowed words, synonyms worth searching);
the chat searches the plan's query; ``compose`` reranks the hits by evidence (how much of the
question's weighted content a sentence holds, whether it holds a phrase of the expected kind)
and fills a template with the chosen sentences, or declines. No I/O, no clock, no randomness:
the index-derived numbers (term weights, a hit's preceding sentence) come in as ``Evidence``.

Declining is decided from evidence, never from a raw BM25 score (whose scale depends on the
corpus): the best sentence (with the one before it) must cover enough of the question's
IDF-weighted words, a name or the asked-about noun ("the *capital* of") that the articles never
use means they are about something else, and a bare "Why?" needs a sentence that gives a reason.

Small talk (greetings, thanks, help, an empty message) gets a fixed reply with
``answered=False`` and kind ``SMALLTALK``: it is not an answer from the articles, so an
evaluation counts it as a decline, and the chat does not record it as a conversation turn.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.acronyms import Acronyms, is_short_form
from bot.conversation import (
    ConversationState,
    FollowUp,
    content_words,
    leans_back,
    read_follow_up,
    subject_of,
)
from bot.lexicon import (
    RELATED,
    demonym_forms,
    normalize_numbers,
    number_forms,
    phrasal_meanings,
    plain_idioms,
)
from bot.models import Answer, Citation, QuestionKind
from bot.questions import (
    Phrase,
    Terms,
    answer_type_word,
    classify,
    find_phrases,
    focus_word,
    has_definition_cue,
    naming_words,
    smalltalk,
    typed_dates,
)
from bot.spans import choose_span
from bot.verdicts import decide
from retrieval.models import Hit

DECLINE = "I can't find that in the articles I have."
CLOSEST = "The closest I have is about: {topic}."
SMALLTALK_REPLIES: Mapping[str, str] = {
    "empty": "Ask me a question about the articles I have ({about}).",
    "greeting": "Hello! Ask me a question about the articles I have ({about}); "
    "I answer with the sentences that say so.",
    "thanks": "You're welcome. Ask another question whenever you like.",
    "farewell": "Goodbye!",
    "help": "I answer questions about the articles I have ({about}) by quoting the sentences "
    'that answer them, each cited. Ask e.g. "Who ...?", "When ...?", "How many ...?"; '
    'follow-ups such as "Why?" continue the previous question.',
}


# Words with the same meaning for a question's purposes: a question says "start", the article
# "initiated". General English, searched alongside the question's own word; kept small because
# every synonym also brings in sentences that use it in another sense.
THESAURUS: tuple[tuple[str, ...], ...] = (
    ("start", "begin", "began", "initiate", "launch", "inception", "commence", "establish"),
    ("end", "finish", "conclude", "complete", "terminate"),
    ("die", "died", "dead", "death", "kill", "killed", "lives", "fatalities", "casualties", "toll"),
    ("leave", "left", "depart", "departure", "withdraw", "withdrawal", "exit", "pull"),
    ("ask", "request", "demand"),
    ("give", "relinquish", "surrender", "abandon", "cede"),
    ("admit", "acknowledge", "concede", "confess"),
    ("say", "said", "tell", "told", "announce"),
    ("want", "wanted", "need", "necessity", "require"),
    ("buy", "bought", "purchase", "acquire"),
    ("build", "built", "construct", "construction"),
    ("win", "won", "defeat", "victory"),
    ("born", "birth"),
    ("soldiers", "troops", "forces"),
    ("lead", "leads", "led", "leader", "head", "heads", "chief", "commander"),
    ("plan", "intend", "intended", "intention"),
    ("stay", "remain", "remained"),
    ("large", "vast", "huge", "big"),
    ("increase", "rise", "rose", "grow", "grew", "surge"),
    ("decrease", "fall", "fell", "decline", "drop"),
    ("happen", "occur", "occurred"),
    ("help", "aid", "assist", "support"),
    ("attack", "assault", "raid"),
    ("fight", "battle", "combat", "clash"),
    ("choose", "chose", "select", "elect"),
    ("allow", "permit", "let"),
    ("stop", "halt", "cease"),
    ("try", "attempt"),
    ("invent", "devise", "design"),
    ("sell", "sold"),
    ("meet", "met", "meeting"),
    ("arrest", "detain", "capture"),
    ("cause", "caused", "prompt", "prompted", "trigger"),
)

# Irregular forms the stemmer cannot join ("lost" and "lose" stem differently): the same word,
# so a form counts fully, unlike a synonym.
FORMS: tuple[tuple[str, ...], ...] = (
    ("lose", "lost", "losing"),
    ("take", "took", "taken"),
    ("go", "went", "gone"),
    ("make", "made"),
    ("give", "gave", "given"),
    ("begin", "began", "begun"),
    ("fight", "fought"),
    ("lead", "led"),
    ("hold", "held"),
    ("send", "sent"),
    ("spend", "spent"),
    ("pay", "paid"),
    ("rise", "rose", "risen"),
    ("see", "saw", "seen"),
    ("write", "wrote", "written"),
    ("bring", "brought"),
    ("think", "thought"),
    ("come", "came"),
    ("become", "became"),
    ("win", "won"),
    ("buy", "bought"),
    ("sell", "sold"),
    ("leave", "left"),
    ("meet", "met"),
    ("build", "built"),
    ("teach", "taught"),
    ("catch", "caught"),
    ("choose", "chose", "chosen"),
    ("speak", "spoke", "spoken"),
    ("break", "broke", "broken"),
    ("fall", "fell", "fallen"),
    ("grow", "grew", "grown"),
    ("know", "knew", "known"),
    ("die", "dead", "death"),
    ("kill", "killed"),
    ("north", "northern"),
    ("south", "southern"),
    ("east", "eastern"),
    ("west", "western"),
)

# Scoring weights, fitted by coordinate ascent on SQuAD v1.1 dev (9,804 questions, both halves
# agreeing within a point), never on the MINUSMA questions: see ``rank``.
_BM25_WEIGHT = 0.8
_COVERAGE_WEIGHT = 1.5
_CONTEXT_WEIGHT = 1.5  # question words found only in the sentence before: "It was built in 1902."
_KIND_BONUS = 0.4
_ADJACENCY_WEIGHT = 0.5
_ADJACENT_WITHIN = 2  # term positions apart that still count as "next to each other"
_INHERITED_WEIGHT = 0.5  # a follow-up's borrowed words matter less than its own
_SYNONYM_CREDIT = 0.8  # a synonym covers a question word, a little less surely than the word
_RELATED_CREDIT = 0.6  # a looser news paraphrase ("troops" for "peacekeepers")
_WEIGH_BY_SYNONYMS = True
_TYPE_WORD_WEIGHT = 0.3  # "year" in "which year": describes the answer, need not be quoted
# Declining: the best sentence (with the one before it) must cover this share of the
# question's weighted content. At 0.25, under 1% of SQuAD dev questions are declined.
_MIN_COVERAGE = 0.25
_MIN_COVERAGE_IN_CONVERSATION = 0.0
# A "how many" or "when" question whose best sentence holds no number or date at all is
# declined unless that sentence covers nearly all of the question.
_NEEDS_PHRASE = frozenset({QuestionKind.COUNT, QuestionKind.DATE})
_PHRASELESS_BELOW = 0.55
_UNKNOWN_NAME_DECLINES = True
# A name the articles never mention ("Canada", "Pele") means they are about something else,
# unless the rest of the question is matched so well that it is likely a misspelt name.
_NAME_DECLINE_BELOW = 0.5
# The noun a question asks about ("how many *goals*", "the *capital* of") unknown to the
# articles, and no synonym of it in the best sentence: they do not answer it.
_FOCUS_DECLINES = True
_DEFINITION_VERBS = frozenset({"mean", "means", "meant", "stand", "stands", "define"})
_DEFINITION_VERB = re.compile(r"\b(?:stands?\s+for|mean[st]?|define)\b", re.IGNORECASE)
# Conversation priors (see ``conversation_prior``), fitted on CoQA-CNN dev stories, both
# halves agreeing; they only apply within a conversation, so single questions are unchanged.
_SAME_SENTENCE = 0.3
_NEXT_SENTENCE = 0.2
_EARLIER_SENTENCE = 0.1
_READING_SPAN = 2.0
_LEAD = 0.3
_LEANING = 2.0
_LEAD_LATER = 0.0
_KIND_BONUS_IN_CONVERSATION = 0.4
# How many BM25 hits are reranked: past 15 the gain on SQuAD dev is under 0.1 point.
CANDIDATES = 15
_TYPED = frozenset({QuestionKind.COUNT, QuestionKind.DATE, QuestionKind.PERSON, QuestionKind.PLACE})
_SECOND_RATIO = 0.9
_PRONOUN_LED = re.compile(
    r"^\W*(?:it|its|they|their|them|he|his|she|her|this|these|those|that|there|such|"
    r"both)\b",
    re.IGNORECASE,
)


class Lexicon:
    """The tokenizer's view of words, the thesauri in index terms and the articles' acronyms.

    Built once per index. ``texts`` gives the articles' texts, read on first need to learn
    their acronyms ("United Nations" is "UN" there); without it no acronyms are known.
    """

    def __init__(
        self,
        terms: Terms,
        texts: Callable[[], Iterable[str]] | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        self.terms = terms
        # Whether the articles hold an index term; unknown (None): assume they do.
        self.known = known
        self._groups = [({t for w in g for t in terms(w)}, g) for g in THESAURUS]
        self._related = [({t for w in g for t in terms(w)}, g) for g in RELATED]
        self._word_terms = {w: frozenset(terms(w)) for g in (*THESAURUS, *RELATED) for w in g}
        self._forms = {w: tuple(f for f in group if f != w) for group in FORMS for w in group}
        self._texts = texts
        self._acronyms: Acronyms | None = None
        self._lock = threading.Lock()

    @property
    def acronyms(self) -> Acronyms:
        """The articles' short forms and long names (learned on first use)."""
        with self._lock:
            if self._acronyms is None:
                self._acronyms = Acronyms(self._texts() if self._texts is not None else ())
            return self._acronyms

    def forms(self, word: str) -> tuple[str, ...]:
        """The same word written otherwise: "lost" -> "lose", "French" -> "France", "two" -> "2"."""
        lowered = word.lower()
        found = self._forms.get(lowered, ()) + demonym_forms(lowered) + number_forms(lowered)
        # Comparative and superlative of -y adjectives stem apart ("deadlier", "deadliest").
        for ending, others in (("iest", ("ier", "y")), ("ier", ("iest", "y"))):
            if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
                base = lowered[: -len(ending)]
                found += tuple(base + o for o in others)
        return found

    def synonyms(self, word: str, own: frozenset[str]) -> frozenset[str]:
        """Thesaurus words that mean what ``word`` means, other than the word itself."""
        return self._lookup(self._groups, word, own)

    def related(self, word: str, own: frozenset[str]) -> frozenset[str]:
        """Looser paraphrases of ``word`` from the news thesaurus, other than the word itself."""
        return self._lookup(self._related, word, own)

    def _lookup(
        self, groups: list[tuple[set[str], tuple[str, ...]]], word: str, own: frozenset[str]
    ) -> frozenset[str]:
        lowered = word.lower()
        found: set[str] = set()
        for group_terms, group in groups:
            if lowered in group or own & group_terms:
                found.update(w for w in group if not self._word_terms[w] <= own)
        return frozenset(found)

    def synonym_terms(self, synonyms: Iterable[str]) -> frozenset[str]:
        """The index terms of some thesaurus words."""
        return frozenset(t for w in synonyms for t in self._word_terms.get(w, ()))


@dataclass(frozen=True)
class Slot:
    """One word of the question: the index terms that count as it and how much it weighs."""

    word: str
    terms: frozenset[str]
    synonyms: frozenset[str]
    synonym_terms: frozenset[str]
    inherited: bool = False
    type_word: bool = False  # names the kind of answer ("which year"), not the topic
    # Term sets that each, all present, stand for the word: an acronym's long name.
    alternatives: tuple[frozenset[str], ...] = ()
    related_terms: frozenset[str] = frozenset()  # looser paraphrases, less credit
    related: frozenset[str] = frozenset()  # the words of those paraphrases

    @property
    def every_term(self) -> frozenset[str]:
        """Every term that counts towards this word, at any credit."""
        return self.terms.union(self.synonym_terms, self.related_terms, *self.alternatives)


@dataclass(frozen=True)
class Plan:
    """A question read for searching: kind, slots, the query text and any follow-up."""

    question: str
    kind: QuestionKind
    query: str
    slots: tuple[Slot, ...]
    follow_up: FollowUp | None
    subject: str
    names: tuple[str, ...]
    question_terms: frozenset[str]
    smalltalk: str | None = None
    focus: str | None = None
    type_word: str | None = None  # "year" in "which year": what kind of date or number
    leans: bool = False  # points back at the conversation (a pronoun, "And then?", "Where?")

    @property
    def remembered(self) -> str:
        """What a later elliptical question borrows: the question and any words it borrowed."""
        carried = self.follow_up.carried if self.follow_up else ""
        return f"{self.question.strip()} {carried}".strip()


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
    # Within a conversation: the sentence the previous answer cited (same article only), the
    # sentences already cited, and, when the question is about one article, where it starts.
    anchor: int | None = None
    cited: frozenset[int] = frozenset()
    article_start: int | None = None
    scoped: bool = False  # the question is about one article the user chose


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


def plan(question: str, state: ConversationState, lexicon: Lexicon) -> Plan:
    """Read a question within its conversation: what to search and what answer to expect."""
    kind = classify(question)
    talk = smalltalk(question)
    if talk is not None:
        return Plan(question, QuestionKind.SMALLTALK, "", (), None, "", (), frozenset(), talk)
    terms = lexicon.terms
    follow = read_follow_up(question, state, terms)
    # "twelve thousand" and "12 000" are searched as the articles' tokenizer reads "12,000".
    reading = normalize_numbers(plain_idioms(question))
    own_words = content_words(reading, terms)
    if kind is QuestionKind.DEFINITION:
        # "What does X mean / stand for?": the verb is the question's form, X its content.
        own_words = [w for w in own_words if w.lower() not in _DEFINITION_VERBS] or own_words
    type_word = answer_type_word(question)
    phrasal = {
        words[i].lower(): meaning
        for words in [[w.strip(".,;:!?\"'()“”") for w in reading.split()]]
        for i, meaning in phrasal_meanings(words).items()
    }
    slots = [_slot(w, lexicon, inherited=False, meaning=phrasal.get(w.lower())) for w in own_words]
    answer_words = naming_words(question) | ({type_word} if type_word else set())
    slots = [replace(s, type_word=True) if s.word.lower() in answer_words else s for s in slots]
    slots, spelled = _with_acronyms(slots, reading, lexicon)
    query = reading.strip()
    if kind is QuestionKind.DEFINITION:
        query = _DEFINITION_VERB.sub(" ", query).strip()
    if follow is not None:
        slots = [s for s in slots if s.word.lower() not in follow.stand_ins]
        slots += [_slot(w, lexicon, inherited=True) for w in follow.carried.split()]
        query = f"{query} {follow.carried}"
    slots = [s for s in slots if s.terms or s.alternatives]
    synonyms = sorted(
        {w for s in slots for w in s.synonyms}
        | {f for s in slots for f in lexicon.forms(s.word)}
        | set(spelled)
        | {m for s in slots for m in phrasal.get(s.word.lower(), ())}
    )
    if lexicon.known is not None:
        # Looser paraphrases are searched only for a word the articles never use, nor its
        # synonyms: its only way in. For other words they would crowd the query; they still
        # count in ranking.
        known = lexicon.known
        synonyms += sorted(
            {
                w
                for s in slots
                if s.related and not any(known(t) for t in s.terms | s.synonym_terms)
                for w in s.related
            }
        )
    if synonyms:
        query = f"{query} {' '.join(synonyms)}"
    subject = (
        subject_of(question, terms)
        if follow is None
        else (state.last.subject if state.last and state.last.subject else follow.carried)
    )
    names = tuple(_names_in(question))
    question_terms = frozenset(t for s in slots for t in s.terms.union(*s.alternatives))
    return Plan(
        question,
        kind,
        query,
        tuple(_dedupe(slots)),
        follow,
        subject,
        names,
        question_terms,
        focus=focus_word(question),
        type_word=type_word,
        leans=leans_back(question, terms),
    )


def _slot(
    word: str, lexicon: Lexicon, inherited: bool, meaning: tuple[str, ...] | None = None
) -> Slot:
    own = frozenset(lexicon.terms(word))
    if meaning:
        # A phrasal verb means its meaning words, not its verb: "set up" is not "set".
        own = frozenset(t for m in meaning for t in lexicon.terms(m))
    if own:
        own |= {t for form in lexicon.forms(word) for t in lexicon.terms(form)}
    keys = (word, *(meaning or ()))
    synonyms = frozenset().union(*(lexicon.synonyms(k, own) for k in keys)) if own else frozenset()
    related = frozenset().union(*(lexicon.related(k, own) for k in keys)) if own else frozenset()
    synonym_terms = lexicon.synonym_terms(synonyms) - own
    related_terms = lexicon.synonym_terms(related) - own - synonym_terms
    return Slot(
        word,
        own,
        synonyms,
        synonym_terms,
        inherited,
        related_terms=frozenset(related_terms),
        related=related,
    )


def _with_acronyms(
    slots: list[Slot], question: str, lexicon: Lexicon
) -> tuple[list[Slot], list[str]]:
    """Slots that also accept the articles' other form of an acronym or a long name.

    "UN" also counts as "United Nations" (all its words present); each word of "United
    Nations" also counts as "UN". Returns the slots and the words to add to the search: the
    other form of a word the articles never write (searching both forms of a word they do
    write would only favour the longer one).
    """
    acronyms = lexicon.acronyms
    # Without the articles' vocabulary, search both forms.
    known = lexicon.known or (lambda _term: False)
    extra: dict[str, set[frozenset[str]]] = {}
    spelled: list[str] = []
    for slot in slots:
        if is_short_form(slot.word):
            for long_form in acronyms.expansions(slot.word):
                extra.setdefault(slot.word, set()).add(frozenset(lexicon.terms(long_form)))
                if not any(known(t) for t in slot.terms):
                    spelled.append(long_form)
    for name, shorts in acronyms.names_in(question):
        for short in shorts:
            short_terms = frozenset(lexicon.terms(short))
            if short_terms:
                if not any(known(t) for w in name for t in lexicon.terms(w)):
                    spelled.append(short)
                for word in name:
                    extra.setdefault(word, set()).add(short_terms)
    if not extra:
        return slots, spelled
    out = [
        replace(s, alternatives=tuple(sorted(extra[s.word], key=sorted))) if s.word in extra else s
        for s in slots
    ]
    return out, spelled


def _dedupe(slots: list[Slot]) -> list[Slot]:
    seen: set[frozenset[str]] = set()
    out = []
    for slot in slots:
        if slot.terms not in seen:
            seen.add(slot.terms)
            out.append(slot)
    return out


def _names_in(question: str) -> list[str]:
    """Capitalised words past the first: the names a question is about."""
    words = [w.strip(".,;:!?\"'()“”") for w in question.split()]
    return [w for w in words[1:] if w[:1].isupper() and w.lower() != "i"]


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
    if not known and _WEIGH_BY_SYNONYMS:
        # A word the articles never use but say otherwise ("leave" as "withdrawal") weighs as
        # what they say, not as an unknown word.
        known = [evidence.weights[t] for t in slot.synonym_terms if t in evidence.weights]
        known = known or [evidence.weights[t] for t in slot.related_terms if t in evidence.weights]
    weight = max(known) if known else evidence.unknown_weight
    if slot.type_word:
        weight *= _TYPE_WORD_WEIGHT
    return weight * (_INHERITED_WEIGHT if slot.inherited else 1.0)


def coverage(present: Iterable[str], slots: Sequence[Slot], weights: Sequence[float]) -> float:
    """The share of the question's weighted words among ``present`` terms (synonyms count less)."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    held = set(present)
    got = 0.0
    for slot, weight in zip(slots, weights, strict=True):
        if slot.terms & held or any(alt <= held for alt in slot.alternatives if alt):
            got += weight
        elif slot.synonym_terms & held:
            got += weight * _SYNONYM_CREDIT
        elif slot.related_terms & held:
            got += weight * _RELATED_CREDIT
    return got / total


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


def _topical(held: set[str], the_plan: Plan) -> bool:
    """True when a sentence holds a question word that is about the topic, not the answer kind."""
    return any(s.every_term & held for s in the_plan.slots if not s.type_word)


def _kind_evidence(kind: QuestionKind, sentence: str, phrases: Sequence[Phrase]) -> float:
    """1 for an answer of the expected kind, 0.5 for a weak one, 0 for none."""
    if any(not p.weak for p in phrases):
        return 1.0
    if phrases:
        return 0.5  # a bare year for "how many", "after ..." for "why"
    return float(kind is QuestionKind.DEFINITION and has_definition_cue(sentence))


def rank(
    the_plan: Plan, hits: Sequence[Hit], evidence: Evidence, lexicon: Lexicon
) -> list[Candidate]:
    """The hits reordered by evidence, best first.

    A weighted sum of: the BM25 score as a share of the best; the weighted coverage of the
    question's words (hits carry the searched terms they hold, see ``Hit.matched``); the words
    only the preceding sentence holds; question words standing together; and a phrase of the
    expected answer kind that the question does not already contain.
    """
    if not hits:
        return []
    weights = [slot_weight(s, evidence) for s in the_plan.slots]
    top = max(h.score for h in hits) or 1.0
    # Within a conversation the questions are short ("In what city?"): the kind of answer
    # asked for is much of what they say.
    talked = evidence.anchor is not None or evidence.scoped
    kind_bonus = _KIND_BONUS_IN_CONVERSATION if talked else _KIND_BONUS
    known = set(the_plan.question_terms)
    out = []
    for hit in hits:
        sequence = evidence.sequences.get(hit.index)
        if sequence is None:
            sequence = tuple(lexicon.terms(hit.sentence))
        # The searched terms plus looser paraphrases, which are not searched (they would
        # crowd the query) but still count when the sentence holds them.
        present = set(hit.matched) | set(sequence)
        present.discard("")
        cov = coverage(present, the_plan.slots, weights)
        before = evidence.context_terms.get(hit.index, frozenset())
        extra = (
            coverage(set(before) | present, the_plan.slots, weights) - cov
            if before and _topical(present, the_plan)
            else 0.0
        )
        found = find_phrases(the_plan.kind, hit.sentence, known, lexicon.terms)
        if the_plan.kind is QuestionKind.DATE:
            found = typed_dates(the_plan.type_word, found)
        phrases = tuple(found)
        typed = _kind_evidence(the_plan.kind, hit.sentence, phrases)
        near = adjacency(sequence, the_plan.slots)
        score = (
            _BM25_WEIGHT * hit.score / top
            + _COVERAGE_WEIGHT * cov
            + _CONTEXT_WEIGHT * extra
            + kind_bonus * typed
            + _ADJACENCY_WEIGHT * near
            + conversation_prior(hit.index, evidence, the_plan.leans)
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
    if evidence.article_start is not None and row >= evidence.article_start:
        lead = _LEAD if evidence.anchor is None else _LEAD_LATER
        prior += lead * math.exp(-(row - evidence.article_start) / _READING_SPAN)
    return prior


def decline_reason(the_plan: Plan, best: Candidate | None, evidence: Evidence) -> str | None:
    """Why the articles do not answer the question (None when the best sentence will do)."""
    if best is None:
        return "no sentence matches"
    if _UNKNOWN_NAME_DECLINES and best.support < _NAME_DECLINE_BELOW:
        unknown = [
            n for n in the_plan.names if not any(True for _ in _known(n, the_plan, evidence))
        ]
        if unknown:
            return f"the articles never mention {' '.join(unknown)}"
    focus = next((s for s in the_plan.slots if s.word.lower() == the_plan.focus), None)
    if (
        _FOCUS_DECLINES
        and focus is not None
        and not any(t in evidence.weights for t in focus.terms)
        and not focus.synonym_terms & (best.held or set(best.hit.matched))
    ):
        return f"the articles never mention {focus.word}"
    own = [s for s in the_plan.slots if not s.inherited]
    sure = any(not p.weak for p in best.phrases)
    if not own and the_plan.kind in _TYPED | {QuestionKind.REASON} and not sure:
        # "Why?" or "When?" after a question: only a sentence that gives a reason or a date
        # answers it; repeating the previous answer would not.
        return f"the best sentence holds no {the_plan.kind.value}"
    # Within a conversation the question leans on what came before: its own words are
    # often few ("What did he do next?"), so coverage says less and the bar is lower.
    talked = evidence.anchor is not None or evidence.scoped
    if best.support < (_MIN_COVERAGE_IN_CONVERSATION if talked else _MIN_COVERAGE):
        return f"the best sentence covers {best.support:.0%} of the question"
    if the_plan.kind in _NEEDS_PHRASE and not best.phrases and best.support < _PHRASELESS_BELOW:
        # "When did X happen?" answered by a sentence with no date at all: the articles
        # mention X but not what is asked about it.
        return f"the best sentence holds no {the_plan.kind.value}"
    return None


def _known(name: str, the_plan: Plan, evidence: Evidence) -> Iterable[str]:
    """The terms of a question name that the corpus holds."""
    for slot in the_plan.slots:
        if slot.word == name:
            known = [t for t in slot.terms if t in evidence.weights]
            return known or [t for alt in slot.alternatives for t in alt if t in evidence.weights]
    return ["?"]  # a name that is a stop word ("US" -> "us") cannot be judged: assume known


def compose(
    question: str,
    hits: Sequence[Hit],
    state: ConversationState,
    evidence: Evidence,
    lexicon: Lexicon,
    the_plan: Plan | None = None,
) -> Answer:
    """Answer from the hits with cited quotes, or decline; greetings and help get a short reply."""
    the_plan = the_plan or plan(question, state, lexicon)
    if the_plan.smalltalk is not None:
        reply = SMALLTALK_REPLIES[the_plan.smalltalk].format(about=evidence.about)
        return Answer(question=question, answered=False, text=reply, kind=QuestionKind.SMALLTALK)
    ranked = rank(the_plan, hits, evidence, lexicon)
    best = ranked[0] if ranked else None
    note = _follow_up_note(the_plan)
    reason = decline_reason(the_plan, best, evidence)
    if reason is not None or best is None:
        text = DECLINE
        if best is not None and best.support > 0:
            text += " " + CLOSEST.format(topic=best.hit.title)
        return Answer(
            question=question,
            answered=False,
            text=text,
            kind=the_plan.kind,
            query=the_plan.query,
            note=note,
        )
    chosen = [best.hit]
    context = _context_for(best, ranked, evidence)
    if context is not None:
        chosen.append(context)
    citations = cite(chosen)
    span = choose_span(
        question,
        the_plan.kind,
        best.hit.sentence,
        the_plan.question_terms,
        lexicon.terms,
        the_plan.type_word,
        referents=state.last.names if state.last is not None else (),
        anchor_terms=frozenset(t for s in the_plan.slots for t in s.synonym_terms),
    )
    verdict = None
    if the_plan.kind is QuestionKind.YESNO:
        own = [s.terms | s.synonym_terms for s in the_plan.slots if not s.inherited]
        verdict = decide(question, best.hit.sentence, own, lexicon.terms)
    highlight = span.text if span is not None else None
    opener = verdict.capitalize() if verdict is not None else highlight
    lines = [_quote_line(best.hit.sentence, 1, opener)]
    if context is not None:
        lead = "Just before it: " if context.index == best.hit.index - 1 else "Also: "
        lines.append(f"{lead}{_one_line(context.sentence)} [2]")
    return Answer(
        question=question,
        answered=True,
        text="\n\n".join(lines),
        citations=citations,
        kind=the_plan.kind,
        highlight=highlight,
        highlight_start=best.hit.start + span.start if span is not None else None,
        highlight_end=best.hit.start + span.end if span is not None else None,
        verdict=verdict,
        query=the_plan.query,
        note=note,
    )


def _follow_up_note(the_plan: Plan) -> str | None:
    if the_plan.follow_up is None:
        return None
    return f"Read as a follow-up to: {the_plan.follow_up.previous_question}"


def _context_for(best: Candidate, ranked: Sequence[Candidate], evidence: Evidence) -> Hit | None:
    """A second sentence: the one before a pronoun-led answer, or a nearly as relevant one."""
    before = evidence.previous.get(best.hit.index)
    if before is not None and needs_context(best.hit.sentence):
        return before
    for other in ranked[1:3]:
        if other.score >= _SECOND_RATIO * best.score and other.hit.index != best.hit.index:
            return other.hit
    return None


def needs_context(sentence: str) -> bool:
    """True when a sentence opens with a word that points back to the sentence before it."""
    return _PRONOUN_LED.match(sentence) is not None


def _quote_line(sentence: str, n: int, highlight: str | None) -> str:
    quoted = f"{_one_line(sentence)} [{n}]"
    return f"**{_one_line(highlight)}** - {quoted}" if highlight else quoted


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cite(hits: Sequence[Hit]) -> tuple[Citation, ...]:
    """Citations numbered from 1 in the order given."""
    return tuple(
        Citation(
            n=n,
            doc_id=h.doc_id,
            title=h.title,
            sentence=h.sentence,
            start=h.start,
            end=h.end,
            score=round(h.score, 4),
            paragraph=h.paragraph,
            position=h.position,
            url=h.url,
        )
        for n, h in enumerate(hits, start=1)
    )


def lucene_idf(df: int, n: int) -> float:
    """The Lucene BM25 IDF the index scores with: never zero or negative."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
