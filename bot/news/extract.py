"""Article extraction: the story's paragraphs and metadata from a page, clutter left out."""

from __future__ import annotations

import re
from typing import Any

import trafilatura
import yarl
from trafilatura.settings import Document

from bot.news.errors import NewsError
from bot.news.urls import canonical_url, same_site
from retrieval.models import Frozen

MIN_TEXT_CHARS = 200
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Article(Frozen):
    """One news article, ready to be written into the corpus."""

    title: str
    url: str
    text: str
    date: str | None = None
    source: str | None = None
    author: str | None = None


def extract_article(html: bytes, page_url: str) -> Article:
    """The article in ``html`` fetched from ``page_url``; NewsError when it holds none."""
    try:
        found = trafilatura.bare_extraction(
            html,
            url=page_url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=False,
        )
    except (ValueError, TypeError) as exc:
        raise NewsError(page_url, f"could not read the page as HTML ({exc})") from None
    doc: dict[str, Any] = found.as_dict() if isinstance(found, Document) else (found or {})
    text = str(doc.get("text") or "")
    title = _one_line(str(doc.get("title") or ""))
    paragraphs = [_one_line(p) for p in text.splitlines() if p.strip()]
    # trafilatura keeps the headline as the first line; the front matter already holds it.
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    if len(body) < MIN_TEXT_CHARS:
        raise NewsError(page_url, "no article text found on the page")
    return Article(
        title=title or _title_from_url(page_url),
        url=_canonical(doc.get("url"), page_url),
        text=body,
        date=str(doc.get("date") or "") or None,
        source=_one_line(str(doc.get("sitename") or "")) or yarl.URL(page_url).host,
        author=_one_line(str(doc.get("author") or "")) or None,
    )


def _canonical(declared: str | None, page_url: str) -> str:
    # A page may name its canonical URL, but only on its own site: otherwise a page could
    # claim another site's article and overwrite that article's file.
    if declared and declared.startswith(("http://", "https://")) and same_site(declared, page_url):
        return canonical_url(declared)
    return canonical_url(page_url)


def _one_line(text: str) -> str:
    # Control characters in a page's title would reach terminals and front matter: dropped.
    return " ".join(_CONTROLS.sub(" ", text).split())


def _title_from_url(url: str) -> str:
    name = yarl.URL(url).name.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else url
