"""Following live blogs: polite polling, channel subscriptions, contradiction alerts, latest --new, actor timelines.

The core stays platform-neutral: the scheduler hands Notification objects to a Notifier each adapter implements.
"""

from bot.follow.views import (
    ActorTimeline,
    Contradiction,
    FollowView,
    LatestNew,
    Notification,
    Notifier,
    SubscriptionView,
)

__all__ = [
    "ActorTimeline",
    "Contradiction",
    "FollowView",
    "LatestNew",
    "Notification",
    "Notifier",
    "SubscriptionView",
]
