"""The Discord client: slash commands, the message context menu and mentions turned into calls of the core.

Each guild is its own workspace (the guild id); a DM is the user's own space ("dm:<user id>"), which they administer.
The core is synchronous, so every call into it runs in a worker thread and the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import discord
from discord import app_commands

from adapters.discord.embeds import (
    ERROR,
    NO_MENTIONS,
    Page,
    answer_pages,
    ingest_embed,
    latest_new_pages,
    latest_pages,
    notice,
    sources_pages,
    timeline_pages,
)
from adapters.discord.views import AnswerView, PasteModal
from bot.config import Settings
from bot.errors import BadInput, CrosscheckError
from bot.service import Crosscheck, Requester

log = logging.getLogger(__name__)

GRACE_ENV = "CROSSCHECK_DISCORD_GRACE_SECONDS"
MESSAGE_CONTENT_ENV = "CROSSCHECK_DISCORD_MESSAGE_CONTENT"
SHARDED_ENV = "CROSSCHECK_DISCORD_SHARDED"
SHARD_COUNT_ENV = "CROSSCHECK_DISCORD_SHARD_COUNT"
SHARD_IDS_ENV = "CROSSCHECK_DISCORD_SHARD_IDS"

FILE_TYPES = (".txt", ".text", ".html", ".htm")
OOPS = "Something went wrong on my side; the details are in the bot's log."
FEEDBACK_THANKS = {"wrong_match": "a wrong match", "wrong_stance": "a wrong stance"}

HELP = """**/ask** `question` — who supports and who contradicts a claim, grouped by side.
**Cross-check message** (right-click a message → Apps) — the message's text is the question.
**/latest** `[side]` `[count]` `[new]` — the newest updates (with `new`: only what arrived since this channel asked).
**/subscribe** `NATO` or `topic:"troop withdrawal"` or `alerts` — this channel gets new statements and contradictions as they arrive · **/unsubscribe** · **/actor** `name` — a side's or speaker's statements over time, and its flips.
Under every answer: **Wrong match** / **Wrong stance** tell the maintainers a statement was misjudged.
{mention}
Admins (Manage Server, or a configured admin role):
**/ingest** `url:` or `file:` (.txt / .html) — add an article; with neither, a form to paste its text.
**/sources** — what has been added · **/forget** `source` — remove a source and its statements.
**/follow** `url` `[every]` — poll a live blog (e.g. every 5m) · **/unfollow** `url` · **/following**.

Each server's articles are its own; in a direct message you have a private space of your own.
“Supports” means a side says so, not that it is verified."""


def _env_bool(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise BadInput(f"{name} must be true or false, not {raw!r}.")


def _env_number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise BadInput(f"{name} must be a number of seconds, not {raw!r}.") from None
    if value < 0:
        raise BadInput(f"{name} cannot be negative.")
    return value


@dataclass(frozen=True)
class DiscordOptions:
    """The Discord adapter's own settings (the shared ones, tokens and admin lists, live in ``Settings``)."""

    # seconds between the bot's removal from a guild and the deletion of that guild's data (0: at once)
    grace_seconds: float = 0.0
    # answer questions that mention the bot; needs the privileged message-content intent switched on in the portal
    message_content: bool = False
    # an answer ready within this many seconds is sent at once; otherwise the interaction is deferred first
    # (Discord allows 3 s in all, and the event took some of them to arrive)
    reply_budget: float = 1.5
    # buttons under an answer stop after this long: the interaction token behind them lives 15 minutes
    view_timeout: float = 14 * 60.0
    sharded: bool = False
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DiscordOptions:
        env = os.environ if env is None else env
        ids_raw = env.get(SHARD_IDS_ENV, "").strip()
        count_raw = env.get(SHARD_COUNT_ENV, "").strip()
        try:
            shard_ids = tuple(int(x) for x in ids_raw.split(",") if x.strip()) if ids_raw else None
            shard_count = int(count_raw) if count_raw else None
        except ValueError:
            raise BadInput(
                f"{SHARD_IDS_ENV} is a comma-separated list of numbers and {SHARD_COUNT_ENV} a number."
            ) from None
        if shard_ids is not None and shard_count is None:
            raise BadInput(f"{SHARD_IDS_ENV} needs {SHARD_COUNT_ENV}: the total number of shards across processes.")
        if shard_ids is not None and shard_count is not None and any(not 0 <= i < shard_count for i in shard_ids):
            raise BadInput(f"Every shard id in {SHARD_IDS_ENV} must be below {SHARD_COUNT_ENV} ({shard_count}).")
        return cls(
            grace_seconds=_env_number(env, GRACE_ENV, 0.0),
            message_content=_env_bool(env, MESSAGE_CONTENT_ENV),
            sharded=_env_bool(env, SHARDED_ENV) or shard_ids is not None or shard_count is not None,
            shard_count=shard_count,
            shard_ids=shard_ids,
        )


