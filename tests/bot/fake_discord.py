"""A local fake Discord: the gateway handshake and the REST routes the bot calls, recorded.

An aiohttp app on 127.0.0.1 and a random port. The gateway speaks plain-text JSON frames
(discord.py only inflates binary frames, so nothing is compressed): HELLO, then READY and
GUILD_CREATE after IDENTIFY, RESUMED after RESUME, an ACK per heartbeat. Tests inject
MESSAGE_CREATE and INTERACTION_CREATE events and wait for the REST calls they cause.

Faults on demand: :meth:`FakeDiscord.fail_next` answers the next matching REST calls with
an error status (a 429 carries ``retry_after`` as Discord sends it), and
:meth:`FakeDiscord.drop_connection` closes the gateway; events dispatched while the bot is
away are replayed after its RESUME, as Discord does. Every heartbeat's arrival time and
every gateway frame received are recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import WSMsgType, web

Json = dict[str, Any]

TIMESTAMP = "2024-01-01T00:00:00.000000+00:00"
# Snowflakes are 17-20 digits; discord.utils.escape_mentions only matches those.
BASE_ID = 100_000_000_000_000_000
# Every permission bit a member could need, as Discord sends it: a decimal string.
ALL_PERMISSIONS = str((1 << 53) - 1)
NO_PERMISSIONS = "0"
ATTACHMENT_SIZE_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True)
class Request:
    """One REST call the bot made."""

    method: str
    path: str
    body: Any
    query: dict[str, str]
    authorization: str | None
    # time.monotonic() on arrival, and the status the fake answered with.
    at: float = 0.0
    status: int = 200


@dataclass
class Fault:
    """Answer the next ``times`` REST calls matching ``match`` with ``status``."""

    match: Callable[[Request], bool]
    status: int
    times: int = 1
    retry_after: float = 1.0
    is_global: bool = False


@dataclass(frozen=True)
class GatewaySession:
    """What one gateway connection carried."""

    query: dict[str, str]
    identify: Json | None
    resumed: bool
    close_code: int | None


def json_response(data: Any, *, status: int = 200) -> web.Response:
    """A JSON response with Content-Type exactly ``application/json`` (no charset).

    discord.py decodes a REST body only when the header is exactly that string.
    """
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json"
    )


def user_json(user_id: int, name: str, *, bot: bool = False) -> Json:
    """A Discord user object."""
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member_json(user: Json, *, permissions: str | None = None) -> Json:
    """A guild member object (with the ``flags`` discord.py 2.7 requires)."""
    member: Json = {
        "user": user,
        "roles": [],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
    }
    if permissions is not None:
        member["permissions"] = permissions
    return member


@dataclass
class FakeDiscord:
    """The fake server; ``async with FakeDiscord() as fake`` starts and stops it."""

    token: str = "fake-token-abc.def.ghi"
    app_id: int = BASE_ID + 1
    bot_id: int = BASE_ID + 1
    owner_id: int = BASE_ID + 2
    guild_id: int = BASE_ID + 10
    channel_id: int = BASE_ID + 11
    dm_channel_id: int = BASE_ID + 12
    heartbeat_interval_ms: int = 41_250
    requests: list[Request] = field(default_factory=list)
    sessions: list[GatewaySession] = field(default_factory=list)
    # Arrival times (time.monotonic()) of every heartbeat, and every frame the bot sent.
    heartbeats: list[float] = field(default_factory=list)
    frames: list[Json] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    identifies: int = 0
    resumes: int = 0
    port: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(BASE_ID + 1_000)
        self._seq = 0
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        # The socket events go to (None while the bot is away), and every event sent, so a
        # RESUME can replay what the bot missed.
        self._live: web.WebSocketResponse | None = None
        self._history: list[tuple[int, str, Json]] = []
        self._runner: web.AppRunner | None = None
        self.identified = asyncio.Event()
        self.resumed = asyncio.Event()

    # -- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 and a free port."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Close every socket and the server."""
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """The value for QABOT_DISCORD_API_BASE."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The value for QABOT_DISCORD_GATEWAY (and what GET /gateway/bot answers)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def bot_user(self) -> Json:
        """The bot's own user object."""
        return user_json(self.bot_id, "qabot", bot=True)

    def next_id(self) -> int:
        """A fresh snowflake."""
        return next(self._ids)

    # -- waiting --------------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[Request], bool], *, count: int = 1, timeout: float = 30.0
    ) -> list[Request]:
        """The first ``count`` recorded requests matching ``predicate``, once there are."""

        def matching() -> list[Request]:
            return [r for r in self.requests if predicate(r)]

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()[:count]

    async def wait_session_closed(self, timeout: float = 30.0) -> GatewaySession:
        """The first gateway session once its socket has closed."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: bool(self.sessions))
        return self.sessions[0]

    async def wait_until(self, condition: Callable[[], bool], *, timeout: float = 30.0) -> None:
        """Return once ``condition()`` holds; it is checked after every request and frame."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(condition)

    def matching(self, predicate: Callable[[Request], bool]) -> list[Request]:
        """Every recorded request matching ``predicate``, so far."""
        return [r for r in self.requests if predicate(r)]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- gateway --------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        identify: Json | None = None
        resumed = False
        await self._send(ws, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            payload = json.loads(message.data)
            self.frames.append(payload)
            op = payload.get("op")
            if op == 1:
                self.heartbeats.append(time.monotonic())
                await self._send(ws, {"op": 11})
            elif op == 2:
                identify = payload["d"]
                ready = self._ready()
                # A sharded client identifies with [shard_id, shard_count]; READY echoes it.
                ready["shard"] = identify.get("shard", [0, 1])
                await self._dispatch_to(ws, "READY", ready)
                await self._dispatch_to(ws, "GUILD_CREATE", self.guild_json())
                self._live = ws
                self.identifies += 1
                self.identified.set()
            elif op == 6:
                resumed = True
                # What the bot missed, in order, then RESUMED: as Discord does.
                missed = [h for h in self._history if h[0] > (payload["d"].get("seq") or 0)]
                for seq, event, data in missed:
                    await self._send(ws, {"op": 0, "t": event, "s": seq, "d": data})
                await self._dispatch_to(ws, "RESUMED", {})
                self._live = ws
                self.resumes += 1
                self.resumed.set()
            await self._notify()
        if self._live is ws:
            self._live = None
        self._sockets.remove(ws)
        self.sessions.append(
            GatewaySession(
                query=dict(request.query),
                identify=identify,
                resumed=resumed,
                close_code=ws.close_code,
            )
        )
        await self._notify()
        return ws

    async def _send(self, ws: web.WebSocketResponse, payload: Json) -> None:
        payload.setdefault("s", None)
        payload.setdefault("t", None)
        await ws.send_str(json.dumps(payload))

    async def _dispatch_to(self, ws: web.WebSocketResponse, event: str, data: Json) -> None:
        self._seq += 1
        await self._send(ws, {"op": 0, "t": event, "s": self._seq, "d": data})

    async def dispatch(self, event: str, data: Json) -> None:
        """Send one DISPATCH event to the bot; while it is away, keep it for its RESUME."""
        if not self.identified.is_set():
            raise RuntimeError("no bot is connected to the fake gateway")
        self._seq += 1
        self._history.append((self._seq, event, data))
        ws = self._live
        if ws is not None and not ws.closed:
            await self._send(ws, {"op": 0, "t": event, "s": self._seq, "d": data})

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the bot's socket from the server side, as Discord or a network fault would.

        The bot should reconnect and RESUME; events dispatched meanwhile are replayed.
        """
        ws = self._live or self._sockets[-1]
        self._live = None
        await ws.close(code=code)

    def fail_next(
        self,
        match: Callable[[Request], bool],
        status: int,
        *,
        times: int = 1,
        retry_after: float = 1.0,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next ``times`` REST calls matching ``match`` with ``status``.

        A 429 carries ``retry_after`` in its JSON body (and, rounded up, in the Retry-After
        header) and a ``Via`` header, as Discord's do; discord.py treats a 429 without
        ``Via`` as a Cloudflare ban.
        """
        fault = Fault(match, status, times, retry_after, is_global)
        self.faults.append(fault)
        return fault

    def _ready(self) -> Json:
        return {
            "v": 10,
            "user": self.bot_user,
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "private_channels": [],
            "relationships": [],
        }

    def channel_json(self) -> Json:
        """The guild's one text channel."""
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def guild_json(self) -> Json:
        """The GUILD_CREATE payload: one guild, one channel, the bot as a member."""
        return {
            "id": str(self.guild_id),
            "name": "Fake guild",
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": 2,
            "joined_at": TIMESTAMP,
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": ALL_PERMISSIONS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self.channel_json()],
            "threads": [],
            "members": [member_json(self.bot_user), member_json(user_json(self.owner_id, "owner"))],
            "voice_states": [],
            "presences": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    # -- events the tests inject ----------------------------------------------------

    def message_json(
        self,
        content: str,
        *,
        author: Json,
        channel_id: int | None = None,
        in_guild: bool = True,
        mentions: list[Json] | None = None,
        message_id: int | None = None,
    ) -> Json:
        """A MESSAGE_CREATE payload."""
        data: Json = {
            "id": str(message_id or self.next_id()),
            "channel_id": str(channel_id or (self.channel_id if in_guild else self.dm_channel_id)),
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mentions or [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if in_guild:
            data["guild_id"] = str(self.guild_id)
            data["member"] = {k: v for k, v in member_json(author).items() if k != "user"}
        return data

    async def send_message(
        self, content: str, *, user_id: int, in_guild: bool = True, mention_bot: bool = False
    ) -> Json:
        """A user posts ``content``; with ``mention_bot`` it starts with ``@qabot``."""
        if mention_bot:
            content = f"<@{self.bot_id}> {content}"
        author = user_json(user_id, f"user{user_id % 1000}")
        mentions = [self.bot_user] if mention_bot else []
        data = self.message_json(content, author=author, in_guild=in_guild, mentions=mentions)
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    def _interaction_base(
        self, kind: int, user_id: int, *, in_guild: bool, permissions: str
    ) -> Json:
        user = user_json(user_id, f"user{user_id % 1000}")
        data: Json = {
            "id": str(self.next_id()),
            "application_id": str(self.app_id),
            "type": kind,
            "token": f"interaction-token-{self.next_id()}",
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "app_permissions": ALL_PERMISSIONS,
            "authorizing_integration_owners": {"0": str(self.guild_id)},
        }
        if in_guild:
            data["guild_id"] = str(self.guild_id)
            data["guild_locale"] = "en-US"
            data["channel_id"] = str(self.channel_id)
            data["channel"] = self.channel_json()
            data["member"] = member_json(user, permissions=permissions)
            data["context"] = 0
        else:
            data["channel_id"] = str(self.dm_channel_id)
            data["channel"] = {"id": str(self.dm_channel_id), "type": 1, "recipients": [user]}
            data["user"] = user
            data["context"] = 1
        return data

    async def slash(
        self,
        name: str,
        options: dict[str, str] | None = None,
        *,
        user_id: int,
        in_guild: bool = True,
        permissions: str = NO_PERMISSIONS,
    ) -> Json:
        """A user runs ``/name option:value``; the INTERACTION_CREATE payload sent."""
        data = self._interaction_base(2, user_id, in_guild=in_guild, permissions=permissions)
        data["data"] = {
            "id": str(self.next_id()),
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
        }
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    async def autocomplete(
        self, name: str, options: dict[str, str], focused: str, *, user_id: int
    ) -> Json:
        """A user types into option ``focused`` of ``/name``; the payload sent."""
        data = self._interaction_base(4, user_id, in_guild=True, permissions=NO_PERMISSIONS)
        data["data"] = {
            "id": str(self.next_id()),
            "name": name,
            "type": 1,
            "options": [
                {"name": k, "type": 3, "value": v, **({"focused": True} if k == focused else {})}
                for k, v in options.items()
            ],
        }
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    async def click(
        self, custom_id: str, *, user_id: int, message: Json | None = None, in_guild: bool = True
    ) -> Json:
        """A user clicks the button ``custom_id`` on ``message`` (by default: one holding it)."""
        data = self._interaction_base(3, user_id, in_guild=in_guild, permissions=NO_PERMISSIONS)
        data["data"] = {"custom_id": custom_id, "component_type": 2}
        if message is None:
            message = self.message_json("", author=self.bot_user)
            button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
            message["components"] = [{"type": 1, "components": [button]}]
        data["message"] = message
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    # -- REST -----------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body and request.content_type == "application/json":
            body = await request.json()
        record = Request(
            method=request.method,
            path=path,
            body=body,
            query=dict(request.query),
            authorization=request.headers.get("Authorization"),
            at=time.monotonic(),
        )
        fault = next((f for f in self.faults if f.times > 0 and f.match(record)), None)
        if fault is not None:
            fault.times -= 1
            response: web.StreamResponse = self._fault_response(fault)
        elif path == "/users/@me" and record.authorization != f"Bot {self.token}":
            response = json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        else:
            response = self._answer(record)
        self.requests.append(replace(record, status=response.status))
        await self._notify()
        return response

    def _fault_response(self, fault: Fault) -> web.StreamResponse:
        if fault.status != 429:
            reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
            message = f"{fault.status}: {reason.get(fault.status, 'Error')}"
            return json_response({"message": message, "code": 0}, status=fault.status)
        response = json_response(
            {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
            },
            status=429,
        )
        response.headers["Retry-After"] = str(math.ceil(fault.retry_after))
        response.headers["X-RateLimit-Scope"] = "global" if fault.is_global else "user"
        response.headers["Via"] = "1.1 google"
        return response

    def _answer(self, r: Request) -> web.StreamResponse:
        parts = r.path.strip("/").split("/")
        if r.method == "GET" and r.path == "/users/@me":
            return json_response(self.bot_user)
        if r.method == "GET" and r.path == "/gateway/bot":
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return json_response(
                {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
            )
        if r.method == "GET" and r.path in ("/oauth2/applications/@me", "/applications/@me"):
            return json_response(self._application())
        if r.method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return json_response([self._command(c) for c in r.body or []])
        if parts[0] == "channels" and parts[-1] == "typing":
            return web.Response(status=204)
        if r.method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            return json_response(self._sent_message(int(parts[1]), r.body or {}))
        if parts[0] == "interactions" and parts[-1] == "callback":
            return json_response(self._callback(r.body or {}))
        if parts[0] == "webhooks" and r.method in ("POST", "PATCH"):
            return json_response(self._sent_message(self.channel_id, r.body or {}))
        if r.method == "DELETE":
            return web.Response(status=204)
        return json_response({"message": "404: Not Found", "code": 0}, status=404)

    def _application(self) -> Json:
        return {
            "id": str(self.app_id),
            "name": "qabot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_json(self.owner_id, "owner"),
            "team": None,
            "verify_key": "00",
            "flags": 0,
        }

    def _command(self, command: Json) -> Json:
        return {
            "id": str(self.next_id()),
            "application_id": str(self.app_id),
            "version": "1",
            "type": command.get("type", 1),
            "name": command["name"],
            "description": command.get("description", ""),
            "options": command.get("options", []),
            "default_member_permissions": command.get("default_member_permissions"),
            "nsfw": False,
        }

    def _sent_message(self, channel_id: int, body: Json) -> Json:
        message = self.message_json(
            body.get("content") or "", author=self.bot_user, channel_id=channel_id, in_guild=False
        )
        message["embeds"] = body.get("embeds") or []
        message["components"] = body.get("components") or []
        return message

    def _callback(self, body: Json) -> Json:
        callback_type = body.get("type", 4)
        message_id = self.next_id()
        data = body.get("data") or {}
        message = self._sent_message(self.channel_id, data)
        message["id"] = str(message_id)
        return {
            "interaction": {
                "id": str(self.next_id()),
                "type": 2,
                "response_message_id": str(message_id),
                "response_message_loading": callback_type == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            },
            "resource": {"type": callback_type, "message": message},
        }
