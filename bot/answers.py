"""What the bot says, as plain dataclasses independent of any platform; adapters render them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

StanceLabel = Literal["supports", "contradicts", "neutral"]
Tier = Literal["strong", "possible"]

DISCLAIMER = "“Supports” means a side says so, not that it is verified."


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class ClaimView:
    """One stored claim as shown to users and in the CLI's JSON."""

    id: int
    text: str
    sentence: str
    kind: str
    speaker: str | None = None
    speaker_role: str | None = None
    actor: str | None = None
    cue: str | None = None
    external_id: str | None = None
    update: str | None = None
    update_time: datetime | None = None
    source_id: int | None = None
    source: str | None = None
    source_title: str | None = None
    source_url: str | None = None
    published_at: datetime | None = None

    @property
    def when(self) -> datetime | None:
        return self.update_time or self.published_at

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "actor": self.actor,
            "text": self.text,
            "sentence": self.sentence,
            "kind": self.kind,
            "cue": self.cue,
            "update": self.update,
            "update_time": _iso(self.update_time),
            "source": self.source,
            "source_id": self.source_id,
            "source_title": self.source_title,
            "published_at": _iso(self.published_at),
        }


@dataclass(frozen=True)
class Match:
    """A claim that answers a question: how well it matches, its stance and why."""

    claim: ClaimView
    score: float
    stance: StanceLabel
    reason: str
    tier: Tier
    also_in: tuple[str, ...] = ()  # other sources that carry the same statement

    def to_json(self) -> dict[str, Any]:
        return {
            **self.claim.to_json(),
            "score": round(self.score, 4),
            "stance": self.stance,
            "reason": self.reason,
            "tier": self.tier,
            "also_in": list(self.also_in),
        }


@dataclass(frozen=True)
class SideGroup:
    """One side's statements under one stance: the best few shown, the rest counted."""

    actor: str | None
    stance: StanceLabel
    matches: tuple[Match, ...]
    hidden: tuple[Match, ...] = ()  # the side's further statements: "and N more"

    @property
    def more(self) -> int:
        return len(self.hidden)

    @property
    def label(self) -> str:
        return self.actor or "Unknown side"


@dataclass(frozen=True)
class Answer:
    """The answer to a question: supporting and contradicting sides, related statements, counts first."""

    query: str
    supporting: tuple[SideGroup, ...] = ()
    contradicting: tuple[SideGroup, ...] = ()
    related: tuple[Match, ...] = ()
    mode: Literal["question", "actor"] = "question"
    note: str = DISCLAIMER

    @property
    def empty(self) -> bool:
        return not (self.supporting or self.contradicting or self.related)

    @property
    def summary(self) -> str:
        if self.empty:
            return f"I found nothing about “{self.query}”."
        if self.mode == "actor":
            shown = sum(len(g.matches) + g.more for g in self.related_groups())
            return f"Latest statements of {self.query}: {shown}."
        support = sum(g.actor is not None for g in self.supporting)
        contradict = sum(g.actor is not None for g in self.contradicting)
        parts = [f"{support} side{'s' if support != 1 else ''} support", f"{contradict} contradict"]
        if any(g.actor is None for g in self.supporting + self.contradicting):
            parts.append("some speakers' side unknown")
        if self.related:
            parts.append(f"{len(self.related)} related")
        return " · ".join(parts)

    def related_groups(self) -> tuple[SideGroup, ...]:
        return (SideGroup(actor=self.query, stance="neutral", matches=self.related),) if self.related else ()

    def to_json(self) -> dict[str, Any]:
        def flat(groups: tuple[SideGroup, ...]) -> list[dict[str, Any]]:
            return [m.to_json() for g in groups for m in g.matches + g.hidden]

        return {
            "query": self.query,
            "mode": self.mode,
            "summary": self.summary,
            "supporting": flat(self.supporting),
            "contradicting": flat(self.contradicting),
            "related": [m.to_json() for m in self.related],
            "note": self.note,
        }


@dataclass(frozen=True)
class UpdateView:
    """A live-blog update with the claims extracted from it."""

    headline: str | None
    time: datetime | None
    source_id: int
    source: str | None
    source_title: str | None
    claims: tuple[ClaimView, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "time": _iso(self.time),
            "source_id": self.source_id,
            "source": self.source,
            "source_title": self.source_title,
            "claims": [c.to_json() for c in self.claims],
        }


@dataclass(frozen=True)
class Latest:
    updates: tuple[UpdateView, ...]
    actor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "updates": [u.to_json() for u in self.updates]}


@dataclass(frozen=True)
class IngestReport:
    source_id: int
    title: str | None
    updates: int  # new or changed updates stored by this ingest
    claims: int  # claims stored by this ingest
    unchanged: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "updates": self.updates, "claims": self.claims, "title": self.title}

    @property
    def summary(self) -> str:
        if self.unchanged:
            return f"Source {self.source_id} is already stored and has not changed: nothing new."
        name = f"“{self.title}”" if self.title else f"source {self.source_id}"
        return f"Ingested {name} (source {self.source_id}): {self.updates} new updates, {self.claims} claims."


@dataclass(frozen=True)
class ImportReport:
    imported: int
    skipped: int

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "skipped": self.skipped}


@dataclass(frozen=True)
class SourceView:
    id: int
    title: str | None
    url: str | None
    name: str | None
    claims: int
    updates: int
    ingested_at: datetime | None
    ingested_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "name": self.name,
            "claims": self.claims,
            "updates": self.updates,
            "ingested_at": _iso(self.ingested_at),
            "ingested_by": self.ingested_by,
        }


@dataclass(frozen=True)
class ActorView:
    name: str | None  # None: statements whose side is unknown
    claims: int
    speakers: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.name,
            "claims": self.claims,
            "speakers": [{"speaker": s, "claims": n} for s, n in self.speakers],
        }


@dataclass(frozen=True)
class AuditView:
    at: datetime
    user: str
    action: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"at": _iso(self.at), "user": self.user, "action": self.action, "detail": self.detail}


@dataclass(frozen=True)
class FeedbackView:
    at: datetime
    user: str
    question: str
    claim_id: int | None
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": _iso(self.at),
            "user": self.user,
            "question": self.question,
            "claim_id": self.claim_id,
            "kind": self.kind,
        }
