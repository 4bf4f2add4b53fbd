"""Multi-workspace OAuth installs (slack_sdk's SQLAlchemy stores on our database) and Socket Mode, over loopback."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from slack_fakes import FakeSlack, RecordingService, SlackSender, add_claims, responses, settings_for, start
from slack_sdk import WebClient

from adapters.slack import mode, socket_handler
from bot.service import Requester

CLAIMS = [{"id": "c1", "text": "The bridge over the river will reopen in May", "speaker": "City Engineer",
           "actor": "Riverton", "kind": "indirect", "cue": "said"}]  # fmt: skip


def installed(sender: SlackSender, fake: FakeSlack, team: str, token: str) -> None:
    """One OAuth install as a browser does it: the install page sets a state cookie, Slack redirects back."""
    fake.teams_by_token[token] = team
    page = sender.get("/slack/install")
    assert page.status == 200
    state = re.search(r"state=([\w-]+)", page.body)
    assert state, "the install page links to Slack's authorize URL with a state"
    fake.script("oauth.v2.access", 200, {
        "ok": True, "app_id": "A1", "access_token": token, "token_type": "bot", "scope": "commands,chat:write",
        "bot_user_id": f"UBOT{team}", "team": {"id": team, "name": team}, "authed_user": {"id": "UINSTALLER"},
    })  # fmt: skip
    cookie = {k.lower(): v for k, v in page.headers.items()}["set-cookie"].split(";")[0]
    done = sender.get(f"/slack/oauth_redirect?code=one-time-code&state={state.group(1)}", {"Cookie": cookie})
    assert done.status == 200, done.body


def test_oauth_installs_serve_each_workspace_with_its_own_token(tmp_path: Path, fake: FakeSlack) -> None:
    pytest.importorskip("greenlet", reason="slack_sdk's SQLAlchemy stores need greenlet (SQLAlchemy[asyncio])")
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    service = RecordingService(settings_for(tmp_path, slack_client_id="111.222", slack_client_secret="shh"))
    assert mode(service) == "oauth"
    server = start(service, fake, oauth=True)
    try:
        sender = SlackSender(f"http://127.0.0.1:{server.port}", fake)
        installed(sender, fake, "T3", "xoxb-team-three")
        installed(sender, fake, "T4", "xoxb-team-four")
        assert [c.params.get("code") for c in fake.of("oauth.v2.access")] == ["one-time-code", "one-time-code"]
        add_claims(service, "T3", CLAIMS)
        add_claims(service, "T4", CLAIMS)

        for team, token in (("T3", "xoxb-team-three"), ("T4", "xoxb-team-four")):
            ask = {"type": "app_mention", "user": "UM", "text": "<@UBOT> will the bridge reopen?", "ts": f"{team}.1",
                   "channel": "C1"}  # fmt: skip
            assert sender.event(ask, team=team).status == 200
            post = fake.wait_for(lambda calls, ts=f"{team}.1": [c for c in calls if c.method == "chat.postMessage"
                                                                and c.params.get("thread_ts") == ts])[0]  # fmt: skip
            assert post.headers["Authorization"] == f"Bearer {token}"
            assert "Riverton" in json.dumps(post.params["blocks"])

        store = SQLAlchemyInstallationStore(client_id="111.222", engine=service.store.engine)
        assert store.find_bot(enterprise_id=None, team_id="T3") is not None
        assert sender.event({"type": "app_uninstalled"}, team="T3").status == 200
        fake.wait_for(lambda _c: store.find_bot(enterprise_id=None, team_id="T3") is None)
        fake.wait_for(lambda _c: not service.claims(Requester("T3")))
        assert store.find_bot(enterprise_id=None, team_id="T4") is not None
        assert len(service.claims(Requester("T4"))) == 1
    finally:
        server.stop()


class FakeSocketMode:
    """Slack's Socket Mode end on 127.0.0.1: hands envelopes to the connected app and records its acks."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self.changed = threading.Condition()
        self.outbox: asyncio.Queue[dict[str, Any]] | None = None
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.port = 0

        async def link(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_json({"type": "hello", "num_connections": 1})
            self.connected.set()
            assert self.outbox is not None

            async def pump() -> None:
                while True:
                    assert self.outbox is not None
                    await ws.send_json(await self.outbox.get())

            task = asyncio.create_task(pump())
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    with self.changed:
                        self.acks.append(json.loads(message.data))
                        self.changed.notify_all()
            task.cancel()
            return ws

        async def setup() -> None:
            self.outbox = asyncio.Queue()
            app = web.Application()
            app.router.add_get("/link", link)
            self.runner = web.AppRunner(app)
            await self.runner.setup()
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            await site.start()
            self.port = self.runner.addresses[0][1]

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(setup())
            ready.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.runner.cleanup())

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def send(self, envelope: dict[str, Any]) -> None:
        assert self.outbox is not None
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, envelope)

    def ack_for(self, envelope_id: str) -> dict[str, Any]:
        with self.changed:
            assert self.changed.wait_for(lambda: any(a.get("envelope_id") == envelope_id for a in self.acks), 20)
            return next(a for a in self.acks if a.get("envelope_id") == envelope_id)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def test_socket_mode_acknowledges_and_answers(tmp_path: Path, fake: FakeSlack) -> None:
    service = RecordingService(settings_for(tmp_path, slack_app_token="xapp-test-app-token"))
    assert mode(service) == "socket"
    add_claims(service, "T1", CLAIMS)
    socket = FakeSocketMode()
    fake.script("apps.connections.open", 200, {"ok": True, "url": f"ws://127.0.0.1:{socket.port}/link"})
    handler = socket_handler(service, client=WebClient(base_url=fake.api))
    try:
        handler.connect()
        assert socket.connected.wait(20)
        (opened,) = fake.of("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-test-app-token"  # the app-level token, for this only
        sender = SlackSender("unused", fake)
        url = sender.response_url()
        socket.send({
            "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
            "payload": {"team_id": "T1", "channel_id": "C1", "user_id": "UM", "command": "/crosscheck",
                        "text": "will the bridge reopen?", "response_url": url, "trigger_id": "t1"},
        })  # fmt: skip
        assert socket.ack_for("env-1")["envelope_id"] == "env-1"
        (message,) = responses(fake, url)
        assert "Riverton" in json.dumps(message["blocks"])
    finally:
        handler.close()
        socket.stop()
