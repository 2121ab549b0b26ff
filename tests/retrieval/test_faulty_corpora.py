"""Faulty corpora (issue 6): bad files are skipped and named once, the good ones indexed.

Also: duplicates indexed once, files that vanish or change while indexing, permission denied
(as root too: ``qabot index`` runs in a child process without root's file capabilities), a
half-written cache left by a crash, and scaled-down versions of the 100,000-file and 200 MB
corpora measured in docs/ROBUSTNESS.md.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from retrieval import chunks
from retrieval.cache import IndexCache, corpus_key, open_index
from retrieval.chunks import analyse_chunk
from retrieval.documents import CorpusFile, list_corpus_files, load_corpus
from retrieval.index import BM25Params
from retrieval.models import LoadWarning
from retrieval.tokens import Tokenizer
from tests.retrieval.test_documents import write

OIL = "Oil prices rose on Monday. OPEC kept output unchanged.\n"
WHEAT = "Wheat exports to Egypt fell. Farmers blamed the drought.\n"
BANK = "The central bank held rates. Inflation eased to 2.1 pct in March.\n"


def problems_of(warnings: Sequence[LoadWarning]) -> dict[str, str]:
    """path -> problem, failing if any path is named twice."""
    paths = [w.path for w in warnings]
    assert len(paths) == len(set(paths)), f"a file is named twice: {paths}"
    return {w.path: w.problem for w in warnings}


# --- duplicates --------------------------------------------------------------------------


def test_duplicate_files_are_indexed_once_and_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    original = write(corpus / "a-oil.txt", OIL)
    copy = write(corpus / "z" / "oil-again.txt", OIL)
    write(corpus / "wheat.txt", WHEAT)
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert [d.path for d in index.documents] == ["a-oil.txt", "wheat.txt"]
    assert problems_of(warnings) == {str(copy): f"skipped: duplicate of {original}"}
    assert stats.skipped == 1
    hits = index.search("OPEC output", 5)
    assert [h.doc_id for h in hits] == ["a-oil"]  # cited once, not once per copy
    # The cached index keeps the same warning.
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    stats, again = opened.stats, opened.warnings
    assert stats.from_cache and again == warnings


def test_the_first_name_in_corpus_order_is_kept_in_the_parallel_path_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for n in range(12):
        write(corpus / f"f{n:02d}.txt", f"Convoy {n} left Gao on day {n}.\n")
    write(corpus / "f10-copy.txt", "Convoy 3 left Gao on day 3.\n")  # same bytes as f03
    write(corpus / "a" / "first.txt", "Convoy 7 left Gao on day 7.\n")  # sorts before f07
    opened = open_index(corpus, BM25Params(), None)
    sequential, seq_warnings = opened.index, opened.warnings
    # Chunks of 2 files over 2 worker processes: each copy is in another chunk than its original.
    monkeypatch.setattr(chunks, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(chunks, "CHUNK_FILES", 2)
    opened = open_index(corpus, BM25Params(), None)
    parallel, par_warnings = opened.index, opened.warnings
    assert par_warnings == seq_warnings
    assert problems_of(par_warnings) == {
        str(corpus / "f07.txt"): f"skipped: duplicate of {corpus / 'a' / 'first.txt'}",
        str(corpus / "f10-copy.txt"): f"skipped: duplicate of {corpus / 'f03.txt'}",
    }
    assert [d.path for d in parallel.documents] == [d.path for d in sequential.documents]
    assert len(parallel.documents) == 12
    assert parallel.search("convoy 3", 3) == sequential.search("convoy 3", 3)


def test_a_duplicate_is_indexed_once_its_original_is_gone(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "a.txt", OIL)
    write(corpus / "b.txt", OIL)
    write(corpus / "c.txt", WHEAT)
    opened = open_index(corpus, BM25Params(), cache)
    index, warnings = opened.index, opened.warnings
    assert [d.path for d in index.documents] == ["a.txt", "c.txt"] and len(warnings) == 1
    (corpus / "a.txt").unlink()
    opened = open_index(corpus, BM25Params(), cache)
    again, stats, warnings = opened.index, opened.stats, opened.warnings
    assert not stats.from_cache and warnings == []
    assert [d.path for d in again.documents] == ["b.txt", "c.txt"]
    fresh = open_index(corpus, BM25Params(), None).index
    assert again.search("OPEC", 3) == fresh.search("OPEC", 3)
    # A copy added later, with its original reused from the cache, is caught too.
    write(corpus / "d.txt", WHEAT)
    opened = open_index(corpus, BM25Params(), cache)
    third, warnings = opened.index, opened.warnings
    assert problems_of(warnings) == {
        str(corpus / "d.txt"): f"skipped: duplicate of {corpus / 'c.txt'}"
    }
    assert [d.path for d in third.documents] == ["b.txt", "c.txt"]


def test_load_corpus_skips_duplicates_too(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", OIL)
    write(tmp_path / "b.txt", OIL)
    loaded = load_corpus(tmp_path)
    assert [d.path for d in loaded.documents] == ["a.txt"]
    assert loaded.skipped == 1 and "duplicate of" in loaded.warnings[0].problem


def test_a_file_with_two_faults_is_named_once(tmp_path: Path) -> None:
    # Not UTF-8 *and* nothing after the front matter: one warning, the reason it was skipped.
    write(tmp_path / "both.md", b"---\ntitle: Caf\xe9\n---\n")
    write(tmp_path / "ok.txt", OIL)
    loaded = load_corpus(tmp_path)
    assert problems_of(loaded.warnings) == {
        str(tmp_path / "both.md"): "skipped: no text after front matter"
    }


# --- files that vanish or change while indexing --------------------------------------------


def test_a_file_that_vanishes_after_listing_is_skipped_and_read_again_later(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "oil.txt", OIL)
    gone = write(corpus / "wheat.txt", WHEAT)
    aside = tmp_path / "aside.txt"

    def move_away(stage: str, done: int, total: int) -> None:
        # Called after the files were listed, before the first is read.
        if (stage, done) == ("reading", 0):
            gone.rename(aside)

    opened = open_index(corpus, BM25Params(), cache, move_away)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert [d.path for d in index.documents] == ["oil.txt"]
    assert problems_of(warnings) == {str(gone): "skipped: vanished after it was listed"}
    assert stats.skipped == 1
    # It comes back with the same size and mtime (rename keeps them), so the listing is the
    # one the build was keyed on. That build must not be served: the file is read now.
    aside.rename(gone)
    opened = open_index(corpus, BM25Params(), cache)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert not stats.from_cache and warnings == []
    assert [d.path for d in index.documents] == ["oil.txt", "wheat.txt"]
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.from_cache


def test_a_file_that_changes_while_indexing_is_named_and_read_again_on_restart(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "oil.txt", OIL)
    live = write(corpus / "wheat.txt", WHEAT)

    def append(stage: str, done: int, total: int) -> None:
        if (stage, done) == ("reading", 0):
            with live.open("a", encoding="utf-8") as f:
                f.write("Zebras grazed near Timbuktu.\n")

    opened = open_index(corpus, BM25Params(), cache, append)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert problems_of(warnings) == {str(live): "changed while indexing; indexed as read"}
    assert stats.skipped == 0 and stats.documents == 2
    assert index.search("zebras", 1)[0].doc_id == "wheat"  # indexed as read
    # The next start rebuilds (the file is read again, as it is now) and caches that.
    with live.open("a", encoding="utf-8") as f:
        f.write("Giraffes too.\n")
    opened = open_index(corpus, BM25Params(), cache)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert not stats.from_cache and warnings == []
    assert index.search("giraffes", 1)[0].doc_id == "wheat"
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.from_cache


def test_a_build_with_an_unsettled_file_is_never_served_from_the_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "oil.txt", OIL)
    live = write(corpus / "wheat.txt", WHEAT)
    listed = live.stat()

    def rewrite(stage: str, done: int, total: int) -> None:
        if (stage, done) == ("reading", 0):
            live.write_text(WHEAT.replace("Egypt", "Kenya"), encoding="utf-8")

    opened = open_index(corpus, BM25Params(), cache, rewrite)
    stats, warnings = opened.stats, opened.warnings
    assert len(warnings) == 1 and stats.cache_path is not None
    assert stats.cache_path.endswith("-unsettled")
    # Even if the file's stat goes back to what was listed, the next start reads it again.
    os.utime(live, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    store = IndexCache(cache)
    key = corpus_key(corpus.resolve(), list_corpus_files(corpus), BM25Params())
    assert store.load(corpus.resolve(), key, BM25Params()) is None
    opened = open_index(corpus, BM25Params(), cache)
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert not stats.from_cache and warnings == []
    assert index.search("Kenya", 1)[0].doc_id == "wheat"


# --- permission denied ---------------------------------------------------------------------


class LockedFile(CorpusFile):
    """A corpus file the OS refuses to open, as it does for ``chmod 000`` (except for root)."""

    __slots__ = ()

    def read(self) -> tuple[bytes, os.stat_result]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), self.location)


def test_permission_denied_at_the_read_boundary_is_a_skip_that_is_not_reused(
    tmp_path: Path,
) -> None:
    ok = write(tmp_path / "ok.txt", OIL)
    locked = write(tmp_path / "locked.txt", WHEAT)
    files = [
        CorpusFile(ok, "ok.txt", ok.stat().st_size, ok.stat().st_mtime_ns),
        LockedFile(locked, "locked.txt", locked.stat().st_size, locked.stat().st_mtime_ns),
    ]
    result = analyse_chunk(files, Tokenizer())
    assert result.outcomes == [0, -1]
    assert [[str(w) for w in ws] for ws in result.warnings] == [
        [],
        [f"{locked}: skipped: permission denied"],
    ]
    assert result.settled == [True, False]  # the next build reads it again
    assert [d.path for d in result.segment.documents] == ["ok.txt"]


# prctl(PR_CAPBSET_DROP, cap): with these two capabilities gone, root obeys file modes.
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def drop_file_capabilities() -> None:
    """In the child before exec: take away root's power to read any file whatever its mode."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def qabot_index(corpus: Path, cache: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``qabot index`` in a child process that, even when the tests run as root, obeys modes.

    Root reads a ``chmod 000`` file anyway; a root process without CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH meets permission denied as any user would.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env["QABOT_CACHE_DIR"] = str(cache)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bot", "index", "--corpus", str(corpus), *options],
            capture_output=True, text=True, timeout=120, cwd=cache.parent, env=env,
            check=False, preexec_fn=drop_file_capabilities if os.geteuid() == 0 else None,
        )  # fmt: skip
    except subprocess.SubprocessError as exc:  # the preexec_fn failed: no CAP_SETPCAP here
        pytest.skip(f"cannot drop root's file capabilities here ({exc})")


