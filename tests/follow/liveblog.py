"""Helpers and fixtures for following: a live blog on 127.0.0.1 that grows between polls, fails on demand and answers 304 to
conditional requests; a service on a real SQLite file; a clock the tests move by hand; notifiers that record."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.config import Settings
from bot.follow import Notification
from bot.service import Crosscheck, Requester
from bot.store import Store

ADMIN = Requester(workspace="T1", user="U-admin", is_admin=True)
MEMBER = Requester(workspace="T1", user="U-member")

# An invented live blog (no outlet's text): each stage is the whole page as it stands at one poll, newest first.
HEADER = """Northland and Southland trade claims over the border: live

3 March 2031

This is an invented live blog written for the Crosscheck tests; every place and person in it is made up.

"""
UPDATE_WITHDRAW = """09:30 GMT
Northland says its troops are withdrawing
Northland defence minister Oskar Brand said its troops were withdrawing from the border with Southland.
"Our soldiers are going home," Brand told reporters in Ostberg.

"""
UPDATE_DENIAL = """10:30 GMT
Southland says the troops are still there
Southland foreign minister Mara Vell said Northland's troops were not withdrawing from the border.

"""
UPDATE_HARVEST = """11:15 GMT
Harvest festival goes ahead in Ostberg
The mayor of Ostberg, Pell Hanra, said the harvest festival would open on Saturday as planned.

"""
UPDATE_FLIP = """12:05 GMT
Northland minister changes his account
Northland defence minister Oskar Brand said Northland's troops were not withdrawing from the border with Southland.

"""
STAGES = (
    HEADER + UPDATE_WITHDRAW,
    HEADER + UPDATE_DENIAL + UPDATE_WITHDRAW,
    HEADER + UPDATE_HARVEST + UPDATE_DENIAL + UPDATE_WITHDRAW,
    HEADER + UPDATE_FLIP + UPDATE_HARVEST + UPDATE_DENIAL + UPDATE_WITHDRAW,
)


@dataclass
class LiveBlog:
    """Serves ``stage``'s text at /live with an ETag and a Last-Modified; ``fail_next`` queues failures
    ("500" or "timeout") for the next requests; every request's headers are recorded."""

    stage: int = 0
    fail_next: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/live"

    def body(self) -> bytes:
        return STAGES[self.stage].encode()

    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body()).hexdigest()[:16] + '"'

    def last_modified(self) -> str:
        return f"Mon, 03 Mar 2031 {9 + self.stage:02d}:00:00 GMT"


def _serve(blog: LiveBlog) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            headers = {k.lower(): v for k, v in self.headers.items()}
            blog.requests.append(headers)
            if self.path != "/live":
                self.send_error(404, "Not Found")
                return
            if blog.fail_next:
                failure = blog.fail_next.pop(0)
                if failure == "timeout":
                    blog.release.wait(5)  # longer than the service's fetch timeout; released at teardown
                    return
                self.send_error(500, "Internal Server Error")
                return
            if headers.get("if-none-match") == blog.etag():
                self.send_response(304)
                self.send_header("ETag", blog.etag())
                self.end_headers()
                return
            body = blog.body()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", blog.etag())
            self.send_header("Last-Modified", blog.last_modified())
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def blog() -> Iterator[LiveBlog]:
    live = LiveBlog()
    server = _serve(live)
    server.daemon_threads = True
    live.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield live
    finally:
        live.release.set()
        server.shutdown()
        server.server_close()


class Clock:
    """The scheduler's clock, moved by the test: no test waits for wall-clock time to pass."""

    def __init__(self) -> None:
        # a second ahead of the real time: what is followed now is due at the first tick
        self.now = datetime.now(UTC) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


class RecordingNotifier:
    """A Notifier that keeps what it was given; ``fail`` makes the next sends raise (a platform outage)."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []
        self.fail = 0

    def send(self, notification: Notification) -> None:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("the platform is not answering")
        self.sent.append(notification)

    def to(self, channel: str) -> list[Notification]:
        return [n for n in self.sent if n.channel == channel]


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


def make_service(path: Path) -> Crosscheck:
    # loopback is allowed here only: the live blog of these tests runs on 127.0.0.1
    settings = Settings(database_url=f"sqlite:///{path}", allow_private_urls=True, fetch_timeout=1.0)
    return Crosscheck(settings, Store(settings.database_url))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "follow.db"


@pytest.fixture
def service(db_path: Path) -> Iterator[Crosscheck]:
    svc = make_service(db_path)
    try:
        yield svc
    finally:
        svc.store.close()


def wait_a_tick() -> None:
    """Claims are stamped with the real time; a subscription made in the same microsecond would be ambiguous."""
    time.sleep(0.002)
