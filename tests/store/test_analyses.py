"""Each claim's analysis is stored with it, read with the candidates' texts when the current rules made it, made
again by Store.analyse (`crosscheck db upgrade`) when other rules did, and deleted with its claim."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from bot.match.analysis import VERSION, analyse
from bot.store import NewClaim, NewUpdate, Store
from bot.store.models import ClaimAnalysis

WS = "team-a"
TEXTS = ("the convoy turned back at the river", "the bridge will not reopen before Friday")


def ingest(store: Store) -> int:
    claims = [NewClaim(text=t, sentence=t, kind="indirect", cue="said", speaker="Mara Velt") for t in TEXTS]
    source_id, _, stored, _ = store.save_source(
        WS,
        "editor",
        url="https://example.test/blog",
        name=None,
        title="A live blog",
        content_hash="h1",
        published_at=datetime(2026, 3, 1, tzinfo=UTC),
        updates=[NewUpdate(key="u1", text_hash="t1", headline="Bridge", time=None, claims=claims)],
    )
    assert stored == len(TEXTS)
    return source_id


def stored_texts(store: Store) -> dict[str, tuple[str | None, str | None]]:
    ids = [c.id for c in store.claims(WS)]
    return {t.text: (t.terms, t.reading) for t in store.claim_texts(WS, ids).values()}


def analyses(store: Store) -> int:
    with store.transaction(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(ClaimAnalysis)) or 0)


def test_an_ingest_stores_each_claims_analysis(store: Store) -> None:
    ingest(store)
    assert stored_texts(store) == {t: (analyse(t).terms, analyse(t).reading) for t in TEXTS}
    assert store.analyse() == 0  # nothing to do


def test_an_import_stores_analyses_too(store: Store) -> None:
    claims = [NewClaim(text=t, sentence=t, kind="imported", external_id=str(i)) for i, t in enumerate(TEXTS)]
    assert store.import_claims(WS, "editor", "claims.jsonl", claims) == (2, 0)
    assert {text: terms for text, (terms, _) in stored_texts(store).items()} == {t: analyse(t).terms for t in TEXTS}


def test_analyses_made_by_other_rules_are_not_read_and_are_made_again(store: Store) -> None:
    ingest(store)
    with store.transaction() as session:
        session.execute(update(ClaimAnalysis).values(version="older-rules", terms="stale", reading="[[], []]"))
    assert set(stored_texts(store).values()) == {(None, None)}  # scored and judged from the text meanwhile
    progress: list[int] = []
    assert store.analyse(batch=1, progress=progress.append) == len(TEXTS)
    assert progress == [1, 2]
    assert stored_texts(store) == {t: (analyse(t).terms, analyse(t).reading) for t in TEXTS}
    with store.transaction(write=False) as session:
        assert set(session.scalars(select(ClaimAnalysis.version))) == {VERSION}


def test_a_claims_analysis_goes_with_it(store: Store) -> None:
    source_id = ingest(store)
    assert analyses(store) == len(TEXTS)
    store.forget(WS, "editor", source_id)
    assert analyses(store) == 0


def test_db_upgrade_analyses_what_is_missing(store_url: str) -> None:
    store = Store(store_url)
    try:
        ingest(store)
        with store.transaction() as session:
            session.execute(ClaimAnalysis.__table__.delete())
    finally:
        store.close()
    command = [sys.executable, "-m", "adapters.cli", "--db", store_url, "db", "upgrade"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "2 claims analysed again" in done.stdout
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "every claim's analysis is current" in done.stdout
