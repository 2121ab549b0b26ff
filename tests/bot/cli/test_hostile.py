"""Hostile questions through `qabot ask`: a clear reply or a one-line usage error, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import BUNDLED

HOSTILE = {
    "empty": "",
    "whitespace": " \t \n ",
    "punctuation": "?",
    "20k characters": "peacekeepers " * 1600,
    "one word repeated": "Mali " * 5000,
    "control characters": "how many\x00\x01\x07\x1b[31m peacekeepers\x7f died?",
    "right-to-left override": "\u202ehow many peacekeepers died?\u202c",
    "zero-width": "how\u200b many\u200d peace\u200bkeepers died?",
    "emoji and flags": "🇲🇱🇺🇳 how many peacekeepers died? 💀🕊️",
    "full-width": "ＨＯＷ ＭＡＮＹ ＰＥＡＣＥＫＥＥＰＥＲＳ ＤＩＥＤ？",
    "arabic": "كم عدد قوات حفظ السلام الذين ماتوا؟",
    "cyrillic": "Сколько миротворцев погибло?",
    "chinese": "有多少维和人员死亡？",
    "lone surrogate": "how many \ud800 peacekeepers died?",
    "markdown and code fence": "```py\nimport os\n``` **bold** _it_ > how many peacekeepers died?",
    "mentions": "@everyone @here <@&123456789> <@42> how many peacekeepers died?",
    "unicode digits": "How many died ² ⑸ ₂ ➑?",
    "sql and shell": "'; DROP TABLE articles; -- $(rm -rf /) `reboot` | cat /etc/passwd",
}


pytestmark = pytest.mark.usefixtures("isolated_cli")


@pytest.mark.parametrize("question", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_question_gets_a_reply(question: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--corpus", str(BUNDLED), "--json", "--", question])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    data = json.loads(out)
    assert data["text"].strip(), "every question gets a visible reply"
    assert isinstance(data["answered"], bool)
    for citation in data["citations"]:
        text = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
        assert text[citation["start"] : citation["end"]] == citation["sentence"]


@pytest.mark.parametrize("question", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_question_plain_output(question: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--corpus", str(BUNDLED), "--", question])
    out, err = capsys.readouterr()
    assert code == 0 and out.strip() and err == ""
    assert "\x1b" not in out, "no terminal escape from the question reaches the terminal"


def test_overlong_question_is_cut_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    question = "How many peacekeepers lost their lives? " + "padding " * 3000
    code = main(["ask", "--corpus", str(BUNDLED), "--json", "--", question])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["note"] and "1,000" in data["note"]


def test_question_starting_with_dash(capsys: pytest.CaptureFixture[str]) -> None:
    # argparse reads an argument holding a space as a value, so most questions just work ...
    assert main(["ask", "--corpus", str(BUNDLED), "-5 peacekeepers lost their lives?"]) == 0
    assert "[1]" in capsys.readouterr().out
    # ... and a lone word is a one-line usage error that says to use --.
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--corpus", str(BUNDLED), "-peacekeepers"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "put -- before" in err


@pytest.mark.slow
def test_invalid_utf8_argument_through_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    argv = [
        sys.executable.encode(),
        b"-m",
        b"bot",
        b"ask",
        b"--json",
        b"--",
        b"peace \xff\xfe died",
    ]
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(argv, capture_output=True, timeout=60, cwd=root, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert json.loads(result.stdout.decode("utf-8"))["question"] == "peace \ufffd\ufffd died"


@pytest.mark.slow
def test_hostile_questions_through_the_repl(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    env["HOME"] = str(tmp_path)  # history file in a scratch home
    # One line per question; a lone surrogate cannot travel through a pipe, its bytes can.
    lines = [" ".join(q.split()) for q in HOSTILE.values() if "\ud800" not in q]
    stdin = ("\n".join(lines) + "\n").encode("utf-8") + b"peace \xed\xa0\x80 \xff died?\n"
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "repl"],
        input=stdin, capture_output=True, timeout=120, cwd=root, env=env, check=False,
    )  # fmt: skip
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert "\x1b" not in out, "piped output is plain text, and no escape from a question leaks"
    # Every question got a reply before the next prompt (a blank line is just a new prompt).
    asked = [line for line in lines if line.strip()]
    replies = [r for r in out.split("qabot> ")[1:] if r.strip()]
    assert len(replies) == len(asked) + 1
    assert all("\n" in r.strip() for r in replies), "each echo is followed by a reply"
