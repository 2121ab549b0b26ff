"""Article files in the corpus: Markdown with front matter, one file per canonical URL."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Literal

from bot.news.extract import Article
from bot.news.urls import slugify, url_key
from retrieval.documents import parse_front_matter
from retrieval.models import Frozen

SaveStatus = Literal["added", "updated", "unchanged"]


class Saved(Frozen):
    """What writing an article did, and the file that holds it."""

    status: SaveStatus
    path: Path


class StoredArticle(Frozen):
    """An article file's front matter, for listing the newest articles."""

    title: str
    url: str
    date: str | None
    path: Path
    mtime: float


def render_markdown(article: Article) -> str:
    """The file's text: front matter (title, url, date, source, author), then the paragraphs."""
    meta = {
        "title": article.title,
        "url": article.url,
        "date": article.date,
        "source": article.source,
        "author": article.author,
    }
    # One line each: the corpus loader reads front matter a line at a time.
    lines = [f"{k}: {' '.join(v.split())}" for k, v in meta.items() if v]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + article.text.strip() + "\n"


def file_name(article: Article) -> str:
    """``<title slug>-<url key>.md``: readable, and found again by the key of its URL."""
    return f"{slugify(article.title)}-{url_key(article.url)}.md"


def find_article_file(corpus: Path, url: str) -> Path | None:
    """The file that already holds the article at canonical ``url``, if any."""
    for path in sorted(corpus.glob(f"*-{url_key(url)}.md")):
        if _front_matter(path).get("url") == url:
            return path
    return None


def save_article(corpus: Path, article: Article) -> Saved:
    """Write ``article`` atomically; the same URL updates its file, the same text leaves it be."""
    text = render_markdown(article)
    existing = find_article_file(corpus, article.url)
    target = corpus / file_name(article)
    if existing is not None and existing == target and _read(existing) == text:
        return Saved(status="unchanged", path=existing)
    write_atomically(target, text)
    if existing is not None and existing != target:
        # The title changed, so the name did: the old file goes once the new one is in place.
        existing.unlink(missing_ok=True)
    return Saved(status="added" if existing is None else "updated", path=target)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so readers see the old file or the new one, never half of one."""
    # A hidden temporary name: the corpus loader skips it even mid-write.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def list_articles(corpus: Path) -> list[StoredArticle]:
    """The fetched articles (files with a ``url`` in their front matter), newest first."""
    found: list[StoredArticle] = []
    for path in corpus.glob("*.md"):
        meta = _front_matter(path)
        if not meta.get("url"):
            continue
        found.append(
            StoredArticle(
                title=meta.get("title") or path.stem,
                url=meta["url"],
                date=meta.get("date"),
                path=path,
                mtime=path.stat().st_mtime,
            )
        )
    found.sort(key=lambda a: (a.date or "", a.mtime), reverse=True)
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _front_matter(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return {}
    meta, _ = parse_front_matter(head)
    return meta
