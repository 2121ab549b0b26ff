"""The incremental rebuild: a corpus analysed, reusing the previous cache's unchanged files.

Only changed files are read and tokenized again (the BM25 matrix is rebuilt from the merged
term ids, which takes seconds). A file whose content another file already has (in corpus
order) is skipped as a duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from retrieval.cache_format import FileRecords, Previous
from retrieval.chunks import ProgressCallback, analyse_files
from retrieval.documents import CorpusFile, duplicate_of, duplicate_warning, unique_doc_ids
from retrieval.merging import assemble, compact
from retrieval.models import LoadWarning
from retrieval.segments import Segment
from retrieval.tokens import Tokenizer

# Under the cache's name: what it reports is part of opening an index, and filters expect it there.
log = logging.getLogger("retrieval.cache")


@dataclass
class Build:
    """A corpus analysed: the segment to index, its warnings, and per file what to record."""

    segment: Segment
    warnings: list[LoadWarning]
    digests: list[str | None]
    reusable: list[bool]
    # False if some file could not be read or changed while it was read
    settled: bool

    def records(self) -> FileRecords:
        """What the cache's manifest keeps of each file."""
        return FileRecords(self.digests, self.reusable)


def analyse_corpus(
    files: list[CorpusFile],
    previous: Previous | None,
    tokenizer: Tokenizer,
    progress: ProgressCallback | None,
) -> Build:
    """Every file's analysis in corpus order: reused from ``previous`` if unchanged, else made."""
    known = previous.documents if previous is not None else {}
    problems = previous.problems if previous is not None else {}
    # Per file: (True, old document or -1) to reuse, or (False, position among fresh files).
    plan: list[tuple[bool, int]] = []
    fresh: list[CorpusFile] = []
    # Digests of the unchanged documents so far: a duplicate last time is one still (and is
    # not read again) if the file it repeated is unchanged and comes earlier in corpus order.
    kept_digests: set[str] = set()
    for f in files:
        old = known.get((f.relative, f.size, f.mtime_ns))
        was_duplicate = old is not None and old[0] < 0 and old[1] is not None
        if old is None or (was_duplicate and old[1] not in kept_digests):
            plan.append((False, len(fresh)))
            fresh.append(f)
        else:
            plan.append((True, old[0]))
            if old[0] >= 0 and old[1] is not None:
                kept_digests.add(old[1])
    if previous is not None:
        log.info(
            "reusing the analysis of %d files, reading %d", len(files) - len(fresh), len(fresh)
        )
    result = analyse_files(fresh, tokenizer, progress)
    # Per file: (segment, document) or None, its warnings, its content digest, settled or not.
    picks: list[tuple[int, int] | None] = []
    found: list[list[LoadWarning]] = []
    digests: list[str | None] = []
    settled: list[bool] = []
    for f, (reused, n) in zip(files, plan, strict=True):
        if reused:
            picks.append((0, n) if n >= 0 else None)
            found.append(
                [LoadWarning(path=f.location, problem=p) for p in problems.get(f.relative, ())]
            )
            digests.append(known[(f.relative, f.size, f.mtime_ns)][1])
            settled.append(True)
        else:
            outcome = result.outcomes[n]
            picks.append((1, outcome) if outcome >= 0 else None)
            found.append(result.warnings[n])
            digests.append(result.digests[n])
            settled.append(result.settled[n])
    # The same content under two names is indexed once, as the first name in corpus order,
    # so an answer does not cite it twice.
    duplicates = duplicate_of(
        files, [d if p else None for d, p in zip(digests, picks, strict=True)]
    )
    for n, original in duplicates.items():
        picks[n] = None
        found[n] = [duplicate_warning(files[n], original)]
    # A duplicate keeps its digest in the manifest, so the next build need not read it again.
    reusable = settled
    warnings = [w for ws in found for w in ws]
    kept = [p for p in picks if p is not None]
    if previous is None and not duplicates:
        segment = result.segment  # already every document, in corpus order
    else:
        # Gather old and new in corpus order, then renumber terms as a fresh build would:
        # the result is the same index, array for array, as building from scratch.
        sources = [result.segment] if previous is None else [previous.segment, result.segment]
        if previous is None:
            kept = [(0, n) for _, n in kept]
        segment = compact(assemble(sources, kept))
    # Ids come from the paths on every build, so a collision that appears or goes away
    # (a.txt joined by a.md) renames the ids of reused documents too.
    segment.documents.columns["doc_id"] = unique_doc_ids(segment.documents.columns["path"])
    return Build(segment, warnings, digests, reusable, all(settled))
