"""Gathering a follow-up's candidates inside the conversation's article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.conversation import ConversationState, TurnMemory
from bot.core.gathering import IndexView, gather
from bot.core.reading import read_question
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex

TARGET = "The old family bakery on the market square closed its doors at noon."


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> IndexView:
    folder: Path = tmp_path_factory.mktemp("articles")
    short = [
        "The mayor opened a new bakery in the old town on Monday.",
        "Crowds queued in the rain for the first loaves.",
        "The shop closed at six after selling out.",
    ]
    (folder / "short.txt").write_text("\n".join(short), encoding="utf-8")
    # A book-length text: many sentences say "closed", one says which bakery.
    lines = [
        f"Shop number {i} closed at noon." if i % 10 == 0 else f"Line {i} is about the weather."
        for i in range(440)
    ]
    (folder / "long.txt").write_text("\n".join([*lines, TARGET]), encoding="utf-8")
    return IndexView.of(SentenceIndex.build(load_corpus(folder).documents))


def after_bakery() -> ConversationState:
    question = "Which bakery did the mayor open?"
    last = TurnMemory(question=question, query=question, subject="bakery", answered=True)
    return ConversationState(turns=(last,))


def test_in_a_short_article_a_follow_up_searches_its_own_words(view: IndexView) -> None:
    state = after_bakery()
    plan = read_question("When did it close?", state, view.lexicon)
    hits, _evidence = gather(view, plan, state, "short", 15)
    assert len(hits) == 3  # read whole
    score = {h.sentence: h.score for h in hits}
    # Only the sentence with the question's own word scores; the one holding just the
    # borrowed "bakery" is still a candidate, ranked by coverage and the conversation.
    assert score["The shop closed at six after selling out."] > 0
    assert score["The mayor opened a new bakery in the old town on Monday."] == 0


def test_in_a_long_text_the_borrowed_words_still_narrow_the_search(view: IndexView) -> None:
    state = after_bakery()
    plan = read_question("When did it close?", state, view.lexicon)
    hits, _evidence = gather(view, plan, state, "long", 15)
    assert len(hits) <= 15
    assert hits[0].sentence == TARGET
