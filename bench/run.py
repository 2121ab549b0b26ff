"""Run every benchmark and regenerate docs/BENCHMARKS.md, docs/benchmarks.json and the plot.

``python -m bench.run`` (or ``make bench``): generates the real-news corpora (10k, 100k, 1M
sentences, ``bench.corpus``) under ``/tmp/qabot-bench``, then for each size and engine
measures, each in its own process: a build from raw files; a restart with in-process latency;
``qabot ask`` from process launch to the printed answer (what a user waits for); ``qabot eval``
of the known-item questions; and (bm25s) a rebuild after adding, changing, removing a file.

Nothing in the generated page is typed in: every figure comes from this run's JSON, and the
"before" figures from the previous run's JSON, which each run moves to
``docs/benchmarks-previous.json`` before writing its own. Each JSON names the commit measured.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.corpus import (
    ARCHIVES,
    DEFAULT_WORK,
    REPO,
    SIZES,
    check_work_dir,
    ensure_corpus,
    ensure_questions,
)

DOCS = REPO / "docs"
ENGINES = ("bm25s", "rank-bm25")
Row = dict[str, Any]
# Restarts of `qabot ask` timed per size (the median is reported).
ASK_RUNS = 3
# rank-bm25 takes seconds a question at a million sentences: its latency uses a sample.
LATENCY_SAMPLE = {"bm25s": 100, "rank-bm25": 10}
TARGETS_SIZE = "1m"


def run_probe(
    kind: str, corpus: Path, cache: Path, engine: str, questions: Path | None = None
) -> Row:
    """Run ``bench.probe`` in a fresh process; its JSON result plus the wall time seen from here."""
    command = [sys.executable, "-m", "bench.probe", kind, "--corpus", str(corpus)]
    command += ["--cache", str(cache), "--engine", engine]
    if questions is not None:
        command += ["--questions", str(questions)]
    if kind == "serve":
        command += ["--sample", str(LATENCY_SAMPLE[engine]), "--no-batch"]
        command += ["--launched", repr(time.time())]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result: Row = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def qabot(args: list[str], corpus: Path, cache: Path, engine: str) -> tuple[str, float]:
    """Run the real ``qabot`` command line; (stdout, seconds from launch to exit)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-m", "bot", *args, "--corpus", str(corpus), "--engine", engine]
    began = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = child.communicate()
    seconds = time.perf_counter() - began
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return out, seconds