def intents_for(options: DiscordOptions) -> discord.Intents:
    """The least the bot needs: guild events (joins, removals); messages only when mentions are answered."""
    intents = discord.Intents.none()
    intents.guilds = True
    if options.message_content:
        intents.guild_messages = True
        intents.dm_messages = True
        intents.message_content = True
    return intents


@dataclass
class Reply:
    """What to send: pages of embeds (or one plain text), and whether statements on it take feedback."""

    pages: list[Page] = field(default_factory=list)
    text: str | None = None
    question: str | None = None  # set for answers: feedback records it with the claim
    error: bool = False

    @classmethod
    def failure(cls, text: str) -> Reply:
        return cls(pages=[Page([notice(text, colour=ERROR)])], error=True)


class CrosscheckClient(discord.Client):
    """A discord.py client with the Crosscheck commands; ``service`` is None only to sync commands."""

    def __init__(self, service: Crosscheck | None, settings: Settings, options: DiscordOptions, **kwargs: Any) -> None:
        super().__init__(intents=intents_for(options), allowed_mentions=NO_MENTIONS, **kwargs)
        self.service = service
        self.settings = settings
        self.options = options
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self.pending_deletions: dict[int, asyncio.Task[None]] = {}
        _declare_commands(self)

    @property
    def core(self) -> Crosscheck:
        if self.service is None:
            raise RuntimeError("this client was built to sync commands, not to serve")
        return self.service

    # ---- who is asking ------------------------------------------------------------------------------------

    def requester(
        self, user: discord.User | discord.Member, guild_id: int | None, permissions: discord.Permissions
    ) -> Requester:
        if guild_id is None:
            # a DM is the user's own space, so they administer it (ingest limits still apply)
            return Requester(workspace=f"dm:{user.id}", user=str(user.id), is_admin=True)
        roles: set[str] = set()
        for role in getattr(user, "roles", ()):
            roles.update((str(role.id), role.name))
        for role_id in getattr(user, "_roles", ()):  # role ids are known even when the guild's roles are not cached
            roles.add(str(role_id))
        return Requester(
            workspace=str(guild_id),
            user=str(user.id),
            is_admin=permissions.manage_guild or permissions.administrator,
            roles=frozenset(roles),
        )

    def interaction_requester(self, interaction: discord.Interaction) -> Requester:
        return self.requester(interaction.user, interaction.guild_id, interaction.permissions)

    # ---- answering interactions ---------------------------------------------------------------------------

    async def respond(
        self,
        interaction: discord.Interaction,
        job: Awaitable[Reply],
        *,
        ephemeral: bool,
        feedback: bool = False,
    ) -> None:
        """Sends the job's reply at once if it is ready within the budget; otherwise defers (thinking) and follows up."""
        task = asyncio.ensure_future(job)
        deferred = False
        try:
            done, _ = await asyncio.wait({task}, timeout=self.options.reply_budget)
            if not done:
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
                deferred = True
            reply = await task
        except CrosscheckError as error:
            reply = Reply.failure(str(error))
        except discord.HTTPException as error:  # the deferral failed: the interaction is gone
            log.warning("could not defer interaction: status=%s code=%s", error.status, error.code)
            task.cancel()
            return
        except Exception:
            log.exception("command %s failed", interaction.command.name if interaction.command else "?")
            reply = Reply.failure(OOPS)
        await self.send(interaction, reply, deferred=deferred, ephemeral=ephemeral, feedback=feedback)

    async def send(
        self, interaction: discord.Interaction, reply: Reply, *, deferred: bool, ephemeral: bool, feedback: bool
    ) -> None:
        view = self._view(reply, interaction.user.id, feedback)
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if reply.pages:
            kwargs["embeds"] = reply.pages[0].embeds
        if reply.text:
            kwargs["content"] = reply.text
        if view is not None:
            kwargs["view"] = view
        try:
            if not deferred:
                await interaction.response.send_message(ephemeral=ephemeral or reply.error, **kwargs)
                cleanup: Callable[[], Awaitable[object]] = lambda: interaction.edit_original_response(view=None)  # noqa: E731
            elif reply.error and not ephemeral:
                # an error is for the asker only: the public "thinking…" message gives way to an ephemeral one
                await interaction.delete_original_response()
                await interaction.followup.send(ephemeral=True, **kwargs)
                return
            else:
                message = await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
                cleanup = lambda: message.edit(view=None)  # noqa: E731
            if view is not None:
                view.cleanup = cleanup
        except discord.HTTPException as error:
            log.warning(
                "Discord refused a reply: status=%s code=%s text=%s", error.status, error.code, error.text[:200]
            )

    def _view(self, reply: Reply, owner_id: int, feedback: bool) -> AnswerView | None:
        if reply.error or not reply.pages:
            return None
        on_feedback = self._feedback_for(reply.question or "") if feedback else None
        view = AnswerView(reply.pages, owner_id=owner_id, on_feedback=on_feedback, timeout=self.options.view_timeout)
        return None if view.empty else view

    def _feedback_for(self, question: str) -> Callable[[discord.Interaction, str, int | None], Awaitable[None]]:
        async def record(interaction: discord.Interaction, kind: str, claim_id: int | None) -> None:
            who = self.interaction_requester(interaction)
            try:
                await asyncio.to_thread(self.core.feedback, who, question, claim_id, kind)
                text = f"Thank you: noted {'statement ' + str(claim_id) if claim_id else 'this answer'} as {FEEDBACK_THANKS[kind]}."
            except CrosscheckError as error:
                text = str(error)
            try:
                if interaction.data and interaction.data.get("component_type") == 3:  # from the picker: replace it
                    await interaction.response.edit_message(content=text, view=None)
                else:
                    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException as error:
                log.warning("could not confirm feedback: status=%s code=%s", error.status, error.code)

        return record

    async def refuse(self, interaction: discord.Interaction, text: str) -> None:
        try:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning("could not refuse: status=%s code=%s", error.status, error.code)

    async def require_admin(self, interaction: discord.Interaction, what: str) -> Requester | None:
        """The requester if they may run an admin command; otherwise an ephemeral refusal and None."""
        who = self.interaction_requester(interaction)
        if self.core.is_admin(who):
            return who
        await self.refuse(
            interaction,
            f"Only server admins can {what}: you need the Manage Server permission or one of the admin roles.",
        )
        return None

    async def _on_tree_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("command failed: %s", error, exc_info=error)
        if not interaction.response.is_done():
            await self.refuse(interaction, OOPS)

    # ---- jobs (run in worker threads) ---------------------------------------------------------------------

    def ask_job(self, who: Requester, question: str) -> Reply:
        answer = self.core.ask(who, question)
        return Reply(pages=answer_pages(answer), question=answer.query)

    def latest_job(self, who: Requester, actor: str | None, count: int) -> Reply:
        return Reply(pages=latest_pages(self.core.latest(who, actor=actor, limit=count)))

    def latest_new_job(self, who: Requester, channel: str, count: int) -> Reply:
        return Reply(pages=latest_new_pages(self.core.latest_new(who, "discord", channel, limit=count)))

    def actor_job(self, who: Requester, name: str) -> Reply:
        return Reply(pages=timeline_pages(self.core.actor_timeline(who, name)))

    def note_job(self, text: str) -> Reply:
        return Reply(pages=[Page([notice(text)])])

    def ingest_job(self, who: Requester, url: str | None, data: bytes | None, name: str | None) -> Reply:
        report = self.core.ingest(who, url, data=data, name=name)
        return Reply(pages=[Page([ingest_embed(report)])])

    async def ingest_attachment(self, who: Requester, file: discord.Attachment) -> Reply:
        if PurePath(file.filename.lower()).suffix not in FILE_TYPES:
            raise BadInput("Attach the article as a .txt or .html file.")
        if file.size > self.settings.max_article_bytes:
            raise BadInput(
                f"That file is {file.size / 1e6:.1f} MB; the limit is {self.settings.max_article_bytes / 1e6:.1f} MB."
            )
        try:
            data = await file.read()
        except discord.HTTPException:
            raise BadInput("I could not download that attachment from Discord; try again in a moment.") from None
        return await asyncio.to_thread(self.ingest_job, who, None, data, file.filename)

    # ---- gateway events -----------------------------------------------------------------------------------

    async def on_ready(self) -> None:
        log.info(
            "connected to Discord as %s (id %s) in %d guilds", self.user, self.user and self.user.id, len(self.guilds)
        )

    async def on_guild_join(self, guild: discord.Guild) -> None:
        pending = self.pending_deletions.pop(guild.id, None)
        if pending is not None:
            pending.cancel()
            log.info("guild %s added the bot back within the grace period: its data is kept", guild.id)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed (or the guild deleted): the guild's data goes, after the grace period if one is set."""
        if self.service is None:
            return
        previous = self.pending_deletions.pop(guild.id, None)
        if previous is not None:
            previous.cancel()
        task = asyncio.create_task(self._delete_guild(guild.id, self.options.grace_seconds))
        self.pending_deletions[guild.id] = task

    async def _delete_guild(self, guild_id: int, grace: float) -> None:
        if grace > 0:
            log.info("removed from guild %s: deleting its data in %.0f s unless the bot is added back", guild_id, grace)
            await asyncio.sleep(grace)
        try:
            await asyncio.to_thread(self.core.delete_workspace, str(guild_id))
        except Exception:
            log.exception("could not delete the data of guild %s", guild_id)
        finally:
            if self.pending_deletions.get(guild_id) is asyncio.current_task():
                del self.pending_deletions[guild_id]

    async def on_message(self, message: discord.Message) -> None:
        """A question in a message that mentions the bot (or any message in a DM), when mentions are switched on."""
        if not self.options.message_content or self.service is None or self.user is None or message.author.bot:
            return
        in_dm = message.guild is None
        if not in_dm and not any(user.id == self.user.id for user in message.mentions):
            return
        question = re.sub(rf"<@!?{self.user.id}>", " ", message.content).strip()
        if not question:
            await self._reply(
                message, Reply(pages=[Page([notice("Ask me a question after the mention, or use /ask.")])])
            )
            return
        permissions = discord.Permissions.none()  # questions need no permission; admin commands are slash commands
        who = self.requester(message.author, message.guild.id if message.guild else None, permissions)
        try:
            async with message.channel.typing():
                reply = await asyncio.to_thread(self.ask_job, who, question)
        except CrosscheckError as error:
            reply = Reply.failure(str(error))
        except discord.HTTPException as error:
            log.warning("could not show typing: status=%s code=%s", error.status, error.code)
            return
        except Exception:
            log.exception("question from a message failed")
            reply = Reply.failure(OOPS)
        await self._reply(message, reply, feedback=True)

    async def _reply(self, message: discord.Message, reply: Reply, *, feedback: bool = False) -> None:
        view = self._view(reply, message.author.id, feedback)
        kwargs: dict[str, Any] = {"embeds": reply.pages[0].embeds, "allowed_mentions": NO_MENTIONS}
        if view is not None:
            kwargs["view"] = view
        try:
            sent = await message.reply(mention_author=False, **kwargs)
        except discord.HTTPException as error:
            log.warning("could not reply to a message: status=%s code=%s", error.status, error.code)
            return
        if view is not None:
            view.cleanup = lambda: sent.edit(view=None)


