"""What following says, as plain dataclasses (like bot.answers), and the Notifier protocol each adapter implements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.answers import ClaimView, Latest


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def who(claim: ClaimView) -> str:
    """ "Ana Petrel (Veloria)": the speaker and the side, as far as they are known."""
    speaker = claim.speaker or "Unknown speaker"
    return f"{speaker} ({claim.actor})" if claim.actor and claim.actor != claim.speaker else speaker


@dataclass(frozen=True)
class Contradiction:
    """Two statements that contradict each other: ``earlier`` was stored first, ``later`` contradicts it.

    Between two sides it is a contradiction alert; within one side's or speaker's own statements, a flip.
    """

    earlier: ClaimView
    later: ClaimView
    reason: str

    @property
    def summary(self) -> str:
        return f"{who(self.later)} contradicts {who(self.earlier)}"

    def to_json(self) -> dict[str, Any]:
        return {"earlier": self.earlier.to_json(), "later": self.later.to_json(), "reason": self.reason}


@dataclass(frozen=True)
class Notification:
    """One message for one channel: the new claims that match its subscriptions, and contradiction alerts."""

    workspace: str
    platform: str
    channel: str
    claims: tuple[ClaimView, ...] = ()
    alerts: tuple[Contradiction, ...] = ()
    topics: tuple[str, ...] = ()  # the subscriptions these answer, for the heading

    @property
    def summary(self) -> str:
        parts = []
        if self.claims:
            parts.append(f"{len(self.claims)} new statement{'s' if len(self.claims) != 1 else ''}")
        if self.alerts:
            parts.append(f"{len(self.alerts)} contradiction{'s' if len(self.alerts) != 1 else ''}")
        about = f" on {', '.join(self.topics)}" if self.topics else ""
        return " and ".join(parts) + about

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "platform": self.platform,
            "channel": self.channel,
            "summary": self.summary,
            "claims": [c.to_json() for c in self.claims],
            "alerts": [a.to_json() for a in self.alerts],
            "topics": list(self.topics),
        }


class Notifier(Protocol):
    """Posts a notification to its channel; raises when it could not (the delivery is retried later)."""

    def send(self, notification: Notification) -> None: ...


@dataclass(frozen=True)
class FollowView:
    id: int
    url: str
    every_seconds: int
    followed_by: str
    last_polled_at: datetime | None
    last_changed_at: datetime | None
    next_poll_at: datetime | None
    failures: int
    last_error: str | None
    source_id: int | None

    @property
    def summary(self) -> str:
        state = f"failing ({self.failures}×: {self.last_error})" if self.failures else "ok"
        polled = self.last_polled_at.strftime("%Y-%m-%d %H:%M") if self.last_polled_at else "not yet"
        return f"{self.id}. {self.url} every {describe_interval(self.every_seconds)} · last poll {polled} · {state}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "every_seconds": self.every_seconds,
            "followed_by": self.followed_by,
            "last_polled_at": _iso(self.last_polled_at),
            "last_changed_at": _iso(self.last_changed_at),
            "next_poll_at": _iso(self.next_poll_at),
            "failures": self.failures,
            "last_error": self.last_error,
            "source_id": self.source_id,
        }


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    channel: str
    kind: str  # "actor" | "topic" | "alerts"
    label: str
    created_by: str

    @property
    def summary(self) -> str:
        if self.kind == "alerts":
            return "every contradiction between sides"
        return f"{'side or speaker' if self.kind == 'actor' else 'topic'} “{self.label}”"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "kind": self.kind,
            "label": self.label,
            "created_by": self.created_by,
        }


@dataclass(frozen=True)
class LatestNew:
    """``latest --new``: the updates that arrived since this channel last asked."""

    latest: Latest
    since: datetime | None  # None: the channel never asked before
    more: int = 0  # further new updates not shown

    @property
    def summary(self) -> str:
        n = len(self.latest.updates)
        if not n:
            return "Nothing new since you last asked." if self.since else "Nothing stored yet."
        head = f"{n} new update{'s' if n != 1 else ''}"
        head += f" since {self.since.strftime('%Y-%m-%d %H:%M')} UTC" if self.since else " (the first time you ask)"
        return head + (f"; ask again for {self.more} more" if self.more else "") + "."

    def to_json(self) -> dict[str, Any]:
        return {**self.latest.to_json(), "since": _iso(self.since), "more": self.more, "summary": self.summary}


@dataclass(frozen=True)
class ActorTimeline:
    """A side's or speaker's statements over time, oldest first, and where a statement contradicts an earlier one."""

    name: str
    claims: tuple[ClaimView, ...]
    flips: tuple[Contradiction, ...] = ()
    older: bool = False  # there are older statements than those shown

    @property
    def summary(self) -> str:
        if not self.claims:
            return f"I have no statements of {self.name}."
        n = len(self.claims)
        flips = f", {len(self.flips)} contradicting an earlier one" if self.flips else ", no contradictions found"
        return f"{self.name}: {n} statement{'s' if n != 1 else ''} over time{flips}."

    def flips_of(self, claim_id: int) -> tuple[Contradiction, ...]:
        return tuple(f for f in self.flips if f.later.id == claim_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.name,
            "summary": self.summary,
            "claims": [c.to_json() for c in self.claims],
            "flips": [f.to_json() for f in self.flips],
            "older": self.older,
        }


def describe_interval(seconds: int) -> str:
    """300 → "5 minutes"; 3600 → "1 hour"."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
