"""The Slack adapter: `serve(service)` runs the bot in Socket Mode or HTTP mode, as the settings say.

Modes: SLACK_APP_TOKEN → Socket Mode (no public URL needed); SLACK_CLIENT_ID + SLACK_CLIENT_SECRET → HTTP with OAuth
installs into many workspaces; SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET → HTTP for one workspace.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from adapters.slack.app import build_app, default_client
from bot.errors import BadInput
from bot.service import Crosscheck

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)

DEFAULT_PORT = 3000


def mode(service: Crosscheck) -> str:
    """ "socket", "oauth" or "token": which way this process talks to Slack."""
    s = service.settings
    if s.slack_app_token:
        return "socket"
    if s.slack_client_id and s.slack_client_secret:
        return "oauth"
    if s.slack_bot_token:
        return "token"
    raise BadInput(
        "Slack needs tokens: SLACK_APP_TOKEN and SLACK_BOT_TOKEN for Socket Mode, SLACK_BOT_TOKEN and "
        "SLACK_SIGNING_SECRET for one workspace over HTTP, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
        "SLACK_SIGNING_SECRET for OAuth installs. docs/slack.md explains each."
    )


def _address(env: Mapping[str, str]) -> tuple[str, int]:
    host = env.get("CROSSCHECK_SLACK_HOST") or "0.0.0.0"
    raw = env.get("CROSSCHECK_SLACK_PORT") or env.get("PORT") or str(DEFAULT_PORT)
    if not raw.isdigit():
        raise BadInput(f"CROSSCHECK_SLACK_PORT must be a port number, not {raw!r}.")
    return host, int(raw)


def socket_handler(service: Crosscheck, *, client: WebClient | None = None) -> SocketModeHandler:
    """Socket Mode: Slack's events arrive over a WebSocket the bot opens, so no public URL is needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = service.settings
    if not settings.slack_app_token or not settings.slack_bot_token:
        raise BadInput("Socket Mode needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…).")
    app = build_app(service, settings, client=client or default_client())
    return SocketModeHandler(app, settings.slack_app_token)


def serve(service: Crosscheck, env: Mapping[str, str] | None = None) -> None:
    """Runs until stopped (Ctrl-C or SIGTERM)."""
    env = os.environ if env is None else env
    how = mode(service)
    stop_following = start_following(service, how)
    try:
        _serve(service, env, how)
    finally:
        stop_following()


def start_following(service: Crosscheck, how: str) -> Callable[[], None]:
    """The follow scheduler (bot/follow) in a thread of this process, posting to subscribed Slack channels."""
    from adapters.slack.notify import SlackNotifier
    from bot.follow.scheduler import Scheduler

    settings = service.settings
    if how == "oauth":
        from adapters.slack.app import installation_stores

        notifier = SlackNotifier.from_installations(installation_stores(service, settings)[0])
    else:
        notifier = SlackNotifier.from_token(settings.slack_bot_token or "")
    return Scheduler(service, {"slack": notifier}).start()


def _serve(service: Crosscheck, env: Mapping[str, str], how: str) -> None:
    settings = service.settings
    if how == "socket":
        log.info("Slack Socket Mode: connecting")
        socket_handler(service).start()  # blocks; reconnects by itself
        return
    if not settings.slack_signing_secret:
        raise BadInput("HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → App Credentials).")
    from adapters.slack.http import HttpServer

    app = build_app(service, settings, client=default_client(), oauth=how == "oauth")
    host, port = _address(env)
    HttpServer(app, service, host=host, port=port).serve_forever()


__all__ = ["build_app", "mode", "serve", "socket_handler"]
