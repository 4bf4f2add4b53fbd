"""The scheduler: polls followed sources politely, turns new claims into per-channel deliveries (matches and
contradiction alerts), and posts them in batches through each platform's Notifier — each at most once. It also
analyses again, a batch a round, the claims stored under an older version's rules."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.answers import ClaimView
from bot.errors import BadInput, CrosscheckError
from bot.follow.rules import alert_key, claim_key, contradictions, wants_alert, wants_claim
from bot.follow.views import Contradiction, Notification, Notifier
from bot.service import Crosscheck, Requester
from bot.store.following import Follow, Following, NewDelivery, Subscription, aware

log = logging.getLogger(__name__)

DEFAULT_MIN_INTERVAL = 60  # seconds: no source is polled more often, whatever an admin asks
MAX_BACKOFF = timedelta(hours=6)
TICK_SECONDS = 15.0  # how often the loop looks for due sources and pending posts
ANALYSED_PER_TICK = 2000  # stale claim analyses made again a round (~0.4 s)


def min_interval_from_env(env: Mapping[str, str] | None = None) -> int:
    """CROSSCHECK_FOLLOW_MIN_INTERVAL (seconds, default 60): the shortest polling interval allowed."""
    raw = (os.environ if env is None else env).get("CROSSCHECK_FOLLOW_MIN_INTERVAL", "").strip()
    if not raw:
        return DEFAULT_MIN_INTERVAL
    if not raw.isdigit() or int(raw) < 1:
        raise BadInput(f"CROSSCHECK_FOLLOW_MIN_INTERVAL must be a whole number of seconds, not {raw!r}.")
    return int(raw)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Polled:
    """What one poll of a followed source did: "ingested", "unchanged" (same text), "not-modified" (304), "failed"."""

    follow_id: int
    url: str
    outcome: str
    updates: int = 0
    claims: int = 0
    error: str | None = None


@dataclass
class Tick:
    polled: list[Polled] = field(default_factory=list)
    queued: int = 0  # deliveries recorded
    sent: list[Notification] = field(default_factory=list)
    analysed: int = 0  # claims whose stored analysis was made again (Store.analyse_some)


class Scheduler:
    """One per bot process or worker; several may share a database (leases and the outbox keep them apart).

    ``notifiers`` maps a platform ("slack", "discord", "cli") to the Notifier that posts there; deliveries of other
    platforms wait for the process that has one. ``clock`` is injectable so tests never sleep.
    """

    def __init__(
        self,
        service: Crosscheck,
        notifiers: Mapping[str, Notifier] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        min_interval: int | None = None,
        claims_per_message: int = 10,
        alerts_per_message: int = 3,
        claims_per_tick: int = 200,
    ) -> None:
        self.service = service
        self.following = Following(service.store)
        self.notifiers = dict(notifiers or {})
        self.clock = clock
        self.min_interval = min_interval if min_interval is not None else min_interval_from_env()
        self.claims_per_message = claims_per_message
        self.alerts_per_message = alerts_per_message
        self.claims_per_tick = claims_per_tick
        # claims stored by other rules (an older version's) are analysed again, a batch a round, from the first id
        self._analysed_after: int | None = 0

    # ---- the loop ------------------------------------------------------------------------------------------

    def tick(self) -> Tick:
        """One round: poll what is due, check the new claims, post what is pending."""
        report = Tick()
        report.polled = self.poll_due()
        report.queued = self.check_new_claims()
        report.sent = self.dispatch()
        report.analysed = self.analyse_stale()
        return report

    def analyse_stale(self) -> int:
        """One batch of the claims whose stored analysis other rules made (bot.match.analysis), until none is left:
        their questions are answered the same meanwhile, only slower. New claims are analysed as they are stored."""
        if self._analysed_after is None:
            return 0
        count, after = self.service.store.analyse_some(self._analysed_after, ANALYSED_PER_TICK)
        self._analysed_after = after if count == ANALYSED_PER_TICK else None
        if count:
            log.info("analyse: %d claims analysed again under the current rules", count)
        return count

    def run(self, stop: threading.Event, every: float = TICK_SECONDS) -> None:
        """Ticks until ``stop`` is set; an error in one round is logged and the next round runs."""
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # the loop outlives any one bad round: a bot runs for weeks
                log.exception("follow: a scheduler round failed")
            stop.wait(every)

    def start(self, every: float = TICK_SECONDS) -> Callable[[], None]:
        """Runs the loop in a daemon thread (inside `serve slack|discord`); returns the function that stops it."""
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop, every), name="crosscheck-follow", daemon=True)
        thread.start()

        def stopper() -> None:
            stop.set()
            thread.join(timeout=30)

        return stopper

    # ---- polling -------------------------------------------------------------------------------------------

    def poll_due(self) -> list[Polled]:
        now = self.clock()
        return [p for follow in self.following.due(now) if (p := self.poll(follow, now)) is not None]

    def poll(self, follow: Follow, now: datetime) -> Polled | None:
        """Polls one due source; None when another process took it first."""
        from bot.ingest import LoadPolicy, parse
        from bot.ingest.load import fetch

        every = timedelta(seconds=max(follow.every_seconds, self.min_interval))
        if not self.following.lease(follow, now, now + every):
            return None
        settings = self.service.settings
        policy = LoadPolicy(
            max_bytes=settings.max_article_bytes,
            timeout=settings.fetch_timeout,
            allow_private=settings.allow_private_urls,
            allow_files=False,  # a followed "URL" is never a path on this machine
        )
        headers = {}
        if follow.etag:
            headers["If-None-Match"] = follow.etag
        if follow.last_modified:
            headers["If-Modified-Since"] = follow.last_modified
        try:
            loaded = fetch(follow.url, policy, headers)
            if loaded.status == 304:
                self._polled(follow, now, every, changed=False, validators=loaded.headers, source_id=None)
                return Polled(follow.id, follow.url, "not-modified")
            system = Requester(
                workspace=follow.workspace, user=f"follow/{follow.followed_by}"[:128], is_admin=True, local=True
            )
            report = self.service.ingest_document(system, parse(loaded))
        except CrosscheckError as error:
            return self._failed(follow, now, every, str(error))
        except Exception as error:  # a parser or database surprise must not stop the other sources
            log.exception("follow: polling %s failed", follow.url)
            return self._failed(follow, now, every, f"an internal error ({type(error).__name__})")
        self._polled(
            follow, now, every, changed=not report.unchanged, validators=loaded.headers, source_id=report.source_id
        )
        outcome = "unchanged" if report.unchanged else "ingested"
        log.info("follow: %s %s updates=%d claims=%d", follow.url, outcome, report.updates, report.claims)
        return Polled(follow.id, follow.url, outcome, report.updates, report.claims)

    def _polled(
        self,
        follow: Follow,
        now: datetime,
        every: timedelta,
        *,
        changed: bool,
        validators: Mapping[str, str],
        source_id: int | None,
    ) -> None:
        self.following.polled(
            follow.id,
            now=now,
            next_poll_at=now + every,
            changed=changed,
            etag=validators.get("etag"),
            last_modified=validators.get("last-modified"),
            source_id=source_id,
        )

    def _failed(self, follow: Follow, now: datetime, every: timedelta, error: str) -> Polled:
        failures = self.following.failed(follow.id, now=now, error=error, delay=every, cap=max(MAX_BACKOFF, every))
        log.warning("follow: polling %s failed (%d in a row): %s", follow.url, failures, error)
        return Polled(follow.id, follow.url, "failed", error=error)

    # ---- new claims → deliveries ---------------------------------------------------------------------------

    def check_new_claims(self) -> int:
        """Matches each workspace's new claims against its subscriptions; returns how many deliveries were queued."""
        queued = 0
        for workspace in self.following.subscribed_workspaces():
            queued += self._check_workspace(workspace)
        return queued

    def _check_workspace(self, workspace: str) -> int:
        subscriptions = self.following.subscriptions(workspace)
        since = self.following.cursor(workspace) or self.following.first_subscription_at(workspace)
        if since is None:
            return 0
        rows = self.following.unchecked_claims(workspace, since, self.claims_per_tick)
        views = self.service.store.claims_by_id(workspace, [i for i, _ in rows])
        deliveries: list[NewDelivery] = []
        for claim_id, created_at in rows:
            claim = views.get(claim_id)
            # a subscription gets only what arrived after it was made
            eligible = [s for s in subscriptions if (aware(s.created_at) or created_at) <= created_at]
            if claim is None or not eligible:
                continue
            for s in eligible:
                if wants_claim(s.kind, s.value, claim):
                    deliveries.append(self._delivery(s, claim_key(claim), "claim", claim.id))
            for alert in self._alerts(workspace, claim):
                for s in eligible:
                    if wants_alert(s.kind, s.value, alert):
                        key = alert_key(alert.earlier, alert.later)
                        deliveries.append(self._delivery(s, key, "alert", claim.id, alert.earlier.id, alert.reason))
        return self.following.record_checked(workspace, rows, deliveries)

    def _alerts(self, workspace: str, claim: ClaimView) -> list[Contradiction]:
        threshold = self.service.settings.strong_threshold
        return contradictions(
            self.service.store, workspace, claim, threshold=threshold, candidates=self.service.settings.candidates
        )

    @staticmethod
    def _delivery(
        s: Subscription, key: str, kind: str, claim_id: int, other: int | None = None, reason: str | None = None
    ) -> NewDelivery:
        return NewDelivery(s.workspace, s.platform, s.channel, s.id, key, kind, claim_id, other, reason)

    # ---- posting -------------------------------------------------------------------------------------------

    def dispatch(self) -> list[Notification]:
        """Posts each channel's pending deliveries in batches, through the notifier of its platform."""
        sent: list[Notification] = []
        for platform, notifier in self.notifiers.items():
            for workspace, channel in self.following.pending_channels(platform):
                sent.extend(self._dispatch_channel(notifier, workspace, platform, channel))
        return sent

    def _dispatch_channel(self, notifier: Notifier, workspace: str, platform: str, channel: str) -> list[Notification]:
        sent: list[Notification] = []
        labels = {s.id: s.label for s in self.following.subscriptions(workspace, platform, channel)}
        while True:
            taken = self.following.take(workspace, platform, channel, self.claims_per_message, self.alerts_per_message)
            if not taken:
                return sent
            ids = [d.id for d in taken]
            views = self.service.store.claims_by_id(
                workspace, [i for d in taken for i in (d.claim_id, d.other_claim_id) if i is not None]
            )
            claims = tuple(views[d.claim_id] for d in taken if d.kind == "claim" and d.claim_id in views)
            alerts = tuple(
                Contradiction(earlier=views[d.other_claim_id], later=views[d.claim_id], reason=d.reason or "")
                for d in taken
                if d.kind == "alert" and d.claim_id in views and d.other_claim_id in views
            )
            if not claims and not alerts:  # the claims were forgotten in the meantime: nothing left to say
                self.following.finish(ids, sent=True, now=self.clock())
                continue
            topics = tuple(dict.fromkeys(labels[d.subscription_id] for d in taken if d.subscription_id in labels))
            notification = Notification(workspace, platform, channel, claims=claims, alerts=alerts, topics=topics)
            try:
                notifier.send(notification)
            except Exception:
                log.exception("follow: posting to %s %s failed; it will be tried again", platform, channel)
                self.following.finish(ids, sent=False, now=self.clock())
                return sent
            self.following.finish(ids, sent=True, now=self.clock())
            sent.append(notification)
