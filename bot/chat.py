"""The chat core: the one ``ask`` API every adapter calls."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.answerer import compose
from bot.conversation import ConversationMemory, TurnMemory
from bot.models import Answer
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
        top_k: int = 5,
        max_question_chars: int = 1000,
        loader: IndexLoader | None = None,
    ) -> None:
        self._index = index
        self._memory = memory or ConversationMemory()
        self._top_k = top_k
        self._max_chars = max_question_chars
        self._loader = loader
        self._reload_lock = threading.Lock()

    @property
    def index(self) -> SentenceIndex:
        """The index in use now."""
        return self._index

    def ask(self, question: str, conversation_id: str = "local") -> Answer:
        """Answer one question within a conversation."""
        index = self._index  # one consistent index for the whole question, even during a reload
        state = self._memory.state(conversation_id)
        hits = index.search(question[: self._max_chars], self._top_k)
        answer = compose(question, hits, state)
        top = answer.citations[0].doc_id if answer.citations else None
        self._memory.remember(
            conversation_id,
            TurnMemory(question=question, query=answer.query, subject="", answered=answer.answered, doc_id=top),
        )
        return answer

    def search(self, query: str, k: int | None = None) -> list[Hit]:
        """The ranked sentences for a query, without composing an answer."""
        return self._index.search(query, k or self._top_k)

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation's earlier turns."""
        self._memory.reset(conversation_id)

    def context(self, doc_id: str, start: int) -> str:
        """The paragraph holding the cited sentence that starts at ``start``."""
        return self._index.paragraph(doc_id, start)

    def describe(self) -> str:
        """A short summary of what is searched, e.g. ``1 article, 15 sentences``."""
        docs = len(self._index.documents)
        sentences = len(self._index)
        return f"{docs:,} article{'s' if docs != 1 else ''}, {sentences:,} sentence{'s' if sentences != 1 else ''}"

    def reload(self) -> str:
        """Rebuild the index from the corpus and swap it in; the old one stays on failure."""
        if self._loader is None:
            raise RuntimeError("this chat was built without a corpus loader; restart to reload")
        with self._reload_lock:
            fresh = self._loader()
            self._index = fresh
        return f"reloaded: {self.describe()}"
