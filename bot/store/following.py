"""Followed sources, channel subscriptions, the delivery outbox and per-channel marks: models and their queries.

The tables live on the store's own ``Base`` (so first use and the migrations create them with the rest); every row
belongs to a workspace and no query crosses workspaces.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from bot.answers import UpdateView
from bot.errors import NotFound
from bot.store.models import Base, Claim, Source, Update, utcnow
from bot.store.store import Store

# claims are scanned again this far behind the cursor: on PostgreSQL a transaction can commit after a later one, so
# a claim stamped earlier may become visible late (the checked set keeps them from being handled twice)
LOOKBACK = timedelta(minutes=10)
_ENSURED: weakref.WeakSet[Store] = weakref.WeakSet()  # stores whose tables were checked
MAX_ATTEMPTS = 5  # a delivery whose posting failed this often is given up (logged, not retried)


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive date-times; every time this module stores is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Follow(Base):
    """A source an admin follows: polled every ``every_seconds``, politely (validators, backoff)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("workspace", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    every_seconds: Mapped[int] = mapped_column(Integer)
    followed_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_poll_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))


class Subscription(Base):
    """A channel's interest: a side or speaker (``actor``), a ``topic``, or every contradiction (``alerts``)."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("workspace", "platform", "channel", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(256))  # lower-cased, for matching
    label: Mapped[str] = mapped_column(String(256))  # as the user wrote it (or the stored name), for showing
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Delivery(Base):
    """The outbox: one row per channel and claim (or contradiction pair), recorded before it is posted.

    Unique per channel and key, so a restarted or second scheduler can never post the same thing there twice.
    Status: pending → sending (claimed by one poster, committed before posting) → sent | failed.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("workspace", "platform", "channel", "key"),
        Index("ix_deliveries_pending", "platform", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(128))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(8))  # "claim" | "alert"
    claim_id: Mapped[int] = mapped_column(Integer)
    other_claim_id: Mapped[int | None] = mapped_column(Integer)  # an alert's earlier, stored claim
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    token: Mapped[str | None] = mapped_column(String(32))  # which poster claimed it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CheckedClaim(Base):
    """A claim the scheduler has matched against the subscriptions and checked for contradictions."""

    __tablename__ = "checked_claims"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    claim_created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class FollowCursor(Base):
    """How far a workspace's new claims have been checked (claims' own ``created_at``)."""

    __tablename__ = "follow_cursors"

    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    checked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelMark(Base):
    """When a channel last asked for ``latest --new``: updates added after it are new to that channel."""

    __tablename__ = "channel_marks"

    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


TABLES = [
    Base.metadata.tables[t]
    for t in ("follows", "subscriptions", "deliveries", "checked_claims", "follow_cursors", "channel_marks")
]


@dataclass(frozen=True)
class NewDelivery:
    workspace: str
    platform: str
    channel: str
    subscription_id: int
    key: str
    kind: str
    claim_id: int
    other_claim_id: int | None = None
    reason: str | None = None


