"""The interactive REPL: a prompt with history, a few ``:commands``, answers with their sources.

On a terminal it uses readline (history kept under the user's state folder) and ``rich`` for
bold and colour; with piped input or output it reads lines and prints plain text, so a
transcript of ``printf 'q1\\nq2\\n' | qabot repl`` is stable (see tests/bot/golden/).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TextIO

import platformdirs
from rich.console import Console

from bot.cli.render_text import render_answer, render_candidates, render_rich, terminal_safe
from bot.core.chat import Chat
from bot.core.inputs import clean_text
from bot.core.verdict_clauses import warm as warm_verdicts
from retrieval.errors import UnknownDocumentError

PROMPT = "qabot> "
CONVERSATION = "repl"
HISTORY_LENGTH = 1000
DEBUG_HITS = 5
MAX_SOURCES_SHOWN = 50
HELP = """Ask a question about the articles; follow-ups such as "Why?" continue the last one.
Commands:
  :help        this text
  :sources     the loaded articles with their ids
  :article ID  keep the conversation to one article (:article alone: all articles again)
  :debug       toggle showing the ranked sentences, their scores and matched terms
  :reset       forget the conversation so far
  :quit        leave (Ctrl-D and Ctrl-C too)"""


class Command(Enum):
    """The REPL's own commands (a line starting with ``:``)."""

    HELP = "help"
    SOURCES = "sources"
    ARTICLE = "article"
    DEBUG = "debug"
    RESET = "reset"
    QUIT = "quit"


_ALIASES = {"h": Command.HELP, "?": Command.HELP, "q": Command.QUIT, "exit": Command.QUIT}


def parse_command(line: str) -> Command | None:
    """The command a ``:word`` line names, or None for a line that is not a known command."""
    parts = line.strip()[1:].split(maxsplit=1)
    word = parts[0].lower() if parts else ""
    if word in _ALIASES:
        return _ALIASES[word]
    try:
        return Command(word)
    except ValueError:
        return None


def history_path() -> Path:
    """Where the REPL keeps its readline history."""
    return Path(platformdirs.user_state_dir("qabot")) / "history"


