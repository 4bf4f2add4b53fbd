"""Rate limits: per user and per workspace, sliding over a minute, polite when exceeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import RateLimited
from bot.limits import RateLimits
from bot.service import Crosscheck, Requester
from bot.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_per_user_limit_slides_over_a_minute() -> None:
    clock = Clock()
    limits = RateLimits(clock=clock)
    for _ in range(3):
        limits.check("T", "U", "question", user_limit=3, space_limit=0)
    with pytest.raises(RateLimited, match="try again in"):
        limits.check("T", "U", "question", user_limit=3, space_limit=0)
    limits.check("T", "V", "question", user_limit=3, space_limit=0)  # another user is not held back
    limits.check("T", "U", "ingest", user_limit=3, space_limit=0)  # nor another kind of action
    clock.now += 61
    limits.check("T", "U", "question", user_limit=3, space_limit=0)


def test_workspace_limit_covers_all_its_users() -> None:
    limits = RateLimits(clock=Clock())
    for user in "ABCD":
        limits.check("T", user, "ingest", user_limit=5, space_limit=4)
    with pytest.raises(RateLimited, match="This workspace"):
        limits.check("T", "E", "ingest", user_limit=5, space_limit=4)
    limits.check("T2", "E", "ingest", user_limit=5, space_limit=4)


def test_refused_actions_are_not_counted() -> None:
    clock = Clock()
    limits = RateLimits(clock=clock)
    limits.check("T", "U", "question", user_limit=1, space_limit=0)
    for _ in range(5):
        with pytest.raises(RateLimited):
            limits.check("T", "U", "question", user_limit=1, space_limit=0)
    clock.now += 60
    limits.check("T", "U", "question", user_limit=1, space_limit=0)


def test_service_limits_chat_users_but_not_the_local_operator(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'l.db'}", questions_per_minute=2)
    service = Crosscheck(settings, Store(settings.database_url))
    chat = Requester(workspace="T", user="U")
    service.ask(chat, "is the bridge open?")
    service.search(chat, "bridge")
    with pytest.raises(RateLimited):
        service.latest(chat)
    local = Requester(workspace="T", user="cli", is_admin=True, local=True)
    for _ in range(5):
        service.ask(local, "is the bridge open?")
