"""Event keys for de-duplication are kept a day, then pruned, so the table does not grow forever."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.store import Store
from bot.store.models import SeenEvent, utcnow
from bot.store.store import SEEN_PRUNE_EVERY


def test_old_event_keys_are_pruned_and_new_ones_kept(store: Store) -> None:
    assert store.first_time("old-1") and store.first_time("old-2")
    assert not store.first_time("old-1")
    with store.transaction() as session:
        session.execute(update(SeenEvent).values(at=utcnow() - timedelta(days=2)))
    for n in range(SEEN_PRUNE_EVERY):
        assert store.first_time(f"new-{n}")
    with store.transaction(write=False) as session:
        keys = set(session.scalars(select(SeenEvent.key)))
        assert session.scalar(select(func.count()).select_from(SeenEvent)) == SEEN_PRUNE_EVERY
    assert not {"old-1", "old-2"} & keys
