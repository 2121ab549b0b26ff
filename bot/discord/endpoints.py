"""Where discord.py connects: the REST API base and the gateway URL, both from settings.

discord.py hard-codes both (``Route.BASE`` and its default gateway host); these two patches
are what lets a bot talk to a local fake Discord in tests, and they live here alone.
"""

from __future__ import annotations

import logging

import aiohttp
import discord
import yarl
from discord.http import Route

from bot.settings import Settings

log = logging.getLogger(__name__)


class Endpoints:
    """The API base and gateway of one client; :meth:`install` points its HTTP object at them."""

    def __init__(self, settings: Settings) -> None:
        self.api_base = settings.discord_api_base.rstrip("/")
        self._configured = settings.discord_gateway
        self._gateway: yarl.URL | None = None
        self._previous_base = Route.BASE

    def install(self, http: discord.http.HTTPClient) -> None:
        """Rewrite the gateway URL on this client's own HTTP object (not globally)."""
        original = http.ws_connect

        async def ws_connect(url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
            return await original(self.gateway_url(url), compress=compress)

        http.ws_connect = ws_connect  # type: ignore[method-assign]

    def use_api_base(self) -> None:
        """Point discord.py's REST routes (read per request, webhooks too) at the API base."""
        self._previous_base = Route.BASE
        Route.BASE = self.api_base

    def restore_api_base(self) -> None:
        """Put Route.BASE back: it is process-wide, and other clients may run here."""
        Route.BASE = self._previous_base

    async def resolve_gateway(self, http: discord.http.HTTPClient) -> None:
        """The configured gateway, else the one GET /gateway/bot names on the API base."""
        if self._configured:
            self._gateway = yarl.URL(self._configured)
            return
        try:
            _, url, _ = await http.get_bot_gateway()
        except discord.GatewayNotFound:
            log.warning("GET /gateway/bot failed; using discord.py's default gateway")
            return
        self._gateway = yarl.URL(url)

    def gateway_url(self, requested: str) -> str:
        """The URL to open for a gateway URL discord.py asked for."""
        url = yarl.URL(requested)
        if self._gateway is None or "encoding" not in url.query:
            return requested  # not the main gateway (voice), or nothing configured
        default_host = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY.host
        if not self._configured and url.host != default_host:
            return requested  # a resume URL Discord handed out: honour it
        return str(self._gateway.update_query(url.query))
