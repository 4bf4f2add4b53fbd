"""Following from Discord through the real discord.py client: /follow (admins), /subscribe and /latest new in a
channel, /actor, and the scheduler's batches sent to the channel as embeds that mention no one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from conftest import GUILD_A, Harness, seed
from fake_discord import CHANNEL_ID, MANAGE_GUILD
from test_discord_ask import assert_within_limits

from adapters.discord.notify import DiscordNotifier
from bot.follow.scheduler import Scheduler
from bot.service import Crosscheck, Requester

EPHEMERAL = 64


def _text(body: dict) -> str:
    data = body.get("data", body)
    return str(data.get("content", "")) + " ".join(
        str(e.get("title", "")) + str(e.get("description", "")) for e in data.get("embeds", [])
    )


def test_follow_needs_an_admin_and_subscribe_is_per_channel(run_bot, service: Crosscheck) -> None:
    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("follow", {"url": "https://example.org/live", "every": "5m"}, guild_id=GUILD_A)
        body = await h.callback(iid)
        assert "Only server admins" in _text(body) and body["data"]["flags"] & EPHEMERAL
        iid = await h.send.slash(
            "follow", {"url": "https://example.org/live", "every": "10m"}, guild_id=GUILD_A, permissions=MANAGE_GUILD
        )
        assert "Following https://example.org/live every 10 minutes" in _text(await h.callback(iid))
        iid = await h.send.slash("subscribe", {"what": 'topic:"border troops"'}, guild_id=GUILD_A)
        assert "topic “border troops”" in _text(await h.callback(iid))
        subs = service.subscriptions(Requester(str(GUILD_A)), "discord")
        assert [(s.channel, s.kind) for s in subs] == [(str(CHANNEL_ID), "topic")]

    run_bot(scenario)


def test_the_scheduler_sends_embeds_to_the_subscribed_channel_once(run_bot, service: Crosscheck) -> None:
    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("subscribe", {"what": "side:Freedonia"}, guild_id=GUILD_A)
        await h.callback(iid)
        await asyncio.sleep(0.01)  # the claims below are stamped after the subscription
        seed(
            service,
            str(GUILD_A),
            [
                {"text": "the @everyone troops are leaving the border", "speaker": "Rufus Firefly", "actor": "Freedonia"},
                {"text": "the troops are not leaving the border", "speaker": "Ambassador Trentino",
                 "actor": "Sylvania"},
            ],
        )  # fmt: skip
        later = datetime.now(UTC) + timedelta(seconds=1)
        scheduler = Scheduler(service, {"discord": DiscordNotifier(h.client)}, clock=lambda: later)
        report = await asyncio.to_thread(scheduler.tick)
        assert report.sent and all(n.channel == str(CHANNEL_ID) for n in report.sent)
        posts = h.fake.find("POST", rf"/channels/{CHANNEL_ID}/messages")
        assert posts
        for post in posts:
            assert post.body["allowed_mentions"] == {"parse": []}
            assert_within_limits(post.body["embeds"])
        shown = " ".join(f["value"] for p in posts for e in p.body["embeds"] for f in e.get("fields", []))
        assert "Rufus Firefly" in shown and "@everyone" not in shown
        await asyncio.to_thread(scheduler.tick)
        assert len(h.fake.find("POST", rf"/channels/{CHANNEL_ID}/messages")) == len(posts)  # nothing twice

        iid = await h.send.slash("actor", {"name": "Freedonia"}, guild_id=GUILD_A)
        assert "Freedonia over time" in _text(await h.callback(iid))
        iid = await h.send.slash("latest", {"new": True}, guild_id=GUILD_A)
        assert "new update" in _text(await h.callback(iid))
        iid = await h.send.slash("latest", {"new": True}, guild_id=GUILD_A)
        assert "Nothing new since you last asked" in _text(await h.callback(iid))

    run_bot(scenario)
