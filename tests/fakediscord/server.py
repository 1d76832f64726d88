"""A fake Discord (API v10) for testing discord.py bots offline, over real sockets on 127.0.0.1.

What it imitates
----------------
REST, under ``/api/v10`` (point ``discord.http.Route.BASE`` at ``FakeDiscord.api_base``):

- ``GET  /users/@me``, ``GET /oauth2/applications/@me`` (and ``/applications/@me``): the bot user and its application; any other
  token than ``FakeDiscord.token`` gets Discord's ``401 Unauthorized`` body.
- ``GET  /gateway``, ``GET /gateway/bot``: the gateway URL (this server), shard count, start limit.
- ``POST /channels/{id}/typing``: the typing indicator (204).
- ``POST /channels/{id}/messages``: creates a message (the reply payload is recorded, echoed back
  as a full message object).
- ``POST /interactions/{id}/{token}/callback``: interaction responses (types 4 and 5).
- ``POST /webhooks/{app}/{token}``, ``PATCH /webhooks/{app}/{token}/messages/@original``:
  interaction follow-ups and edits of the original response.
- ``PUT  /applications/{app}/commands``, ``PUT /applications/{app}/guilds/{g}/commands``:
  command sync (commands get ids, as Discord assigns them).
- Any other route answers 404 with Discord's ``{"message": "404: Not Found", "code": 0}``.

Every REST call is recorded as a :class:`Call` (method, path, JSON body, time). ``rate_limit()``
makes the next calls to a path answer ``429`` with ``Retry-After`` and ``retry_after`` as Discord
does, so a test can check that the client waits before trying again; ``fail()`` makes calls to a
path answer an error status (a few times, or from now on).

Gateway, a websocket at ``/gateway`` (plain-text JSON frames, which discord.py accepts even when
it asked for compression): HELLO, heartbeat ACK, IDENTIFY -> READY + GUILD_CREATE (only the
guilds of the identifying shard: ``(guild_id >> 22) % shard_count``), RESUME -> replay of missed
events + RESUMED, close code 4004 for a bad token. ``dispatch()`` sends MESSAGE_CREATE,
INTERACTION_CREATE or any event to every session (or one shard); ``request_reconnect()`` sends
op 7; ``drop_connections()`` closes sockets without warning, as a network failure would.

``message(..., reply_to=id)`` builds a reply (with ``message_reference``), ``message(...,
channel_id=fake.thread_id())`` a message in the guild's thread; ``created`` maps the nonce of each
message the bot sent to the id the server gave it, so a test can reply to the bot's answer.

Like Discord, MESSAGE_CREATE carries an empty ``content`` to a session that did not ask for the
privileged MESSAGE_CONTENT intent, unless the message mentions the bot.

Use it from synchronous tests with ``FakeDiscord.start_in_thread()`` / ``stop()``; the methods
that act on the server are safe to call from any thread.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import WSMsgType, web

API_VERSION = 10
MESSAGE_CONTENT_INTENT = 1 << 15
DISCORD_EPOCH_MS = 1420070400000

OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME, OP_RECONNECT, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = (
    0, 1, 2, 6, 7, 9, 10, 11,
)
CLOSE_AUTHENTICATION_FAILED = 4004


def snowflake(offset_ms: int = 0, counter: itertools.count = itertools.count(1)) -> str:  # noqa: B008
    """A new Discord-style id: milliseconds since the Discord epoch shifted left 22 bits, plus a counter."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS + offset_ms
    return str((ms << 22) | (next(counter) & 0x3FFFFF))


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response as Discord sends it: exactly its content type (discord.py compares it verbatim)
    and its proxy's Via header (without it, discord.py takes a 429 for a Cloudflare ban)."""
    return web.Response(
        body=json.dumps(payload).encode(), status=status,
        headers={"Content-Type": "application/json", "Via": "1.1 google", **(headers or {})},
    )


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def user_payload(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id, "username": name, "global_name": name, "discriminator": "0", "avatar": None,
        "bot": bot, "system": False, "public_flags": 0, "flags": 0,
    }


@dataclass
class Call:
    """One REST request the client made."""

    method: str
    path: str
    json: Any
    at: float
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    """The status the server answered with (429 when rate limited)."""


@dataclass
class Session:
    ws: web.WebSocketResponse
    session_id: str
    shard: tuple[int, int]
    intents: int
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)


