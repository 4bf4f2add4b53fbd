"""Workspaces on Discord: guilds kept apart, DMs as a per-user space, a guild's data deleted when the bot leaves;
and the platform's rules: rate limits (429), refused requests, sharding, the bot's own per-user limit."""

from __future__ import annotations

import asyncio
import dataclasses

from conftest import GUILD_A, GUILD_B, Harness, seed
from fake_discord import guild

from adapters.discord.bot import DiscordOptions
from bot.service import Requester

EPHEMERAL = 64


def _has_data(service, workspace: str) -> bool:
    return bool(service.sources(Requester(workspace)))


def test_guilds_see_only_their_own_statements(run_bot, service) -> None:
    seed(service, str(GUILD_A), [{"text": "the river crossing reopens", "speaker": "Ann Vale", "actor": "Freedonia"}])

    async def scenario(h: Harness) -> None:
        a = await h.send.slash("latest", {"count": 3}, guild_id=GUILD_A)
        b = await h.send.slash("latest", {"count": 3}, guild_id=GUILD_B)
        in_a, in_b = (await h.callback(a))["data"], (await h.callback(b))["data"]
        assert "the river crossing reopens" in in_a["embeds"][1]["fields"][0]["value"]
        assert in_b["embeds"][0]["description"].startswith("No updates yet")
        ask = await h.send.slash("ask", {"question": "does the river crossing reopen?"}, guild_id=GUILD_B)
        assert "I found nothing" in (await h.callback(ask))["data"]["embeds"][0]["description"]

    run_bot(scenario)


def test_a_dm_is_the_users_own_space(run_bot, service) -> None:
    seed(service, "dm:700", [{"text": "the harbour stays closed", "speaker": "Bo Rand", "actor": "Sylvania"}])
    seed(service, str(GUILD_A), [{"text": "the harbour opens", "speaker": "Ann Vale", "actor": "Freedonia"}])

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "is the harbour closed?"}, guild_id=None, user_id=700)
        fields = (await h.callback(iid))["data"]["embeds"][1]["fields"]
        assert [f["name"] for f in fields] == ["Sylvania (1)"]
        other = await h.send.slash("ask", {"question": "is the harbour closed?"}, guild_id=None, user_id=701)
        assert "I found nothing" in (await h.callback(other))["data"]["embeds"][0]["description"]
        # the user administers their own space
        mine = await h.send.slash("sources", guild_id=None, user_id=700)
        assert "Invented live blog" in (await h.callback(mine))["data"]["embeds"][1]["fields"][0]["value"]

    run_bot(scenario)


def test_removal_from_a_guild_deletes_its_data(run_bot, service) -> None:
    seed(service, str(GUILD_A), [{"text": "the river crossing reopens", "speaker": "Ann Vale"}])
    seed(service, str(GUILD_B), [{"text": "the harbour opens", "speaker": "Bo Rand"}])

    async def scenario(h: Harness) -> None:
        await h.fake.dispatch("GUILD_DELETE", {"id": str(GUILD_A)})
        for _ in range(200):
            if not _has_data(service, str(GUILD_A)):
                break
            await asyncio.sleep(0.05)
        assert not _has_data(service, str(GUILD_A))
        assert _has_data(service, str(GUILD_B))

    run_bot(scenario)


def test_grace_period_keeps_data_of_a_guild_that_adds_the_bot_back(run_bot, service) -> None:
    seed(service, str(GUILD_A), [{"text": "the river crossing reopens", "speaker": "Ann Vale"}])
    seed(service, str(GUILD_B), [{"text": "the harbour opens", "speaker": "Bo Rand"}])

    async def scenario(h: Harness) -> None:
        await h.fake.dispatch("GUILD_DELETE", {"id": str(GUILD_A)})
        await h.fake.dispatch("GUILD_DELETE", {"id": str(GUILD_B)})
        await asyncio.sleep(0.1)
        assert _has_data(service, str(GUILD_A)) and _has_data(service, str(GUILD_B))  # within the grace period
        rejoined = {k: v for k, v in guild(GUILD_A).items() if k != "unavailable"}  # a join, not an outage's end
        await h.fake.dispatch("GUILD_CREATE", rejoined)  # A adds the bot back
        for _ in range(200):
            if not h.client.pending_deletions:
                break
            await asyncio.sleep(0.05)
        assert not _has_data(service, str(GUILD_B))
        assert _has_data(service, str(GUILD_A))

    run_bot(scenario, options=DiscordOptions(grace_seconds=0.5))


def test_rate_limited_callback_is_retried_by_discord_py(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        limited = {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}
        h.fake.failures.append(("POST", r"/callback$", 429, limited))
        iid = await h.send.slash("help", guild_id=GUILD_A)
        calls = await h.fake.wait_for("POST", rf"/interactions/{iid}/", count=2)
        assert calls[1].body["type"] == 4 and "/ask" in calls[1].body["data"]["content"]

    run_bot(scenario)


def test_a_refused_follow_up_is_logged_and_the_bot_carries_on(run_bot, service, caplog) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.failures.append(("POST", r"/webhooks/", 403, {"message": "Missing Access", "code": 50001}))
        iid = await h.send.slash("latest", guild_id=GUILD_A)
        await h.fake.wait_for("POST", rf"/webhooks/\d+/token-{iid}")
        for _ in range(100):
            if "Discord refused a reply" in caplog.text:
                break
            await asyncio.sleep(0.05)
        again = await h.send.slash("help", guild_id=GUILD_A)
        assert (await h.callback(again))["type"] == 4

    run_bot(scenario, options=DiscordOptions(reply_budget=0))
    assert "Discord refused a reply: status=403 code=50001" in caplog.text
    assert "fake-token" not in caplog.text  # the token is never logged


def test_questions_beyond_the_per_minute_limit_are_refused_politely(run_bot, service) -> None:
    service.settings = dataclasses.replace(service.settings, questions_per_minute=2)

    async def scenario(h: Harness) -> None:
        bodies = []
        for _ in range(3):
            iid = await h.send.slash("ask", {"question": "the river?"}, guild_id=GUILD_A, user_id=703)
            bodies.append(await h.callback(iid))
        assert not bodies[1]["data"].get("flags", 0) & EPHEMERAL
        assert bodies[2]["data"]["flags"] & EPHEMERAL
        assert "try again in" in bodies[2]["data"]["embeds"][0]["description"]

    run_bot(scenario)


def test_sharded_client_finds_the_gateway_through_the_api(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        assert h.fake.find("GET", r"^/gateway/bot$")
        assert h.fake.identifies[0]["shard"] == [0, 1]
        iid = await h.send.slash("help", guild_id=GUILD_A)
        assert (await h.callback(iid))["type"] == 4

    run_bot(scenario, sharded=True)


def test_an_error_after_a_public_deferral_is_shown_only_to_the_asker(run_bot, service) -> None:
    service.settings = dataclasses.replace(service.settings, questions_per_minute=1)

    async def scenario(h: Harness) -> None:
        first = await h.send.slash("ask", {"question": "the river?"}, guild_id=GUILD_A, user_id=704)
        await h.followup(first)
        second = await h.send.slash("ask", {"question": "the river?"}, guild_id=GUILD_A, user_id=704)
        assert (await h.callback(second))["type"] == 5  # public "thinking…"
        (deleted,) = await h.fake.wait_for("DELETE", rf"/webhooks/\d+/token-{second}/messages/@original")
        error = await h.followup(second)
        assert error["flags"] & EPHEMERAL and "try again in" in error["embeds"][0]["description"]

    run_bot(scenario, options=DiscordOptions(reply_budget=0))