@pytest.mark.slow
def test_qabot_index_names_each_bad_file_once_and_counts_the_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    good = [
        write(corpus / "oil.txt", OIL),
        write(corpus / "sub" / "wheat.md", WHEAT),
        write(corpus / "latin1.txt", "Caf\xe9 owners protested in Bamako.\n".encode("latin-1")),
    ]
    bad = {
        write(corpus / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))): "binary",
        write(corpus / "empty.txt", b""): "empty",
        write(corpus / "blank.md", b"  \n\n \t\n"): "empty",
        write(corpus / "front-only.md", b"---\ntitle: Caf\xe9\n---\n"): "no text",
        write(corpus / "z-copy.txt", OIL): "duplicate of",
        write(corpus / "locked.txt", BANK): "permission denied",
    }
    loop = corpus / "loop"
    loop.symlink_to(corpus, target_is_directory=True)
    bad[loop] = "symlink loop"
    for name in ("self.txt", "dangling.txt"):
        link = corpus / name
        link.symlink_to(corpus / ("self.txt" if name == "self.txt" else "missing.txt"))
        bad[link] = "symlink" if name == "dangling.txt" else "symbolic links"
    (corpus / "locked.txt").chmod(0)

    first = qabot_index(corpus, cache, "--verbose")
    assert first.returncode == 0, first.stderr
    assert "built: 3 documents" in first.stdout
    lines = first.stderr.splitlines()
    assert "Traceback" not in first.stderr
    for path, problem in bad.items():
        named = [line for line in lines if line.startswith(f"warning: {path}: ")]
        assert len(named) == 1, (path, lines)
        assert problem in named[0]
    latin1 = [line for line in lines if str(good[2]) in line]
    assert len(latin1) == 1 and "not valid UTF-8" in latin1[0]  # repaired, not skipped
    assert not any(str(good[0]) + ":" in line or str(good[1]) in line for line in lines)
    assert lines[-1].startswith(f"warning: skipped {len(bad)} files (")
    assert lines[-1].endswith("; 1 repaired; 'qabot index --verbose' lists them")
    assert len(lines) == len(bad) + 2  # one line a bad file, the repaired one, the summary

    # Fixing the permission (which leaves size and mtime as they were) is seen at once.
    (corpus / "locked.txt").chmod(0o644)
    second = qabot_index(corpus, cache)
    assert second.returncode == 0, second.stderr
    assert "built: 4 documents" in second.stdout
    assert "permission denied" not in second.stderr
    # Without --verbose, one line however many files were skipped.
    assert second.stderr.count("\n") == 1
    assert second.stderr.startswith(f"warning: skipped {len(bad) - 1} files (")
    third = qabot_index(corpus, cache)
    assert "loaded from cache: 4 documents" in third.stdout
    assert third.stderr == second.stderr


