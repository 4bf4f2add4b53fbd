"""The scheduler against a live blog on loopback: what is ingested, what each channel is sent (batched), contradiction
alerts, conditional requests, backoff, the minimum interval, and nothing posted twice after a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from liveblog import ADMIN, MEMBER, STAGES, Clock, LiveBlog, RecordingNotifier, make_service
from sqlalchemy import func, select, update

import bot.follow.scheduler as scheduler_module
from bot.errors import BadInput, NotAllowed, NotFound
from bot.follow.scheduler import Scheduler
from bot.match.analysis import VERSION
from bot.service import Crosscheck
from bot.store.following import Following
from bot.store.models import ClaimAnalysis


def _subscribe_all(service: Crosscheck) -> None:
    service.subscribe(MEMBER, "slack", "C-side", "side:Northland")
    service.subscribe(MEMBER, "slack", "C-topic", 'topic:"troop withdrawal"')
    service.subscribe(MEMBER, "slack", "C-alerts", "alerts")
    service.subscribe(MEMBER, "slack", "C-festival", 'topic:"harvest festival"')


def test_a_growing_live_blog_is_ingested_once_and_each_channel_gets_one_batch_per_round(
    service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    _subscribe_all(service)
    scheduler = Scheduler(service, {"slack": notifier}, clock=clock)

    first = scheduler.tick()
    assert [p.outcome for p in first.polled] == ["ingested"]
    northland = notifier.to("C-side")
    assert len(northland) == 1  # one message holding every new Northland statement, not one per claim
    assert len(northland[0].claims) >= 2
    assert {c.actor for c in northland[0].claims} == {"Northland"}
    assert northland[0].topics == ("Northland",)
    assert notifier.to("C-alerts") == []  # one side only so far: nothing to contradict
    assert notifier.to("C-festival") == []
    assert len(notifier.to("C-topic")) == 1
    claims_before = len(service.claims(ADMIN))

    # not due yet: no request at all
    requests = len(blog.requests)
    clock.advance(minutes=2)
    assert scheduler.tick().polled == []
    assert len(blog.requests) == requests

    blog.stage = 1
    clock.advance(minutes=4)
    second = scheduler.tick()
    assert [(p.outcome, p.updates) for p in second.polled] == [("ingested", 1)]  # only the new update
    stored = service.claims(ADMIN)
    assert len(stored) > claims_before
    assert len({(c.speaker, c.text) for c in stored}) == len(stored)  # no claim stored twice

    alerts = notifier.to("C-alerts")
    assert len(alerts) == 1 and alerts[0].claims == ()
    pairs = alerts[0].alerts
    assert pairs, "the Southland denial contradicts the stored Northland statements"
    for alert in pairs:
        assert alert.earlier.actor == "Northland" and alert.later.actor == "Southland"
        assert alert.earlier.speaker and alert.later.speaker and alert.reason
        assert alert.earlier.source == blog.url and alert.later.when is not None
    # a channel following Northland hears when someone contradicts it, without the other side's plain statements
    assert [n.alerts for n in notifier.to("C-side")[1:]] == [pairs]
    assert notifier.to("C-side")[1].claims == ()

    blog.stage = 2
    clock.advance(minutes=5)
    scheduler.tick()
    festival = notifier.to("C-festival")
    assert len(festival) == 1 and [c.speaker for c in festival[0].claims] == ["Pell Hanra"]
    assert len(notifier.to("C-alerts")) == 1  # a festival is no contradiction


def test_a_pair_is_alerted_once_and_the_same_side_never(
    service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    service.subscribe(MEMBER, "discord", "42", "alerts")
    scheduler = Scheduler(service, {"discord": notifier}, clock=clock)
    for stage in range(len(STAGES)):
        blog.stage = stage
        scheduler.tick()
        clock.advance(minutes=5)
    keys = [(a.earlier.id, a.later.id) for n in notifier.sent for a in n.alerts]
    assert keys and len(keys) == len(set(keys))
    assert all(a.earlier.actor != a.later.actor for n in notifier.sent for a in n.alerts)
    assert len(Following(service.store).deliveries("T1")) == len(keys)


def test_nothing_is_posted_twice_after_a_restart(
    db_path: Path, service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    _subscribe_all(service)
    Scheduler(service, {"slack": notifier}, clock=clock).tick()
    posted = len(notifier.sent)
    assert posted >= 2

    # the process restarts: a new service and scheduler on the same SQLite file, the page unchanged
    again = make_service(db_path)
    try:
        clock.advance(minutes=5)
        restarted = Scheduler(again, {"slack": notifier}, clock=clock)
        report = restarted.tick()
        assert [p.outcome for p in report.polled] == ["not-modified"]
        assert report.queued == 0 and report.sent == []
        assert len(notifier.sent) == posted
        # even re-reading the whole page (no validators) adds nothing new to post
        blog.stage = 0
        with again.store.transaction() as session:
            from bot.store.following import Follow

            for f in session.query(Follow):
                f.etag = f.last_modified = None
        clock.advance(minutes=5)
        report = restarted.tick()
        assert [p.outcome for p in report.polled] == ["unchanged"] and report.sent == []
        assert len(notifier.sent) == posted
    finally:
        again.store.close()


def test_a_post_that_was_claimed_when_the_process_died_is_not_posted_again(
    db_path: Path, service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    service.subscribe(MEMBER, "slack", "C-side", "side:Northland")
    first = Scheduler(service, {}, clock=clock)  # no notifier: the deliveries wait in the outbox
    first.tick()
    following = Following(service.store)
    pending = [d for d in following.deliveries("T1") if d.status == "pending"]
    assert pending
    # a poster took them (committed as "sending") and died before it could post or record the result
    taken = following.take("T1", "slack", "C-side", claims=100, alerts=100)
    assert {d.id for d in taken} == {d.id for d in pending}
    again = make_service(db_path)
    try:
        Scheduler(again, {"slack": notifier}, clock=clock).tick()
        assert notifier.sent == []  # at most once: a lost post rather than a repeated one
    finally:
        again.store.close()


def test_a_failed_post_is_retried_and_then_sent_once(
    service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    service.subscribe(MEMBER, "slack", "C-side", "side:Northland")
    notifier.fail = 1
    scheduler = Scheduler(service, {"slack": notifier}, clock=clock)
    assert scheduler.tick().sent == []
    assert {d.status for d in Following(service.store).deliveries("T1")} == {"pending"}
    clock.advance(seconds=15)
    assert len(scheduler.tick().sent) == 1
    assert len(scheduler.tick().sent) == 0
    assert {d.status for d in Following(service.store).deliveries("T1")} == {"sent"}


def test_conditional_requests_carry_the_validators_and_a_304_ingests_nothing(
    service: Crosscheck, blog: LiveBlog, clock: Clock
) -> None:
    service.follow(ADMIN, blog.url, "1m")
    scheduler = Scheduler(service, {}, clock=clock)
    scheduler.tick()
    assert "if-none-match" not in blog.requests[0]
    clock.advance(minutes=1)
    report = scheduler.tick()
    assert [p.outcome for p in report.polled] == ["not-modified"]
    assert blog.requests[-1]["if-none-match"] == blog.etag()
    assert blog.requests[-1]["if-modified-since"] == blog.last_modified()
    assert len(service.sources(ADMIN)) == 1


def test_failures_back_off_exponentially_and_a_success_resets(
    service: Crosscheck, blog: LiveBlog, clock: Clock
) -> None:
    service.follow(ADMIN, blog.url, "1m")
    scheduler = Scheduler(service, {}, clock=clock)
    following = Following(service.store)
    blog.fail_next = ["500", "timeout", "500"]
    waits = []
    for attempt in range(3):
        if waits:
            clock.now += waits[-1]  # the moment the backoff allows the next poll
        polled = scheduler.tick().polled
        assert [p.outcome for p in polled] == ["failed"], attempt
        (follow,) = following.follows("T1")
        waits.append(follow.next_poll_at.replace(tzinfo=None) - clock.now.replace(tzinfo=None))
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    (follow,) = following.follows("T1")
    assert follow.failures == 3 and "500" in (follow.last_error or "")
    # between the retries nothing is requested: the backoff is honoured
    requests = len(blog.requests)
    clock.advance(minutes=3)
    assert scheduler.tick().polled == [] and len(blog.requests) == requests
    clock.advance(minutes=1)
    assert [p.outcome for p in scheduler.tick().polled] == ["ingested"]
    (follow,) = following.follows("T1")
    assert follow.failures == 0 and follow.last_error is None
    assert service.followed(ADMIN)[0].failures == 0


def test_the_minimum_interval_is_enforced(service: Crosscheck, blog: LiveBlog, clock: Clock) -> None:
    with pytest.raises(BadInput, match="at most every 1 minute"):
        service.follow(ADMIN, blog.url, "30s")
    service.follow(ADMIN, blog.url, "1m")
    scheduler = Scheduler(service, {}, clock=clock, min_interval=300)  # an operator raised the floor since
    scheduler.tick()
    clock.advance(minutes=2)
    assert scheduler.tick().polled == []
    clock.advance(minutes=3)
    assert len(scheduler.tick().polled) == 1


def test_only_admins_follow_and_unfollow_and_members_subscribe(service: Crosscheck, blog: LiveBlog) -> None:
    with pytest.raises(NotAllowed):
        service.follow(MEMBER, blog.url, "5m")
    view, new = service.follow(ADMIN, blog.url, "5m")
    assert new and view.every_seconds == 300
    again, new = service.follow(ADMIN, blog.url, "10m")
    assert not new and again.id == view.id and again.every_seconds == 600
    with pytest.raises(NotAllowed):
        service.unfollow(MEMBER, blog.url)
    with pytest.raises(BadInput, match="http or https"):
        service.follow(ADMIN, "/etc/passwd", "5m")
    subscription, new = service.subscribe(MEMBER, "slack", "C1", 'topic:"troop withdrawal"')
    assert new and subscription.kind == "topic"
    assert service.subscribe(MEMBER, "slack", "C1", 'topic:"Troop withdrawal"')[1] is False
    assert [s.label for s in service.subscriptions(MEMBER, "slack", "C1")] == ["troop withdrawal"]
    assert service.unfollow(ADMIN, str(view.id)) == blog.url
    with pytest.raises(NotFound):
        service.unfollow(ADMIN, blog.url)
    assert service.unsubscribe(MEMBER, "slack", "C1", 'topic:"troop withdrawal"') == 1
    with pytest.raises(NotFound):
        service.unsubscribe(MEMBER, "slack", "C1", "alerts")
    assert [e.action for e in service.audit(ADMIN)][:3] == ["unfollow", "follow", "follow"]


def test_a_subscription_gets_only_what_arrives_after_it(
    service: Crosscheck, blog: LiveBlog, clock: Clock, notifier: RecordingNotifier
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    scheduler = Scheduler(service, {"slack": notifier}, clock=clock)
    scheduler.tick()  # Northland's statements are stored before anyone subscribes
    service.subscribe(MEMBER, "slack", "C-side", "Northland")  # a known side, named bare
    assert service.subscriptions(MEMBER, "slack", "C-side")[0].kind == "actor"
    clock.advance(minutes=5)
    scheduler.tick()
    assert notifier.sent == []
    blog.stage = 1
    clock.advance(minutes=5)
    scheduler.tick()
    # Southland's denial is no Northland statement, but it contradicts Northland: an alert, and only that
    assert len(notifier.sent) == 1 and notifier.sent[0].claims == () and notifier.sent[0].alerts


def test_claims_analysed_under_other_rules_are_analysed_again_a_batch_a_round(
    service: Crosscheck, blog: LiveBlog, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.follow(ADMIN, blog.url, "5m")
    scheduler = Scheduler(service, {}, clock=clock)
    first = scheduler.tick()
    assert first.polled[0].claims == 3 and first.analysed == 0  # stored with their analyses
    store = service.store
    with store.transaction() as session:  # as an older version's rules would have left them
        session.execute(update(ClaimAnalysis).values(version="older-rules"))
        stale = session.scalar(select(func.count()).select_from(ClaimAnalysis))
    monkeypatch.setattr(scheduler_module, "ANALYSED_PER_TICK", 2)
    scheduler = Scheduler(service, {}, clock=clock)  # a bot started on the new version
    rounds = [scheduler.tick().analysed for _ in range(stale // 2 + 2)]
    assert sum(rounds) == stale and rounds[-1] == 0 and set(rounds[: stale // 2]) == {2}
    with store.transaction(write=False) as session:
        assert set(session.scalars(select(ClaimAnalysis.version))) == {VERSION}