class FakeDiscord:
    """The server; one bot account, a few guilds with one text channel each."""

    def __init__(self, token: str = "fake-token", guilds: int = 2, heartbeat_interval_ms: int = 45_000) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.application_id = snowflake()
        self.bot_user = user_payload(self.application_id, "qabot-test", bot=True)
        self.owner = user_payload(snowflake(), "owner")
        self.guilds = [self._guild(f"guild {i}", i) for i in range(guilds)]
        self.calls: list[Call] = []
        self.events: list[tuple[float, str, dict[str, Any]]] = []
        self.sessions: list[Session] = []
        self.closed_sessions: dict[str, Session] = {}
        self.created: dict[str, str] = {}
        """Ids of the messages the bot created, by the nonce it sent."""
        self.identifies = 0
        self.resumes = 0
        self._rate_limits: dict[str, list[float]] = {}
        self._failures: dict[str, list[int]] = {}
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.port = 0

    # ----------------------------------------------------------------- payload builders
    def _guild(self, name: str, index: int) -> dict[str, Any]:
        """A guild whose id's timestamp differs by `index` ms, so consecutive guilds fall on different shards."""
        guild_id = snowflake(offset_ms=index)
        channel_id = snowflake()
        return {
            "id": guild_id, "name": name, "icon": None, "owner_id": self.owner["id"], "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0, "preferred_locale": "en-US",
            "features": [], "emojis": [], "stickers": [], "large": False, "unavailable": False,
            "member_count": 2, "joined_at": now_iso(), "voice_states": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "threads": [{
                "id": snowflake(offset_ms=index), "type": 11, "name": "a thread", "guild_id": guild_id,
                "parent_id": channel_id, "owner_id": self.owner["id"], "message_count": 0, "member_count": 1,
                "rate_limit_per_user": 0, "flags": 0,
                "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": now_iso(),
                                    "locked": False},
            }],
            "roles": [{
                "id": guild_id, "name": "@everyone", "permissions": "2248473465835073", "position": 0,
                "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0,
            }],
            "channels": [{
                "id": channel_id, "type": 0, "name": "general", "position": 0, "guild_id": guild_id,
                "permission_overwrites": [], "nsfw": False, "topic": None, "last_message_id": None,
                "rate_limit_per_user": 0, "parent_id": None,
            }],
            "members": [{
                "user": self.bot_user, "roles": [], "joined_at": now_iso(),
                "deaf": False, "mute": False, "flags": 0,
            }],
        }

    def channel_id(self, guild: int = 0) -> str:
        return self.guilds[guild]["channels"][0]["id"]

    def message(
        self, content: str, *, author_id: str | None = None, author_name: str = "alice", bot: bool = False,
        guild: int = 0, mention_bot: bool = False, channel_id: str | None = None, reply_to: str | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload from a user in a guild's channel (or `channel_id`, e.g. its
        thread), optionally a reply to the message `reply_to`."""
        g = self.guilds[guild]
        author = user_payload(author_id or snowflake(), author_name, bot=bot)
        reference = {}
        if reply_to:
            reference = {
                "type": 19,
                "message_reference": {"type": 0, "message_id": reply_to, "channel_id": channel_id or self.channel_id(guild), "guild_id": g["id"]},
            }
        return {
            "id": snowflake(), "channel_id": channel_id or self.channel_id(guild), "guild_id": g["id"],
            "author": author, "member": {"roles": [], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0},
            "content": content, "timestamp": now_iso(), "edited_timestamp": None, "tts": False,
            "mention_everyone": "@everyone" in content, "mentions": [self.bot_user] if mention_bot else [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
            "components": [], **reference,
        }

    def thread_id(self, guild: int = 0) -> str:
        return self.guilds[guild]["threads"][0]["id"]

    def mention(self) -> str:
        return f"<@{self.application_id}>"

    def slash_command(
        self, name: str, options: dict[str, str] | None = None, *, user_id: str | None = None, guild: int = 0,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for a chat-input (slash) command with string options."""
        g = self.guilds[guild]
        registered = self._commands.get(g["id"], []) + self._commands.get("global", [])
        command_id = next((c["id"] for c in registered if c["name"] == name), snowflake())
        user = user_payload(user_id or snowflake(), "carol")
        return {
            "id": snowflake(), "application_id": self.application_id, "type": 2, "token": f"itoken-{snowflake()}",
            "version": 1, "guild_id": g["id"], "channel_id": self.channel_id(guild),
            "channel": {"id": self.channel_id(guild), "type": 0, "guild_id": g["id"], "name": "general", "position": 0,
                        "permission_overwrites": [], "nsfw": False, "parent_id": None},
            "member": {"user": user, "roles": [], "joined_at": now_iso(), "deaf": False, "mute": False,
                       "permissions": "2248473465835073", "flags": 0},
            "data": {
                "id": command_id, "name": name, "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
            },
            "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US",
            "entitlements": [], "authorizing_integration_owners": {"0": g["id"]}, "context": 0,
            "attachment_size_limit": 10485760,
        }

    def _message_from_body(self, channel_id: str, body: dict[str, Any], *, webhook: bool = False) -> dict[str, Any]:
        guild_id = next((g["id"] for g in self.guilds if g["channels"][0]["id"] == channel_id), None)
        msg = {
            "id": snowflake(), "channel_id": channel_id, "author": self.bot_user,
            "content": body.get("content") or "", "timestamp": now_iso(), "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": body.get("embeds") or [], "pinned": False, "type": 19 if body.get("message_reference") else 0,
            "flags": body.get("flags", 0), "components": [],
        }
        if guild_id:
            msg["guild_id"] = guild_id
        if webhook:
            msg["webhook_id"] = self.application_id
        if body.get("message_reference"):
            msg["message_reference"] = body["message_reference"]
        return msg

    # ----------------------------------------------------------------- REST
    def _app(self) -> web.Application:
        app = web.Application()
        base = f"/api/v{API_VERSION}"
        app.router.add_get("/gateway", self._gateway_ws)
        app.router.add_route("*", base + "/{tail:.*}", self._rest)
        return app

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        try:
            body = await request.json() if request.can_read_body else None
        except (ValueError, json.JSONDecodeError):
            body = None
        call = Call(request.method, path, body, time.monotonic(), dict(request.query))
        with self._lock:
            self.calls.append(call)
            limited = self._rate_limits.get(path)
            retry_after = limited.pop(0) if limited else None
            failing = self._failures.get(path)
            if not failing:
                failure = None
            elif failing[0] < 0:
                failure = -failing[0]
            else:
                failure = failing.pop(0)
        if failure:
            response = _json({"message": f"{failure}: failed on purpose", "code": 0}, status=failure)
        else:
            response = await self._respond(request, path, body, retry_after)
        call.status = response.status
        return response

    async def _respond(self, request: web.Request, path: str, body: Any, retry_after: float | None) -> web.Response:
        if retry_after is not None:
            return _json(
                {"message": "You are being rate limited.", "retry_after": retry_after, "global": False, "code": 0},
                status=429,
                headers={"Retry-After": str(retry_after), "X-RateLimit-Scope": "user", "X-RateLimit-Limit": "5",
                         "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                         "X-RateLimit-Bucket": "fake-bucket"},
            )
        token_in_path = path.startswith(("/webhooks/", "/interactions/")) or path == "/gateway"
        if not token_in_path and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return await self._route(request.method, path, body or {}, request)

    async def _route(self, method: str, path: str, body: dict[str, Any], request: web.Request) -> web.Response:
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return _json({**self.bot_user, "mfa_enabled": False, "verified": True, "locale": "en-US"})
        if method == "GET" and path in ("/applications/@me", "/oauth2/applications/@me"):
            return _json({
                "id": self.application_id, "name": "qabot-test", "description": "", "icon": None,
                "bot_public": False, "bot_require_code_grant": False, "owner": self.owner, "verify_key": "0" * 64,
                "flags": 0, "team": None, "summary": "", "interactions_endpoint_url": None, "bot": self.bot_user,
            })
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            payload: dict[str, Any] = {"url": self.gateway_url}
            if path == "/gateway/bot":
                payload.update(shards=1, session_start_limit={"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1})
            return _json(payload)
        if method == "POST" and len(parts) == 3 and parts[0] == "channels" and parts[2] == "typing":
            return web.Response(status=204)
        if method == "POST" and len(parts) == 3 and parts[0] == "channels" and parts[2] == "messages":
            created = self._message_from_body(parts[1], body)
            if body.get("nonce") is not None:
                created["nonce"] = body["nonce"]
                self.created[str(body["nonce"])] = created["id"]
            return _json(created)
        if method == "POST" and len(parts) == 4 and parts[0] == "interactions" and parts[3] == "callback":
            kind = body.get("type")
            payload = {"interaction": {"id": parts[1], "type": 2, "response_message_loading": kind == 5,
                                       "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64)}}
            if kind == 4:
                payload["resource"] = {"type": 4, "message": self._message_from_body(self.channel_id(), body.get("data") or {}, webhook=True)}
            if request.query.get("with_response") in ("1", "true", "True"):
                return _json(payload)
            return web.Response(status=204)
        if parts[0] == "webhooks" and len(parts) >= 3:
            return _json(self._message_from_body(self.channel_id(), body, webhook=True))
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            scope = parts[3] if len(parts) == 5 else "global"
            commands = [
                {**c, "id": snowflake(), "application_id": self.application_id, "version": snowflake(),
                 "default_member_permissions": c.get("default_member_permissions"), "type": c.get("type", 1),
                 **({"guild_id": scope} if scope != "global" else {})}
                for c in (body if isinstance(body, list) else [])
            ]
            self._commands[scope] = commands
            return _json(commands)
        if method == "GET" and parts[0] == "applications" and parts[-1] == "commands":
            scope = parts[3] if len(parts) == 5 else "global"
            return _json(self._commands.get(scope, []))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # ----------------------------------------------------------------- gateway
    async def _gateway_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        await ws.send_json({"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        session: Session | None = None
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                msg = json.loads(frame.data)
                op, data = msg.get("op"), msg.get("d")
                if op == OP_HEARTBEAT:
                    await ws.send_json({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
                elif op == OP_IDENTIFY:
                    session = await self._identify(ws, data)
                    if session is None:
                        break
                elif op == OP_RESUME:
                    session = await self._resume(ws, data)
                    if session is None:
                        break
        finally:
            if session is not None:
                with self._lock:
                    if session in self.sessions:
                        self.sessions.remove(session)
                    self.closed_sessions[session.session_id] = session
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        self.identifies += 1
        if data.get("token") != self.token:
            await ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        shard_id, shard_count = data.get("shard") or [0, 1]
        session = Session(ws, snowflake(), (shard_id, shard_count), int(data.get("intents", 0)))
        with self._lock:
            self.sessions.append(session)
        mine = [g for g in self.guilds if (int(g["id"]) >> 22) % shard_count == shard_id]
        await self._send(session, "READY", {
            "v": API_VERSION, "user": self.bot_user, "guilds": [{"id": g["id"], "unavailable": True} for g in mine],
            "session_id": session.session_id, "resume_gateway_url": self.gateway_url, "shard": [shard_id, shard_count],
            "application": {"id": self.application_id, "flags": 0}, "user_settings": {}, "relationships": [],
            "private_channels": [], "presences": [], "guild_join_requests": [], "geo_ordered_rtc_regions": [],
        })
        for guild in mine:
            await self._send(session, "GUILD_CREATE", guild)
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        old = self.closed_sessions.get(data.get("session_id", ""))
        if data.get("token") != self.token:
            await ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        if old is None:
            await ws.send_json({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        self.resumes += 1
        session = Session(ws, old.session_id, old.shard, old.intents, old.sequence, old.sent)
        with self._lock:
            self.sessions.append(session)
        for payload in [p for p in old.sent if p["s"] > int(data.get("seq") or 0)]:
            await ws.send_json(payload)
        await self._send(session, "RESUMED", {})
        return session

    async def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.sequence += 1
        payload = {"op": OP_DISPATCH, "t": event, "s": session.sequence, "d": data}
        session.sent.append(payload)
        if not session.ws.closed:
            await session.ws.send_json(payload)

    def _visible(self, session: Session, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """What this session receives: message content needs the intent unless the bot is mentioned."""
        if event != "MESSAGE_CREATE" or session.intents & MESSAGE_CONTENT_INTENT:
            return data
        if any(m.get("id") == self.application_id for m in data.get("mentions", [])):
            return data
        return {**data, "content": "", "embeds": [], "attachments": []}

    def _session_for(self, data: dict[str, Any]) -> list[Session]:
        guild_id = data.get("guild_id")
        if guild_id is None:
            return list(self.sessions)
        return [s for s in self.sessions if (int(guild_id) >> 22) % s.shard[1] == s.shard[0]]

    # ----------------------------------------------------------------- control (thread-safe)
    def _call(self, coro: Any) -> Any:
        assert self._loop is not None, "server not started"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def dispatch(self, event: str, data: dict[str, Any]) -> float:
        """Send a gateway event to the sessions that own its guild; returns when it was sent."""
        async def go() -> float:
            sent_at = time.monotonic()
            for session in self._session_for(data):
                await self._send(session, event, self._visible(session, event, data))
            self.events.append((sent_at, event, data))
            return sent_at
        return self._call(go())

    def request_reconnect(self) -> None:
        async def go() -> None:
            for session in list(self.sessions):
                await session.ws.send_json({"op": OP_RECONNECT, "d": None, "s": None, "t": None})
        self._call(go())

    def drop_connections(self) -> None:
        """Close every gateway socket abruptly (code 1006-like), as a network failure would."""
        async def go() -> None:
            for session in list(self.sessions):
                await session.ws.close(code=4000, message=b"Unknown error")
        self._call(go())

    def rate_limit(self, path: str, retry_after: float, times: int = 1) -> None:
        with self._lock:
            self._rate_limits.setdefault(path, []).extend([retry_after] * times)

    def fail(self, path: str, status: int, times: int = 1) -> None:
        """Answer the next `times` calls to `path` (any method) with `status`; times=0: every
        call from now on (kept as one negative entry)."""
        with self._lock:
            self._failures[path] = [-status] if times == 0 else [status] * times

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> Any:
        """Poll until predicate() returns something truthy; return it (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError("timed out waiting for the fake Discord")

    def connected_shards(self) -> set[int]:
        with self._lock:
            return {s.shard[0] for s in self.sessions}

    # ----------------------------------------------------------------- lifecycle
    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def start_in_thread(self) -> FakeDiscord:
        started = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self._app())
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            started.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-discord", daemon=True)
        self._thread.start()
        started.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
