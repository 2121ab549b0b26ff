"""What the chat gathers from the index for one question: the candidate sentences and the
evidence the answerer ranks them by, and who the conversation is about after an answer.

Here the conversation meets the index: which article a conversation is about, the sentences
around the last answer, term weights and the sentence before each candidate. The answerer
itself does no lookups; everything it knows of the corpus comes in as ``Evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.conversation import ConversationState
from bot.core.lexicon import Lexicon
from bot.core.models import Answer
from bot.core.phrases import names_in
from bot.core.ranking import Evidence, needs_context, rank
from bot.core.reading import Plan
from retrieval.engines import lucene_idf
from retrieval.index import SentenceIndex
from retrieval.models import Hit
from retrieval.statistics import neighbours, occurrences, term_evidence, term_weights

# Within a conversation: the window around the previous answer that is always considered
# (in an article too long to read whole).
_AROUND_BEFORE = 1
_AROUND_AFTER = 3
# Articles up to this many sentences are read whole within a conversation about them.
_WHOLE_ARTICLE = 400
# A name the article repeats at least this often can be what a later "she" means.
_SALIENT = 2
_SALIENCE_RADIUS = 500  # sentences either side: a whole news article, a bounded part of a book
_NAMES_KEPT = 6
# Which article a conversation without one is about: its questions so far searched
# together, each article scored by its best few sentences; another article takes over when
# it scores this many times the current one (CoQA-CNN as one corpus, both halves of the
# stories: hit@1 0.473 at 1.5, 0.499 at 1.2, 0.497 at 1.1, 0.489 at 1.0).
_RECONSIDER_HITS = 50
_RECONSIDER_TOP = 3
_RECONSIDER_RATIO = 1.2


def describe(index: SentenceIndex) -> str:
    """A short summary of what an index searches, e.g. ``1 article, 15 sentences``."""
    docs = len(index.documents)
    sentences = len(index)
    articles = f"{docs:,} article{'s' if docs != 1 else ''}"
    return f"{articles}, {sentences:,} sentence{'s' if sentences != 1 else ''}"


@dataclass(frozen=True)
class IndexView:
    """One index and the lexicon built for it: what a question is answered from."""

    index: SentenceIndex
    lexicon: Lexicon

    @classmethod
    def of(cls, index: SentenceIndex) -> IndexView:
        """The view of an index (its lexicon knows the index's vocabulary)."""
        return cls(index, Lexicon(index.tokenizer.tokenize, index.acronyms, known=index.knows))


def gather(
    view: IndexView, plan: Plan, state: ConversationState, article: str | None, k: int
) -> tuple[list[Hit], Evidence]:
    """The candidate sentences and what the index knows of them, for one question.

    Without an article chosen, a conversation stays in the article its questions so far are
    most about, unless the question names something that article never mentions.
    """
    if article is not None:
        hits, evidence = _candidates(view, plan, state, article, k)
        return hits, replace(evidence, scoped=True)
    stay = state.topic
    if stay is None or not view.index.has_document(stay):
        return _candidates(view, plan, state, None, k)
    stay = _conversation_article(view, plan, state, stay)
    inside = _candidates(view, plan, state, stay, k)
    index = view.index
    # A name the article never mentions says the question is about another article; anything
    # less (a better-matching sentence elsewhere) proved a poorer guide.
    elsewhere = [n for n in plan.names if not index.search(n, 1, within=stay)]
    if not elsewhere:
        return inside
    outside = _candidates(view, plan, state, None, k)
    best = next(iter(rank(plan, *outside, view.lexicon)), None)
    return outside if best is not None and best.hit.doc_id != stay else inside


def _conversation_article(view: IndexView, plan: Plan, state: ConversationState, stay: str) -> str:
    """The article the whole conversation so far is most about (``stay`` unless another
    matches its questions clearly better): a wrong first answer need not doom it."""
    # Each word once: the search weighs each distinct term once anyway, and a conversation
    # repeats its words (fewer to tokenise: 2.9 -> 2.65 ms a turn at a million sentences).
    words = " ".join(state.history_with(plan.query)).lower().split()
    text = " ".join(dict.fromkeys(words))
    scores: dict[str, list[float]] = {}
    for hit in view.index.search(text, _RECONSIDER_HITS):
        scores.setdefault(hit.doc_id, []).append(hit.score)
    totals = {d: sum(sorted(v, reverse=True)[:_RECONSIDER_TOP]) for d, v in scores.items()}
    if not totals:
        return stay
    best = max(totals, key=lambda d: totals[d])
    return best if totals[best] > _RECONSIDER_RATIO * totals.get(stay, 0.0) else stay


def _candidates(
    view: IndexView,
    plan: Plan,
    state: ConversationState,
    within: str | None,
    k: int,
) -> tuple[list[Hit], Evidence]:
    """The question's own search (inside one article or not) plus, in a conversation, the
    sentences around the last answer; a news-length article is read whole."""
    index = view.index
    rows = index.rows_of(within) if within is not None else None
    whole = rows is not None and rows[1] - rows[0] <= _WHOLE_ARTICLE
    # In an article read whole the question's own words lead (``Plan.article_query``); in a
    # longer one the borrowed words still narrow down which of its sentences are read.
    query = plan.article_query if whole else plan.query
    hits = index.search(query, k, within=within) if query else []
    anchor = state.anchor
    if anchor is not None and (within is None or index.doc_of(anchor) != within):
        anchor = None
    seen = {h.index for h in hits}
    if rows is not None and whole:
        # Every sentence is a candidate, so a question whose words the answer does not share
        # ("Where's she from?") can still find it by its place in the conversation.
        hits += [index.sentence(i) for i in range(*rows) if i not in seen]
    elif anchor is not None:
        for i in range(anchor - _AROUND_BEFORE, anchor + _AROUND_AFTER + 1):
            if i not in seen and index.doc_of(i) == within:
                hits.append(index.sentence(i))
    evidence = replace(
        evidence_for(view, plan, hits),
        anchor=anchor,
        article_start=rows[0] if rows is not None else None,
        within=within,
    )
    return hits, evidence


def evidence_for(view: IndexView, plan: Plan, hits: list[Hit]) -> Evidence:
    """Term weights and preceding sentences for the answerer (it does no lookups itself)."""
    index = view.index
    own = {t for slot in plan.slots for t in slot.terms.union(*slot.alternatives)}
    searched = own | {t for slot in plan.slots for t in slot.every_term}
    previous: dict[int, Hit] = {}
    for hit in hits:
        if needs_context(hit.sentence):
            before, _after = neighbours(index, hit)
            if before is not None:
                previous[hit.index] = before
    context_terms, sequences = term_evidence(index, (h.index for h in hits), searched)
    return Evidence(
        weights=term_weights(index, own | {t for s in plan.slots for t in s.synonym_terms}),
        # A word the articles never use says more than the rarest word they do use.
        unknown_weight=lucene_idf(0, max(1, len(index))),
        previous=previous,
        context_terms=context_terms,
        sequences=sequences,
        about=describe(index),  # the index this answer uses, even mid-reload
    )


def conversation_names(
    view: IndexView, plan: Plan, answer: Answer, state: ConversationState, row: int | None
) -> tuple[str, ...]:
    """Who or what the conversation is about after an answer, most likely referent first.

    The question's own names come first; then the names in the answering sentence, the ones
    its article repeats most first (the story's protagonist over a passing mention); then
    the names remembered before, so an entity persists until another replaces it. ``row`` is
    the answering sentence's row; repetition is counted in the sentences around it, which is
    the whole article for news and a bounded amount of work for a book-length document.
    """
    found = list(plan.names)
    rows = _around(view.index, row) if answer.answered and row is not None else None
    if rows is not None:
        index, terms = view.index, view.lexicon.terms
        salience = {
            name: max(
                (occurrences(index, t, rows) for w in name.split() for t in terms(w)), default=0
            )
            for name in names_in(answer.citations[0].sentence)
        }
        named = [n for n, count in salience.items() if count >= _SALIENT]
        found += sorted(named, key=lambda n: salience[n], reverse=True)
    if state.last is not None:
        found += state.last.names
    return tuple(dict.fromkeys(found))[:_NAMES_KEPT]


def _around(index: SentenceIndex, row: int) -> tuple[int, int] | None:
    """The rows of ``row``'s document within ``_SALIENCE_RADIUS`` sentences of it."""
    doc_id = index.doc_of(row)
    rows = index.rows_of(doc_id) if doc_id is not None else None
    if rows is None:
        return None
    return max(rows[0], row - _SALIENCE_RADIUS), min(rows[1], row + _SALIENCE_RADIUS + 1)
