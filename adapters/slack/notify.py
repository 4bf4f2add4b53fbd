"""Slack's Notifier: posts the scheduler's batches with chat.postMessage (Block Kit), one message per batch.

One workspace: the bot token's client. OAuth installs: each team's bot token from the installation store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from adapters.slack import blocks
from bot.follow import Notification

log = logging.getLogger(__name__)


class SlackNotifier:
    """``client_for(team_id)`` gives the Web API client that may post in that workspace (None: not installed)."""

    def __init__(self, client_for: Callable[[str], WebClient | None]) -> None:
        self.client_for = client_for

    @classmethod
    def from_token(cls, token: str, base_url: str | None = None) -> SlackNotifier:
        from adapters.slack.app import default_client

        client = default_client(base_url)
        client.token = token
        return cls(lambda _team: client)

    @classmethod
    def from_client(cls, client: WebClient) -> SlackNotifier:
        return cls(lambda _team: client)

    @classmethod
    def from_installations(cls, installations: InstallationStore, base_url: str | None = None) -> SlackNotifier:
        from adapters.slack.app import default_client

        def client_for(team: str) -> WebClient | None:
            installation = installations.find_installation(enterprise_id=None, team_id=team)
            if installation is None or not installation.bot_token:
                return None
            client = default_client(base_url)
            client.token = installation.bot_token
            return client

        return cls(client_for)

    def send(self, notification: Notification) -> None:
        client = self.client_for(notification.workspace)
        if client is None:
            # raising leaves the batch pending; it is given up after a few rounds (the app was uninstalled)
            raise LookupError(f"no Slack installation for team {notification.workspace}")
        rendered = blocks.notification_blocks(notification)
        # link previews off: a batch cites several sources, and previews of each would bury the statements
        client.chat_postMessage(
            channel=notification.channel,
            text=rendered.text,
            blocks=rendered.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
