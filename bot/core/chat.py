"""The chat core: the one ``ask`` API every adapter calls."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.core.answerer import compose
from bot.core.conversation import ConversationMemory, ConversationState, TurnMemory
from bot.core.gathering import IndexView, conversation_names, describe, evidence_for, gather
from bot.core.inputs import clean_text
from bot.core.models import Answer, QuestionKind
from bot.core.ranking import CANDIDATES, Candidate, Evidence, rank
from bot.core.reading import read_question
from retrieval.index import SentenceIndex
from retrieval.models import Hit

IndexLoader = Callable[[], SentenceIndex]


class Chat:
    """Answers questions over a swappable sentence index; safe to call from several threads."""

    def __init__(
        self,
        index: SentenceIndex,
        memory: ConversationMemory | None = None,
        *,
        top_k: int = CANDIDATES,
        max_question_chars: int = 1000,
        loader: IndexLoader | None = None,
    ) -> None:
        self._view = IndexView.of(index)
        self._memory = memory if memory is not None else ConversationMemory()
        self._top_k = top_k
        self._max_chars = max_question_chars
        self._loader = loader
        self._reload_lock = threading.Lock()

    @property
    def index(self) -> SentenceIndex:
        """The index in use now."""
        return self._view.index

    def ask(
        self, question: str, conversation_id: str = "local", article: str | None = None
    ) -> Answer:
        """Answer one question within a conversation, optionally about one article only.

        An unknown ``article`` raises ``UnknownDocumentError`` naming the closest ids.
        """
        view = self._view  # one consistent index for the whole question, even during a reload
        if article is not None:
            view.index.require(article)
        question = clean_text(question)
        cut = len(question) > self._max_chars
        question = question[: self._max_chars]
        answer = self._answer(view, question, conversation_id, article)
        if cut:
            # Say so, rather than silently answer a different question than the one typed.
            note = f"Only the first {self._max_chars:,} characters of the question were read."
            if answer.note:
                note = f"{answer.note}. {note}"
            answer = answer.model_copy(update={"note": note})
        return answer

    def _answer(
        self, view: IndexView, question: str, conversation_id: str, article: str | None
    ) -> Answer:
        """Plan, search, compose, and remember the turn (small talk is not remembered)."""
        lexicon = view.lexicon
        state = self._memory.state(conversation_id)
        plan = read_question(question, state, lexicon)
        if plan.kind is QuestionKind.SMALLTALK:
            # Small talk is not a turn: "thanks" must not break the follow-up after it.
            return compose(question, [], state, evidence_for(view, plan, []), lexicon, plan)
        hits, evidence = gather(view, plan, state, article, self._top_k)
        answer = compose(question, hits, state, evidence, lexicon, plan)
        rows = {(h.doc_id, h.start): h.index for h in (*hits, *evidence.previous.values())}
        cited = tuple(rows[k] for c in answer.citations if (k := (c.doc_id, c.start)) in rows)
        self._memory.remember(
            conversation_id,
            TurnMemory(
                question=question,
                query=plan.remembered,
                subject=plan.subject,
                answered=answer.answered,
                doc_id=answer.citations[0].doc_id if answer.citations else None,
                topic=answer.citations[0].doc_id if answer.answered else evidence.within,
                history=_history(state, plan.remembered, evidence),
                cited=cited,
                names=conversation_names(view, plan, answer, state, cited[0] if cited else None),
            ),
        )
        return answer

    def explain(
        self, question: str, conversation_id: str = "local", article: str | None = None
    ) -> list[Candidate]:
        """The reranked sentences ``ask`` would choose from, best first (nothing is remembered)."""
        view = self._view
        question = question[: self._max_chars]
        state = self._memory.state(conversation_id)
        plan = read_question(question, state, view.lexicon)
        if plan.kind is QuestionKind.SMALLTALK or not plan.query:
            return []
        hits, evidence = gather(view, plan, state, article, self._top_k)
        return rank(plan, hits, evidence, view.lexicon)

    def search(self, query: str, k: int = 5, article: str | None = None) -> list[Hit]:
        """The ranked sentences for a query (inside one article if given), no answer composed."""
        if article is not None:
            self.index.require(article)
        return self.index.search(query, k, within=article)

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
            self._view = IndexView.of(self._loader())
        return f"reloaded: {self.describe()}"


def _history(state: ConversationState, query: str, evidence: Evidence) -> tuple[str, ...]:
    """The conversation's searches after this turn: a question that took the conversation
    out of its article (it names what that article never mentions) starts a new history, so
    the earlier questions do not pull it back."""
    moved = state.topic is not None and evidence.within is None
    return (query,) if moved else state.history_with(query)
