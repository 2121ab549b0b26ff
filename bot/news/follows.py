"""The followed feeds: a small JSON file beside the articles (hidden, so never indexed)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.news.articles import write_atomically
from retrieval.errors import BadInputError

FEEDS_FILE = ".qabot-feeds.json"


class FollowedFeed(BaseModel):
    """One followed feed and what the last poll learnt of it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    # Entry key -> stamp of the entries already added, so only new or changed ones are fetched.
    seen: dict[str, str] = {}


class FeedsFileError(BadInputError):
    """The followed-feeds file cannot be read; the message names it and the fix."""


def feeds_path(corpus: Path) -> Path:
    """Where the followed feeds of ``corpus`` are kept."""
    return corpus / FEEDS_FILE


def load_feeds(corpus: Path) -> list[FollowedFeed]:
    """The followed feeds, in the order they were added (none when the file is absent)."""
    path = feeds_path(corpus)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"cannot read {path}: {exc}; fix or delete the file") from None
    try:
        data = json.loads(raw)
        return [FollowedFeed.model_validate(item) for item in data.get("feeds", [])]
    except (ValueError, AttributeError, ValidationError) as exc:
        reason = str(exc).splitlines()[0]
        raise FeedsFileError(
            f"{path} is not a followed-feeds file ({reason}); fix or delete it"
        ) from None


def save_feeds(corpus: Path, feeds: list[FollowedFeed]) -> bool:
    """Write the list atomically if it changed; True when the file was written."""
    text = json.dumps({"feeds": [f.model_dump() for f in feeds]}, indent=2, ensure_ascii=False)
    path = feeds_path(corpus)
    try:
        if path.read_text(encoding="utf-8") == text + "\n":
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text + "\n")
    return True


def upsert(feeds: list[FollowedFeed], feed: FollowedFeed) -> list[FollowedFeed]:
    """``feeds`` with ``feed`` replacing the entry of the same URL, or appended."""
    if any(f.url == feed.url for f in feeds):
        return [feed if f.url == feed.url else f for f in feeds]
    return [*feeds, feed]
