"""The Discord adapter: ``serve(service)`` runs the bot; ``sync_commands(settings, guild_id)`` publishes its commands.

See docs/discord.md for creating the application, inviting the bot and syncing its commands.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import discord

from adapters.discord.bot import CrosscheckClient, DiscordOptions, build_client
from bot.config import Settings
from bot.errors import BadInput
from bot.service import Crosscheck

log = logging.getLogger(__name__)

NO_TOKEN = "Set DISCORD_TOKEN to the bot token from the Discord developer portal (Bot → Reset Token)."


def _token(settings: Settings) -> str:
    if not settings.discord_token:
        raise BadInput(NO_TOKEN)
    return settings.discord_token


def serve(service: Crosscheck) -> None:
    """Runs the bot until interrupted (`crosscheck serve discord`); sharded when the environment asks for it."""
    token = _token(service.settings)
    options = DiscordOptions.from_env()
    client = build_client(service, service.settings, options=options)
    stop_following = start_following(service, client)
    try:
        # log_handler=None: logging is configured by the CLI; discord.py never logs the token
        client.run(token, log_handler=None)
    except discord.LoginFailure:
        raise BadInput("Discord refused the token in DISCORD_TOKEN; copy it again from the developer portal.") from None
    except discord.PrivilegedIntentsRequired:
        raise BadInput(
            "CROSSCHECK_DISCORD_MESSAGE_CONTENT is on, but the Message Content intent is off in the developer portal "
            "(Bot → Privileged Gateway Intents); switch it on there or unset the variable."
        ) from None
    finally:
        stop_following()


def start_following(service: Crosscheck, client: discord.Client) -> Callable[[], None]:
    """The follow scheduler (bot/follow) in a thread of this process, posting to subscribed Discord channels."""
    from adapters.discord.notify import DiscordNotifier
    from bot.follow.scheduler import Scheduler

    return Scheduler(service, {"discord": DiscordNotifier(client)}).start()


def sync_commands(settings: Settings, guild_id: str | None = None) -> list[str]:
    """Publishes the slash commands: to one guild (instant; for development) or, with no guild, globally.

    Returns the names of the commands Discord now holds. Needs DISCORD_TOKEN; opens no database.
    """
    token = _token(settings)
    guild: discord.Object | None = None
    if guild_id:
        if not guild_id.strip().isdigit():
            raise BadInput(
                f"{guild_id!r} is not a Discord server id; copy it with Developer Mode on (right-click the server)."
            )
        guild = discord.Object(id=int(guild_id.strip()))
    return asyncio.run(_sync(settings, token, guild))


async def _sync(settings: Settings, token: str, guild: discord.Object | None) -> list[str]:
    client = CrosscheckClient(None, settings, DiscordOptions())
    async with client:
        try:
            await client.login(token)
        except discord.LoginFailure:
            raise BadInput(
                "Discord refused the token in DISCORD_TOKEN; copy it again from the developer portal."
            ) from None
        try:
            if guild is not None:
                client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
        except discord.Forbidden:
            raise BadInput(
                "Discord refused: invite the bot to that server with the applications.commands scope first."
            ) from None
        except discord.HTTPException as error:
            raise BadInput(f"Discord refused the commands (HTTP {error.status}): {error.text[:200]}") from None
    log.info("synced %d commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")
    return [command.name for command in synced]


__all__ = ["DiscordOptions", "build_client", "serve", "sync_commands"]
