"""One measurement in its own process, so its memory figures are its own: prints one JSON line.

``python -m bench.probe build|serve|incremental --corpus DIR --cache DIR --engine NAME``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import check_work_dir
from retrieval.cache import open_index
from retrieval.index import BM25Params

Result = dict[str, Any]


def memory() -> dict[str, float]:
    """Resident and peak resident memory of this process and its finished children, in MB."""
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    fields = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "rss_mb": fields.get("VmRSS", 0.0),
        "peak_mb": fields.get("VmHWM", 0.0),
        "worker_peak_mb": children,
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a list of numbers."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def probe_build(corpus: Path, cache: Path, params: BM25Params) -> Result:
    """A build from raw files into an empty cache: wall time per stage and peak memory."""
    shutil.rmtree(cache, ignore_errors=True)
    began = time.perf_counter()
    stages: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if done == total:
            stages[stage] = time.perf_counter() - began

    stats = open_index(corpus, params, cache, progress).stats
    seconds = time.perf_counter() - began
    on_disk = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    return {
        "seconds": seconds,
        "stages": stages,
        "cache_mb": on_disk / 2**20,
        "documents": stats.documents,
        "sentences": stats.sentences,
        "vocabulary": stats.vocabulary,
        **memory(),
    }


def probe_serve(
    corpus: Path,
    cache: Path,
    params: BM25Params,
    questions: Path,
    launched: float,
    sample: int,
    batch: bool = True,
) -> Result:
    """Restart over the built cache: time to the first answer, memory, latency, a batch eval."""
    from bot.core.chat import Chat
    from bot.core.evaluation import Turn, evaluate

    began = time.perf_counter()
    loaded = open_index(corpus, params, cache)
    index, stats = loaded.index, loaded.stats
    opened = time.perf_counter() - began
    chat = Chat(index)
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines()]
    first = chat.ask(items[0]["question"], "first")
    first_answer = time.perf_counter() - began
    since_launch = time.time() - launched
    after_first = memory()
    search_ms: list[float] = []
    ask_ms: list[float] = []
    # rank-bm25 takes seconds a question at a million sentences: latency uses a sample.
    for n, item in enumerate(items[:sample]):
        t = time.perf_counter()
        index.search(item["question"], 5)
        search_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        chat.ask(item["question"], f"latency-{n}")
        ask_ms.append((time.perf_counter() - t) * 1000)
    # The batch as `qabot eval` runs it, on a fresh chat (no term statistics cached yet).
    report = evaluate([Turn(**item) for item in items], Chat(index).ask) if batch else None
    return {
        "from_cache": stats.from_cache,
        "open_seconds": opened,
        "first_answer_seconds": first_answer,
        "first_answered": first.answered,
        "launch_to_first_answer_seconds": since_launch,
        "rss_after_first_mb": after_first["rss_mb"],
        "latency_questions": len(search_ms),
        "search_median_ms": statistics.median(search_ms),
        "search_p99_ms": percentile(search_ms, 99),
        "ask_median_ms": statistics.median(ask_ms),
        "ask_p99_ms": percentile(ask_ms, 99),
        "batch_questions": report.questions if report else 0,
        "batch_seconds": report.seconds if report else None,
        "batch_hit_at_1": report.hit_at_1 if report else None,
        **memory(),
    }


def probe_incremental(corpus: Path, cache: Path, params: BM25Params) -> Result:
    """Add, change and remove one article on top of a built cache: seconds for each rebuild."""
    donor = min(corpus.rglob("*.txt"))
    added = corpus / "zz-incremental-probe.txt"
    times: dict[str, float] = {}
    try:
        for step in ("add", "change", "remove"):
            if step == "add":
                # Distinct from the donor, so it is a new document, not a skipped duplicate.
                text = donor.read_text(encoding="utf-8") + "\nThe probe added this paragraph.\n"
                added.write_text(text, encoding="utf-8")
            elif step == "change":
                with added.open("a", encoding="utf-8") as out:
                    out.write("\nA late paragraph about the probe was added to this copy.\n")
            else:
                added.unlink()
            began = time.perf_counter()
            stats = open_index(corpus, params, cache).stats
            times[step] = time.perf_counter() - began
            if stats.from_cache:
                raise RuntimeError(f"the {step} step was answered from the cache")
    finally:
        added.unlink(missing_ok=True)
    return {f"{step}_seconds": value for step, value in times.items()} | memory()


def main(argv: list[str] | None = None) -> int:
    """Run one probe and print its result as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("kind", choices=["build", "serve", "incremental"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--engine", choices=["bm25s", "rank-bm25"], default="bm25s")
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--sample", type=int, default=1000, help="questions timed one by one")
    parser.add_argument("--launched", type=float, help="time.time() when the process was started")
    parser.add_argument("--no-batch", action="store_true", help="serve: skip the batch eval")
    args = parser.parse_args(argv)
    params = BM25Params(engine=args.engine)
    check_work_dir(args.cache)
    if args.kind == "build":
        result = probe_build(args.corpus, args.cache, params)
    elif args.kind == "serve":
        launched = args.launched if args.launched is not None else time.time()
        batch = not args.no_batch
        result = probe_serve(
            args.corpus, args.cache, params, args.questions, launched, args.sample, batch
        )
    else:
        result = probe_incremental(args.corpus, args.cache, params)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
