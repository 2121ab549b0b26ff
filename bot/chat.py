"""The chat core: the one ``ask`` API every adapter calls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from bot.answerer import (
    CANDIDATES,
    Candidate,
    Evidence,
    Lexicon,
    Plan,
    compose,
    lucene_idf,
    needs_context,
    plan,
    rank,
)
from bot.conversation import ConversationMemory, TurnMemory
from bot.inputs import clean_text
from bot.models import Answer, QuestionKind
from retrieval.index import SentenceIndex
from retrieval.models import Hit

IndexLoader = Callable[[], SentenceIndex]


class _TermStats:
    """One index's term weights and lexicon (document frequencies come from the engine)."""

    def __init__(self, index: SentenceIndex) -> None:
        self.index = index
        vocabulary = index.analysis.vocabulary
        self.lexicon = Lexicon(
            index.tokenizer.tokenize,
            index.acronyms,
            known=lambda term: term in vocabulary,
        )

    def weights(self, terms: Iterable[str]) -> dict[str, float]:
        """The Lucene IDF of each term the index holds (absent terms are left out)."""
        vocabulary = self.index.analysis.vocabulary
        n = len(self.index)
        out: dict[str, float] = {}
        for term in terms:
            term_id = vocabulary.get(term)
            if term_id is not None:
                out[term] = lucene_idf(self.index.engine.document_frequency(term_id), n)
        return out


def _term_evidence(
    index: SentenceIndex, hits: list[Hit], terms: set[str]
) -> tuple[dict[int, frozenset[str]], dict[int, tuple[str, ...]]]:
    """Read from the stored term ids (no re-tokenising): for each hit, which of ``terms`` the
    sentence before it in the paragraph holds, and its own terms in order ("" if not in ``terms``).
    """
    vocabulary = index.analysis.vocabulary
    wanted = {vocabulary[t]: t for t in terms if t in vocabulary}
    if not wanted:
        return {}, {}
    bounds, term_ids, indptr = index.analysis.bounds, index.analysis.term_ids, index.analysis.indptr
    before: dict[int, frozenset[str]] = {}
    sequences: dict[int, tuple[str, ...]] = {}
    for hit in hits:
        i = hit.index
        ids = term_ids[int(indptr[i]) : int(indptr[i + 1])].tolist()
        sequences[i] = tuple(wanted.get(t, "") for t in ids)
        if i > 0 and bounds[i - 1, 0] == bounds[i, 0] and bounds[i - 1, 3] == bounds[i, 3]:
            ids = term_ids[int(indptr[i - 1]) : int(indptr[i])].tolist()
            held = frozenset(wanted[t] for t in ids if t in wanted)
            if held:
                before[i] = held
    return before, sequences