class ShardedCrosscheckClient(CrosscheckClient, discord.AutoShardedClient):
    """The same bot over several gateway shards (discord.py's AutoShardedClient), for large bots."""


def build_client(
    service: Crosscheck,
    settings: Settings,
    *,
    sharded: bool = False,
    options: DiscordOptions | None = None,
    **client_options: Any,
) -> CrosscheckClient:
    """The bot as a discord.py client (an AutoShardedClient when ``sharded``); start it with ``client.run(token)``.

    ``client_options`` go to discord.py's client as they are (e.g. ``proxy``, ``guild_ready_timeout``).
    """
    options = options or DiscordOptions.from_env()
    if sharded or options.sharded:
        kwargs: dict[str, Any] = dict(client_options)
        if options.shard_count is not None:
            kwargs["shard_count"] = options.shard_count
        if options.shard_ids is not None:
            kwargs["shard_ids"] = list(options.shard_ids)
        return ShardedCrosscheckClient(service, settings, options, **kwargs)
    return CrosscheckClient(service, settings, options, **client_options)


def _declare_commands(client: CrosscheckClient) -> None:
    """Declares the slash commands and the context menu on the client's tree (syncing them is separate)."""
    tree = client.tree

    @app_commands.command(name="ask", description="Who supports and who contradicts a claim, grouped by side")
    @app_commands.describe(question="A question or a claim, e.g. Is the army pulling back?")
    async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 1, 2000]) -> None:
        who = client.interaction_requester(interaction)
        await client.respond(
            interaction, asyncio.to_thread(client.ask_job, who, question), ephemeral=False, feedback=True
        )

    async def cross_check_message(interaction: discord.Interaction, message: discord.Message) -> None:
        text = message.content.strip()
        if not text:
            await client.refuse(interaction, "That message has no text I can check.")
            return
        who = client.interaction_requester(interaction)
        await client.respond(interaction, asyncio.to_thread(client.ask_job, who, text), ephemeral=False, feedback=True)

    @app_commands.command(name="latest", description="The newest updates and the statements in them")
    @app_commands.describe(
        actor="Only this side or speaker",
        count="How many updates (1–10)",
        new="Only what arrived since this channel last asked",
    )
    async def latest(
        interaction: discord.Interaction,
        actor: str | None = None,
        count: app_commands.Range[int, 1, 10] = 5,
        new: bool = False,
    ) -> None:
        who = client.interaction_requester(interaction)
        if new:
            job = asyncio.to_thread(client.latest_new_job, who, str(interaction.channel_id or ""), count)
        else:
            job = asyncio.to_thread(client.latest_job, who, actor.strip() if actor else None, count)
        await client.respond(interaction, job, ephemeral=False)

    @app_commands.command(name="ingest", description="Add an article: a URL, a .txt/.html file, or paste its text")
    @app_commands.describe(url="The article's address (http or https)", file="The article as a .txt or .html file")
    @app_commands.default_permissions(manage_guild=True)
    async def ingest(
        interaction: discord.Interaction, url: str | None = None, file: discord.Attachment | None = None
    ) -> None:
        who = await client.require_admin(interaction, "add articles")
        if who is None:
            return
        if url and file:
            await client.refuse(interaction, "Give me a URL or a file, not both.")
            return
        if file is not None:
            await client.respond(interaction, client.ingest_attachment(who, file), ephemeral=True)
            return
        if url:
            await client.respond(
                interaction, asyncio.to_thread(client.ingest_job, who, url.strip(), None, None), ephemeral=True
            )
            return

        async def pasted(submitted: discord.Interaction, title: str, text: str) -> None:
            data = (f"{title}\n\n{text}" if title else text).encode("utf-8")
            name = title or "pasted text"
            await client.respond(submitted, asyncio.to_thread(client.ingest_job, who, None, data, name), ephemeral=True)

        try:
            await interaction.response.send_modal(PasteModal(pasted, timeout=client.options.view_timeout))
        except discord.HTTPException as error:
            log.warning("could not open the paste form: status=%s code=%s", error.status, error.code)

    @app_commands.command(name="forget", description="Remove a source and its statements")
    @app_commands.describe(source="The source's number, as /sources lists it")
    @app_commands.default_permissions(manage_guild=True)
    async def forget(interaction: discord.Interaction, source: app_commands.Range[int, 1]) -> None:
        who = await client.require_admin(interaction, "forget sources")
        if who is None:
            return

        def job() -> Reply:
            label = client.core.forget(who, source)
            return Reply(pages=[Page([notice(f"Forgot source {source} ({label}) and its statements.")])])

        await client.respond(interaction, asyncio.to_thread(job), ephemeral=True)

    @app_commands.command(name="sources", description="The articles added so far")
    @app_commands.default_permissions(manage_guild=True)
    async def sources(interaction: discord.Interaction) -> None:
        who = await client.require_admin(interaction, "list sources")
        if who is None:
            return
        job = asyncio.to_thread(lambda: Reply(pages=sources_pages(client.core.sources(who))))
        await client.respond(interaction, job, ephemeral=True)

    @app_commands.command(name="help", description="What Crosscheck does and how to ask it")
    async def help_(interaction: discord.Interaction) -> None:
        mention = "Or mention me with a question in a message.\n" if client.options.message_content else ""
        await client.refuse(interaction, HELP.format(mention=mention))

    commands: list[Any] = [ask, latest, ingest, forget, sources, help_, *_follow_commands(client)]
    for command in commands:
        tree.add_command(command)
    tree.add_command(app_commands.ContextMenu(name="Cross-check message", callback=cross_check_message))


