"""Reading a question within its conversation: what is searched inside the article."""

from __future__ import annotations

from bot.core.conversation import ConversationState, TurnMemory
from bot.core.lexicon import Lexicon
from bot.core.reading import read_question
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()
LEXICON = Lexicon(TOKENIZER.tokenize)


def after(question: str, subject: str) -> ConversationState:
    """A conversation whose last turn asked ``question`` about ``subject``."""
    last = TurnMemory(question=question, query=question, subject=subject, answered=True)
    return ConversationState(turns=(last,))


def terms(text: str) -> set[str]:
    return set(TOKENIZER.tokenize(text))


def test_a_follow_up_with_words_of_its_own_searches_only_those_in_the_article() -> None:
    state = after("Which bakery did the mayor open?", "bakery mayor")
    plan = read_question("When did it close?", state, LEXICON)
    assert plan.follow_up is not None  # "it" borrows the bakery...
    assert {"bakeri", "mayor"} <= terms(plan.query)  # ...which the open search still holds
    assert terms(plan.article_query) == {"close"}
    # The borrowed words still count when a sentence is ranked.
    assert {s.word for s in plan.slots if s.inherited} == {"bakery", "mayor"}


def test_a_follow_up_with_nothing_of_its_own_searches_what_it_borrowed() -> None:
    state = after("Which bakery did the mayor open?", "bakery mayor")
    for question in ("Why?", "When?", "And then?"):
        plan = read_question(question, state, LEXICON)
        assert plan.article_query == plan.query
        assert "bakery" in plan.article_query


def test_a_question_that_stands_alone_searches_its_words_and_their_synonyms() -> None:
    plan = read_question("When did the mayor open the bakery?", ConversationState(), LEXICON)
    assert plan.follow_up is None and plan.article_query == plan.query