def _restart(question: str, corpus: Path, cache: Path, engine: str) -> tuple[float, float]:
    """One ``qabot ask`` from process launch to printed answer: (seconds, peak MB)."""
    # A wrapper process per run: getrusage(RUSAGE_CHILDREN) there is qabot's peak alone.
    script = (
        "import json, resource, sys, time, subprocess\n"
        "began = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(json.dumps({'seconds': time.perf_counter() - began, 'code': done.returncode,"
        " 'answered': bool(done.stdout.strip()), 'err': done.stderr[-2000:],"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-c", script, sys.executable, "-m", "bot", "ask", question]
    command += ["--corpus", str(corpus), "--engine", engine]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    result = json.loads(done.stdout)
    if result["code"] != 0 or not result["answered"]:
        raise RuntimeError(f"qabot ask failed:\n{result['err']}")
    return result["seconds"], result["peak_mb"]


def yes_no_form(question: str) -> str:
    """A known-item question asked as a yes/no one, whose reading loads the verdict dictionary.

    "What about X?" -> "Is it true that X?": the first yes/no question of a process pays for
    lemminflect's table, which other questions never load.
    """
    return "Is it true that " + re.sub(r"^What about\s+", "", question)


def measure_cli(corpus: Path, cache: Path, engine: str, questions: Path) -> Row:
    """``qabot ask`` restarts (launch to printed answer) and one ``qabot eval --json``."""
    first = json.loads(questions.read_text(encoding="utf-8").splitlines()[0])["question"]
    runs = ASK_RUNS if engine == "bm25s" else 1
    asks = [_restart(first, corpus, cache, engine) for _ in range(runs)]
    out, wall = qabot(["eval", str(questions), "--json"], corpus, cache, engine)
    report = json.loads(out)
    row: Row = {
        "ask_runs": [seconds for seconds, _ in asks],
        "ask_seconds": statistics.median(seconds for seconds, _ in asks),
        "ask_peak_mb": max(peak for _, peak in asks),
        "eval_seconds": report["seconds"],
        "eval_wall_seconds": wall,
        "eval_hit_at_1": report["hit_at_1"],
        "eval_questions": report["questions"],
    }
    if engine == "bm25s":
        yes_no = [_restart(yes_no_form(first), corpus, cache, engine)[0] for _ in range(runs)]
        row["ask_yes_no_runs"] = yes_no
        row["ask_yes_no_seconds"] = statistics.median(yes_no)
    return row


def commit() -> Row:
    """The commit measured, and whether the working tree differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    sha = git("rev-parse", "HEAD")
    return {
        "sha": sha or "unknown",
        "subject": git("log", "-1", "--format=%s"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def machine() -> Row:
    """What the figures were measured on."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "bm25s": version("bm25s"),
        "rank_bm25": version("rank-bm25"),
        "load_average_at_start": os.getloadavg()[0],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def measure(
    work: Path,
    sizes: list[str],
    engines: list[str],
    count: int,
    partial: Path | None = None,
    archives: tuple[Path, ...] = ARCHIVES,
) -> Row:
    """Every probe for every size and engine; the raw results."""
    log(f"generating corpora {', '.join(sizes)} in {work}")
    corpora = {size: ensure_corpus(work, size, archives) for size in sizes}
    smallest = min(sizes, key=SIZES.__getitem__)
    questions = ensure_questions(work, count, smallest, archives)
    results: Row = {"commit": commit(), "machine": machine(), "questions": count, "runs": []}
    for size in sizes:
        corpus, files, _ = corpora[size]
        for engine in engines:
            cache = work / f"cache-{size}-{engine}"
            log(f"{size} {engine}: build")
            build = run_probe("build", corpus, cache, engine)
            log(f"{size} {engine}: build {build['seconds']:.1f} s; restart and queries")
            serve = run_probe("serve", corpus, cache, engine, questions)
            row: Row = {"size": size, "files": files, "engine": engine, "build": build}
            row["serve"] = serve
            log(f"{size} {engine}: qabot ask and qabot eval")
            row["cli"] = measure_cli(corpus, cache, engine, questions)
            if engine == "bm25s":
                log(f"{size} {engine}: incremental")
                row["incremental"] = run_probe("incremental", corpus, cache, engine)
            results["runs"].append(row)
            log(f"{size} {engine}: qabot ask {row['cli']['ask_seconds']:.2f} s")
            if partial is not None:  # a crash later on keeps what was measured so far
                partial.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    results["machine"]["load_average_at_end"] = os.getloadavg()[0]
    return results


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def plot(results: Row, path: Path) -> None:
    """Latency and memory against corpus size, both engines, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (lat, mem) = plt.subplots(1, 2, figsize=(11, 4.2))
    for engine, colour in zip(ENGINES, ("tab:blue", "tab:red"), strict=True):
        runs = [r for r in results["runs"] if r["engine"] == engine]
        if not runs:
            continue
        x = [r["build"]["sentences"] for r in runs]
        series = (
            (lat, "serve", "search_median_ms", "o-", "search (median)"),
            (lat, "serve", "ask_median_ms", "s--", "Chat.ask (median)"),
            (mem, "cli", "ask_peak_mb", "o-", "qabot ask, peak resident"),
            (mem, "build", "peak_mb", "s--", "peak during build (main)"),
        )
        for ax, stage, key, style, label in series:
            ax.plot(
                x, [r[stage][key] for r in runs], style, color=colour, label=f"{engine} {label}"
            )
    for ax, title, unit in ((lat, "Query latency", "milliseconds"), (mem, "Memory", "MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("sentences in the corpus")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _run(results: Row, size: str, engine: str) -> Row | None:
    return next((r for r in results["runs"] if r["size"] == size and r["engine"] == engine), None)


def _get(row: Row | None, *keys: str) -> Any:
    """A nested value, or None where an older JSON did not measure it."""
    value: Any = row
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _fmt(value: Any, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def _commit_line(results: Row) -> str:
    c = results.get("commit")
    if not c:
        return "commit not recorded (a run made before the JSON named its commit)"
    dirty = ", with uncommitted changes" if c.get("dirty") else ""
    return f"commit `{c['sha'][:12]}` ({c.get('subject', '')}){dirty}"


def render(results: Row, previous: Row | None = None) -> str:
    """docs/BENCHMARKS.md from the raw results (and the previous run's, for "before")."""
    m = results["machine"]
    count = results["questions"]
    lines = [
        "# Benchmarks: scale and speed",
        "",
        "Generated by `python -m bench.run` (or `make bench`) from measurements only; do not edit",
        "by hand, the next run overwrites it. Raw figures: [`benchmarks.json`](benchmarks.json);",
        "the run before this one: [`benchmarks-previous.json`](benchmarks-previous.json).",
        "",
        f"Measured {m['date']} at {_commit_line(results)},",
        f"on {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"numpy {m['numpy']}, bm25s {m['bm25s']}, rank-bm25 {m['rank_bm25']}.",
        f"Load average {m['load_average_at_start']:.1f} at the start and "
        f"{m.get('load_average_at_end', 0):.1f} at the end: the machine is shared, and other",
        "processes take CPU time, so timings are upper bounds of what an idle machine gives.",
        "",
        "Corpora (`bench/corpus.py`, seeded): every distinct article of the BBC and Reuters-21578",
        "archives in `../shared/data/news/`, then articles made of one original's paragraphs with",
        "a paragraph of another original inserted, until the sentence count is reached; no two",
        "files are equal. Questions: "
        f"{count} known-item questions, each made from one sentence of an original (its first",
        "content words), with that sentence as the gold; the same for every size and engine.",
        "",
        "![latency and memory against corpus size](benchmarks.png)",
        "",
        "## Results",
        "",
        "| sentences | files | engine | build s | build peak MB (main / each worker) "
        "| `qabot ask` s (launch to answer) | `qabot ask` peak MB "
        "| search median / p99 ms | ask median / p99 ms "
        f"| `qabot eval` of {count}: seconds | hit@1 |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["runs"]:
        b, s, c = r["build"], r["serve"], r["cli"]
        lines.append(
            f"| {b['sentences']:,} | {r['files']:,} | {r['engine']} | {b['seconds']:.1f} "
            f"| {b['peak_mb']:,.0f} / {b['worker_peak_mb']:,.0f} "
            f"| {c['ask_seconds']:.2f} | {c['ask_peak_mb']:,.0f} "
            f"| {s['search_median_ms']:.1f} / {s['search_p99_ms']:.1f} "
            f"| {s['ask_median_ms']:.1f} / {s['ask_p99_ms']:.1f} "
            f"| {c['eval_seconds']:.2f} | {c['eval_hit_at_1']:.2f} |"
        )
    lines += _ratios(results)
    lines += _incremental(results)
    lines += _targets(results)
    lines += _before(results, previous)
    lines += _stages(results)
    lines += _extrapolated(results)
    lines += NOTES
    return "\n".join(lines) + "\n"


def _ratios(results: Row) -> list[str]:
    lines = ["", "## `qabot eval`: bm25s against rank-bm25, same questions, same run", ""]
    lines += [
        "`seconds` is the figure `qabot eval --json` reports: asking and scoring the questions,",
        "after the index is loaded (process start and loading the index are not in it; the",
        "wall time of the whole command is in brackets).",
        "",
        "| sentences | bm25s s | rank-bm25 s | ratio | hit@1 bm25s / rank-bm25 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in SIZES:
        fast, slow = _run(results, size, "bm25s"), _run(results, size, "rank-bm25")
        if fast is None or slow is None:
            continue
        fc, sc = fast["cli"], slow["cli"]
        lines.append(
            f"| {fast['build']['sentences']:,} | {fc['eval_seconds']:.2f} "
            f"({fc['eval_wall_seconds']:.1f}) | {sc['eval_seconds']:.2f} "
            f"({sc['eval_wall_seconds']:.1f}) "
            f"| {sc['eval_seconds'] / max(fc['eval_seconds'], 1e-9):.0f}x "
            f"| {fc['eval_hit_at_1']:.2f} / {sc['eval_hit_at_1']:.2f} |"
        )
    return lines


def _incremental(results: Row) -> list[str]:
    lines = [
        "",
        "## Incremental rebuilds (bm25s): one article added, then changed, then removed",
        "",
        "| sentences | full build s | add s | change s | remove s |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results["runs"]:
        inc = r.get("incremental")
        if inc:
            lines.append(
                f"| {r['build']['sentences']:,} | {r['build']['seconds']:.1f} "
                f"| {inc['add_seconds']:.1f} | {inc['change_seconds']:.1f} "
                f"| {inc['remove_seconds']:.1f} |"
            )
    return lines


def target_checks(results: Row) -> list[tuple[str, str, str, bool]]:
    """(target, goal, measured, met) at a million sentences, from the results alone."""
    fast, slow = _run(results, TARGETS_SIZE, "bm25s"), _run(results, TARGETS_SIZE, "rank-bm25")
    if fast is None:
        return []
    b, s, c = fast["build"], fast["serve"], fast["cli"]
    checks = [
        ("build from raw files (`qabot index`)", "<= 60 s", f"{b['seconds']:.1f} s",
         b["seconds"] <= 60),
        ("restart: `qabot ask` from process launch to printed answer", "<= 1.0 s",
         f"{c['ask_seconds']:.2f} s (median of {len(c['ask_runs'])})", c["ask_seconds"] <= 1.0),
        *(
            [("restart with a yes/no question (loads the verdict dictionary)", "<= 1.0 s",
              f"{c['ask_yes_no_seconds']:.2f} s (median of {len(c['ask_yes_no_runs'])})",
              c["ask_yes_no_seconds"] <= 1.0)]
            if "ask_yes_no_seconds" in c
            else []
        ),
        ("resident memory of that process (peak)", "<= 600 MB", f"{c['ask_peak_mb']:,.0f} MB",
         c["ask_peak_mb"] <= 600),
        ("median `Chat.ask` latency, warm", "<= 10 ms", f"{s['ask_median_ms']:.1f} ms",
         s["ask_median_ms"] <= 10),
        ("known-item hit@1 (`qabot eval`)", ">= 0.85", f"{c['eval_hit_at_1']:.2f}",
         c["eval_hit_at_1"] >= 0.85),
    ]  # fmt: skip
    if slow is not None:
        ratio = slow["cli"]["eval_seconds"] / max(c["eval_seconds"], 1e-9)
        checks.append(
            ("`qabot eval` seconds vs `--engine rank-bm25`", ">= 30x", f"{ratio:.0f}x", ratio >= 30)
        )
    return checks


def _targets(results: Row) -> list[str]:
    checks = target_checks(results)
    if not checks:
        return []
    fast = _run(results, TARGETS_SIZE, "bm25s")
    sentences = fast["build"]["sentences"] if fast else 0
    lines = ["", f"## Targets at {sentences:,} sentences", "", "| target | goal | measured | met |"]
    lines += ["|---|---|---|---|"]
    lines += [
        f"| {name} | {goal} | {got} | {'yes' if ok else 'NO'} |" for name, goal, got, ok in checks
    ]
    return lines


def _before(results: Row, previous: Row | None) -> list[str]:
    lines = ["", "## Before: the previous run (bm25s)", ""]
    if previous is None:
        return [*lines, "No previous run is kept in `docs/benchmarks-previous.json`."]
    pm = previous.get("machine", {})
    lines += [
        f"The previous run, {pm.get('date', 'date unknown')} at {_commit_line(previous)}",
        f"(load average {_fmt(pm.get('load_average_at_start'), '.1f')}), against this one. "
        "n/a: that run did not measure it.",
        "",
        "| sentences | build s before / now | restart to 1st answer s before / now "
        "| resident MB before / now | ask median ms before / now | hit@1 before / now |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["runs"]:
        if r["engine"] != "bm25s":
            continue
        old = _run(previous, r["size"], "bm25s")
        if old is None:
            continue
        # Older runs timed the restart in-process and read memory after the first answer.
        old_restart = _get(old, "cli", "ask_seconds") or _get(
            old, "serve", "launch_to_first_answer_seconds"
        )
        old_rss = _get(old, "cli", "ask_peak_mb") or _get(old, "serve", "rss_after_first_mb")
        old_hit = _get(old, "cli", "eval_hit_at_1") or _get(old, "serve", "batch_hit_at_1")
        lines.append(
            f"| {_fmt(_get(old, 'build', 'sentences'), ',')} / {r['build']['sentences']:,} "
            f"| {_fmt(_get(old, 'build', 'seconds'), '.1f')} / {r['build']['seconds']:.1f} "
            f"| {_fmt(old_restart, '.2f')} / {r['cli']['ask_seconds']:.2f} "
            f"| {_fmt(old_rss, ',.0f')} / {r['cli']['ask_peak_mb']:,.0f} "
            f"| {_fmt(_get(old, 'serve', 'ask_median_ms'), '.1f')} / "
            f"{r['serve']['ask_median_ms']:.1f} "
            f"| {_fmt(old_hit, '.2f')} / {r['cli']['eval_hit_at_1']:.2f} |"
        )
    return lines


def _stages(results: Row) -> list[str]:
    lines = ["", "## Where a build's time goes (seconds since the start, bm25s)", ""]
    lines += ["| sentences | files read, split, tokenized, acronyms found | BM25 matrix built "]
    lines[-1] += "| cache saved |"
    lines += ["|---:|---:|---:|---:|"]
    for r in results["runs"]:
        if r["engine"] != "bm25s":
            continue
        st = r["build"]["stages"]
        lines.append(
            f"| {r['build']['sentences']:,} | {st.get('reading', 0):.1f} "
            f"| {st.get('indexing', 0):.1f} "
            f"| {st.get('saving', 0):.1f} |"
        )
    return lines


# What ``_extrapolated`` projects: (label, stage, key, unit, format).
TRENDS = (
    ("build from raw files", "build", "seconds", "s", ",.0f"),
    ("index cache on disk", "build", "cache_mb", "MB", ",.0f"),
    ("build peak, main process", "build", "peak_mb", "MB", ",.0f"),
    ("`qabot ask` peak resident", "cli", "ask_peak_mb", "MB", ",.0f"),
    ("`qabot ask`, launch to answer", "cli", "ask_seconds", "s", ",.1f"),
    ("`Chat.ask` median", "serve", "ask_median_ms", "ms", ",.1f"),
)
PROJECTED = (10_000_000, 100_000_000)


def power_law(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(a, k) of the least-squares fit ``y = a * x**k`` in log-log space."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-9)) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    spread = sum((x - mx) ** 2 for x in lx)
    k = sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / spread if spread else 1.0
    return math.exp(my - k * mx), k


def _extrapolated(results: Row) -> list[str]:
    runs = [r for r in results["runs"] if r["engine"] == "bm25s"]
    if len({r["build"]["sentences"] for r in runs}) < 2:
        return []
    xs = [float(r["build"]["sentences"]) for r in runs]
    header = " | ".join(f"{n / 1e6:,.0f}M sentences" for n in PROJECTED)
    lines = [
        "",
        "## Extrapolated to 10M and 100M sentences (bm25s, from the sizes above)",
        "",
        "A power law `y = a * sentences^k` fitted to the measured sizes (least squares in",
        "log-log space; `k` = 1 is linear). A projection, not a measurement: see",
        "[LARGE_CORPORA.md](LARGE_CORPORA.md) for what it means for one machine.",
        "",
        f"| figure | k | {header} |",
        "|---|---:|" + "---:|" * len(PROJECTED),
    ]
    for label, stage, key, unit, spec in TRENDS:
        ys = [r[stage].get(key) for r in runs]
        if any(y is None for y in ys):
            continue
        a, k = power_law(xs, [float(y) for y in ys])
        cells = " | ".join(f"{a * n**k:{spec}} {unit}" for n in PROJECTED)
        lines.append(f"| {label} | {k:.2f} | {cells} |")
    return lines


NOTES = [
    "",
    "## How it is measured",
    "",
    "- Every figure comes from a fresh process. *build* (`python -m bench.probe build`):",
    "  `open_index` over the raw files into an empty cache folder (list, read, split, tokenize",
    "  and find each article's acronyms in a process pool, BM25 matrix, save); `VmHWM` of the",
    "  main process and the largest worker (`getrusage(RUSAGE_CHILDREN)`).",
    "- *`qabot ask`*: the real command line over the built cache, timed from process launch",
    "  until it exits after printing the answer (Python start-up, imports, listing and `stat`",
    "  of every file, loading the memory-mapped cache and the answer included); its peak",
    "  resident memory from `getrusage` of a wrapper process that runs only it.",
    "- *search* / *ask* latency (`python -m bench.probe serve`): `SentenceIndex.search(q, 5)`",
    "  and the full `Chat.ask`, in a process that has answered one question already, timed one",
    "  by one over the first 100 questions for bm25s and the first 10 for rank-bm25.",
    "- *`qabot eval`*: the real command line, `--json`; its `seconds` counts asking and scoring",
    "  only. rank-bm25 has no on-disk form, so its every start also rebuilds its model.",
    "- *incremental*: a distinct article is added, then changed, then removed; each",
    "  `open_index` reuses the cached analysis (and acronyms) of every unchanged file (matched",
    "  by relative path, size and mtime), reads only the new or changed one, and rebuilds the",
    "  BM25 matrix.",
    '- The "before" figures are read from the previous run\'s JSON, never typed in.',
    "",
    "## Cache integrity: what is checked at load, and the trade-off",
    "",
    "Hashing every cached file on every start would read the whole cache (its size is in the",
    "extrapolation table) into the page cache before the first answer. Instead,",
    "at load: files under 1 MiB (metadata, vocabulary, pointers) are hashed",
    "whole; larger files (texts, document columns, term ids, bounds, the BM25 matrix) must have",
    "the recorded size, a valid numpy header (for arrays) with the recorded shape, and match a",
    "checksum of 64 evenly spaced 4 KiB blocks plus the last block. That catches truncation, a",
    "partial write, a file swapped for another and most overwrites in milliseconds; a single",
    "flipped bit inside a large file between two sampled blocks is not caught at load (it would",
    "change a score or a sentence, never crash). The full blake2b of every file is still written,",
    "and `IndexCache.verify(root, key)` checks it on demand. Writes stay atomic (temporary folder",
    "renamed into place), so a crash never leaves a half-written cache that looks valid.",
]


README_START, README_END = "<!-- bench:scale -->", "<!-- /bench:scale -->"


def scale_summary(results: Row) -> str:
    """The README's scale sentences, from the results (the same figures as BENCHMARKS.md)."""
    fast, slow = _run(results, TARGETS_SIZE, "bm25s"), _run(results, TARGETS_SIZE, "rank-bm25")
    if fast is None:
        return ""
    b, s, c = fast["build"], fast["serve"], fast["cli"]
    m = results["machine"]
    text = (
        f"At {b['sentences']:,} sentences of real news ({fast['files']:,} articles), measured"
        f" {m['date']} on the shared 2-core machine (load average"
        f" {m['load_average_at_start']:.1f}), the default engine builds in {b['seconds']:.1f} s,"
        f" `qabot ask` restarts to a printed answer in {c['ask_seconds']:.2f} s with a peak of"
        f" {c['ask_peak_mb']:,.0f} MB resident, a warm `ask` takes {s['ask_median_ms']:.1f} ms"
        f" at the median, and known-item hit@1 is {c['eval_hit_at_1']:.2f}"
    )
    if slow is not None:
        ratio = slow["cli"]["eval_seconds"] / max(c["eval_seconds"], 1e-9)
        text += (
            f"; `qabot eval` is {ratio:.0f} times faster than with `--engine rank-bm25`"
            " (its `seconds`: asking and scoring, after the index is loaded)"
        )
    return text + ". Which targets these meet: [docs/BENCHMARKS.md](docs/BENCHMARKS.md)."


def update_readme(readme: Path, summary: str) -> bool:
    """Replace the text between the README's bench markers; False if it has none."""
    return replace_between(readme, README_START, README_END, textwrap.fill(summary, width=95))


def replace_between(path: Path, start_marker: str, end_marker: str, body: str) -> bool:
    """Put ``body`` between two marker lines of a file; False if the file or a marker is missing."""
    if not path.exists() or not body:
        return False
    text = path.read_text(encoding="utf-8")
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        return False
    new = text[: start + len(start_marker)] + "\n" + body + "\n" + text[end:]
    path.write_text(new, encoding="utf-8")
    return True


PROJECTION_START, PROJECTION_END = "<!-- bench:projection -->", "<!-- /bench:projection -->"


def projection_table(results: Row) -> str:
    """LARGE_CORPORA.md's table: the 1M figures, the fit at 10M and 100M, and 1M x 100."""
    runs = [r for r in results["runs"] if r["engine"] == "bm25s"]
    one = _run(results, TARGETS_SIZE, "bm25s")
    if one is None or len({r["build"]["sentences"] for r in runs}) < 2:
        return ""
    xs = [float(r["build"]["sentences"]) for r in runs]
    m, c = results["machine"], results.get("commit", {})
    lines = [
        f"Run of {m['date']} (commit `{str(c.get('sha', 'unknown'))[:12]}`, load average"
        f" {m['load_average_at_start']:.1f}):",
        "",
        "| | 1M (measured) | 10M (fit) | 100M (fit) | 100M (1M x 100) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, stage, key, unit, spec in TRENDS:
        ys = [r[stage].get(key) for r in runs]
        if any(y is None for y in ys):
            continue
        a, k = power_law(xs, [float(y) for y in ys])
        cells = [f"{v:{spec}} {unit}" for v in (one[stage][key], a * 1e7**k, a * 1e8**k)]
        # Only what is made of the text itself grows with it at most linearly; start-up and
        # per-question figures have large fixed parts, so 100 times theirs would mean nothing.
        linear = one[stage][key] * 1e8 / one["build"]["sentences"]
        cells.append(f"{linear:{spec}} {unit}" if stage == "build" else "n/a")
        lines.append(f"| {label} (k {k:.2f}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; write BENCHMARKS.md, benchmarks.json (+ previous) and the plot."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="work folder (outside the repo)"
    )
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engines")
    parser.add_argument("--questions", type=int, default=100, help="questions in the batch")
    parser.add_argument("--docs", type=Path, default=DOCS, help="where the results are written")
    parser.add_argument(
        "--archive", type=Path, action="append", help="news archive (default: the shared two)"
    )
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib)")
    parser.add_argument(
        "--readme", type=Path, default=REPO / "README.md", help="README whose scale text to update"
    )
    parser.add_argument(
        "--render-only", action="store_true", help="redraw docs from benchmarks.json"
    )
    args = parser.parse_args(argv)
    docs: Path = args.docs
    raw, before = docs / "benchmarks.json", docs / "benchmarks-previous.json"
    if args.render_only:
        results = json.loads(raw.read_text(encoding="utf-8"))
    else:
        sizes = [s for s in args.sizes.split(",") if s]
        unknown = [s for s in sizes if s not in SIZES]
        if unknown:
            parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
        engines = [e for e in args.engines.split(",") if e]
        work = check_work_dir(args.work)
        archives = tuple(args.archive) if args.archive else ARCHIVES
        results = measure(
            work, sizes, engines, args.questions, work / "benchmarks-partial.json", archives
        )
        docs.mkdir(parents=True, exist_ok=True)
        if raw.exists():  # this run's "before"
            shutil.copyfile(raw, before)
        raw.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    previous = json.loads(before.read_text(encoding="utf-8")) if before.exists() else None
    if not args.no_plot:
        plot(results, docs / "benchmarks.png")
    (docs / "BENCHMARKS.md").write_text(render(results, previous), encoding="utf-8")
    log(f"wrote {docs / 'BENCHMARKS.md'}")
    if update_readme(args.readme, scale_summary(results)):
        log(f"updated the scale figures in {args.readme}")
    large = args.readme.parent / "docs" / "LARGE_CORPORA.md"
    if replace_between(large, PROJECTION_START, PROJECTION_END, projection_table(results)):
        log(f"updated the projection table in {large}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
