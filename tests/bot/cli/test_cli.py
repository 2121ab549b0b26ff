"""The command-line contract of DESIGN.md: subcommands, JSON keys, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.settings import Settings
from tests.conftest import BUNDLED, ROOT, SHARED

pytestmark = pytest.mark.usefixtures("isolated_cli")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "ask", "How many peacekeepers lost their lives?", "--json", "--corpus", str(BUNDLED)
    )
    assert code == 0, err
    data = json.loads(out)
    assert {"question", "answered", "text", "citations"} <= data.keys()
    assert data["answered"] is True
    first = data["citations"][0]
    assert {"n", "doc_id", "title", "sentence", "start", "end", "score"} <= first.keys()
    assert "310 peacekeepers" in first["sentence"]
    text = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    assert text[first["start"] : first["end"]] == first["sentence"]
    assert "[1]" in data["text"]
    # The short answer is a span of the document: its offsets point back into the text.
    assert data["highlight"] == "310" and data["verdict"] is None
    assert text[data["highlight_start"] : data["highlight_end"]] == data["highlight"]
    assert data["text"].startswith("**310** - ")


def test_search_json_contract_and_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "search",
        "How many peacekeepers lost their lives?",
        "--json",
        "-k",
        "3",
        "--corpus",
        str(BUNDLED),
    )
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "How many peacekeepers lost their lives?"
    hits = data["hits"]
    assert 1 <= len(hits) <= 3
    assert "310 peacekeepers" in hits[0]["sentence"]
    text = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    for hit in hits:
        assert {"doc_id", "title", "sentence", "start", "end", "score"} <= hit.keys()
        assert text[hit["start"] : hit["end"]] == hit["sentence"]


def test_search_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "Timbuktu camp", "--corpus", str(BUNDLED))
    assert code == 0
    assert out.startswith("1. ") and "Timbuktu" in out


def test_eval_json_keys(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "How many peacekeepers lost their lives?", "gold": ["310 peacekeepers"]}\n'
        '{"question": "What is the capital of Peru?", "gold": []}\n'
        '{"turns": [{"question": "What is MINUSMA?", "gold": ["known as MINUSMA"]}]}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "eval", str(questions), "--json", "--corpus", str(BUNDLED))
    assert code == 0
    data = json.loads(out)
    for key in (
        "questions", "answerable", "hit_at_1", "hit_at_3", "mrr",
        "unanswerable", "abstained_correctly", "false_abstentions", "seconds",
    ):  # fmt: skip
        assert key in data
    assert (data["questions"], data["answerable"], data["unanswerable"]) == (3, 2, 1)
    assert data["hit_at_1"] >= 0.5
    assert data["answer_f1"] is None  # no turn carries a short answer


def test_eval_scores_short_answers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "How many peacekeepers lost their lives?", "gold": ["310 peacekeepers"],'
        ' "answer": "310"}\n'
        '{"question": "When did MINUSMA finish withdrawing?", "gold": ["concluded its'
        ' withdrawal"], "answers": ["Sunday", "on Sunday"]}\n'
        '{"question": "What is the capital of Peru?", "gold": [], "answer": "Lima"}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "eval", str(questions), "--json", "--corpus", str(BUNDLED))
    assert code == 0
    data = json.loads(out)
    # Both answerable turns are highlighted exactly; the unanswerable one is not scored.
    assert (data["answer_f1"], data["answer_exact"], data["short_answered"]) == (1.0, 1.0, 2)


def test_index_builds_then_loads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "index", "--corpus", str(BUNDLED))
    assert code == 0 and out.startswith("built: 1 documents, 15 sentences")
    code, out, _ = run(capsys, "index", "--corpus", str(BUNDLED))
    assert code == 0 and out.startswith("loaded from cache: 1 documents, 15 sentences")


def test_missing_corpus_is_exit_2_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "ask", "x", "--corpus", str(tmp_path / "missing"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "missing" in err and "--corpus" in err


def test_bad_setting_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QABOT_K1", "-3")
    code, _, err = run(capsys, "search", "x", "--corpus", str(BUNDLED))
    assert code == 2
    assert "QABOT_K1" in err and "-3" in err and err.count("\n") == 1


def test_bad_eval_file_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok", "gold": []}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "eval", str(bad), "--corpus", str(BUNDLED))
    assert code == 2 and "bad.jsonl:2" in err and err.count("\n") == 1


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--no-such-flag", "q"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--" in err
    code, _, err = run(capsys, "search", "x", "-k", "0", "--corpus", str(BUNDLED))
    assert code == 2 and "-k" in err


def test_question_starting_with_dash_after_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "ask", "--corpus", str(BUNDLED), "--", "-how many peacekeepers lost their lives?"
    )
    assert code == 0 and "310" in out


def test_corpus_from_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "zebra.txt").write_text("Zebras live in Kenya.", encoding="utf-8")
    monkeypatch.setenv("QABOT_CORPUS", str(folder))
    code, out, _ = run(capsys, "search", "zebras", "--json")
    assert code == 0 and json.loads(out)["hits"][0]["doc_id"] == "zebra"


def test_env_example_lists_every_setting_with_its_default() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"QABOT_{name.upper()}=" in text, name
        default = field.get_default(call_default_factory=False)
        if isinstance(default, (int, float, str, bool)) and not isinstance(default, bool):
            assert f"QABOT_{name.upper()}={default}" in text, name


@pytest.mark.slow
def test_console_script_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "When did MINUSMA finish withdrawing?", "--json"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answered"] is True


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the project")
def test_dev_set_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "eval",
        str(SHARED / "eval" / "minusma-dev.jsonl"),
        "--json",
        "--corpus",
        str(BUNDLED),
    )
    assert code == 0
    data = json.loads(out)
    assert data["questions"] == 25 and data["answerable"] == 20


@pytest.mark.slow
def test_reader_leaving_early_is_not_an_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "search", "Mali", "-k", "15"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: nobody reads the output
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_eval_cleans_lone_surrogates_and_rejects_blank_gold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"question": "\\ud800 What is MINUSMA?", "gold": ["known as MINUSMA"]}\n')
    code, out, _ = run(capsys, "eval", str(odd), "--json", "--corpus", str(BUNDLED))
    assert code == 0 and json.loads(out)["questions"] == 1
    blank = tmp_path / "blank.jsonl"
    blank.write_text('{"question": "x", "gold": [" "]}\n')
    code, _, err = run(capsys, "eval", str(blank), "--corpus", str(BUNDLED))
    assert code == 2 and "blank.jsonl:1" in err and "gold" in err and "[]" in err


def test_undecodable_env_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / ".env").write_bytes(b"QABOT_TOP_K=\xff\n")
    code, _, err = run(capsys, "search", "x", "--corpus", str(BUNDLED))
    assert code == 2 and ".env" in err and err.count("\n") == 1


def test_home_in_paths_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("QABOT_CACHE_DIR", "~/cache-here")
    assert Settings(_env_file=None).cache_dir == tmp_path / "cache-here"


def test_skipped_files_are_one_line_on_a_start_and_listed_by_index_verbose(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    article = (BUNDLED / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(article, encoding="utf-8")
    for n in range(3):
        (corpus / f"copy{n}.txt").write_text(article, encoding="utf-8")
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    for _ in range(2):  # the build, then a start from the cache: the same one line
        code, out, err = run(capsys, "ask", "How many peacekeepers died?", "--corpus", str(corpus))
        assert code == 0 and "310" in out
        assert err.count("\n") == 1, err
        assert "skipped 4 files (3 duplicates, 1 binary file)" in err
        assert "qabot index --verbose" in err
    code, _, err = run(capsys, "index", "--verbose", "--corpus", str(corpus))
    assert code == 0
    assert sum("duplicate of" in line for line in err.splitlines()) == 3
    assert any("blob.txt: skipped: binary file" in line for line in err.splitlines())
