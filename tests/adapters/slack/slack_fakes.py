"""Test helpers: a fake Slack Web API on loopback that records calls, signed requests as Slack sends them, and the
real Bolt app served by our own HTTP server on a random loopback port."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from slack_sdk import WebClient

from adapters.slack.app import build_app
from adapters.slack.http import HttpServer
from bot.answers import Answer, IngestReport, Match
from bot.config import Settings
from bot.service import Crosscheck, Requester
from bot.store import NewClaim, NewUpdate

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token-never-logged"
ADMIN = "UADMIN"  # a workspace admin per users.info
CONFIGURED_ADMIN = "UCONFIG"  # an admin by CROSSCHECK_ADMIN_USERS
MEMBER = "UMEMBER"
WAIT = 120.0  # upper bound for background work to show up; tests never assert durations


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage"), or "GET /files/F1", or "response"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str = ""


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """A Slack Web API stand-in on 127.0.0.1: records every call, answers like Slack, can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.admins = {ADMIN}
        self.teams_by_token: dict[str, str] = {BOT_TOKEN: "T1"}
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.scripts: dict[str, list[Scripted]] = {}
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                fake._record(Call(f"GET {path}", {}, dict(self.headers.items())))
                name = path.rsplit("/", 1)[-1]
                auth = self.headers.get("Authorization", "")
                if path.startswith("/files/") and name in fake.files and auth.startswith("Bearer xoxb-"):
                    self._send(200, fake.files[name][1], "text/plain")
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw))
                path = urlsplit(self.path).path
                method = "response" if path.startswith("/response/") else path.rsplit("/", 1)[-1]
                headers = dict(self.headers.items())
                fake._record(Call(method, params, headers, path))
                answer = fake._answer(method, params, headers)
                body = json.dumps(answer.body).encode()
                self._send(answer.status, body, "application/json", answer.headers)

            def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def script(self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """The next call of `method` gets this answer (in order; then the normal answers again)."""
        self.scripts.setdefault(method, []).append(Scripted(status, body, headers or {}))

    def _answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Scripted:
        if self.scripts.get(method):
            return self.scripts[method].pop(0)
        token = (headers.get("Authorization") or "").removeprefix("Bearer ")
        if method == "auth.test":
            team = self.teams_by_token.get(token)
            if team is None:
                return Scripted(200, {"ok": False, "error": "invalid_auth"})
            return Scripted(200, {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": "BBOT", "team": team})
        if method == "users.info":
            user = params.get("user")
            return Scripted(200, {"ok": True, "user": {"id": user, "is_admin": user in self.admins}})
        if method == "files.info":
            file_id = params.get("file", "")
            if file_id not in self.files:
                return Scripted(200, {"ok": False, "error": "file_not_found"})
            return Scripted(200, {"ok": True, "file": self.files[file_id][0]})
        if method == "oauth.v2.access":
            return Scripted(200, {
                "ok": True, "app_id": "A1", "access_token": "xoxb-installed-t3", "token_type": "bot",
                "scope": "commands,chat:write", "bot_user_id": "UBOT3", "team": {"id": "T3", "name": "Three"},
                "authed_user": {"id": "UINSTALLER"},
            })  # fmt: skip
        return Scripted(200, {"ok": True, "ts": f"{time.time():.6f}", "channel": params.get("channel")})

    def add_file(self, file_id: str, name: str, data: bytes, **extra: Any) -> None:
        meta = {"id": file_id, "name": name, "size": len(data), "url_private": f"{self.url}/files/{file_id}", **extra}
        self.files[file_id] = (meta, data)

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = WAIT) -> Any:
        """The predicate's first truthy value over the recorded calls, waiting for background work to make it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = predicate(list(self.calls))
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
                self._changed.wait(min(left, 0.2))

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_calls(self, method: str, n: int = 1) -> list[Call]:
        return self.wait_for(lambda calls: [c for c in calls if c.method == method] if
                             len([c for c in calls if c.method == method]) >= n else None)  # fmt: skip


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Sends what Slack sends: signed form posts for commands and interactions, signed JSON for events."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url = url
        self.fake = fake
        self._responses = 0

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None, path: str = "/slack/events",
             signed: bool = True) -> Reply:  # fmt: skip
        all_headers = {"Content-Type": content_type, **(sign(body) if signed else {}), **(headers or {})}
        request = urllib.request.Request(self.url + path, data=body.encode(), headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return Reply(r.status, r.read().decode(), dict(r.headers.items()))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), dict(error.headers.items()))

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return Reply(r.status, r.read().decode(), dict(r.headers.items()))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), dict(error.headers.items()))

    def response_url(self) -> str:
        self._responses += 1
        return f"{self.fake.url}/response/{self._responses}"

    def command(self, text: str, *, user: str = MEMBER, team: str = "T1", channel: str = "C1") -> tuple[Reply, str]:
        """A slash command; returns the acknowledgement and the response_url its answers will be posted to."""
        url = self.response_url()
        form = {
            "token": "legacy", "team_id": team, "team_domain": "example", "channel_id": channel, "channel_name": "general",
            "user_id": user, "user_name": user.lower(), "command": "/crosscheck", "text": text, "api_app_id": "A1",
            "response_url": url, "trigger_id": f"trigger-{self._responses}",
        }  # fmt: skip
        return self.post(urlencode(form), "application/x-www-form-urlencoded"), url

    def interaction(self, payload: dict[str, Any]) -> Reply:
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], *, team: str = "T1", event_id: str | None = None,
              retry: int | None = None) -> Reply:  # fmt: skip
        body = {
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback", "event": event,
            "event_id": event_id or f"Ev{time.monotonic_ns()}", "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }  # fmt: skip
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.post(json.dumps(body), "application/json", headers)

    def button(self, action_id: str, value: str, *, user: str = MEMBER, team: str = "T1") -> str:
        url = self.response_url()
        reply = self.interaction({
            "type": "block_actions", "team": {"id": team}, "user": {"id": user, "team_id": team},
            "api_app_id": "A1", "trigger_id": f"trigger-{self._responses}", "response_url": url,
            "container": {"type": "message", "is_ephemeral": True}, "channel": {"id": "C1"},
            "actions": [{"action_id": action_id, "block_id": "crosscheck_answer", "type": "button", "value": value,
                         "action_ts": "1.2"}],
        })  # fmt: skip
        assert reply.status == 200
        return url


def responses(fake: FakeSlack, url: str, n: int = 1) -> list[dict[str, Any]]:
    """The messages posted to one response_url, waiting until there are n."""
    path = urlsplit(url).path

    def found(calls: list[Call]) -> list[dict[str, Any]] | None:
        got = [c.params for c in calls if c.method == "response" and c.path == path]
        return got if len(got) >= n else None

    return fake.wait_for(found)


class RecordingService(Crosscheck):
    """The real core, except that `ingest` stores one invented claim instead of parsing (the parser is tested
    elsewhere); it can hold the ingest on an event to show that acknowledgements don't wait for it."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.scripted_answer: Answer | None = None
        self.ingested: list[dict[str, Any]] = []
        self.hold: threading.Event | None = None
        self.entered = threading.Event()

    def ask(self, who: Requester, question: str) -> Answer:
        """Real retrieval and grouping; every match "supports" (stance rules are tested in tests/match)."""
        if self.scripted_answer is not None:
            return self.scripted_answer
        question = self._question(question)
        found = self.search(who, question, limit=20)
        # as the real ask: a search result below the "possible" tier is no match (with the semantic extra, search
        # ranks every claim by meaning, however far)
        matches = [Match(claim=c, score=max(s, 0.5), stance="supports", reason="test stance", tier="strong")
                   for c, s in found if s >= self.settings.possible_threshold]  # fmt: skip
        return Answer(query=question, supporting=self._groups(matches, "supports"))

    def ingest(self, who: Requester, target: str | None = None, *, data: bytes | None = None,
               name: str | None = None) -> IngestReport:  # fmt: skip
        self._require_admin(who, "add articles")
        self.entered.set()
        if self.hold is not None:
            assert self.hold.wait(WAIT), "the test never released the ingest"
        self.ingested.append({"who": who, "target": target, "data": data, "name": name})
        text = (data or b"").decode() or f"a statement read from {target}"
        sid, updates, claims, unchanged = self.store.save_source(
            who.workspace, who.user, url=target, name=name, title=name or target, content_hash=hashlib.sha256(
                text.encode()).hexdigest(), published_at=None,
            updates=[NewUpdate(key="u1", text_hash="h1", headline="First update", time=None, claims=[
                NewClaim(text=text[:200], sentence=text[:200], kind="indirect", speaker="A Spokesperson",
                         actor="Testland", cue="said")])],
        )  # fmt: skip
        return IngestReport(source_id=sid, title=name or target, updates=updates, claims=claims, unchanged=unchanged)


def add_claims(service: Crosscheck, team: str, claims: list[dict[str, Any]], name: str = "import") -> None:
    lines = [json.dumps(c) for c in claims]
    service.import_claims(Requester(team, "USETUP", is_admin=True), lines, name=name)


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'crosscheck.db'}",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        admin_users=frozenset({CONFIGURED_ADMIN}),
        **extra,
    )


@dataclass
class Running:
    fake: FakeSlack
    service: RecordingService
    slack: SlackSender
    server: HttpServer


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack()
    yield server
    server.stop()


def start(service: Crosscheck, fake: FakeSlack, *, oauth: bool = False) -> HttpServer:
    app = build_app(service, client=WebClient(base_url=fake.api), oauth=oauth)
    server = HttpServer(app, service, host="127.0.0.1", port=0)
    server.start()
    return server


@pytest.fixture
def running(tmp_path: Path, fake: FakeSlack) -> Iterator[Running]:
    service = RecordingService(settings_for(tmp_path))
    server = start(service, fake)
    yield Running(fake, service, SlackSender(f"http://127.0.0.1:{server.port}", fake), server)
    server.stop()
    service.store.close()


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
