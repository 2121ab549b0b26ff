"""The interactive REPL (placeholder until the full REPL lands)."""

from __future__ import annotations

from bot.chat import Chat
from bot.render_text import render_answer


def run_repl(chat: Chat) -> int:
    """Read questions until end of input; print each answer."""
    while True:
        try:
            line = input("qabot> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip() in {":quit", ":q"}:
            return 0
        print(render_answer(chat.ask(line, "repl")))
