"""Conversation memory (bounded, expiring, resettable) and the follow-up rule."""

from __future__ import annotations

import threading

import pytest

from bot.core.conversation import (
    ConversationMemory,
    ConversationState,
    TurnMemory,
    content_words,
    read_follow_up,
    subject_of,
)
from retrieval.tokens import Tokenizer

TERMS = Tokenizer().tokenize


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def turn(question: str, subject: str = "", query: str | None = None) -> TurnMemory:
    return TurnMemory(
        question=question,
        query=query if query is not None else question,
        subject=subject,
        answered=True,
    )


def after(*turns: TurnMemory) -> ConversationState:
    return ConversationState(turns=turns)


def test_content_words_drop_stop_and_question_words() -> None:
    assert content_words("And how many of its peacekeepers died?", TERMS) == [
        "peacekeepers",
        "died",
    ]
    assert content_words("Why?", TERMS) == []
    # "else" asks for another answer to the question before; no sentence need say it.
    assert content_words("Who else is painting murals?", TERMS) == ["painting", "murals"]
    # "Which one?": a pronoun for an item named before; "one of" and "one goal" still count.
    assert content_words("Which one?", TERMS) == []
    assert content_words("Who scored one goal?", TERMS) == ["scored", "one", "goal"]


def test_a_preposition_before_the_question_word_only_relates_the_answer() -> None:
    # "Near what?", "Along with whom?": nothing of their own to search, so elliptical.
    assert content_words("Near what?", TERMS) == []
    assert content_words("Along with whom?", TERMS) == []
    assert content_words("Since when?", TERMS) == []
    # Before a noun, or in a question with words of its own, it is the question's own word.
    assert content_words("What is near the harbour?", TERMS) == ["near", "harbour"]
    assert content_words("The dam stands near what town?", TERMS) == [
        "dam",
        "stands",
        "near",
        "town",
    ]
    state = after(turn("Where was the tanker towed?", subject="tanker"))
    follow = read_follow_up("Near what?", state, TERMS)
    assert follow is not None and follow.carried == "tanker towed"


def test_subject_prefers_names() -> None:
    assert subject_of("What is MINUSMA?", TERMS) == "MINUSMA"
    assert subject_of("Which camp did the UN give up in the north?", TERMS) == "camp UN"
    assert subject_of("How many peacekeepers died in Mali?", TERMS) == "peacekeepers Mali"
    assert subject_of("why did the camp close?", TERMS) == "camp close"


@pytest.mark.parametrize(
    ("question", "carried"),
    [
        ("Why?", "camp UN give north"),  # elliptical: the whole previous search
        ("How many?", "camp UN give north"),
        ("When?", "camp UN give north"),
        ("And when did it start?", "UN"),  # a pronoun: the previous subject
        ("How many of its peacekeepers died?", "UN"),
        ("Which countries are in it?", "UN"),
        ("What about the south?", "camp UN give north"),
        ("Who else?", "camp UN give north"),
    ],
)
def test_follow_ups_borrow_from_the_previous_turn(question: str, carried: str) -> None:
    state = after(turn("Which camp did the UN give up in the north?", subject="UN"))
    follow = read_follow_up(question, state, TERMS)
    assert follow is not None
    assert follow.carried == carried
    assert follow.previous_question == "Which camp did the UN give up in the north?"


@pytest.mark.parametrize(
    "question",
    [
        "Who is El-Ghassim Wane?",
        "When did Mali have military coups?",
        "When did France pull out its troops?",  # "its" is France, named in the question
        "What is the Alliance of Sahel States?",
        "What is MINUSMA?",
        "What is peacekeeping?",
    ],
)
def test_self_contained_questions_stand_alone(question: str) -> None:
    state = after(turn("What is MINUSMA?", subject="MINUSMA"))
    assert read_follow_up(question, state, TERMS) is None


def test_no_follow_up_without_a_previous_turn() -> None:
    assert read_follow_up("Why?", ConversationState(), TERMS) is None


def test_follow_up_does_not_repeat_its_own_words() -> None:
    state = after(turn("When did the mission start?", subject="mission start"))
    follow = read_follow_up("Why did it start?", state, TERMS)
    assert follow is not None and follow.carried == "mission"


def test_memory_keeps_the_last_turns_only() -> None:
    memory = ConversationMemory(turns=2)
    for q in ["q1", "q2", "q3"]:
        memory.remember("c", turn(q))
    assert [t.question for t in memory.state("c").turns] == ["q2", "q3"]
    assert memory.state("c").last == turn("q3")


def test_memory_expires_idle_conversations() -> None:
    clock = FakeClock()
    memory = ConversationMemory(ttl_seconds=60, clock=clock)
    memory.remember("c", turn("q1"))
    clock.now = 59
    assert memory.state("c").last is not None
    clock.now = 59 + 61
    assert memory.state("c").turns == ()
    memory.remember("c", turn("q2"))
    assert [t.question for t in memory.state("c").turns] == ["q2"]


def test_memory_evicts_the_least_recently_used_conversation() -> None:
    memory = ConversationMemory(conversations=2)
    memory.remember("a", turn("qa"))
    memory.remember("b", turn("qb"))
    memory.remember("a", turn("qa2"))  # a is now the most recent
    memory.remember("c", turn("qc"))
    assert len(memory) == 2
    assert memory.state("b").turns == ()
    assert memory.state("a").last == turn("qa2")


def test_reset_forgets_one_conversation() -> None:
    memory = ConversationMemory()
    memory.remember("a", turn("qa"))
    memory.remember("b", turn("qb"))
    memory.reset("a")
    memory.reset("never-seen")
    assert memory.state("a").turns == ()
    assert memory.state("b").last == turn("qb")


def test_memory_is_safe_across_threads() -> None:
    memory = ConversationMemory(turns=3, conversations=50)

    def work(n: int) -> None:
        for i in range(200):
            memory.remember(f"c{(n * 7 + i) % 80}", turn(f"q{i}"))
            memory.state(f"c{i % 80}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(memory) == 50
    assert all(len(memory.state(f"c{i}").turns) <= 3 for i in range(80))


def test_the_general_noun_points_back_like_a_pronoun() -> None:
    state = after(turn("When did Mali have coups?", subject="Mali"))
    follow = read_follow_up("How safe is the country?", state, TERMS)
    assert follow is not None
    assert follow.carried == "Mali" and follow.stand_ins == ("country",)
    # With enough words of its own, "the mission" is just part of a new question.
    assert read_follow_up("What did the head of the mission admit?", state, TERMS) is None


def test_a_past_verb_after_what_is_not_the_subject() -> None:
    assert subject_of("What happened in Timbuktu?", TERMS) == "Timbuktu"
