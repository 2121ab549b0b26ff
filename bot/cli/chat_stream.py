"""The ``qabot chat`` adapter: a conversation over standard input and output, a line a turn.

A plain line is a question; a line holding a JSON object is ``{"question": str,
"conversation": str (optional), "article": DOC_ID (optional)}``. With ``--json`` each turn
writes one line, the ``ask --json`` object plus ``"conversation"``; without it, the answer as
plain text and a blank line. A line that cannot be read gets ``{"error": "..."}`` (or an
``error:`` line) and the next line is read: only the end of input ends the conversation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from pydantic import Field, ValidationError

from bot.cli.render_text import render_answer
from bot.core.chat import Chat
from bot.core.inputs import clean_text
from bot.core.models import Answer
from retrieval.errors import UnknownDocumentError
from retrieval.models import Frozen

DEFAULT_CONVERSATION = "stdin"


class ChatLine(Frozen):
    """One turn as a JSON line."""

    model_config = Frozen.model_config | {"extra": "ignore"}
    question: str = Field(min_length=1)
    conversation: str = DEFAULT_CONVERSATION
    article: str | None = None


class LineError(ValueError):
    """A line that is not a question; the message says what is wrong and what is expected."""


def read_line(line: str, article: str | None) -> ChatLine:
    """The turn a line asks for (``article`` is the default for lines that name none)."""
    text = clean_text(line).strip()
    if not text.startswith("{"):
        return ChatLine(question=text, article=article)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LineError(
            f"the line is not valid JSON ({exc.msg} at column {exc.colno}); "
            'send a plain question or {"question": "..."}'
        ) from None
    if not isinstance(data, dict):
        raise LineError('expected a JSON object such as {"question": "..."}')
    try:
        turn = ChatLine.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"]) or "line"
        raise LineError(
            f"{where}: {err['msg']}; expected "
            '{"question": str, "conversation": str (optional), "article": str (optional)}'
        ) from None
    if turn.article is None and article is not None:
        turn = turn.model_copy(update={"article": article})
    return turn


def answer_json(answer: Answer, conversation: str) -> str:
    """The ``ask --json`` object of an answer plus its conversation id, as one line."""
    data = answer.model_dump(mode="json")
    data["conversation"] = conversation
    return json.dumps(data, ensure_ascii=False)


def run_chat_stream(
    chat: Chat, lines: Iterable[str], out: TextIO, *, as_json: bool, article: str | None = None
) -> int:
    """Answer every line of ``lines`` in order; returns the exit code (0 at end of input)."""
    for line in lines:
        if not line.strip():
            continue
        try:
            turn = read_line(line, article)
            answer = chat.ask(turn.question, turn.conversation, turn.article)
        except (LineError, UnknownDocumentError) as exc:
            reply = (
                json.dumps({"error": str(exc)}, ensure_ascii=False)
                if as_json
                else (f"error: {exc}\n")
            )
            print(reply, file=out, flush=True)
            continue
        if as_json:
            print(answer_json(answer, turn.conversation), file=out, flush=True)
        else:
            print(f"{render_answer(answer)}\n", file=out, flush=True)
    return 0