class Chat:
    """Answers questions over a swappable sentence index; safe to call from several threads."""

    def __init__(
        self,
        index: SentenceIndex,
        memory: ConversationMemory | None = None,
        *,
        top_k: int = 5,
        max_question_chars: int = 1000,
        loader: IndexLoader | None = None,
    ) -> None:
        self._stats = _TermStats(index)
        self._memory = memory if memory is not None else ConversationMemory()
        self._top_k = top_k
        self._max_chars = max_question_chars
        self._loader = loader
        self._reload_lock = threading.Lock()

    @property
    def index(self) -> SentenceIndex:
        """The index in use now."""
        return self._stats.index

    def ask(self, question: str, conversation_id: str = "local") -> Answer:
        """Answer one question within a conversation."""
        stats = self._stats  # one consistent index for the whole question, even during a reload
        question = clean_text(question)
        cut = len(question) > self._max_chars
        question = question[: self._max_chars]
        answer = self._answer(stats, question, conversation_id)
        if cut:
            # Say so, rather than silently answer a different question than the one typed.
            note = f"Only the first {self._max_chars:,} characters of the question were read."
            if answer.note:
                note = f"{answer.note}. {note}"
            answer = answer.model_copy(update={"note": note})
        return answer

    def _answer(self, stats: _TermStats, question: str, conversation_id: str) -> Answer:
        """Plan, search, compose, and remember the turn (small talk is not remembered)."""
        index = stats.index
        lexicon = stats.lexicon
        state = self._memory.state(conversation_id)
        the_plan = plan(question, state, lexicon)
        if the_plan.kind is QuestionKind.SMALLTALK:
            # Small talk is not a turn: "thanks" must not break the follow-up after it.
            return compose(
                question, [], state, self._evidence(stats, the_plan, []), lexicon, the_plan
            )
        hits = index.search(the_plan.query, max(self._top_k, CANDIDATES)) if the_plan.query else []
        answer = compose(
            question, hits, state, self._evidence(stats, the_plan, hits), lexicon, the_plan
        )
        top = answer.citations[0].doc_id if answer.citations else None
        self._memory.remember(
            conversation_id,
            TurnMemory(
                question=question,
                query=the_plan.remembered,
                subject=the_plan.subject,
                answered=answer.answered,
                doc_id=top,
            ),
        )
        return answer

    def explain(self, question: str, conversation_id: str = "local") -> list[Candidate]:
        """The reranked sentences ``ask`` would choose from, best first (nothing is remembered)."""
        stats = self._stats
        question = question[: self._max_chars]
        state = self._memory.state(conversation_id)
        the_plan = plan(question, state, stats.lexicon)
        if the_plan.kind is QuestionKind.SMALLTALK or not the_plan.query:
            return []
        hits = stats.index.search(the_plan.query, max(self._top_k, CANDIDATES))
        return rank(the_plan, hits, self._evidence(stats, the_plan, hits), stats.lexicon)

    def _evidence(self, stats: _TermStats, the_plan: Plan, hits: list[Hit]) -> Evidence:
        """Term weights and preceding sentences for the answerer (it does no lookups itself)."""
        index = stats.index
        own = {t for slot in the_plan.slots for t in slot.terms.union(*slot.alternatives)}
        searched = own | {t for slot in the_plan.slots for t in slot.every_term}
        previous: dict[int, Hit] = {}
        for hit in hits[:CANDIDATES]:
            if needs_context(hit.sentence):
                before, _after = index.neighbours(hit)
                if before is not None:
                    previous[hit.index] = before
        n = max(1, len(index))
        context_terms, sequences = _term_evidence(index, hits[:CANDIDATES], searched)
        return Evidence(
            weights=stats.weights(
                own
                | {t for slot in the_plan.slots for t in slot.synonym_terms | slot.related_terms}
            ),
            # A word the articles never use says more than the rarest word they do use.
            unknown_weight=lucene_idf(0, n),
            previous=previous,
            context_terms=context_terms,
            sequences=sequences,
            about=self.describe(),
        )

    def search(self, query: str, k: int | None = None) -> list[Hit]:
        """The ranked sentences for a query, without composing an answer."""
        return self.index.search(query, k or self._top_k)

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation's earlier turns."""
        self._memory.reset(conversation_id)

    def context(self, doc_id: str, start: int) -> str:
        """The paragraph holding the cited sentence that starts at ``start``."""
        return self.index.paragraph(doc_id, start)

    def describe(self) -> str:
        """A short summary of what is searched, e.g. ``1 article, 15 sentences``."""
        index = self.index
        docs = len(index.documents)
        sentences = len(index)
        articles = f"{docs:,} article{'s' if docs != 1 else ''}"
        return f"{articles}, {sentences:,} sentence{'s' if sentences != 1 else ''}"

    def reload(self) -> str:
        """Rebuild the index from the corpus and swap it in; the old one stays on failure."""
        if self._loader is None:
            raise RuntimeError("this chat was built without a corpus loader; restart to reload")
        with self._reload_lock:
            fresh = self._loader()
            self._stats = _TermStats(fresh)
        return f"reloaded: {self.describe()}"
