"""Reading a question within its conversation: what to search and what answer to expect.

``read_question`` turns the raw question (and the conversation so far) into a frozen ``Plan``:
its kind, its weighted words (each a ``Slot`` with the terms, forms, synonyms and acronyms
that count as it), what a follow-up borrows, and the query to search. Every later step takes
the plan, never the raw text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.core.conversation import (
    ConversationState,
    FollowUp,
    content_words,
    leans_back,
    read_follow_up,
    subject_of,
)
from bot.core.lexicon import Lexicon, normalize_numbers
from bot.core.models import QuestionKind
from bot.core.questions import (
    answer_type_word,
    classify,
    focus_word,
    naming_words,
    smalltalk,
)
from retrieval.acronyms import is_short_form

_DEFINITION_VERBS = frozenset({"mean", "means", "meant", "stand", "stands", "define"})
_DEFINITION_VERB = re.compile(r"\b(?:stands?\s+for|mean[st]?|define)\b", re.IGNORECASE)
# "When did the flood happen?", "Where did it take place?": the verb only says an event is
# asked about; the sentence that answers need not repeat it, so it weighs as a word naming
# the kind of answer does.
# "Who is the article about?", "the main character in this story": words about the article
# itself, which its sentences do not say; such a question is about what the article leads with.
# "The story from the old ballad" or "the article's title" names another, so it stays.
_ABOUT_THE_ARTICLE = re.compile(
    r"\b(?:(?:in|of|from)\s+(?:this|the)\s+(article|story|passage)(?!['’]s|\s+(?:from|of|by|in)\b)"
    r"|(?:this|the)\s+(article|story|passage)\s+(?:is\s+|was\s+)?about"
    r"|(?:the|this)\s+(main)\s+(character))\b",
    re.IGNORECASE,
)
_EVENT_VERBS = re.compile(
    r"\b(?:happen(?:s|ed|ing)?|occur(?:s|red|ring)?|(?:take|takes|took|taking)\s+place)\b",
    re.IGNORECASE,
)


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

    @property
    def every_term(self) -> frozenset[str]:
        """Every term that counts towards this word, at any credit."""
        return self.terms.union(self.synonym_terms, *self.alternatives)


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
    # The question's own words in all their forms, without what a follow-up borrowed.
    own_query: str = ""

    @property
    def article_query(self) -> str:
        """What to search inside the conversation's article.

        A follow-up with words of its own ("What did he study there?") searches only those:
        the borrowed words find again the sentence the last answer came from, where the
        conversation prior already places it, and would crowd out the sentences that hold
        the new words. The borrowed words still count towards coverage. A follow-up with
        nothing of its own ("Why?", "And then?") searches the borrowed words.
        """
        own = any(not s.inherited and not s.type_word for s in self.slots)
        return self.own_query if self.follow_up is not None and own else self.query

    @property
    def remembered(self) -> str:
        """What a later elliptical question borrows: the question and any words it borrowed."""
        carried = self.follow_up.carried if self.follow_up else ""
        return f"{self.question.strip()} {carried}".strip()


def read_question(question: str, state: ConversationState, lexicon: Lexicon) -> Plan:
    """Read a question within its conversation: what to search and what answer to expect."""
    kind = classify(question)
    talk = smalltalk(question)
    if talk is not None:
        return Plan(question, QuestionKind.SMALLTALK, "", (), None, "", (), frozenset(), talk)
    terms = lexicon.terms
    follow = read_follow_up(question, state, terms)
    # "twelve thousand" and "12 000" are searched as the articles' tokenizer reads "12,000".
    reading = normalize_numbers(question)
    own_words = content_words(reading, terms)
    if kind is QuestionKind.DEFINITION:
        # "What does X mean / stand for?": the verb is the question's form, X its content.
        own_words = [w for w in own_words if w.lower() not in _DEFINITION_VERBS] or own_words
    meta = {w.lower() for m in _ABOUT_THE_ARTICLE.findall(reading) for w in m if w}
    own_words = [w for w in own_words if w.lower() not in meta]
    type_word = answer_type_word(question)
    slots = [_slot(w, lexicon, inherited=False) for w in own_words]
    answer_words = naming_words(question) | ({type_word} if type_word else set())
    answer_words |= {w.lower() for m in _EVENT_VERBS.findall(reading) for w in m.split()}
    slots = [replace(s, type_word=True) if s.word.lower() in answer_words else s for s in slots]
    slots, spelled = _with_acronyms(slots, reading, lexicon)
    query = _ABOUT_THE_ARTICLE.sub(" ", reading).strip()
    if kind is QuestionKind.DEFINITION:
        query = _DEFINITION_VERB.sub(" ", query).strip()
    own_query = query
    if follow is not None:
        slots = [s for s in slots if s.word.lower() not in follow.stand_ins]
        slots += [_slot(w, lexicon, inherited=True) for w in follow.carried.split()]
        query = f"{query} {follow.carried}"
    slots = [s for s in slots if s.terms or s.alternatives]
    synonyms = _other_words(slots, lexicon, spelled)
    if synonyms:
        query = f"{query} {' '.join(synonyms)}"
    if follow is None:
        own_query = query
    elif own_synonyms := _other_words([s for s in slots if not s.inherited], lexicon, spelled):
        own_query = f"{own_query} {' '.join(own_synonyms)}"
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
        own_query=own_query,
    )


def _other_words(slots: list[Slot], lexicon: Lexicon, spelled: list[str]) -> list[str]:
    """The synonyms, other forms and other acronym forms of the slots' words, to search too."""
    return sorted(
        {w for s in slots for w in s.synonyms}
        # Forms the stemmer already joins ("coups" for "coup") would only clutter the query.
        | {
            f
            for s in slots
            for f in lexicon.forms(s.word)
            if set(lexicon.terms(f)) - set(lexicon.terms(s.word))
        }
        | set(spelled)
    )


def _slot(word: str, lexicon: Lexicon, inherited: bool) -> Slot:
    own = frozenset(lexicon.terms(word))
    if own:
        own |= {t for form in lexicon.forms(word) for t in lexicon.terms(form)}
    synonyms = lexicon.synonyms(word, own) if own else frozenset()
    return Slot(word, own, synonyms, lexicon.synonym_terms(synonyms) - own, inherited)


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
