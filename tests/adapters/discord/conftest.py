"""Runs the real discord.py client of the bot against the fake Discord on 127.0.0.1, with a real SQLite file."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from fake_discord import TOKEN, FakeDiscord, Interactions

from adapters.discord.bot import CrosscheckClient, DiscordOptions, build_client
from bot.answers import Answer, Match, SideGroup
from bot.config import Settings
from bot.service import Crosscheck, Requester
from bot.store import NewClaim, NewUpdate

GUILD_A = 840000000000000001
GUILD_B = 840000000000000002
ADMIN_ROLE = 850000000000000001


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name other than the loopback one fails to resolve: nothing in these tests can reach the internet."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", b"127.0.0.1", None):
            raise OSError(f"test tried to reach {host!r}; only 127.0.0.1 is allowed")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


class WordMatchCore(Crosscheck):
    """The real core with a stand-in for matching: the adapter's tests are about Discord, not stance.

    ``ask`` returns every stored claim of the workspace sharing a word with the question; claims with "not" or
    "no" contradict, the others support; grouped by side like the core does, the first three shown per side.
    """

    def ask(self, who: Requester, question: str) -> Answer:
        question = self._question(question)
        self._count(who, "question")  # the core's own rate limit, as the real ask counts it
        words = {w for w in re.findall(r"\w+", question.lower()) if len(w) > 3}
        matches = []
        for claim in self.store.claims(who.workspace):
            tokens = set(re.findall(r"\w+", claim.text.lower()))
            if words & tokens:
                stance = "contradicts" if tokens & {"not", "no"} else "supports"
                matches.append(
                    Match(claim, 0.9, stance, f"shares the words {', '.join(sorted(words & tokens))}", "strong")
                )

        def groups(stance: str) -> tuple[SideGroup, ...]:
            sides: dict[str | None, list[Match]] = {}
            for m in matches:
                if m.stance == stance:
                    sides.setdefault(m.claim.actor, []).append(m)
            return tuple(SideGroup(side, m[0].stance, tuple(m[:3]), tuple(m[3:])) for side, m in sides.items())

        return Answer(query=question, supporting=groups("supports"), contradicting=groups("contradicts"))


def settings_in(folder: Path) -> Settings:
    """A real SQLite file in the test's folder, the admin role, and the fake's token."""
    return Settings(
        database_url=f"sqlite:///{folder / 'crosscheck.db'}",
        admin_roles=frozenset({str(ADMIN_ROLE)}),
        discord_token=TOKEN,
    )


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Crosscheck]:
    core = WordMatchCore(settings_in(tmp_path))
    yield core
    core.store.close()


def seed(
    service: Crosscheck, workspace: str, claims: list[dict[str, Any]], *, title: str = "Invented live blog"
) -> int:
    """Stores an invented source with one update per claim; returns the source id."""
    updates = [
        NewUpdate(
            key=f"u{i}",
            text_hash=f"h{i}",
            headline=c.get("headline", f"Update {i}"),
            time=datetime(2024, 3, 1, 9, 0) if "time" not in c else c["time"],
            claims=[
                NewClaim(
                    text=c["text"],
                    sentence=c["text"],
                    kind=c.get("kind", "indirect"),
                    cue=c.get("cue", "said"),
                    speaker=c.get("speaker"),
                    actor=c.get("actor"),
                    published_at=datetime(2024, 3, 1, 9, i % 60),
                )
            ],
        )
        for i, c in enumerate(claims)
    ]
    source_id, _, _, _ = service.store.save_source(
        workspace,
        "tester",
        url=f"https://example.org/{workspace}/{title.replace(' ', '-')}",
        name=None,
        title=title,
        content_hash=f"{workspace}-{title}-{len(claims)}",
        published_at=datetime(2024, 3, 1, 8, 0),
        updates=updates,
    )
    return source_id


@dataclass
class Harness:
    fake: FakeDiscord
    client: CrosscheckClient
    service: Crosscheck
    send: Interactions

    async def callback(self, interaction_id: int, *, after: int = 0) -> dict[str, Any]:
        """The body of the bot's answer to an interaction (type 4 message, 5 deferral, 7 edit, 9 modal …)."""
        (call,) = await self.fake.wait_for("POST", rf"/interactions/{interaction_id}/[^/]+/callback", after=after)
        return call.body

    async def followup(self, interaction_id: int, *, after: int = 0) -> dict[str, Any]:
        (call,) = await self.fake.wait_for("POST", rf"/webhooks/\d+/token-{interaction_id}$", after=after)
        return call.body

    def message_of(self, interaction_id: int) -> int:
        """The id of the message the bot's response to this interaction created."""
        return self.fake.response_messages[interaction_id]


Scenario = Callable[[Harness], Awaitable[None]]


@pytest.fixture
def run_bot(service: Crosscheck, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Runs a scenario against a connected bot: ``run_bot(scenario, options=..., sharded=...)``."""

    def run(scenario: Scenario, *, options: DiscordOptions | None = None, sharded: bool = False) -> None:
        asyncio.run(_run(scenario, service, monkeypatch, options or DiscordOptions(), sharded))

    return run


async def _ready(client: discord.Client, runner: asyncio.Task[None]) -> None:
    while not client.is_ready():
        if runner.done():
            runner.result()  # the client stopped: raise why
        await asyncio.sleep(0.02)


async def _run(
    scenario: Scenario, service: Crosscheck, monkeypatch: pytest.MonkeyPatch, options: DiscordOptions, sharded: bool
) -> None:
    fake = FakeDiscord(guilds=[GUILD_A, GUILD_B])
    await fake.start()
    # discord.py's own configuration points: the REST base, and the gateway used before READY names one
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    # a short wait for guilds after READY: the fake sends them all at once
    client = build_client(service, service.settings, sharded=sharded, options=options, guild_ready_timeout=0.05)
    runner = asyncio.create_task(client.start(TOKEN))
    try:
        await asyncio.wait_for(_ready(client, runner), 15)
        await scenario(Harness(fake, client, service, Interactions(fake)))
    finally:
        await client.close()
        try:
            await asyncio.wait_for(runner, 10)
        finally:
            await fake.stop()
