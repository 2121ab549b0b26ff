"""Checksums of cached files: whole for small files, sampled for large ones.

Small files are hashed whole on every load; large ones (texts, term ids, the BM25 matrix) by a
checksum of 64 sampled blocks plus the last block, so a restart does not read hundreds of
megabytes. ``full_digest`` hashes a file whole (what ``IndexCache.verify`` uses).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

# Files up to this size are hashed whole on every load; larger ones are sampled.
SMALL_FILE = 1 << 20
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK = 4096


def file_record(path: Path) -> dict[str, Any]:
    """A file's size, full digest and load-time check (full or sampled), for meta.json."""
    size = path.stat().st_size
    full = full_digest(path)
    return {
        "size": size,
        "full": full,
        "check": full if size <= SMALL_FILE else sampled_digest(path),
    }


def full_digest(path: Path) -> str:
    """A digest of the whole file."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sampled_digest(path: Path) -> str:
    """A checksum of 64 evenly spaced 4 KiB blocks and the last block: milliseconds, any size."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as data:
        size = os.fstat(data.fileno()).st_size
        digest.update(str(size).encode())
        last = max(0, size - SAMPLE_BLOCK)
        for i in range(SAMPLE_BLOCKS):
            digest.update(os.pread(data.fileno(), SAMPLE_BLOCK, last * i // (SAMPLE_BLOCKS - 1)))
        digest.update(os.pread(data.fileno(), SAMPLE_BLOCK, last))
    return digest.hexdigest()
