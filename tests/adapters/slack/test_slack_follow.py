"""Following from Slack: /crosscheck follow|subscribe|actor|latest --new through the real app, and the scheduler's
batches posted with chat.postMessage (Block Kit) to the fake Web API on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_fakes import ADMIN, BOT_TOKEN, MEMBER, FakeSlack, Running, add_claims, responses
from slack_sdk import WebClient

from adapters.slack import blocks
from adapters.slack.app import parse_command
from adapters.slack.notify import SlackNotifier
from bot.follow.scheduler import Scheduler
from bot.service import Requester


def _text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + (message.get("text") or "")


def test_follow_commands_parse_and_questions_stay_questions() -> None:
    assert parse_command("follow https://example.org/live 10m").args == ("https://example.org/live", "10m")
    assert parse_command("follow the money trail").name == "ask"
    assert parse_command('subscribe topic:"troop withdrawal"').text == 'topic:"troop withdrawal"'
    assert parse_command("latest --new").args == ("--new",)
    assert parse_command("actor Ana Petrel").name == "actor"


def test_members_cannot_follow_but_subscribe_their_channel(running: Running) -> None:
    _, url = running.slack.command("follow https://example.org/live 5m", user=MEMBER)
    assert "Only admins" in _text(responses(running.fake, url)[0])
    _, url = running.slack.command("follow https://example.org/live 5m", user=ADMIN)
    assert "Following https://example.org/live every 5 minutes" in _text(responses(running.fake, url)[0])
    _, url = running.slack.command("following", user=MEMBER)
    assert "example.org/live" in _text(responses(running.fake, url)[0])
    _, url = running.slack.command('subscribe topic:"harbour reopening"', user=MEMBER, channel="C7")
    assert "topic “harbour reopening”" in _text(responses(running.fake, url)[0])
    subs = running.service.subscriptions(Requester("T1", MEMBER), "slack")
    assert [(s.channel, s.kind) for s in subs] == [("C7", "topic")]
    _, url = running.slack.command("unsubscribe", user=MEMBER, channel="C7")
    assert "Removed 1 subscription" in _text(responses(running.fake, url)[0])


def test_latest_new_is_per_channel_and_actor_shows_a_timeline(running: Running) -> None:
    add_claims(
        running.service,
        "T1",
        [
            {"id": "h1", "text": "the harbour will reopen to grain ships", "speaker": "Ana Petrel", "actor": "Veloria"},
            {"id": "h2", "text": "the harbour will not reopen to grain ships", "speaker": "Ana Petrel",
             "actor": "Veloria", "published_at": "2031-03-04T10:00:00+00:00"},
        ],
    )  # fmt: skip
    _, url = running.slack.command("actor Ana Petrel")
    timeline = _text(responses(running.fake, url)[0])
    assert "Ana Petrel" in timeline and "contradicts the earlier" in timeline
    # imported claims sit in no live-blog update: latest --new has nothing, and says so per channel
    _, url = running.slack.command("latest --new", channel="C1")
    assert "Nothing stored yet" in _text(responses(running.fake, url)[0])


def test_the_scheduler_posts_one_block_kit_message_per_channel_batch(running: Running, fake: FakeSlack) -> None:
    service = running.service
    service.subscribe(Requester("T1", MEMBER), "slack", "C9", "side:Veloria")
    add_claims(
        service,
        "T1",
        [
            {"id": f"v{i}", "text": f"the convoy number {i} reached the harbour", "speaker": "Ana Petrel",
             "actor": "Veloria"}
            for i in range(3)
        ],
    )  # fmt: skip
    client = WebClient(base_url=fake.api, token=BOT_TOKEN)
    later = datetime.now(UTC) + timedelta(seconds=1)
    sent = Scheduler(service, {"slack": SlackNotifier.from_client(client)}, clock=lambda: later).tick().sent
    assert len(sent) == 1 and len(sent[0].claims) == 3
    (post,) = fake.of("chat.postMessage")
    assert post.params["channel"] == "C9"
    posted = json.loads(post.params["blocks"]) if isinstance(post.params["blocks"], str) else post.params["blocks"]
    assert len(posted) <= blocks.MAX_BLOCKS and "convoy number 2" in json.dumps(posted)
    # a second round posts nothing: the outbox remembers
    Scheduler(service, {"slack": SlackNotifier.from_client(client)}, clock=lambda: later).tick()
    assert len(fake.of("chat.postMessage")) == 1