@pytest.mark.slow
def test_a_start_shows_one_line_and_verbose_lists_every_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "oil.txt", OIL)
    for n in range(25):
        write(corpus / f"empty-{n:02d}.txt", b"")
    result = qabot_index(corpus, cache)
    assert result.returncode == 0, result.stderr
    summary = "warning: skipped 25 files (25 empty files); 'qabot index --verbose' lists them"
    assert result.stderr.splitlines() == [summary]
    listed = qabot_index(corpus, cache, "--verbose").stderr.splitlines()
    assert len(listed) == 26 and len(set(listed[:25])) == 25 and listed[25] == summary


# --- a crash while writing the cache --------------------------------------------------------


def test_a_half_written_cache_left_by_a_crash_is_ignored_then_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cache = tmp_path / "cache"
    write(corpus / "oil.txt", OIL)
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.cache_path is not None
    good = Path(stats.cache_path)
    # What a crash mid-write leaves: beside the good cache, a temporary folder, half full,
    # for the key the next listing gives, named after a process that is gone.
    write(corpus / "wheat.txt", WHEAT)
    key = corpus_key(corpus.resolve(), list_corpus_files(corpus), BM25Params())
    gone = subprocess.Popen(["true"])
    gone.wait()
    half = good.parent / f".{key}.tmp-{gone.pid}"
    shutil.copytree(good, half)
    (half / "bounds.npy").write_bytes((half / "bounds.npy").read_bytes()[:50])
    opened = open_index(corpus, BM25Params(), cache)
    index, stats = opened.index, opened.stats
    assert not stats.from_cache and stats.documents == 2
    assert index.search("wheat drought", 1)[0].doc_id == "wheat"
    assert not half.exists()  # the new cache was written, and the leftover removed
    assert sorted(p.name for p in good.parent.iterdir()) == [key]
    stats = open_index(corpus, BM25Params(), cache).stats
    assert stats.from_cache


