"""``qabot chat``: a conversation over standard input and output, one JSON object a line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.chat_stream import LineError, read_line, run_chat_stream
from bot.core.chat import Chat
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex
from tests.conftest import BUNDLED, ROOT


@pytest.fixture(scope="module")
def chat() -> Chat:
    return Chat(SentenceIndex.build(load_corpus(BUNDLED).documents))


def converse(chat: Chat, *lines: str, article: str | None = None) -> list[dict[str, object]]:
    out = io.StringIO()
    assert run_chat_stream(chat, [f"{line}\n" for line in lines], out, as_json=True,
                           article=article) == 0  # fmt: skip
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gets_the_ask_json_object_plus_its_conversation(chat: Chat) -> None:
    replies = converse(
        chat,
        "How many peacekeepers lost their lives?",
        json.dumps({"question": "What is MINUSMA?", "conversation": "other"}),
    )
    assert len(replies) == 2
    first, second = replies
    assert first["conversation"] == "stdin" and first["answered"] is True
    assert {"question", "answered", "text", "citations", "highlight"} <= first.keys()
    assert second["conversation"] == "other"


def test_turns_of_one_conversation_share_memory_and_others_do_not(chat: Chat) -> None:
    replies = converse(
        chat,
        json.dumps({"question": "How many peacekeepers lost their lives?", "conversation": "a"}),
        json.dumps({"question": "Why?", "conversation": "b"}),
        json.dumps({"question": "Which camp did MINUSMA give up?", "conversation": "a"}),
        json.dumps({"question": "Where is it?", "conversation": "a"}),
    )
    assert replies[1]["note"] is None  # "b" has no earlier turn to lean on
    assert str(replies[3]["note"]).startswith("Read as a follow-up to: Which camp")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("{not json", "not valid JSON"),
        ('{"question": "Q?", "conversation": 5}', "conversation: Input should be a valid"),
        ('{"question": 5}', "question: Input should be a valid string"),
        ('{"question": ""}', "question: String should have at least 1 character"),
        ('{"conversation": "x"}', "question: Field required"),
        ('{"question": "Who?", "article": "minusma"}', "closest ids are 'minusma-withdrawal'"),
    ],
)
def test_a_line_it_cannot_read_gets_an_error_object_and_the_next_line_is_read(
    chat: Chat, line: str, says: str
) -> None:
    replies = converse(chat, line, "How many peacekeepers lost their lives?")
    assert len(replies) == 2
    assert set(replies[0]) == {"error"} and says in str(replies[0]["error"])
    assert replies[1]["answered"] is True


def test_the_default_article_applies_to_lines_that_name_none(chat: Chat) -> None:
    (reply,) = converse(chat, "How many peacekeepers died?", article="minusma-withdrawal")
    assert reply["citations"][0]["doc_id"] == "minusma-withdrawal"  # type: ignore[index]


def test_read_line_plain_and_json() -> None:
    assert read_line("What is MINUSMA?\n", None).question == "What is MINUSMA?"
    turn = read_line('{"question": "Q?", "conversation": "c"}', "a")
    assert (turn.question, turn.conversation, turn.article) == ("Q?", "c", "a")
    # Only a line that opens with "{" is read as JSON; anything else is a question.
    assert read_line("[1, 2]", None).question == "[1, 2]"
    with pytest.raises(LineError):
        read_line("{1: 2}", None)


def test_the_command_answers_each_line_before_the_next_is_sent(tmp_path: Path) -> None:
    """A driving program writes a line and waits for its answer: every reply is flushed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--json", "--corpus", str(BUNDLED)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for question in ("How many peacekeepers lost their lives?", "{oops", "Why?"):
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
            reply = json.loads(proc.stdout.readline())  # blocks until that answer is written
            assert ("error" in reply) == (question == "{oops")
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0
    finally:
        proc.kill()
        proc.wait()


def test_short_answers_and_verdicts_come_with_offsets_into_the_document(chat: Chat) -> None:
    first, second = converse(
        chat, "Who requested the departure of the UN peacekeepers?", "Did Mali have military coups?"
    )
    text = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    start, end = first["highlight_start"], first["highlight_end"]
    assert isinstance(start, int) and isinstance(end, int)
    assert text[start:end] == first["highlight"] == "Mali’s ruling military government"
    assert second["verdict"] == "yes" and second["highlight"] is None
    assert str(second["text"]).startswith("**Yes** - ")
