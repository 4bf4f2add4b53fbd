"""An HTTP health endpoint for server modes (`GET /health`): 200 while the database answers, 503 otherwise."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import text

from bot.store import Store

log = logging.getLogger(__name__)


def healthy(store: Store) -> bool:
    try:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any database failure means unhealthy; the reason goes to the log
        log.warning("health check: the database does not answer", exc_info=True)
        return False


def start(store: Store, host: str = "0.0.0.0", port: int = 8080) -> ThreadingHTTPServer:
    """Serves /health in a daemon thread; returns the server (``server_address`` has the bound port)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if self.path.split("?")[0] != "/health":
                self.send_error(404)
                return
            ok = healthy(store)
            body = json.dumps({"status": "ok" if ok else "database unavailable"}).encode()
            self.send_response(200 if ok else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: not worth a line
            return

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server
