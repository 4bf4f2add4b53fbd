"""Per-user and per-workspace rate limits on questions and ingests: sliding one-minute windows, thread-safe."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Literal

from bot.errors import RateLimited

Action = Literal["question", "ingest"]
_WORDS = {"question": "questions", "ingest": "articles"}


class RateLimits:
    """Counts actions per (workspace, user) and per workspace; refuses politely past the limit.

    Held in the process: behind a load balancer each replica counts its own share.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._seen: dict[tuple[str, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def _wait(self, key: tuple[str, ...], limit: int, now: float) -> int | None:
        """Seconds to wait when ``key`` is at its limit, else None."""
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] >= 60:
            seen.popleft()
        if limit > 0 and len(seen) >= limit:
            return int(60 - (now - seen[0])) + 1
        return None

    def check(self, workspace: str, user: str, action: Action, *, user_limit: int, space_limit: int) -> None:
        """Counts one action, or raises RateLimited (counting nothing) when a limit is reached; 0 means no limit."""
        now = self.clock()
        user_key, space_key = (action, workspace, user), (action, workspace)
        with self._lock:
            wait = self._wait(user_key, user_limit, now)
            if wait is not None:
                raise RateLimited(
                    f"That is {user_limit} {_WORDS[action]} from you in a minute, my limit; try again in {wait} seconds."
                )
            wait = self._wait(space_key, space_limit, now)
            if wait is not None:
                raise RateLimited(
                    f"This workspace has sent {space_limit} {_WORDS[action]} in a minute, my limit; "
                    f"try again in {wait} seconds."
                )
            self._seen[user_key].append(now)
            self._seen[space_key].append(now)
