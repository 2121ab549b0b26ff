"""HTTP fetching under the safety policy: schemes, addresses, redirects, size, type, robots."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from types import TracebackType

import aiohttp
import yarl
from pydantic import Field

from bot.news.addresses import (
    PrivateAddressError,
    PublicOnlyResolver,
    is_ip_literal,
    is_public,
    peer_address,
    refusal,
)
from bot.news.errors import NewsError
from bot.news.robots import RobotsRules, robots_url
from bot.news.urls import parse_web_url
from bot.settings import Settings
from retrieval.models import Frozen

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
ROBOTS_TYPES = frozenset({"text/plain"})
ROBOTS_MAX_BYTES = 512 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


class FetchPolicy(Frozen):
    """How politely and how safely to fetch (from settings; tests shorten the limits)."""

    timeout_seconds: float = Field(default=20.0, gt=0)
    max_bytes: int = Field(default=5_000_000, ge=1)
    max_redirects: int = Field(default=5, ge=0)
    concurrency: int = Field(default=4, ge=1)
    host_delay_seconds: float = Field(default=1.0, ge=0)
    user_agent: str = "qabot/0.1 (news question-answering bot)"
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the ``QABOT_FETCH_*`` settings describe."""
        return cls(
            timeout_seconds=settings.fetch_timeout_seconds,
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            concurrency=settings.fetch_concurrency,
            host_delay_seconds=settings.fetch_host_delay_seconds,
            user_agent=settings.fetch_user_agent,
            allow_private=settings.allow_private_urls,
        )


class Fetched(Frozen):
    """One response after redirects: where it ended, what it holds, how to ask again."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304: the conditional request found nothing new."""
        return self.status == 304


