"""URL checks and names: the allowed schemes, canonical form, file-name slugs and keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import yarl

from bot.news.errors import NewsError

SCHEMES = frozenset({"http", "https"})
# Query parameters that only track a click; two links differing in them are one article.
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.IGNORECASE)
SLUG_CHARS = 60


def parse_web_url(text: str) -> yarl.URL:
    """``text`` as an absolute http(s) URL, or NewsError saying why not."""
    try:
        url = yarl.URL(text.strip())
    except (ValueError, TypeError) as exc:
        raise NewsError(text, f"not a URL ({exc})") from None
    if url.scheme.lower() not in SCHEMES:
        which = f"not {url.scheme}://" if url.scheme else "and this one has no scheme"
        raise NewsError(text, f"refused: only http:// and https:// URLs are fetched, {which}")
    if not url.host:
        raise NewsError(text, "not a URL: it names no host")
    return url


def canonical_url(text: str) -> str:
    """The form two links to one article share: no fragment, no tracking parameters."""
    url = yarl.URL(text.strip())
    kept = [(k, v) for k, v in url.query.items() if not _TRACKING.match(k)]
    # with_path drops the query and fragment; the kept parameters go back on. A bare host
    # gets its "/" so that http://a.example and http://a.example/ are one URL.
    url = url.with_path(url.raw_path or "/", encoded=True)
    if kept:
        url = url.with_query(kept)
    # yarl lower-cases scheme and host and drops a default port already.
    return str(url)


def same_site(a: str, b: str) -> bool:
    """True when two URLs are on one host (``www.`` aside): a page may only rename itself."""
    host_a, host_b = yarl.URL(a).host or "", yarl.URL(b).host or ""
    return host_a.removeprefix("www.") == host_b.removeprefix("www.")


def url_key(canonical: str) -> str:
    """A short stable key of a canonical URL, part of the article's file name."""
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=4).hexdigest()


def slugify(title: str) -> str:
    """A readable file-name stem: ``Big news, today!`` -> ``big-news-today``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_CHARS:
        slug = slug[:SLUG_CHARS].rsplit("-", 1)[0]
    return slug or "article"
