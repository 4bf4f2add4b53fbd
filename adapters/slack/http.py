"""HTTP mode: an aiohttp server in front of the Bolt app (/slack/events, OAuth pages, /health for load balancers).

Like Bolt's own framework adapters, it only turns an HTTP request into a BoltRequest and the BoltResponse back.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from multidict import CIMultiDict
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import text

from bot.service import Crosscheck

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are far smaller; this bounds what a stranger can make us read


def _bolt_request(request: web.Request, body: str) -> BoltRequest:
    headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        headers.setdefault(key.lower(), []).append(value)
    return BoltRequest(body=body, query=request.query_string, headers=headers)  # type: ignore[arg-type]


def _web_response(response: BoltResponse) -> web.Response:
    headers: CIMultiDict[str] = CIMultiDict()
    for key, values in response.headers.items():
        if key.lower() == "content-length":
            continue
        for value in values:
            headers.add(key, value)  # several Set-Cookie headers stay several
    return web.Response(status=response.status, body=(response.body or "").encode("utf-8"), headers=headers)


def web_app(bolt: App, service: Crosscheck, *, workers: int = 16) -> web.Application:
    """The aiohttp application: Slack's endpoints run in a thread pool (Bolt is synchronous), /health checks the DB."""
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crosscheck-http")

    async def in_thread(function, *args):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(executor, function, *args)

    async def events(request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8", errors="replace")
        response = await in_thread(bolt.dispatch, _bolt_request(request, body))
        log.debug("slack request status=%s", response.status)
        return _web_response(response)

    async def install(request: web.Request) -> web.Response:
        assert bolt.oauth_flow is not None
        return _web_response(await in_thread(bolt.oauth_flow.handle_installation, _bolt_request(request, "")))

    async def oauth_redirect(request: web.Request) -> web.Response:
        # the query holds the one-time code and state: never logged
        assert bolt.oauth_flow is not None
        return _web_response(await in_thread(bolt.oauth_flow.handle_callback, _bolt_request(request, "")))

    def database_ok() -> bool:
        try:
            with service.store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception as error:
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return False

    async def health(_request: web.Request) -> web.Response:
        ok = await in_thread(database_ok)
        return web.json_response({"ok": ok, "database": "ok" if ok else "unreachable"}, status=200 if ok else 503)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(EVENTS_PATH, events)
    app.router.add_get(HEALTH_PATH, health)
    if bolt.oauth_flow is not None:
        app.router.add_get(bolt.oauth_flow.install_path, install)
        app.router.add_get(bolt.oauth_flow.redirect_uri_path, oauth_redirect)

    async def close_executor(_app: web.Application) -> None:
        executor.shutdown(wait=False, cancel_futures=True)

    app.on_cleanup.append(close_executor)
    return app


class HttpServer:
    """Runs the web app: `serve_forever()` in production, or `start()`/`stop()` on a background thread (tests)."""

    def __init__(self, bolt: App, service: Crosscheck, host: str = "0.0.0.0", port: int = 3000) -> None:
        self.app = web_app(bolt, service)
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        log.info("Slack HTTP mode listening on %s:%d (%s, %s)", self.host, self.port, EVENTS_PATH, HEALTH_PATH)
        # aiohttp's access log would print OAuth codes from query strings: requests are logged without them
        web.run_app(self.app, host=self.host, port=self.port, access_log=None, print=None)

    def start(self) -> int:
        """Starts listening on a background thread; returns the bound port (port 0 picks a free one)."""
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start())
            except BaseException as error:  # reported to the caller below
                failure.append(error)
                started.set()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=run, name="crosscheck-slack-http", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise failure[0]
        return self.port

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(site._server, "sockets", None)  # the bound socket tells the port chosen for port 0
        if sockets:
            self.port = sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop = None
