"""The REPL end to end: in a pseudo-terminal as a user types, and piped against golden files.

Golden transcripts live in tests/bot/golden/ (see its README to regenerate them).
"""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pexpect
import pytest

from bot.core.chat import Chat
from bot.repl.session import Command, _keystrokes_kept, parse_command, run_repl
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex
from tests.conftest import BUNDLED, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
# A bound on waiting for the REPL's output, not a speed target: a session answers within a
# second or two when the machine is idle.
TIMEOUT = 60


def clean_env(state: Path) -> dict[str, str]:
    """The environment without QABOT_* settings, with the state folder (history) in ``state``."""
    skip = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_") and k not in skip}
    env.update(XDG_STATE_HOME=str(state), TERM="xterm-256color", COLUMNS="200")
    return env


@pytest.fixture(scope="module")
def chat() -> Chat:
    return Chat(SentenceIndex.build(load_corpus(BUNDLED).documents))


@pytest.mark.parametrize(
    ("line", "command"),
    [
        (":help", Command.HELP),
        (":?", Command.HELP),
        (" :SOURCES ", Command.SOURCES),
        (":debug", Command.DEBUG),
        (":reset", Command.RESET),
        (":quit", Command.QUIT),
        (":q", Command.QUIT),
        (":exit", Command.QUIT),
        (":nonsense", None),
    ],
)
def test_parse_command(line: str, command: Command | None) -> None:
    assert parse_command(line) is command


def test_in_process_session_stops_at_quit(chat: Chat) -> None:
    out = io.StringIO()
    code = run_repl(
        chat, io.StringIO("How many peacekeepers lost their lives?\n:quit\nWhy?\n"), out
    )
    text = out.getvalue()
    assert code == 0
    assert "310 - With 310 peacekeepers" in text
    assert "[1] Minusma withdrawal, paragraph 2, sentence 1" in text
    assert "qabot> Why?" not in text
    assert "\x1b[" not in text  # plain text when not on a terminal


@pytest.mark.slow
@pytest.mark.parametrize("name", ["minusma-session", "debug-session"])
def test_piped_transcript_matches_golden(name: str, tmp_path: Path) -> None:
    given = (GOLDEN / f"{name}.in").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "repl", "--no-cache", "--corpus", str(BUNDLED)],
        input=given,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
        env=clean_env(tmp_path),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected = GOLDEN / f"{name}.out"
    if os.environ.get("QABOT_UPDATE_GOLDEN"):
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


def spawn(state: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "repl", "--no-cache"],
        cwd=str(ROOT),
        env=clean_env(state),
        timeout=TIMEOUT,
        encoding="utf-8",
        dimensions=(50, 200),
    )
    child.expect_exact("Type :help for commands")
    child.expect_exact("qabot> ")
    return child


def test_terminal_session_as_a_user_types(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.sendline("How many peacekeepers lost their lives?")
    child.expect_exact("Sources:")
    screen = child.before
    child.expect_exact("qabot> ")
    assert "310" in screen and "\x1b[1" in screen  # the answer phrase in bold on a terminal
    child.sendline(":debug")
    child.expect_exact("debug on")
    child.sendline("Why?")
    child.expect_exact("[debug] kind: reason; searched: Why? peacekeepers lost lives")
    child.expect_exact("1. ")  # the ranked hits follow
    child.expect_exact("qabot> ")
    child.sendline(":reset")
    child.expect_exact("Conversation forgotten.")
    child.sendline("Why?")
    child.expect_exact("I can't find that in the articles I have.")
    child.expect_exact("qabot> ")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    history = tmp_path / "qabot" / "history"
    assert "How many peacekeepers lost their lives?" in history.read_text(encoding="utf-8")


@pytest.mark.slow
def test_history_is_recalled_with_the_up_arrow(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.sendline("What is MINUSMA?")
    child.expect_exact("qabot> ")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child = spawn(tmp_path)  # a new session reads the saved history
    child.send("\x1b[A\x1b[A")  # up arrow twice: past ":quit" to the question
    child.send("\r")
    child.expect_exact("known as MINUSMA")
    child.expect_exact("qabot> ")  # the answer is printed in full before Ctrl-D is sent
    child.sendcontrol("d")
    child.expect(pexpect.EOF)


def wait_until_waiting_for_a_key(child: pexpect.spawn) -> None:
    """Return once the REPL, its prompt drawn, sleeps waiting for a key (Linux; else at once).

    CPython's readline notices Ctrl-C only while it sleeps in select(): one that lands in the
    instant between drawing the prompt and starting to wait is held until the next key. No
    person types that fast; a test on a busy machine, descheduled at the wrong moment, can.
    """
    stat = Path(f"/proc/{child.pid}/stat")
    if not stat.exists():
        return
    deadline = time.monotonic() + TIMEOUT
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "S":  # S: asleep, here in select()
        assert time.monotonic() < deadline, "the REPL never settled down to wait for a key"
        time.sleep(0.01)


def test_ctrl_c_leaves_cleanly(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    wait_until_waiting_for_a_key(child)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_an_unwritable_state_folder_only_loses_history(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    child = spawn(blocker)
    child.sendline("What is MINUSMA?")
    child.expect_exact("known as MINUSMA")
    child.expect_exact("qabot> ")  # the answer is printed in full before Ctrl-D is sent
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_a_ctrl_d_typed_before_the_prompt_is_back_still_ends_the_session(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.sendline("What is MINUSMA?")
    child.expect_exact("known as MINUSMA")
    child.sendcontrol("d")  # typed ahead: the REPL may still be printing the answer
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_a_key_typed_while_an_answer_is_worked_out_reaches_readline_as_typed() -> None:
    primary, secondary = os.openpty()
    try:
        with os.fdopen(secondary, closefd=False) as terminal:
            before = termios.tcgetattr(secondary)
            with _keystrokes_kept(terminal):
                os.write(primary, b"\x04")  # Ctrl-D, between two of readline's reads
                assert os.read(secondary, 1) == b"\x04"  # what readline then reads
            assert termios.tcgetattr(secondary) == before
    finally:
        os.close(primary)
        os.close(secondary)


@pytest.mark.skipif(sys.platform != "linux", reason="how Linux's terminal driver handles it")
def test_in_line_mode_a_ctrl_d_would_reach_readline_as_a_nul() -> None:
    # Why the REPL keeps character mode: what happened to a Ctrl-D typed mid-answer before.
    primary, secondary = os.openpty()
    try:
        os.write(primary, b"\x04")  # line mode, as readline leaves the terminal between reads
        # Readable once the terminal driver has taken the key in (as an end of line).
        assert select.select([secondary], [], [], TIMEOUT)[0] == [secondary]
        keys = termios.tcgetattr(secondary)
        keys[3] &= ~(termios.ICANON | termios.ECHO)  # readline's own mode for the next read
        termios.tcsetattr(secondary, termios.TCSANOW, keys)
        assert os.read(secondary, 1) == b"\x00"
    finally:
        os.close(primary)
        os.close(secondary)


@pytest.mark.slow
def test_a_reader_that_leaves_early_ends_the_session_quietly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "repl", "--no-cache", "--corpus", str(BUNDLED)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=ROOT, env=clean_env(tmp_path),
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"How many peacekeepers lost their lives?\n" * 2000)
    process.stdin.close()
    assert process.stdout.readline().startswith(b"qabot> How many")
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=TIMEOUT) == 0
    assert process.stderr is not None and process.stderr.read() == b""
