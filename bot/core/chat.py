"""The chat core: the one ``ask`` API every adapter calls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.core.answerer import (
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
from bot.core.conversation import ConversationMemory, ConversationState, TurnMemory
from bot.core.inputs import clean_text
from bot.core.models import Answer, QuestionKind
from bot.core.phrases import names_in
from retrieval.index import SentenceIndex
from retrieval.models import Hit

IndexLoader = Callable[[], SentenceIndex]
# Within a conversation: the window around the previous answer that is always considered
# (in an article too long to read whole).
_AROUND_BEFORE = 1
_AROUND_AFTER = 3
# A name the article repeats at least this often can be what a later "she" means.
_SALIENT = 2
_NAMES_KEPT = 6
# Which article a conversation without one is about: its remembered questions searched
# together, each article scored by its best few sentences; another article takes over when
# it scores this many times the current one (CoQA-CNN as one corpus: 0.39 -> 0.43 hit@1,
# flat between 1.2 and 2).
_RECONSIDER_HITS = 50
_RECONSIDER_TOP = 3
_RECONSIDER_RATIO = 1.5
# Articles up to this many sentences are read whole within a conversation about them.
_WHOLE_ARTICLE = 400


class _TermStats:
    """One index's term weights and lexicon (document frequencies come from the engine)."""

    def __init__(self, index: SentenceIndex) -> None:
        self.index = index
        vocabulary = index.analysis.vocabulary
        self.lexicon = Lexicon(
            index.tokenizer.tokenize,
            lambda: (document.text for document in index.documents),
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


def describe(index: SentenceIndex) -> str:
    """A short summary of what an index searches, e.g. ``1 article, 15 sentences``."""
    docs = len(index.documents)
    sentences = len(index)
    articles = f"{docs:,} article{'s' if docs != 1 else ''}"
    return f"{articles}, {sentences:,} sentence{'s' if sentences != 1 else ''}"


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

    def ask(
        self, question: str, conversation_id: str = "local", article: str | None = None
    ) -> Answer:
        """Answer one question within a conversation, optionally about one article only.

        An unknown ``article`` raises ``UnknownDocumentError`` naming the closest ids.
        """
        stats = self._stats  # one consistent index for the whole question, even during a reload
        if article is not None:
            stats.index.require(article)
        question = clean_text(question)
        cut = len(question) > self._max_chars
        question = question[: self._max_chars]
        answer = self._answer(stats, question, conversation_id, article)
        if cut:
            # Say so, rather than silently answer a different question than the one typed.
            note = f"Only the first {self._max_chars:,} characters of the question were read."
            if answer.note:
                note = f"{answer.note}. {note}"
            answer = answer.model_copy(update={"note": note})
        return answer

    def _answer(
        self, stats: _TermStats, question: str, conversation_id: str, article: str | None
    ) -> Answer:
        """Plan, search, compose, and remember the turn (small talk is not remembered)."""
        lexicon = stats.lexicon
        state = self._memory.state(conversation_id)
        the_plan = plan(question, state, lexicon)
        if the_plan.kind is QuestionKind.SMALLTALK:
            # Small talk is not a turn: "thanks" must not break the follow-up after it.
            return compose(
                question, [], state, self._evidence(stats, the_plan, []), lexicon, the_plan
            )
        hits, evidence = self._gather(stats, the_plan, state, article)
        answer = compose(question, hits, state, evidence, lexicon, the_plan)
        top = answer.citations[0].doc_id if answer.citations else None
        rows = {(h.doc_id, h.start): h.index for h in (*hits, *evidence.previous.values())}
        self._memory.remember(
            conversation_id,
            TurnMemory(
                question=question,
                query=the_plan.remembered,
                subject=the_plan.subject,
                answered=answer.answered,
                doc_id=top,
                cited=tuple(
                    rows[key] for c in answer.citations if (key := (c.doc_id, c.start)) in rows
                ),
                article=article,
                names=self._names(stats, the_plan, answer, state),
            ),
        )
        return answer

    def _names(
        self, stats: _TermStats, the_plan: Plan, answer: Answer, state: ConversationState
    ) -> tuple[str, ...]:
        """Who or what the conversation is about now, most likely referent first.

        The question's own names come first; then the names in the answering sentence, the
        ones its article repeats most first (the story's protagonist over a passing mention);
        then the names remembered before, so an entity persists until another replaces it.
        """
        found = list(the_plan.names)
        if answer.answered and answer.citations:
            first = answer.citations[0]
            index, terms = stats.index, stats.lexicon.terms

            def salience(name: str) -> int:
                return max(
                    (index.occurrences(t, first.doc_id) for w in name.split() for t in terms(w)),
                    default=0,
                )

            named = [n for n in names_in(first.sentence) if salience(n) >= _SALIENT]
            found += sorted(named, key=salience, reverse=True)
        if state.last is not None:
            found += state.last.names
        return tuple(dict.fromkeys(found))[:_NAMES_KEPT]

    def explain(
        self, question: str, conversation_id: str = "local", article: str | None = None
    ) -> list[Candidate]:
        """The reranked sentences ``ask`` would choose from, best first (nothing is remembered)."""
        stats = self._stats
        question = question[: self._max_chars]
        state = self._memory.state(conversation_id)
        the_plan = plan(question, state, stats.lexicon)
        if the_plan.kind is QuestionKind.SMALLTALK or not the_plan.query:
            return []
        hits, evidence = self._gather(stats, the_plan, state, article)
        return rank(the_plan, hits, evidence, stats.lexicon)

    def _gather(
        self, stats: _TermStats, the_plan: Plan, state: ConversationState, article: str | None
    ) -> tuple[list[Hit], Evidence]:
        """The candidate sentences and what the index knows of them, for one question.

        Without an article chosen, a conversation stays in the article its questions so far
        are most about, unless the question names something that article never mentions.
        """
        if article is not None:
            return self._candidates(stats, the_plan, state, article, chosen=True)
        last = state.last
        stay = last.doc_id if last is not None and last.answered else None
        if stay is None or not stats.index.has_document(stay):
            return self._candidates(stats, the_plan, state, None, chosen=False)
        stay = self._conversation_article(stats, the_plan, state, stay)
        inside = self._candidates(stats, the_plan, state, stay, chosen=False)
        index, terms = stats.index, stats.lexicon.terms
        # A name the article never mentions says the question is about another article;
        # anything less (a better-matching sentence elsewhere) proved a poorer guide.
        elsewhere = [
            n for n in the_plan.names if not any(index.occurrences(t, stay) for t in terms(n))
        ]
        if not elsewhere:
            return inside
        outside = self._candidates(stats, the_plan, state, None, chosen=False)
        best = next(iter(rank(the_plan, *outside, stats.lexicon)), None)
        return outside if best is not None and best.hit.doc_id != stay else inside

    def _conversation_article(
        self, stats: _TermStats, the_plan: Plan, state: ConversationState, stay: str
    ) -> str:
        """The article the whole conversation so far is most about (``stay`` unless another
        matches its questions clearly better): a wrong first answer need not doom it."""
        text = " ".join([*(turn.query for turn in state.turns), the_plan.query])
        scores: dict[str, list[float]] = {}
        for hit in stats.index.search(text, _RECONSIDER_HITS):
            scores.setdefault(hit.doc_id, []).append(hit.score)
        totals = {d: sum(sorted(v, reverse=True)[:_RECONSIDER_TOP]) for d, v in scores.items()}
        if not totals:
            return stay
        best = max(totals, key=lambda d: totals[d])
        return best if totals[best] > _RECONSIDER_RATIO * totals.get(stay, 0.0) else stay

    def _candidates(
        self,
        stats: _TermStats,
        the_plan: Plan,
        state: ConversationState,
        within: str | None,
        *,
        chosen: bool,
    ) -> tuple[list[Hit], Evidence]:
        """The question's own search (inside one article or not) plus, in a conversation,
        the sentences around the last answer; a news-length article is read whole."""
        index = stats.index
        k = max(self._top_k, CANDIDATES)
        hits = index.search(the_plan.query, k, within=within) if the_plan.query else []
        anchor = state.anchor
        if anchor is not None and (within is None or index.doc_of(anchor) != within):
            anchor = None
        seen = {h.index for h in hits}
        rows = index.rows_of(within) if within is not None else None
        if rows is not None and rows[1] - rows[0] <= _WHOLE_ARTICLE:
            # Every sentence is a candidate, so a question whose words the answer does not
            # share ("Where's she from?") can still find it by its place in the conversation.
            hits += [index.sentence(i) for i in range(*rows) if i not in seen]
        elif anchor is not None:
            for i in range(anchor - _AROUND_BEFORE, anchor + _AROUND_AFTER + 1):
                if i not in seen and index.doc_of(i) == within:
                    hits.append(index.sentence(i))
        evidence = replace(
            self._evidence(stats, the_plan, hits),
            anchor=anchor,
            cited=state.cited,
            article_start=rows[0] if rows is not None else None,
            scoped=chosen,
        )
        return hits, evidence

    def _evidence(self, stats: _TermStats, the_plan: Plan, hits: list[Hit]) -> Evidence:
        """Term weights and preceding sentences for the answerer (it does no lookups itself)."""
        index = stats.index
        own = {t for slot in the_plan.slots for t in slot.terms.union(*slot.alternatives)}
        searched = own | {t for slot in the_plan.slots for t in slot.every_term}
        previous: dict[int, Hit] = {}
        for hit in hits:
            if needs_context(hit.sentence):
                before, _after = index.neighbours(hit)
                if before is not None:
                    previous[hit.index] = before
        n = max(1, len(index))
        context_terms, sequences = _term_evidence(index, hits, searched)
        return Evidence(
            weights=stats.weights(own | {t for slot in the_plan.slots for t in slot.synonym_terms}),
            # A word the articles never use says more than the rarest word they do use.
            unknown_weight=lucene_idf(0, n),
            previous=previous,
            context_terms=context_terms,
            sequences=sequences,
            about=describe(index),  # the index this answer uses, even mid-reload
        )

    def search(self, query: str, k: int | None = None, article: str | None = None) -> list[Hit]:
        """The ranked sentences for a query (inside one article if given), no answer composed."""
        if article is not None:
            self.index.require(article)
        return self.index.search(query, k or self._top_k, within=article)

    def articles(self, text: str = "", limit: int = 25) -> list[tuple[str, str]]:
        """Up to ``limit`` (doc_id, title) pairs whose title or id holds ``text`` (any case)."""
        wanted = text.casefold().strip()
        index = self.index
        found: list[tuple[str, str]] = []
        for doc_id, title in zip(index.doc_ids(), index.titles(), strict=True):
            if not wanted or wanted in title.casefold() or wanted in doc_id.casefold():
                found.append((doc_id, title))
                if len(found) >= limit:
                    break
        return found

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation's earlier turns."""
        self._memory.reset(conversation_id)

    def context(self, doc_id: str, start: int) -> str:
        """The paragraph holding the cited sentence that starts at ``start``."""
        return self.index.paragraph(doc_id, start)

    def describe(self) -> str:
        """A short summary of what is searched, e.g. ``1 article, 15 sentences``."""
        return describe(self.index)

    def reload(self) -> str:
        """Rebuild the index from the corpus and swap it in; the old one stays on failure."""
        if self._loader is None:
            raise RuntimeError("this chat was built without a corpus loader; restart to reload")
        with self._reload_lock:
            fresh = self._loader()
            self._stats = _TermStats(fresh)
        return f"reloaded: {self.describe()}"