class Fetcher:
    """An HTTP client that applies one FetchPolicy to every request and every redirect hop."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._host_last: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        resolver = None if self.policy.allow_private else PublicOnlyResolver()
        connector = aiohttp.TCPConnector(resolver=resolver, limit=self.policy.concurrency)
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.policy.user_agent},
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout_seconds),
            trust_env=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(
        self,
        url: str,
        accept: Iterable[str],
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url`` (following checked redirects); NewsError naming the URL on any refusal."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        accepted = frozenset(accept)
        current = parse_web_url(url)
        seen = {str(current)}
        for _ in range(self.policy.max_redirects + 1):
            self._check_host(url, current)
            try:
                rules = await self._robots_for(current)
            except NewsError as exc:
                raise NewsError(url, exc.reason) from None
            if not rules.allows(str(current)):
                raise NewsError(url, rules.refusal(current.host or ""))
            answer = await self._once(url, current, accepted, headers, self.policy.max_bytes)
            if isinstance(answer, Fetched):
                return answer
            current = self._next_hop(url, current, answer)
            if str(current) in seen:
                raise NewsError(url, f"redirect loop (back to {current})")
            seen.add(str(current))
        raise NewsError(url, f"too many redirects (more than {self.policy.max_redirects})")

    def _next_hop(self, url: str, current: yarl.URL, location: str) -> yarl.URL:
        try:
            target = current.join(yarl.URL(location))
        except ValueError:
            raise NewsError(url, f"bad redirect location {location!r}") from None
        try:
            return parse_web_url(str(target))
        except NewsError as exc:
            raise NewsError(url, f"redirected to {target}: {exc.reason}") from None

    def _check_host(self, url: str, current: yarl.URL) -> None:
        host = (current.host or "").strip("[]")
        # aiohttp skips the resolver for a literal address, so the URL's own text is checked.
        if not self.policy.allow_private and is_ip_literal(host) and not is_public(host):
            raise NewsError(url, refusal(host, host))

    async def _once(
        self,
        url: str,
        current: yarl.URL,
        accepted: frozenset[str],
        headers: dict[str, str],
        max_bytes: int,
    ) -> Fetched | str:
        """One request: the response, or where a redirect points."""
        assert self._session is not None, "use Fetcher as an async context manager"
        async with self._slots:
            await self._wait_for_host(current.host or "")
            self.requests += 1
            try:
                async with self._session.get(
                    current, headers=headers, allow_redirects=False
                ) as response:
                    self._check_peer(url, response)
                    if response.status in REDIRECTS:
                        location = response.headers.get("Location")
                        if not location:
                            raise NewsError(url, f"HTTP {response.status} without a Location")
                        return location
                    if response.status == 304:
                        return _fetched(url, current, response, b"")
                    if response.status >= 400:
                        reason = response.reason or ""
                        raise NewsError(
                            url, f"HTTP {response.status} {reason}".rstrip(), status=response.status
                        )
                    content_type = response.content_type.lower()
                    if content_type not in accepted:
                        wanted = " or ".join(sorted(accepted))
                        raise NewsError(url, f"content type {content_type!r} is not {wanted}")
                    body = await _read_limited(url, response, max_bytes)
                    return _fetched(url, current, response, body)
            except TimeoutError:
                raise NewsError(url, f"timed out after {self.policy.timeout_seconds:g} s") from None
            except aiohttp.ClientConnectorError as exc:
                if isinstance(exc.os_error, PrivateAddressError):
                    raise NewsError(url, str(exc.os_error)) from None
                reason = f"could not connect to {current.host}: {exc.strerror}"
                raise NewsError(url, reason) from None
            except aiohttp.ClientError as exc:
                raise NewsError(url, f"download failed ({type(exc).__name__}: {exc})") from None

    def _check_peer(self, url: str, response: aiohttp.ClientResponse) -> None:
        # Belt and braces behind the resolver: the address actually connected to.
        peer = peer_address(response)
        if not self.policy.allow_private and peer is not None and not is_public(peer):
            raise NewsError(url, refusal(response.url.host or peer, peer))

    async def _wait_for_host(self, host: str) -> None:
        delay = self.policy.host_delay_seconds
        if delay <= 0:
            return
        lock = self._host_locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._host_last.get(host, -delay) + delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._host_last[host] = time.monotonic()

    async def _robots_for(self, url: yarl.URL) -> RobotsRules:
        origin = str(url.origin())
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._robots[origin] = await self._fetch_robots(url)
        return rules

    async def _fetch_robots(self, url: yarl.URL) -> RobotsRules:
        where = robots_url(url)
        current = yarl.URL(where)
        try:
            for _ in range(self.policy.max_redirects + 1):
                self._check_host(where, current)
                answer = await self._once(where, current, ROBOTS_TYPES, {}, ROBOTS_MAX_BYTES)
                if isinstance(answer, Fetched):
                    return RobotsRules(answer.body.decode("utf-8", errors="replace"))
                current = self._next_hop(where, current, answer)
        except NewsError as exc:
            # RFC 9309: no rules file (4xx) allows all; a server error (5xx) allows nothing.
            if exc.status is not None:
                return RobotsRules() if exc.status < 500 else RobotsRules(unreadable=exc.reason)
            if exc.reason.startswith("content type"):
                return RobotsRules()
            # Unreachable (refused, timed out, no connection): the page would fail the same way.
            raise NewsError(str(url), exc.reason) from None
        return RobotsRules()


async def _read_limited(url: str, response: aiohttp.ClientResponse, limit: int) -> bytes:
    if response.content_length is not None and response.content_length > limit:
        raise NewsError(url, f"too large ({response.content_length:,} bytes; limit {limit:,})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        size += len(chunk)
        if size > limit:
            # Stop reading: the rest of a huge page is never downloaded.
            raise NewsError(url, f"too large (more than {limit:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _fetched(url: str, current: yarl.URL, response: aiohttp.ClientResponse, body: bytes) -> Fetched:
    return Fetched(
        url=url,
        final_url=str(current),
        status=response.status,
        content_type=response.content_type.lower(),
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
