"""The chat core over the real bundled article: answers, declines, conversations, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.core.chat import Chat
from bot.core.conversation import ConversationMemory
from bot.core.evaluation import matches
from bot.core.models import QuestionKind
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex
from tests.conftest import BUNDLED


def build_index(folder: Path = BUNDLED) -> SentenceIndex:
    return SentenceIndex.build(load_corpus(folder).documents)


@pytest.fixture(scope="module")
def index() -> SentenceIndex:
    return build_index()


@pytest.fixture
def chat(index: SentenceIndex) -> Chat:
    return Chat(index)


@pytest.mark.parametrize(
    ("question", "gold", "highlight"),
    [
        ("How many peacekeepers lost their lives?", "310 peacekeepers", "310"),
        ("When did the peacekeeping mission in Mali end?", "concluded its withdrawal", "on Sunday"),
        ("In which year did Mali have coups?", "coups in 2020 and 2021", "2020 and 2021"),
        ("Who heads the UN mission?", "El-Ghassim Wane", "El-Ghassim Wane"),
        ("Why was Mali suspended from ECOWAS?", "suspended from the Economic", None),
    ],
)
def test_answers_with_the_right_sentence_first(
    chat: Chat, question: str, gold: str, highlight: str | None
) -> None:
    answer = chat.ask(question)
    assert answer.answered
    assert matches(answer.citations[0].sentence, [gold])
    if highlight is not None:
        assert answer.highlight == highlight
        assert answer.text.startswith(f"**{highlight}** - ")


def test_citations_point_back_into_the_article(chat: Chat, index: SentenceIndex) -> None:
    answer = chat.ask("How many peacekeepers lost their lives?")
    text = index.documents[0].text
    for citation in answer.citations:
        assert text[citation.start : citation.end] == citation.sentence
        assert citation.paragraph >= 1 and citation.position >= 1


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Canada?",
        "Who painted the Mona Lisa?",
        "How many goals did Pele score?",
        "What is the population of Mali?",
        "zxcv bnm",
    ],
)
def test_declines_what_the_article_does_not_say(chat: Chat, question: str) -> None:
    answer = chat.ask(question)
    assert not answer.answered
    assert answer.text.startswith("I can't find that in the articles I have.")


def test_a_conversation_follows_its_subject(chat: Chat) -> None:
    first = chat.ask("What is MINUSMA?", "c1")
    assert matches(first.citations[0].sentence, ["known as MINUSMA"])
    second = chat.ask("How many of its peacekeepers died?", "c1")
    assert second.highlight == "310" and "MINUSMA" in second.query
    third = chat.ask("And when did it start?", "c1")
    assert third.highlight == "2013"
    # Another conversation does not see c1's subject.
    alone = chat.ask("And when did it start?", "c2")
    assert alone.note is None and "MINUSMA" not in alone.query


def test_small_talk_is_not_a_turn(chat: Chat) -> None:
    chat.ask("Which camp did the UN give up in the north?", "c")
    thanks = chat.ask("thanks", "c")
    assert thanks.kind is QuestionKind.SMALLTALK and not thanks.answered
    why = chat.ask("Why?", "c")
    assert why.answered and "camp" in why.query
    assert matches(why.citations[0].sentence, ["relinquished control", "militant presence"])


def test_reset_forgets_the_subject(chat: Chat) -> None:
    chat.ask("What is MINUSMA?", "c")
    chat.reset("c")
    assert chat.ask("Why?", "c").answered is False


def test_memory_is_bounded(index: SentenceIndex) -> None:
    memory = ConversationMemory(turns=2, conversations=3)
    chat = Chat(index, memory)
    for n in range(10):
        chat.ask("What is MINUSMA?", f"user-{n}")
    assert len(memory) == 3


def test_describe_context_and_search(chat: Chat, index: SentenceIndex) -> None:
    assert chat.describe() == f"1 article, {len(index)} sentences"
    answer = chat.ask("How many peacekeepers lost their lives?")
    citation = answer.citations[0]
    assert citation.sentence in chat.context(citation.doc_id, citation.start)
    hits = chat.search("peacekeepers", 3)
    assert 1 <= len(hits) <= 3 and all("peacekeep" in h.matched for h in hits)


def test_reload_swaps_the_index(tmp_path: Path, index: SentenceIndex) -> None:
    (tmp_path / "a.txt").write_text("The bridge opened in 1999. It cost 5 million euros.\n")
    chat = Chat(index, loader=lambda: build_index(tmp_path))
    assert chat.ask("When did the bridge open?").answered is False
    assert chat.reload() == "reloaded: 1 article, 2 sentences"
    answer = chat.ask("When did the bridge open?")
    assert answer.answered and answer.highlight == "1999"


def test_reload_without_a_loader_says_how_to_fix(chat: Chat) -> None:
    with pytest.raises(RuntimeError, match="restart"):
        chat.reload()


def test_concurrent_questions_get_their_own_answers(chat: Chat) -> None:
    questions = {
        "How many peacekeepers lost their lives?": "310",
        "When did Mali have military coups?": "2020 and 2021",
    }
    errors: list[str] = []

    def ask(n: int) -> None:
        for q, expected in questions.items():
            for _ in range(20):
                answer = chat.ask(q, f"t{n}")
                if answer.highlight != expected:
                    errors.append(f"{q}: {answer.highlight}")

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_very_long_question_is_cut_not_rejected(index: SentenceIndex) -> None:
    chat = Chat(index, max_question_chars=40)
    answer = chat.ask("How many peacekeepers lost their lives? " + "blah " * 1000)
    assert answer.answered and answer.highlight == "310"
    assert answer.note == "Only the first 40 characters of the question were read."
    assert chat.ask("How many peacekeepers lost their lives?").note is None


@pytest.mark.parametrize(
    ("turns", "gold"),
    [
        (["Who is El-Ghassim Wane?", "What did he say?"], "there was a gap"),
        (["Which camp did MINUSMA give up?", "Where is it?"], "relinquished control"),
        (["What is ECOWAS?", "Which countries were suspended from it?"], "suspended from the"),
    ],
)
def test_a_pronoun_reads_as_the_previous_subject(chat: Chat, turns: list[str], gold: str) -> None:
    for question in turns[:-1]:
        chat.ask(question, "p")
    answer = chat.ask(turns[-1], "p")
    assert answer.note is not None and answer.note.startswith("Read as a follow-up")
    assert matches(answer.citations[0].sentence, [gold])


@pytest.mark.parametrize(
    "question",
    ["What is the exchange rate of the euro?", "qwerty uiop", "Who is the pope?"],
)
def test_a_question_about_something_else_mid_conversation_is_declined(
    chat: Chat, question: str
) -> None:
    assert chat.ask("When did MINUSMA end its withdrawal?", "off").answered
    assert not chat.ask("What is the capital of Canada?", "off").answered
    # The conversation still has its article, but none of these words is in any article.
    assert not chat.ask(question, "off").answered
    # A follow-up that points back is still read against the conversation.
    assert chat.ask("Where did it withdraw from?", "off").answered


def test_a_bare_why_without_a_reason_in_the_article_is_declined(chat: Chat) -> None:
    chat.ask("How many peacekeepers lost their lives?", "w")
    why = chat.ask("Why?", "w")
    assert not why.answered and why.kind is QuestionKind.REASON
    assert why.note == "Read as a follow-up to: How many peacekeepers lost their lives?"


def test_it_after_a_which_question_means_its_topic_not_the_asked_noun(chat: Chat) -> None:
    chat.ask("Which countries formed a defence pact?", "pact")
    answer = chat.ask("When did it happen?", "pact")
    assert answer.answered and answer.highlight == "September"
    assert "Alliance of Sahel States" in answer.citations[0].sentence


def test_top_k_is_how_many_sentences_the_answerer_reranks(index: SentenceIndex) -> None:
    question = "How many peacekeepers lost their lives?"
    assert len(Chat(index, top_k=2).explain(question)) == 2
    assert len(Chat(index, top_k=15).explain(question)) > 2