def _follow_commands(client: CrosscheckClient) -> list[app_commands.Command[Any, Any, None]]:
    """/follow, /unfollow, /following (admins) · /subscribe, /unsubscribe (this channel) · /actor."""
    from bot.follow.views import describe_interval

    @app_commands.command(name="follow", description="Poll a live blog for new updates")
    @app_commands.describe(url="The live blog's address (http or https)", every="How often: 5m, 90s, 2h (default 5m)")
    @app_commands.default_permissions(manage_guild=True)
    async def follow(interaction: discord.Interaction, url: str, every: str = "5m") -> None:
        who = await client.require_admin(interaction, "follow sources")
        if who is None:
            return

        def job() -> Reply:
            view, new = client.core.follow(who, url.strip(), every)
            verb = "Following" if new else "Still following"
            return client.note_job(f"{verb} {view.url} every {describe_interval(view.every_seconds)}.")

        await client.respond(interaction, asyncio.to_thread(job), ephemeral=True)

    @app_commands.command(name="unfollow", description="Stop polling a live blog (its statements stay)")
    @app_commands.describe(url="The address, or the number /following shows")
    @app_commands.default_permissions(manage_guild=True)
    async def unfollow(interaction: discord.Interaction, url: str) -> None:
        who = await client.require_admin(interaction, "stop following sources")
        if who is None:
            return
        job = asyncio.to_thread(lambda: client.note_job(f"No longer following {client.core.unfollow(who, url)}."))
        await client.respond(interaction, job, ephemeral=True)

    @app_commands.command(name="following", description="The live blogs this server follows")
    @app_commands.default_permissions(manage_guild=True)
    async def following(interaction: discord.Interaction) -> None:
        who = await client.require_admin(interaction, "list followed sources")
        if who is None:
            return
        job = asyncio.to_thread(
            lambda: client.note_job("\n".join(f.summary for f in client.core.followed(who)) or "Following nothing yet.")
        )
        await client.respond(interaction, job, ephemeral=True)

    @app_commands.command(name="subscribe", description="This channel gets new statements and contradictions")
    @app_commands.describe(what='A side or speaker (NATO), topic:"troop withdrawal", or alerts')
    async def subscribe(interaction: discord.Interaction, what: app_commands.Range[str, 1, 200]) -> None:
        who = client.interaction_requester(interaction)
        channel = str(interaction.channel_id or "")

        def job() -> Reply:
            sub, new = client.core.subscribe(who, "discord", channel, what)
            return client.note_job(f"{'This channel now gets' if new else 'This channel already gets'} {sub.summary}.")

        await client.respond(interaction, asyncio.to_thread(job), ephemeral=True)

    @app_commands.command(name="unsubscribe", description="Stop one subscription of this channel, or all of them")
    @app_commands.describe(what="As it was subscribed; leave empty for all")
    async def unsubscribe(interaction: discord.Interaction, what: str | None = None) -> None:
        who = client.interaction_requester(interaction)
        channel = str(interaction.channel_id or "")

        def job() -> Reply:
            removed = client.core.unsubscribe(who, "discord", channel, what)
            return client.note_job(f"Removed {removed} subscription{'s' if removed != 1 else ''} of this channel.")

        await client.respond(interaction, asyncio.to_thread(job), ephemeral=True)

    @app_commands.command(name="actor", description="A side's or speaker's statements over time, and its flips")
    @app_commands.describe(name="A side (NATO) or a speaker")
    async def actor(interaction: discord.Interaction, name: app_commands.Range[str, 1, 200]) -> None:
        who = client.interaction_requester(interaction)
        await client.respond(interaction, asyncio.to_thread(client.actor_job, who, name), ephemeral=False)

    return [follow, unfollow, following, subscribe, unsubscribe, actor]


def command_names(client: CrosscheckClient) -> Sequence[str]:
    return [c.name for c in client.tree.get_commands()]
