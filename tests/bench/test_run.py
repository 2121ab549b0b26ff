"""The benchmark runs end to end on a tiny corpus and its JSON names the commit it measured."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from bench import corpus as generator
from bench import run
from tests.bench.test_generator import make_archive


def test_the_benchmark_runs_on_a_tiny_corpus_and_keeps_the_previous_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = make_archive(tmp_path)
    monkeypatch.setitem(generator.SIZES, "1m", 30)  # the targets' size, made tiny
    docs = tmp_path / "docs"
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{run.README_START}\nold figures\n{run.README_END}\n", "utf-8")
    argv = ["--work", str(tmp_path / "work"), "--sizes", "1m", "--questions", "3"]
    argv += ["--docs", str(docs), "--archive", str(archive), "--readme", str(readme)]
    if importlib.util.find_spec("matplotlib") is None:
        argv.append("--no-plot")
    assert run.main(argv) == 0
    first = json.loads((docs / "benchmarks.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[0-9a-f]{40}", first["commit"]["sha"])
    assert {r["engine"] for r in first["runs"]} == {"bm25s", "rank-bm25"}
    fast = next(r for r in first["runs"] if r["engine"] == "bm25s")
    questions = list((tmp_path / "work").glob("questions-*.jsonl"))
    asked = len(questions[0].read_text(encoding="utf-8").splitlines())
    assert fast["build"]["sentences"] >= 30 and fast["cli"]["eval_questions"] == asked > 0
    assert fast["cli"]["ask_seconds"] > 0 and fast["cli"]["ask_peak_mb"] > 0
    page = (docs / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert first["commit"]["sha"][:12] in page
    assert "No previous run is kept" in page
    # The README's scale sentences are this run's figures, between their markers.
    scale = readme.read_text(encoding="utf-8")
    assert "old figures" not in scale and f"{fast['build']['sentences']:,} sentences" in scale
    assert scale.startswith("# x\n\n") and scale.rstrip().endswith(run.README_END)
    # A second run keeps the first as its "before", read from JSON, never typed in.
    assert run.main([*argv, "--engines", "bm25s"]) == 0
    previous = json.loads((docs / "benchmarks-previous.json").read_text(encoding="utf-8"))
    assert previous == first
    page = (docs / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "## Before: the previous run" in page and "No previous run" not in page
    names = [name for name, _, _, _ in run.target_checks(previous)]
    assert any("hit@1" in name for name in names) and any("rank-bm25" in name for name in names)
    assert any("yes/no" in name for name in names)


def test_render_only_redraws_from_the_json(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    results = {
        "commit": {"sha": "a" * 40, "subject": "s", "dirty": False},
        "machine": {
            "cpu": "c", "cores": 2, "memory_gb": 1.0, "python": "3.11", "numpy": "2",
            "bm25s": "0.3", "rank_bm25": "0.2", "load_average_at_start": 1.0, "date": "d",
        },
        "questions": 0,
        "runs": [],
    }  # fmt: skip
    (docs / "benchmarks.json").write_text(json.dumps(results), encoding="utf-8")
    assert run.main(["--render-only", "--docs", str(docs), "--no-plot"]) == 0
    assert "`aaaaaaaaaaaa`" in (docs / "BENCHMARKS.md").read_text(encoding="utf-8")


def test_a_known_item_question_asked_as_yes_no_reads_as_one() -> None:
    from bot.core.models import QuestionKind
    from bot.core.questions import classify

    asked = run.yes_no_form("What about harbour fees rose?")
    assert asked == "Is it true that harbour fees rose?"
    assert classify(asked) is QuestionKind.YESNO


def test_the_power_law_fit_recovers_known_exponents() -> None:
    a, k = run.power_law([1e4, 1e5, 1e6], [2.0, 20.0, 200.0])
    assert abs(k - 1.0) < 1e-9 and abs(a * 1e7 - 2000.0) < 1e-6
    _, k = run.power_law([1e4, 1e6], [5.0, 5.0])
    assert abs(k) < 1e-9


def test_the_projection_table_goes_between_its_markers(tmp_path: Path) -> None:
    def row(size: str, n: int) -> dict[str, object]:
        return {
            "size": size, "engine": "bm25s",
            "build": {"sentences": n, "seconds": n / 1e4, "cache_mb": n / 3e3, "peak_mb": 100.0},
            "cli": {"ask_peak_mb": 60.0, "ask_seconds": 0.5},
            "serve": {"ask_median_ms": 1.0},
        }  # fmt: skip

    results = {
        "commit": {"sha": "b" * 40},
        "machine": {"date": "today", "load_average_at_start": 1.0},
        "runs": [row("100k", 100_000), row("1m", 1_000_000)],
    }
    page = tmp_path / "LARGE.md"
    page.write_text(f"a\n{run.PROJECTION_START}\nold\n{run.PROJECTION_END}\nb\n", "utf-8")
    assert run.replace_between(
        page, run.PROJECTION_START, run.PROJECTION_END, run.projection_table(results)
    )
    text = page.read_text(encoding="utf-8")
    assert "old" not in text and "`bbbbbbbbbbbb`" in text
    # Build time grows linearly here: 100 s at 1M is 1,000 s at 10M, 10,000 s at 100M.
    assert "| build from raw files (k 1.00) | 100 s | 1,000 s | 10,000 s | 10,000 s |" in text
