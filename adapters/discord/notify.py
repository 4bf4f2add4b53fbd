"""Discord's Notifier: posts the scheduler's batches with channel.send (embeds, no mentions) on the client's loop.

The scheduler runs in a thread; each send is handed to the client's event loop and waited for, so a failure reaches
the scheduler (which keeps the batch for a later round) instead of vanishing in the loop.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from adapters.discord.embeds import NO_MENTIONS, notification_pages
from bot.follow import Notification

log = logging.getLogger(__name__)

SEND_TIMEOUT = 60.0  # seconds a batch may take, rate-limit waits included


class DiscordNotifier:
    def __init__(self, client: discord.Client, *, timeout: float = SEND_TIMEOUT) -> None:
        self.client = client
        self.timeout = timeout

    def send(self, notification: Notification) -> None:
        if not self.client.is_ready():
            raise ConnectionError("the Discord client is not connected yet")
        future = asyncio.run_coroutine_threadsafe(self.post(notification), self.client.loop)
        future.result(timeout=self.timeout)

    async def post(self, notification: Notification) -> None:
        channel = self.client.get_channel(int(notification.channel))
        if channel is None:
            channel = await self.client.fetch_channel(int(notification.channel))
        if not isinstance(channel, discord.abc.Messageable):
            raise LookupError(f"channel {notification.channel} cannot take messages")
        guild = getattr(channel, "guild", None)
        if guild is not None and str(guild.id) != notification.workspace:
            # a subscription is made inside its guild; a channel id of another guild is never posted to
            raise LookupError(f"channel {notification.channel} is not in guild {notification.workspace}")
        for page in notification_pages(notification):
            await channel.send(embeds=page.embeds, allowed_mentions=NO_MENTIONS)