# --- scale, scaled down ----------------------------------------------------------------------


@pytest.mark.slow
def test_five_thousand_tiny_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(5000):
        write(corpus / f"d{n // 500}" / f"f{n:05d}.txt", f"Report {n} says convoy {n} left Gao.\n")
    write(corpus / "d0" / "z-empty.txt", b"")
    began = time.perf_counter()
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    built = time.perf_counter() - began
    assert stats.documents == 5000 and stats.skipped == 1 and len(warnings) == 1
    assert index.search("report 4321", 1)[0].doc_id == "d8/f04321"
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    stats, again = opened.stats, opened.warnings
    assert stats.from_cache and again == warnings
    assert built < 60  # about 1 s on 2 cores; the bound only catches a pathological slowdown


@pytest.mark.slow
def test_a_five_megabyte_file_and_its_truncated_cache(tmp_path: Path, bundled_corpus: Path) -> None:
    article = (bundled_corpus / "minusma-withdrawal.txt").read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    copies = 5_000_000 // len(article) + 1
    write(corpus / "big.txt", (article + "\n") * copies)
    write(corpus / "small.txt", OIL)
    opened = open_index(corpus, BM25Params(), tmp_path / "cache")
    index, stats, warnings = opened.index, opened.stats, opened.warnings
    assert warnings == [] and stats.documents == 2
    assert stats.sentences == 15 * copies + 2
    hit = index.search("peacekeepers lost their lives", 1)[0]
    text = index.documents[0].text
    assert text[hit.start : hit.end] == hit.sentence
    assert stats.cache_path is not None
    texts = Path(stats.cache_path) / "texts.bin"
    assert texts.stat().st_size > 1 << 20  # checked by size and sampled blocks, not whole
    with texts.open("r+b") as f:
        f.truncate(texts.stat().st_size - 1)
    stats = open_index(corpus, BM25Params(), tmp_path / "cache").stats
    assert not stats.from_cache  # truncated: rebuilt, not trusted
    stats = open_index(corpus, BM25Params(), tmp_path / "cache").stats
    assert stats.from_cache


def test_symlinked_folder_twice_is_read_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "news" / "oil.txt", OIL)
    (corpus / "again").symlink_to(corpus / "news", target_is_directory=True)
    opened = open_index(corpus, BM25Params(), None)
    index, warnings = opened.index, opened.warnings
    assert [d.path for d in index.documents] == ["again/oil.txt"]
    assert problems_of(warnings) == {
        str(corpus / "news"): "skipped: folder seen before (symlink loop)"
    }