class Following:
    """The queries of following and subscriptions, over one ``Store``'s database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        if store not in _ENSURED:
            # a database stamped before these tables existed gets them here too (the migration does the same)
            Base.metadata.create_all(store.engine, tables=TABLES, checkfirst=True)
            _ENSURED.add(store)

    def _insert(self) -> Any:
        return sqlite_insert if self.store.dialect == "sqlite" else postgres_insert

    # ---- follows -------------------------------------------------------------------------------------------

    def add_follow(self, workspace: str, user: str, url: str, every_seconds: int, now: datetime) -> tuple[Follow, bool]:
        """Follows ``url`` (due at once); following it again changes the interval. Returns (follow, new)."""
        with self.store.transaction() as session:
            found = session.scalar(select(Follow).where(Follow.workspace == workspace, Follow.url == url))
            if found is not None:
                found.every_seconds = every_seconds
                found.next_poll_at = min(aware(found.next_poll_at) or now, now + timedelta(seconds=every_seconds))
                self.store._audit(session, workspace, user, "follow", f"{url} every {every_seconds}s")
                return found, False
            follow = Follow(
                workspace=workspace,
                url=url,
                every_seconds=every_seconds,
                followed_by=user,
                next_poll_at=now,
                failures=0,
            )
            session.add(follow)
            self.store._audit(session, workspace, user, "follow", f"{url} every {every_seconds}s")
            session.flush()
            return follow, True

    def remove_follow(self, workspace: str, user: str, what: str) -> str:
        """Stops following a URL or follow id; the claims already stored stay. Returns the URL."""
        with self.store.transaction() as session:
            query = select(Follow).where(Follow.workspace == workspace)
            found = session.scalar(
                query.where(Follow.id == int(what)) if what.isdigit() else query.where(Follow.url == what)
            )
            if found is None:
                raise NotFound(f"This workspace does not follow {what}; `following` lists what it follows.")
            url = found.url
            session.delete(found)
            self.store._audit(session, workspace, user, "unfollow", url)
            return url

    def follows(self, workspace: str) -> list[Follow]:
        with self.store.transaction(write=False) as session:
            return list(session.scalars(select(Follow).where(Follow.workspace == workspace).order_by(Follow.id)))

    def due(self, now: datetime, limit: int = 20) -> list[Follow]:
        """Follows whose time has come, in every workspace, the longest waiting first."""
        with self.store.transaction(write=False) as session:
            query = select(Follow).where(Follow.next_poll_at <= now).order_by(Follow.next_poll_at, Follow.id)
            return list(session.scalars(query.limit(limit)))

    def lease(self, follow: Follow, now: datetime, until: datetime) -> bool:
        """Takes a due follow for this poller: its next poll moves to ``until`` unless another process took it."""
        with self.store.transaction() as session:
            taken = session.execute(
                update(Follow)
                .where(Follow.id == follow.id, Follow.next_poll_at <= now)
                .values(next_poll_at=until)
                .execution_options(synchronize_session=False)
            )
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def polled(
        self,
        follow_id: int,
        *,
        now: datetime,
        next_poll_at: datetime,
        changed: bool,
        etag: str | None,
        last_modified: str | None,
        source_id: int | None,
    ) -> None:
        with self.store.transaction() as session:
            follow = session.get(Follow, follow_id)
            if follow is None:  # unfollowed while it was being polled
                return
            follow.last_polled_at, follow.next_poll_at = now, next_poll_at
            follow.failures, follow.last_error = 0, None
            follow.etag = etag or follow.etag
            follow.last_modified = last_modified or follow.last_modified
            if changed:
                follow.last_changed_at = now
            if source_id is not None:
                follow.source_id = source_id

    def failed(self, follow_id: int, *, now: datetime, error: str, delay: timedelta, cap: timedelta) -> int:
        """Records a failed poll and backs off: ``delay`` doubled for each failure in a row, at most ``cap``.
        Returns how many polls in a row have failed."""
        with self.store.transaction() as session:
            follow = session.get(Follow, follow_id)
            if follow is None:
                return 0
            follow.failures = (follow.failures or 0) + 1
            follow.last_polled_at, follow.last_error = now, error[:2000]
            follow.next_poll_at = now + min(delay * (2 ** min(follow.failures - 1, 20)), cap)
            return follow.failures

    # ---- subscriptions -------------------------------------------------------------------------------------

    def subscribe(
        self, workspace: str, platform: str, channel: str, user: str, kind: str, value: str, label: str
    ) -> tuple[Subscription, bool]:
        with self.store.transaction() as session:
            query = select(Subscription).where(
                Subscription.workspace == workspace,
                Subscription.platform == platform,
                Subscription.channel == channel,
                Subscription.kind == kind,
                Subscription.value == value,
            )
            found = session.scalar(query)
            if found is not None:
                return found, False
            subscription = Subscription(
                workspace=workspace,
                platform=platform,
                channel=channel,
                kind=kind,
                value=value,
                label=label,
                created_by=user,
            )
            session.add(subscription)
            session.flush()
            return subscription, True

    def unsubscribe(self, workspace: str, platform: str, channel: str, kind: str | None, value: str | None) -> int:
        """Removes a channel's matching subscriptions (all of them when ``kind`` is None) with their pending posts."""
        with self.store.transaction() as session:
            query = select(Subscription.id).where(
                Subscription.workspace == workspace, Subscription.platform == platform, Subscription.channel == channel
            )
            if kind is not None:
                query = query.where(Subscription.kind == kind, Subscription.value == value)
            ids = list(session.scalars(query))
            if not ids:
                return 0
            session.execute(delete(Delivery).where(Delivery.subscription_id.in_(ids)))
            session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
            return len(ids)

    def subscriptions(
        self, workspace: str, platform: str | None = None, channel: str | None = None
    ) -> list[Subscription]:
        with self.store.transaction(write=False) as session:
            query = select(Subscription).where(Subscription.workspace == workspace)
            if platform is not None:
                query = query.where(Subscription.platform == platform)
            if channel is not None:
                query = query.where(Subscription.channel == channel)
            return list(session.scalars(query.order_by(Subscription.id)))

    def subscribed_workspaces(self) -> list[str]:
        with self.store.transaction(write=False) as session:
            return list(session.scalars(select(Subscription.workspace).distinct().order_by(Subscription.workspace)))

    # ---- new claims ----------------------------------------------------------------------------------------

    def unchecked_claims(self, workspace: str, since: datetime, limit: int) -> list[tuple[int, datetime]]:
        """Claims stored after ``since`` (less the look-back) that were not checked yet: (id, created_at), oldest first."""
        with self.store.transaction(write=False) as session:
            checked = select(CheckedClaim.claim_id).where(CheckedClaim.claim_id == Claim.id)
            rows = session.execute(
                select(Claim.id, Claim.created_at)
                .where(Claim.workspace == workspace, Claim.created_at > since - LOOKBACK, ~checked.exists())
                .order_by(Claim.created_at, Claim.id)
                .limit(limit)
            ).all()
            return [(int(i), aware(at) or since) for i, at in rows]

    def cursor(self, workspace: str) -> datetime | None:
        with self.store.transaction(write=False) as session:
            row = session.get(FollowCursor, workspace)
            return aware(row.checked_until) if row is not None else None

    def first_subscription_at(self, workspace: str) -> datetime | None:
        with self.store.transaction(write=False) as session:
            return aware(
                session.scalar(select(func.min(Subscription.created_at)).where(Subscription.workspace == workspace))
            )

    def record_checked(
        self, workspace: str, claims: Sequence[tuple[int, datetime]], deliveries: Iterable[NewDelivery]
    ) -> int:
        """In one transaction: the deliveries (a key already recorded for a channel is skipped), the claims marked
        checked, and the cursor moved on. Returns how many deliveries were new."""
        insert = self._insert()
        added = 0
        with self.store.transaction() as session:
            for d in deliveries:
                result = session.execute(
                    insert(Delivery)
                    .values(
                        workspace=d.workspace,
                        platform=d.platform,
                        channel=d.channel,
                        subscription_id=d.subscription_id,
                        key=d.key,
                        kind=d.kind,
                        claim_id=d.claim_id,
                        other_claim_id=d.other_claim_id,
                        reason=d.reason,
                        status="pending",
                        attempts=0,
                        created_at=utcnow(),
                    )
                    .on_conflict_do_nothing(index_elements=["workspace", "platform", "channel", "key"])
                )
                added += result.rowcount or 0  # type: ignore[attr-defined]
            for claim_id, created_at in claims:
                session.execute(
                    insert(CheckedClaim)
                    .values(claim_id=claim_id, workspace=workspace, claim_created_at=created_at)
                    .on_conflict_do_nothing(index_elements=["claim_id"])
                )
            newest = max((at for _, at in claims), default=None)
            row = session.get(FollowCursor, workspace)
            if row is None:
                session.add(FollowCursor(workspace=workspace, checked_until=newest or utcnow()))
            elif newest is not None and newest > (aware(row.checked_until) or newest):
                row.checked_until = newest
            if newest is not None:  # checked marks older than the look-back window are never consulted again
                session.execute(
                    delete(CheckedClaim).where(
                        CheckedClaim.workspace == workspace, CheckedClaim.claim_created_at < newest - 2 * LOOKBACK
                    )
                )
        return added

    # ---- the outbox ----------------------------------------------------------------------------------------

    def pending_channels(self, platform: str) -> list[tuple[str, str]]:
        with self.store.transaction(write=False) as session:
            rows = session.execute(
                select(Delivery.workspace, Delivery.channel)
                .where(Delivery.platform == platform, Delivery.status == "pending")
                .distinct()
                .order_by(Delivery.workspace, Delivery.channel)
            ).all()
            return [(w, c) for w, c in rows]

    def take(self, workspace: str, platform: str, channel: str, claims: int, alerts: int) -> list[Delivery]:
        """Claims up to ``claims`` + ``alerts`` pending deliveries of one channel for this poster, committed as
        "sending" before anything is posted: a crash afterwards can lose a post, never repeat it."""
        token = uuid.uuid4().hex
        with self.store.transaction() as session:
            base = select(Delivery.id).where(
                Delivery.workspace == workspace,
                Delivery.platform == platform,
                Delivery.channel == channel,
                Delivery.status == "pending",
            )
            ids = list(session.scalars(base.where(Delivery.kind == "alert").order_by(Delivery.id).limit(alerts)))
            ids += list(session.scalars(base.where(Delivery.kind == "claim").order_by(Delivery.id).limit(claims)))
            if not ids:
                return []
            session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids), Delivery.status == "pending")
                .values(status="sending", token=token, attempts=Delivery.attempts + 1)
                .execution_options(synchronize_session=False)
            )
        with self.store.transaction(write=False) as session:
            return list(session.scalars(select(Delivery).where(Delivery.token == token).order_by(Delivery.id)))

    def finish(self, ids: Sequence[int], *, sent: bool, now: datetime) -> None:
        """After posting: sent; or, when posting failed, pending again (given up after MAX_ATTEMPTS)."""
        if not ids:
            return
        with self.store.transaction() as session:
            if sent:
                session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(list(ids)))
                    .values(status="sent", sent_at=now)
                    .execution_options(synchronize_session=False)
                )
                return
            for row in session.scalars(select(Delivery).where(Delivery.id.in_(list(ids)))):
                row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
                row.token = None

    def deliveries(self, workspace: str) -> list[Delivery]:
        with self.store.transaction(write=False) as session:
            return list(session.scalars(select(Delivery).where(Delivery.workspace == workspace).order_by(Delivery.id)))

    # ---- latest --new --------------------------------------------------------------------------------------

    def new_updates(
        self, workspace: str, platform: str, channel: str, *, limit: int, first_since: datetime
    ) -> tuple[list[UpdateView], int, datetime | None]:
        """Updates added since the channel last asked (``first_since`` the first time), oldest first, and the mark
        moved past them. Returns (updates shown, how many more are waiting, the previous mark)."""
        with self.store.transaction() as session:
            mark = session.get(ChannelMark, (workspace, platform, channel))
            since: datetime = (aware(mark.seen_until) if mark is not None else None) or first_since
            query = (
                select(Update, Source)
                .join(Source, Source.id == Update.source_id)
                .where(Update.workspace == workspace, Update.added_at > since)
            )
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            # oldest first, and the mark moves only past what was shown: asking again pages through the rest
            rows = session.execute(query.order_by(Update.added_at, Update.id).limit(limit)).all()
            newest = max((aware(u.added_at) or since for u, _ in rows), default=None)
            if mark is None:
                session.add(
                    ChannelMark(workspace=workspace, platform=platform, channel=channel, seen_until=newest or since)
                )
            elif newest is not None:
                mark.seen_until = newest
            claim_ids = {
                u.id: list(
                    session.scalars(select(Claim.id).where(Claim.update_id == u.id).order_by(Claim.start, Claim.id))
                )
                for u, _ in rows
            }
        views = self.store.claims_by_id(workspace, [i for ids in claim_ids.values() for i in ids])
        updates = [
            UpdateView(
                headline=u.headline,
                time=aware(u.time or s.published_at),
                source_id=s.id,
                source=s.url or s.name,
                source_title=s.title,
                claims=tuple(views[i] for i in claim_ids[u.id] if i in views),
            )
            for u, s in rows
        ]
        return updates, max(0, total - len(rows)), since if mark is not None else None
