"""The semantic extra: claim vectors in their own table, nearest claims by meaning, fusion with the index.

Skipped when the extra is not installed (pip install -e ".[semantic]", torch's CPU build first: see README).
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from bot.match import semantic
from bot.match.retrieve import rank
from bot.store import NewClaim, Store

pytestmark = pytest.mark.skipif(
    not semantic._installed(),
    reason='semantic extra not installed (pip install torch==2.13.0, then pip install -e ".[semantic]")',
)

CLAIMS = [
    ("s1", "Car purchases fell sharply during the last quarter."),
    ("s2", "The wheat harvest in the valley was plentiful this year."),
    ("s3", "A new footbridge opened across the Tallow river on Monday."),
    ("s4", "The choir of Brenmoor will tour three countries in summer."),
]


@pytest.fixture(autouse=True)
def semantic_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSCHECK_SEMANTIC", raising=False)
    semantic.forget_cache()


def fill(store: Store, workspace: str, claims: list[tuple[str, str]] = CLAIMS, name: str = "invented") -> list[int]:
    store.import_claims(
        workspace, "tester", name, [NewClaim(text=t, sentence=t, kind="imported", external_id=i) for i, t in claims]
    )
    wanted = {i for i, _ in claims}
    return [c.id for c in store.claims(workspace) if c.external_id in wanted]


def stored_vectors(store: Store, workspace: str | None = None) -> int:
    query = select(func.count()).select_from(semantic.claim_vectors)
    if workspace is not None:
        query = query.where(semantic.claim_vectors.c.workspace == workspace)
    semantic.ensure_table(store)
    with store.transaction(write=False) as session:
        return session.scalar(query) or 0


def test_available_follows_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert semantic.available()
    monkeypatch.setenv("CROSSCHECK_SEMANTIC", "off")
    assert not semantic.available()


@pytest.mark.parametrize(
    ("argv", "switch", "used"),
    [
        (["ask", "Did the footbridge open?"], None, False),  # one question: the model would cost more than it
        (["search", "footbridge"], None, False),
        (["ask", "Did the footbridge open?"], "on", True),  # asked for
        (["search", "-"], None, True),  # a batch of questions: worth loading once
    ],
)
def test_one_shot_cli_commands_use_the_extra_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, argv: list[str], switch: str | None, used: bool
) -> None:
    from adapters import cli

    if switch:
        monkeypatch.setenv("CROSSCHECK_SEMANTIC", switch)
    seen: list[bool] = []
    monkeypatch.setattr(semantic, "nearest", lambda *a, **k: seen.append(True) or [])
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("footbridge\n"))
    db = f"sqlite:///{tmp_path}/cli.db"  # type: ignore[str-bytes-safe]
    Store(db).import_claims("default", "t", "x", [NewClaim(text=t, sentence=t, kind="imported") for _, t in CLAIMS])
    assert cli.main(["--db", db, *argv]) == 0
    assert bool(seen) is used
    assert semantic.available()  # in-process callers (tests, a console) keep it once the command is done


def test_index_claims_stores_unit_float32_vectors_once(store: Store) -> None:
    ids = fill(store, "w1")
    assert semantic.index_claims(store, "w1", ids) == len(CLAIMS)
    assert semantic.index_claims(store, "w1", ids) == 0  # already there
    with store.transaction(write=False) as session:
        blobs = session.execute(select(semantic.claim_vectors.c.vector)).scalars().all()
    assert len(blobs) == len(CLAIMS)
    for blob in blobs:
        vector = np.frombuffer(blob, dtype=np.float32)
        assert vector.shape == (semantic.DIMENSIONS,)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_meaning_found_without_shared_words(store: Store) -> None:
    ids = fill(store, "w1")
    semantic.index_claims(store, "w1", ids)
    nearest = semantic.nearest(store, "w1", "automobile sales dropped")
    first = store.claims_by_id("w1", [nearest[0][0]])[nearest[0][0]]
    assert first.external_id == "s1"
    assert [s for _, s in nearest] == sorted((s for _, s in nearest), reverse=True)
    ranked = rank(store, "w1", "Did automobile sales drop?")
    assert ranked[0].claim.external_id == "s1"
    assert all(0.0 <= r.score <= 1.0 for r in ranked)


def test_vector_path_never_crosses_workspaces(store: Store) -> None:
    ids_a = fill(store, "a")
    ids_b = fill(store, "b", [("b1", "Automobile dealers sold fewer cars than ever.")], name="other")
    semantic.index_claims(store, "a", ids_a)
    assert semantic.index_claims(store, "b", ids_a) == 0  # another workspace's ids are ignored
    semantic.index_claims(store, "b", ids_b)
    assert {i for i, _ in semantic.nearest(store, "b", "car sales fell")} == set(ids_b)
    assert not {i for i, _ in semantic.nearest(store, "a", "car sales fell")} & set(ids_b)
    assert [r.claim.external_id for r in rank(store, "b", "car sales fell")] == ["b1"]
    assert semantic.nearest(store, "empty", "car sales fell") == []


def test_forgotten_claims_lose_their_vectors(store: Store) -> None:
    fill(store, "w1")
    gone = fill(store, "w1", [("f1", "Motor vehicle sales collapsed in the spring.")], name="to-forget")
    semantic.index_claims(store, "w1")
    assert gone[0] in {i for i, _ in semantic.nearest(store, "w1", "car sales fell")}  # the cache now holds it
    source = next(s for s in store.sources("w1") if s.name == "to-forget")
    store.forget("w1", "tester", source.id)
    assert stored_vectors(store, "w1") == len(CLAIMS)
    assert gone[0] not in {i for i, _ in semantic.nearest(store, "w1", "car sales fell")}
    assert "f1" not in [r.claim.external_id for r in rank(store, "w1", "car sales fell")]


def test_claims_stored_before_the_extra_get_vectors_at_first_use(store: Store) -> None:
    fill(store, "w1")
    assert stored_vectors(store) == 0
    assert rank(store, "w1", "automobile sales dropped")[0].claim.external_id == "s1"
    assert stored_vectors(store, "w1") == len(CLAIMS)
    added = fill(store, "w1", [("n1", "Tractor sales rose in the farming districts.")], name="later")
    assert semantic.index_claims(store, "w1", added) == 1  # what the service calls after an ingest or import
    assert added[0] in {i for i, _ in semantic.nearest(store, "w1", "tractor sales")}  # cache extended, not stale


@pytest.mark.parametrize("question", ["", "?!", "is it the", "🙂🙂", "https://example.org/a/b"])
def test_degenerate_questions_match_nothing(store: Store, question: str) -> None:
    fill(store, "w1")
    assert rank(store, "w1", question) == []


def test_large_workspace_is_scanned_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = fill(store, "w1")
    semantic.index_claims(store, "w1", ids)
    in_memory = semantic.nearest(store, "w1", "automobile sales dropped", k=3)
    monkeypatch.setattr(semantic, "MAX_CACHED_VECTORS", 1)
    monkeypatch.setattr(semantic, "SCAN_CHUNK", 2)
    scanned = semantic.nearest(store, "w1", "automobile sales dropped", k=3)
    assert [i for i, _ in scanned] == [i for i, _ in in_memory]
    assert len(scanned) == 3


def test_service_hook_indexes_what_was_just_stored(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, "w1")
    assert semantic.index_new_claims(store, "w1") == len(CLAIMS)
    assert semantic.index_new_claims(store, "w1") == 0
    monkeypatch.setenv("CROSSCHECK_SEMANTIC", "off")
    fill(store, "w1", [("o1", "Bus fares were cut in half.")], name="while-off")
    assert semantic.index_new_claims(store, "w1") == 0  # switched off: nothing computed
    assert stored_vectors(store, "w1") == len(CLAIMS)
