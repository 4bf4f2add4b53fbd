"""What the benchmarks share: percentiles, and the product as they drive it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile, linearly interpolated between the closest ranks; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def unlimited_service(url: str) -> Any:
    """bot.service.Crosscheck on the store at ``url``, without its rate limits: they guard a chat bot from floods, and
    a benchmark asks hundreds of questions a minute on purpose."""
    from bot.config import Settings
    from bot.service import Crosscheck

    unlimited = {f.name: 10**9 for f in dataclasses.fields(Settings) if f.name.endswith("per_minute")}
    return Crosscheck(dataclasses.replace(Settings(database_url=url), **unlimited))
