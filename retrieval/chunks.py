"""Reading and analysing corpus files into segments, a chunk of files at a time, in parallel.

Each worker process analyses one chunk of files into a Segment; the chunks' results are merged
in corpus order, so the parallel path builds the same index as the sequential one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from retrieval.documents import CorpusFile, read_file
from retrieval.merging import concat
from retrieval.models import LoadWarning
from retrieval.segments import Segment, SegmentBuilder
from retrieval.tokens import Tokenizer

# (stage, done, total): "reading" counts files, "indexing" and "saving" go 0 -> 1.
ProgressCallback = Callable[[str, int, int], None]
# Below this many bytes of new text, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 8 << 20
# Files per task: large enough that a worker rarely meets a word it has not mapped to ids yet.
CHUNK_FILES = 1024


@dataclass
class ChunkResult:
    """What analysing a list of files gives: a segment, and per file its document or -1.

    Per file, too: its warnings (at most one), the digest of its content (None unless it
    became a document) and whether the result may be reused by a later build.
    """

    segment: Segment
    outcomes: list[int]
    warnings: list[list[LoadWarning]] = field(default_factory=list)
    digests: list[str | None] = field(default_factory=list)
    settled: list[bool] = field(default_factory=list)


def analyse_chunk(files: Sequence[CorpusFile], tokenizer: Tokenizer | None = None) -> ChunkResult:
    """Read and analyse files; a file that cannot be used gets outcome -1 and its warnings."""
    builder = SegmentBuilder(tokenizer or _worker_tokenizer())
    outcomes: list[int] = []
    warnings: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    added = 0
    for file in files:
        result = read_file(file)
        doc = result.document
        if doc is None:
            outcomes.append(-1)
        else:
            builder.add(doc)
            outcomes.append(added)
            added += 1
        warning = result.warning(file)
        warnings.append([] if warning is None else [warning])
        digests.append(result.digest)
        settled.append(result.settled)
    return ChunkResult(builder.finish(), outcomes, warnings, digests, settled)


# Each worker process keeps one tokenizer (and its memo of stems) for all its chunks.
_TOKENIZERS: list[Tokenizer] = []


def _worker_tokenizer() -> Tokenizer:
    if not _TOKENIZERS:
        _TOKENIZERS.append(Tokenizer())
    return _TOKENIZERS[0]


def worker_count() -> int:
    """How many processes may analyse files: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def analyse_files(
    files: Sequence[CorpusFile],
    tokenizer: Tokenizer,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> ChunkResult:
    """Analyse files into one segment, in parallel when there is enough text to pay for it."""
    workers = worker_count() if workers is None else workers
    total_bytes = sum(f.size for f in files)
    if progress:
        progress("reading", 0, len(files))
    if workers < 2 or total_bytes < PARALLEL_MIN_BYTES or len(files) < 2 * CHUNK_FILES:
        results: list[ChunkResult] = []
        for lo in range(0, len(files), CHUNK_FILES):
            results.append(analyse_chunk(files[lo : lo + CHUNK_FILES], tokenizer))
            if progress:
                progress("reading", min(lo + CHUNK_FILES, len(files)), len(files))
        return merge_chunks(results)
    chunks = [list(files[lo : lo + CHUNK_FILES]) for lo in range(0, len(files), CHUNK_FILES)]
    results = []
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
            for result in pool.map(analyse_chunk, chunks):
                results.append(result)
                done += len(result.outcomes)
                if progress:
                    progress("reading", done, len(files))
    except BrokenProcessPool:
        # A worker died (killed, out of memory, or an unguarded script re-run by spawn):
        # the build still finishes, on one core.
        results = [analyse_chunk(chunk, tokenizer) for chunk in chunks]
    return merge_chunks(results)


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork when this is the only thread (fast, and no re-import of ``__main__``), else spawn.

    Forking a process that runs other threads (the Discord bot rebuilds from one) can copy a
    lock another thread holds into the child, which then waits forever.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def merge_chunks(results: Sequence[ChunkResult]) -> ChunkResult:
    """One result for consecutive chunks: outcomes renumbered, segments concatenated."""
    outcomes: list[int] = []
    warnings: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    offset = 0
    for result in results:
        outcomes.extend(o + offset if o >= 0 else -1 for o in result.outcomes)
        warnings.extend(result.warnings)
        digests.extend(result.digests)
        settled.extend(result.settled)
        offset += len(result.segment.documents)
    segment = concat([r.segment for r in results])
    return ChunkResult(segment, outcomes, warnings, digests, settled)
