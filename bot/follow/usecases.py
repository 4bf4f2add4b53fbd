"""The use cases of following behind bot.service's methods: follow, subscribe, latest --new, an actor's timeline.

The service checks permissions and limits, then calls these with its store; they return bot.follow.views objects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.answers import Latest
from bot.errors import BadInput, NotFound
from bot.follow.rules import flips, parse_interval, parse_subscription
from bot.follow.views import ActorTimeline, FollowView, LatestNew, SubscriptionView
from bot.store import Store
from bot.store.following import Follow, Following, Subscription, aware

MAX_SUBSCRIPTIONS_PER_CHANNEL = 25
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def follow_view(f: Follow) -> FollowView:
    return FollowView(
        id=f.id,
        url=f.url,
        every_seconds=f.every_seconds,
        followed_by=f.followed_by,
        last_polled_at=aware(f.last_polled_at),
        last_changed_at=aware(f.last_changed_at),
        next_poll_at=aware(f.next_poll_at),
        failures=f.failures or 0,
        last_error=f.last_error,
        source_id=f.source_id,
    )


def subscription_view(s: Subscription) -> SubscriptionView:
    return SubscriptionView(id=s.id, channel=s.channel, kind=s.kind, label=s.label, created_by=s.created_by)


def follow(
    store: Store, workspace: str, user: str, url: str, every: str | int, *, minimum: int, now: datetime
) -> tuple[FollowView, bool]:
    url = (url or "").strip().strip("<>")  # Slack wraps links in <…>
    url = url.split("|", 1)[0]
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname:
        raise BadInput("I can follow web pages only: give me an http or https URL.")
    seconds = parse_interval(every, minimum=minimum)
    found, new = Following(store).add_follow(workspace, user, url, seconds, now)
    return follow_view(found), new


def following(store: Store, workspace: str) -> list[FollowView]:
    return [follow_view(f) for f in Following(store).follows(workspace)]


def subscribe(
    store: Store, workspace: str, platform: str, channel: str, user: str, what: str
) -> tuple[SubscriptionView, bool]:
    if not channel:
        raise BadInput("Subscriptions belong to a channel; run this in the channel that should receive them.")
    wanted = parse_subscription(what, store.known_names(workspace))
    deal = Following(store)
    if len(deal.subscriptions(workspace, platform, channel)) >= MAX_SUBSCRIPTIONS_PER_CHANNEL:
        raise BadInput(
            f"This channel has {MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions, the most it can have; "
            "unsubscribe from one first."
        )
    found, new = deal.subscribe(workspace, platform, channel, user, wanted.kind, wanted.value, wanted.label)
    return subscription_view(found), new


def unsubscribe(store: Store, workspace: str, platform: str, channel: str, what: str | None) -> int:
    """Removes one subscription (as it was written), or every one of the channel when ``what`` is empty or "all"."""
    deal = Following(store)
    if not what or what.strip().lower() == "all":
        return deal.unsubscribe(workspace, platform, channel, None, None)
    wanted = parse_subscription(what, store.known_names(workspace))
    removed = deal.unsubscribe(workspace, platform, channel, wanted.kind, wanted.value)
    if not removed:
        raise NotFound(f"This channel is not subscribed to {what.strip()}; `subscriptions` lists what it is.")
    return removed


def subscriptions(store: Store, workspace: str, platform: str, channel: str | None) -> list[SubscriptionView]:
    return [subscription_view(s) for s in Following(store).subscriptions(workspace, platform, channel)]


def latest_new(store: Store, workspace: str, platform: str, channel: str, *, limit: int) -> LatestNew:
    updates, more, since = Following(store).new_updates(
        workspace, platform, channel, limit=max(1, min(limit, 50)), first_since=EPOCH
    )
    return LatestNew(latest=Latest(updates=tuple(updates)), since=since, more=more)


def actor_timeline(store: Store, workspace: str, name: str, *, limit: int) -> ActorTimeline:
    """A side's (else a speaker's) newest ``limit`` statements, oldest first, with the flips among them."""
    name = " ".join((name or "").split())
    if not name:
        raise BadInput("Name a side or a speaker, as in: actor NATO.")
    canonical = store.known_names(workspace).get(name.lower(), name)
    claims = store.claims_of(workspace, actor=canonical, limit=limit + 1)
    if not claims:
        claims = store.claims_of(workspace, speaker=canonical, limit=limit + 1)
    shown = claims[:limit]
    shown.reverse()  # oldest first: a timeline reads forwards
    return ActorTimeline(name=canonical, claims=tuple(shown), flips=tuple(flips(shown)), older=len(claims) > limit)
