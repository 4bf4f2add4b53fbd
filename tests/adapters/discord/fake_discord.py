"""A small Discord on 127.0.0.1 for tests: the REST routes the bot uses and a gateway websocket.

The real discord.py client talks to it unchanged; every request is recorded so tests can assert on the bodies
Discord would have received (interaction callbacks, follow-ups, messages, command syncs).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 810000000000000001
BOT_ID = 810000000000000001  # a bot user's id is its application's id
CHANNEL_ID = 820000000000000001
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
TOKEN = "fake-token-for-tests"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


def user(user_id: int, name: str = "someone", *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None, "global_name": name, "bot": bot}


def member(user_id: int, *, permissions: int = SEND_MESSAGES, roles: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "user": user(user_id, f"user{user_id}"),
        "roles": [str(r) for r in roles],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


@dataclass
class FakeDiscord:
    guilds: list[int] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    # (method, path regex) → list of (status, body) to answer before the route works again
    failures: list[tuple[str, str, int, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(830000000000000001)
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.interaction_messages: dict[int, int] = {}  # interaction id → the message its component sits on
        self.response_messages: dict[int, int] = {}  # interaction id → the message its response created

    # ---- life cycle ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._api)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> int:
        return next(self._ids)

    # ---- waiting on what the bot sent ---------------------------------------------------------------------

    def find(self, method: str, pattern: str, after: int = 0) -> list[Call]:
        return [c for c in self.calls[after:] if c.method == method and re.search(pattern, c.path)]

    async def wait_for(
        self, method: str, pattern: str, *, after: int = 0, count: int = 1, timeout: float = 120
    ) -> list[Call]:
        """The first ``count`` calls matching method and path pattern made after index ``after``."""

        async def poll() -> list[Call]:
            while True:
                found = self.find(method, pattern, after)
                if len(found) >= count:
                    return found[:count]
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(poll(), timeout)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    # ---- gateway ------------------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """A gateway event to every connected session (a READY'd shard)."""
        self._seq += 1
        for ws in list(self._sockets):
            await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                self.identifies.append(data)
                await self._ready(ws, data)
            elif op == 6:
                self._sockets.append(ws)
                self._seq += 1
                await ws.send_json({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}})
        if ws in self._sockets:
            self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        shard = identify.get("shard") or [0, 1]
        mine = [g for g in self.guilds if (g >> 22) % shard[1] == shard[0]]
        self._seq += 1
        ready = {
            "v": 10,
            "user": user(BOT_ID, "Crosscheck", bot=True),
            "guilds": [{"id": str(g), "unavailable": True} for g in mine],
            "session_id": f"session-{shard[0]}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "shard": shard,
        }
        await ws.send_json({"op": 0, "t": "READY", "s": self._seq, "d": ready})
        self._sockets.append(ws)
        for g in mine:
            self._seq += 1
            await ws.send_json({"op": 0, "t": "GUILD_CREATE", "s": self._seq, "d": guild(g)})

    # ---- REST ---------------------------------------------------------------------------------------------

    async def _file(self, request: web.Request) -> web.Response:
        self._record(Call("GET", request.path, dict(request.query), None))
        data = self.files.get(request.match_info["name"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = (
                json.loads(raw)
                if raw and request.content_type == "application/json"
                else raw.decode("utf-8", "replace")
            )
        self._record(Call(request.method, path, dict(request.query), body))
        for i, (method, pattern, status, payload) in enumerate(self.failures):
            if method == request.method and re.search(pattern, path):
                del self.failures[i]
                # Discord's own 429s come through its proxy ("Via"); discord.py treats one without it as a ban
                headers = {"Retry-After": "0.05", "Via": "1.1 google"} if status == 429 else {}
                return _json(payload, status=status, headers=headers)
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body: Any) -> web.StreamResponse:
        if method == "GET" and path == "/users/@me":
            return _json(user(BOT_ID, "Crosscheck", bot=True))
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json(application())
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})
        if method == "PUT" and (m := re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)):
            return _json([self._command(c, m.group(2)) for c in body])
        if method == "POST" and (m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)):
            return _json(self._callback(int(m.group(1)), body))
        if method == "POST" and re.fullmatch(r"/webhooks/\d+/[^/]+", path):
            return _json(self._message(CHANNEL_ID, body, webhook=True))
        if m := re.fullmatch(r"/webhooks/\d+/[^/]+/messages/(@original|\d+)", path):
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self._edit(m.group(1), body))
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/typing", path)):
            return web.Response(status=204)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return _json(self._message(int(m.group(1)), body))
        if method == "PATCH" and (m := re.fullmatch(r"/channels/\d+/messages/(\d+)", path)):
            return _json(self._edit(m.group(1), body))
        return _json({"message": f"the fake has no {method} {path}", "code": 0}, status=404)

    def _command(self, payload: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        out = {"id": str(self.new_id()), "application_id": str(APP_ID), "version": "1", **payload}
        if guild_id:
            out["guild_id"] = guild_id
        out.setdefault("description", "")
        return out

    def _message(self, channel_id: int, body: dict[str, Any] | None, *, webhook: bool = False) -> dict[str, Any]:
        body = body or {}
        message_id = self.new_id()
        data = message(message_id, channel_id, user(APP_ID if webhook else BOT_ID, "Crosscheck", bot=True))
        data.update({k: body[k] for k in ("content", "embeds", "components", "flags") if k in body})
        if webhook:
            data["webhook_id"] = str(APP_ID)
        self.messages[message_id] = data
        return data

    def _edit(self, which: str, body: dict[str, Any] | None) -> dict[str, Any]:
        message_id = int(which) if which.isdigit() else max(self.messages, default=0)
        data = self.messages.setdefault(
            message_id, message(message_id, CHANNEL_ID, user(BOT_ID, "Crosscheck", bot=True))
        )
        data.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components", "flags")})
        return data

    def _callback(self, interaction_id: int, body: dict[str, Any]) -> dict[str, Any]:
        kind = body["type"]
        data = body.get("data") or {}
        ephemeral = bool(int(data.get("flags", 0)) & 64)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(interaction_id),
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": ephemeral,
            }
        }
        if kind in (4, 5):  # a new message (or its "thinking…" placeholder)
            created = self._message(CHANNEL_ID, data, webhook=True)
            answer["interaction"]["response_message_id"] = created["id"]
            self.response_messages[interaction_id] = int(created["id"])
            answer["resource"] = {"type": kind, "message": created}
        elif kind == 7 and interaction_id in self.interaction_messages:  # the component's message, edited
            edited = self._edit(str(self.interaction_messages[interaction_id]), data)
            answer["interaction"]["response_message_id"] = edited["id"]
            answer["resource"] = {"type": kind, "message": edited}
        else:
            answer["resource"] = {"type": kind}
        return answer


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord sends it: discord.py reads a body as JSON only for exactly "application/json"."""
    response = web.Response(text=json.dumps(data), status=status, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "Crosscheck",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user(1, "owner"),
        "verify_key": "00",
        "flags": 0,
    }


def guild(guild_id: int) -> dict[str, Any]:
    everyone = {"id": str(guild_id), "name": "@everyone", "permissions": str(SEND_MESSAGES), "position": 0}
    return {
        "id": str(guild_id),
        "name": f"guild {guild_id}",
        "unavailable": False,
        "owner_id": "1",
        "member_count": 2,
        "roles": [{**everyone, "color": 0, "hoist": False, "managed": False, "mentionable": False}],
        "channels": [{"id": str(CHANNEL_ID), "type": 0, "name": "general", "position": 0, "permission_overwrites": []}],
        "members": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "voice_states": [],
        "presences": [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "large": False,
    }


def message(
    message_id: int, channel_id: int, author: dict[str, Any], content: str = "", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": "2024-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }
    data.update(extra)
    return data


OPTION_TYPES = {str: 3, int: 4, bool: 5}


class Interactions:
    """Builds the payloads Discord sends for commands, buttons, menus and forms, and dispatches them."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def _base(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        guild_id: int | None,
        user_id: int,
        permissions: int,
        roles: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        interaction_id = self.fake.new_id()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"token-{interaction_id}",
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(SEND_MESSAGES),
            "attachment_size_limit": 25 * 1024 * 1024,
            "entitlements": [],
            "data": data,
        }
        if guild_id is not None:
            payload.update(
                guild_id=str(guild_id),
                guild_locale="en-US",
                context=0,
                channel={"id": str(CHANNEL_ID), "type": 0, "guild_id": str(guild_id), "name": "general"},
                channel_id=str(CHANNEL_ID),
                member=member(user_id, permissions=permissions, roles=roles),
                authorizing_integration_owners={"0": str(guild_id)},
            )
        else:
            dm_channel = self.fake.new_id()
            payload.update(
                context=1,
                channel={"id": str(dm_channel), "type": 1, "recipients": [user(user_id)]},
                channel_id=str(dm_channel),
                user=user(user_id),
                authorizing_integration_owners={"0": str(user_id)},
            )
        return payload

    async def send(self, payload: dict[str, Any]) -> int:
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        return int(payload["id"])

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        guild_id: int | None,
        user_id: int = 700,
        permissions: int = SEND_MESSAGES,
        roles: tuple[int, ...] = (),
        attachments: dict[str, dict[str, Any]] | None = None,
    ) -> int:
        """A slash command; ``attachments`` maps an option name to an attachment payload."""
        opts = [{"name": k, "type": OPTION_TYPES[type(v)], "value": v} for k, v in (options or {}).items()]
        data: dict[str, Any] = {"id": str(self.fake.new_id()), "name": name, "type": 1, "options": opts}
        if attachments:
            data["resolved"] = {"attachments": {}}
            for option, attachment in attachments.items():
                opts.append({"name": option, "type": 11, "value": attachment["id"]})
                data["resolved"]["attachments"][attachment["id"]] = attachment
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        payload = self._base(2, data, guild_id=guild_id, user_id=user_id, permissions=permissions, roles=roles)
        return await self.send(payload)

    async def message_menu(self, name: str, content: str, *, guild_id: int, user_id: int = 700) -> int:
        target = self.fake.new_id()
        target_message = message(target, CHANNEL_ID, user(701, "author"), content)
        data = {
            "id": str(self.fake.new_id()),
            "name": name,
            "type": 3,
            "target_id": str(target),
            "resolved": {"messages": {str(target): target_message}},
            "guild_id": str(guild_id),
        }
        return await self.send(self._base(2, data, guild_id=guild_id, user_id=user_id, permissions=SEND_MESSAGES))

    async def click(
        self,
        message_id: int,
        custom_id: str,
        *,
        guild_id: int | None,
        user_id: int = 700,
        values: list[str] | None = None,
    ) -> int:
        """A button press (or, with ``values``, a select-menu choice) on a message the bot sent."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values is not None else 2}
        if values is not None:
            data["values"] = values
        payload = self._base(3, data, guild_id=guild_id, user_id=user_id, permissions=SEND_MESSAGES)
        payload["message"] = self.fake.messages[message_id]
        self.fake.interaction_messages[int(payload["id"])] = message_id
        return await self.send(payload)

    async def submit(
        self, custom_id: str, values: dict[str, str], *, guild_id: int, user_id: int, permissions: int
    ) -> int:
        components = [{"type": 18, "component": {"type": 4, "custom_id": k, "value": v}} for k, v in values.items()]
        data = {"custom_id": custom_id, "components": components}
        return await self.send(self._base(5, data, guild_id=guild_id, user_id=user_id, permissions=permissions))

    async def mention(self, content: str, *, guild_id: int, user_id: int = 700, mentions_bot: bool = True) -> int:
        message_id = self.fake.new_id()
        data = message(message_id, CHANNEL_ID, user(user_id, f"user{user_id}"), content)
        data["guild_id"] = str(guild_id)
        data["member"] = {k: v for k, v in member(user_id).items() if k != "user"}
        if mentions_bot:
            data["mentions"] = [user(BOT_ID, "Crosscheck", bot=True)]
        await self.fake.dispatch("MESSAGE_CREATE", data)
        return message_id
