"""A local news site for the tests: article pages, feeds and faults, served on 127.0.0.1.

An aiohttp app in its own thread (so the code under test can run its own event loop, as
``qabot add`` does). Routes are set per test; every request is recorded with its headers.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from html import escape

from aiohttp import web

MEGABYTE = 1024 * 1024


@dataclass
class Route:
    """What the site answers at one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    # Never answer (a server that hangs), or stream this many bytes of filler.
    hang: bool = False
    stream_bytes: int = 0


@dataclass(frozen=True)
class Seen:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    status: int
    at: float = 0.0  # time.monotonic() on arrival


class NewsSite:
    """The server; ``url(path)`` is where a route is reached."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.streamed = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._release: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> None:
        """Start serving (returns once the port is known)."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)

    def stop(self) -> None:
        """Release hanging requests, stop serving, end the thread."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The full URL of ``path`` on this site."""
        return f"http://{host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        """The requests made to ``path`` so far."""
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def page(self, path: str, html: str) -> str:
        """Serve ``html`` at ``path``; its URL."""
        self.routes[path] = Route(body=html.encode("utf-8"))
        return self.url(path)

    async def _start(self) -> None:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _stop(self) -> None:
        assert self._release is not None and self._runner is not None
        self._release.set()
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        route = self.routes.get(request.path)
        status = 404 if route is None else route.status
        if route is not None and route.etag and request.headers.get("If-None-Match") == route.etag:
            status = 304
        with self._lock:
            self.seen.append(Seen(request.path, dict(request.headers), status, time.monotonic()))
        if route is None:
            return web.Response(status=404, text="not found")
        if route.hang:
            assert self._release is not None
            await self._release.wait()
            return web.Response(status=503)
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if status == 304:
            return web.Response(status=304, headers=headers)
        if route.stream_bytes:
            return await self._stream(request, route)
        return web.Response(
            status=status, body=route.body, content_type=route.content_type, headers=headers
        )

    async def _stream(self, request: web.Request, route: Route) -> web.StreamResponse:
        # No Content-Length: only the client's own count can stop a page this large.
        response = web.StreamResponse(headers={"Content-Type": route.content_type})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * (MEGABYTE - 7) + b"</p>\n"
        try:
            while self.streamed < route.stream_bytes:
                await response.write(chunk)
                self.streamed += len(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client hung up, as it should
        return response


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str | None = None,
    date: str = "2024-05-02",
    author: str = "Jane Doe",
) -> str:
    """A realistic article page: navigation, cookie banner, related links and comments around it."""
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | The Riverside Gazette</title>
{link}
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="The Riverside Gazette">
<meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{date}T08:00:00Z">
</head><body>
<header><nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe now for 1 euro</a></li>
</ul></nav></header>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to personalise content and ads.
By clicking Accept all cookies you agree to our use of cookies.</p>
<button>Accept all cookies</button><button>Manage preferences</button></div>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By {escape(author)}, {date}</p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Ferry operators fear for their future after the vote</a></li>
<li><a href="/b">Opinion: why the old bridge should be kept as a monument</a></li>
</ul></aside>
<section id="comments" class="comments"><h2>Comments (2)</h2>
<div class="comment"><p class="comment-author">riverfan42</p>
<p>Comment by riverfan42: finally, after all these years of waiting for the council!</p></div>
<div class="comment"><p class="comment-author">grumpy_taxpayer</p>
<p>Comment by grumpy_taxpayer: what a waste of money, they should fix the roads first.</p></div>
</section></main>
<footer><p>Copyright 2024 The Riverside Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def rss_xml(title: str, items: list[tuple[str, str | None, str]]) -> str:
    """An RSS 2.0 feed of (title, link or None, pubDate) items."""
    parts = []
    for item_title, link, stamp in items:
        link_xml = f"<link>{escape(link)}</link><guid>{escape(link)}</guid>" if link else ""
        parts.append(
            f"<item><title>{escape(item_title)}</title>{link_xml}<pubDate>{stamp}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>news</description>{''.join(parts)}</channel></rss>"
    )


def atom_xml(title: str, entries: list[tuple[str, str, str]]) -> str:
    """An Atom feed of (title, link, updated) entries."""
    parts = [
        f"<entry><title>{escape(t)}</title><id>{escape(link)}</id>"
        f'<link href="{escape(link)}"/><updated>{updated}</updated></entry>'
        for t, link, updated in entries
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:feed</id>"
        f"<updated>2024-05-02T08:00:00Z</updated>{''.join(parts)}</feed>"
    )