def _setup_history() -> Callable[[], None]:
    """Load readline history; return the function that saves it (a no-op if it cannot)."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input() still works
        return lambda: None
    path = history_path()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)

    def save() -> None:
        # An unwritable state folder (read-only home, sandbox) only loses the history.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)

    return save


@contextlib.contextmanager
def _keystrokes_kept(stream: TextIO) -> Iterator[None]:
    """Keep the terminal in character mode for the whole session; restore it on the way out.

    readline switches the terminal to character mode only while it reads a line. In line mode
    (while an answer is being worked out) the terminal turns a Ctrl-D typed at the start of a
    line into a bare end-of-line mark, and switching back to character mode hands readline a
    NUL byte in its place: the Ctrl-D is lost and the session waits for another. Left in
    character mode, the Ctrl-D stays a Ctrl-D until readline reads it, as do other keys typed
    ahead (shown once the prompt is back, as readline echoes them itself).
    """
    try:
        import termios
    except ImportError:  # not a POSIX terminal: nothing to keep
        yield
        return
    try:
        fd = stream.fileno()
        original = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):  # not a real terminal (a test's StringIO)
        yield
        return
    keys = termios.tcgetattr(fd)
    keys[3] &= ~(termios.ICANON | termios.ECHO)
    keys[6][termios.VMIN], keys[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSADRAIN, keys)
    try:
        yield
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSADRAIN, original)


class Repl:
    """One REPL session over a chat; ``interactive`` selects prompt, history and colour."""

    def __init__(
        self,
        chat: Chat,
        out: TextIO,
        interactive: bool,
        colour: bool,
        article: str | None = None,
    ) -> None:
        self.chat = chat
        self.article = article
        self.out = out
        self.interactive = interactive
        self.debug = False
        self.console = Console(file=out, highlight=False, soft_wrap=True) if colour else None

    def say(self, text: str) -> None:
        """Print plain text (or styled rich markup on a colour terminal)."""
        print(text, file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """Act on one input line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        if text.startswith(":"):
            return self.command(text)
        # Ranked before asking: the conversation state must be the one the answer saw.
        ranked = self.chat.explain(text, CONVERSATION, self.article) if self.debug else []
        answer = self.chat.ask(text, CONVERSATION, self.article)
        if self.console is not None:
            self.console.print(render_rich(answer))
        else:
            self.say(render_answer(answer))
        if self.debug:
            self.say(f"[debug] kind: {answer.kind.value}; searched: {answer.query or '-'}")
            if answer.query:
                self.say(render_candidates(ranked, DEBUG_HITS))
        self.say("")
        return True

    def command(self, text: str) -> bool:
        """Run a ``:command``; False for :quit."""
        command = parse_command(text)
        if command is None:
            self.say(f"Unknown command {text.split()[0]}; type :help for the list.")
        elif command is Command.QUIT:
            return False
        elif command is Command.HELP:
            self.say(HELP)
        elif command is Command.SOURCES:
            self.say(self.sources())
        elif command is Command.ARTICLE:
            self.choose_article(text.split(maxsplit=1)[1].strip() if " " in text else "")
        elif command is Command.DEBUG:
            self.debug = not self.debug
            self.say(f"debug {'on' if self.debug else 'off'}")
        elif command is Command.RESET:
            self.chat.reset(CONVERSATION)
            self.say("Conversation forgotten.")
        return True

    def choose_article(self, doc_id: str) -> None:
        """Keep the conversation to one article (an empty id: all articles again)."""
        if not doc_id:
            self.article = None
            self.chat.reset(CONVERSATION)
            self.say("Asking about all articles again.")
            return
        try:
            self.article = self.chat.index.require(doc_id)
        except UnknownDocumentError as exc:
            self.say(terminal_safe(str(exc)))
            return
        # A new article starts a new conversation: "she" must not mean someone from another.
        self.chat.reset(CONVERSATION)
        self.say(f"Asking about {terminal_safe(self.article)} only (:article alone to go back).")

    def sources(self) -> str:
        """The loaded articles with their ids, one a line (the first few when there are many)."""
        documents = self.chat.index.documents
        lines = [f"{self.chat.describe()}:"]
        # Index one by one: a large corpus keeps its documents in columns, not a list.
        for n in range(min(len(documents), MAX_SOURCES_SHOWN)):
            doc = documents[n]
            lines.append(f"  {doc.doc_id}  {doc.title}" + (f" <{doc.url}>" if doc.url else ""))
        if len(documents) > MAX_SOURCES_SHOWN:
            lines.append(f"  ... and {len(documents) - MAX_SOURCES_SHOWN:,} more")
        return "\n".join(lines)


def run_repl(
    chat: Chat,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    article: str | None = None,
) -> int:
    """Read questions until :quit or end of input; print each answer. Returns the exit code."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = source.isatty() and out.isatty()
    repl = Repl(chat, out, interactive=interactive, colour=out.isatty(), article=article)
    if interactive:
        warm_verdicts()
        return _run_terminal(repl, source)
    return _run_piped(repl, source)


def _run_terminal(repl: Repl, source: TextIO) -> int:
    try:
        import readline  # noqa: F401
    except ImportError:  # plain input() reads in line mode, where no Ctrl-D is lost
        return _read_lines(repl)
    with _keystrokes_kept(source):
        return _read_lines(repl)


def _read_lines(repl: Repl) -> int:
    save_history = _setup_history()
    repl.say(
        f"qabot: questions about {repl.chat.describe()}. Type :help for commands, Ctrl-D to leave."
    )
    try:
        while True:
            line = clean_text(input(PROMPT))
            if not repl.handle(line):
                return 0
    except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C, at the prompt or mid-answer
        repl.say("")
        return 0
    finally:
        save_history()


def _run_piped(repl: Repl, source: TextIO) -> int:
    # Echo each line after the prompt so a transcript reads like the session it replays.
    try:
        for raw in source:
            line = clean_text(raw)
            repl.say(f"{PROMPT}{terminal_safe(line.rstrip())}")
            if not repl.handle(line):
                return 0
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        # The reader left (``| head``): stop quietly, and keep Python's exit flush from failing.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0
