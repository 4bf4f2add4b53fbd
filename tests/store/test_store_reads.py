"""Every query of the store stays inside its workspace, on both backends; search finds the same claims on both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import NotFound
from bot.store import NewClaim, NewUpdate, Store

A, B = "team-a", "team-b"


def seed(store: Store, workspace: str, speaker: str, actor: str) -> int:
    claims = [
        NewClaim(
            text="troops are withdrawing from the northern border",
            sentence="s1",
            kind="indirect",
            cue="said",
            speaker=speaker,
            actor=actor,
        ),
        NewClaim(
            text="the grain corridor will reopen next week",
            sentence="s2",
            kind="direct",
            cue="said",
            speaker=speaker,
            actor=actor,
        ),
    ]
    update = NewUpdate(
        key="u1",
        text_hash="h1",
        headline=f"{workspace} update",
        time=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        claims=claims,
    )
    source_id, _, _, _ = store.save_source(
        workspace,
        "editor",
        url="https://example.test/same-url",
        name=None,
        title=f"{workspace} blog",
        content_hash="same",
        published_at=None,
        updates=[update],
    )
    return source_id


@pytest.fixture
def two_workspaces(store: Store) -> Store:
    seed(store, A, "Mara Velt", "Freedonia")
    seed(store, B, "Ilan Dorr", "Sylvania")
    return store


def test_claims_and_lookups_by_id_stay_in_their_workspace(two_workspaces: Store) -> None:
    store = two_workspaces
    a_claims, b_claims = store.claims(A), store.claims(B)
    assert {c.speaker for c in a_claims} == {"Mara Velt"} and {c.speaker for c in b_claims} == {"Ilan Dorr"}
    assert store.claims_by_id(B, [c.id for c in a_claims]) == {}
    assert set(store.claims_by_id(A, [c.id for c in a_claims + b_claims])) == {c.id for c in a_claims}
    assert store.claims_of(B, actor="Freedonia") == [] and len(store.claims_of(A, actor="freedonia")) == 2
    assert store.claims_of(B, speaker="Mara Velt") == []
    assert store.known_names(A) == {"freedonia": "Freedonia", "mara velt": "Mara Velt"}
    assert store.counts(A) == {"sources": 1, "claims": 2}


def test_candidates_latest_actors_and_sources_stay_in_their_workspace(two_workspaces: Store) -> None:
    store = two_workspaces
    a_ids = {c.id for c in store.claims(A)}
    hits = store.candidates(A, '"troops" OR "withdrawing"', ["troops", "withdraw"], 50)
    assert hits and {i for i, _ in hits} <= a_ids
    assert store.candidates(A, '"dorr"', ["dorr"], 50) == []
    [latest] = store.latest(A, actor=None, since=None, limit=5)
    assert latest.headline == f"{A} update" and {c.speaker for c in latest.claims} == {"Mara Velt"}
    assert store.latest(B, actor="Freedonia", since=None, limit=5) == []
    assert [a.name for a in store.actors(A)] == ["Freedonia"]
    assert [(s.title, s.claims, s.updates) for s in store.sources(B)] == [(f"{B} blog", 2, 1)]


def test_forget_feedback_corrections_and_audit_stay_in_their_workspace(two_workspaces: Store) -> None:
    store = two_workspaces
    [a_source] = store.sources(A)
    a_claim = store.claims(A)[0]
    with pytest.raises(NotFound):
        store.forget(B, "intruder", a_source.id)
    with pytest.raises(NotFound):
        store.add_feedback(B, "intruder", "q", a_claim.id, "wrong_match")
    with pytest.raises(NotFound):
        store.correct(B, "intruder", a_claim.id, speaker="Someone Else", actor=None)
    store.add_feedback(A, "reader", "q", a_claim.id, "wrong_match")
    assert store.feedback(B) == [] and len(store.feedback(A)) == 1
    assert {e.action for e in store.audit_log(B)} == {"ingest"}
    assert store.claims(A)[0].speaker == "Mara Velt"
    store.forget(B, "editor", store.sources(B)[0].id)
    assert len(store.claims(A)) == 2 and store.claims(B) == []


def test_search_finds_stems_synonyms_and_speakers_on_both_backends(store: Store) -> None:
    from bot.match.text import fts_query, normalise

    seed(store, A, "Mara Velt", "Freedonia")
    border = next(c.id for c in store.claims(A) if "border" in c.text)
    for question in ("Are soldiers pulling back from the border?", "withdrawal of troops", "What did Velt say?"):
        hits = store.candidates(A, fts_query(question), normalise(question), 10)
        assert border in [i for i, _ in hits], question
    scores = [s for _, s in store.candidates(A, fts_query("troops border"), ["troops", "border"], 10)]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


HOSTILE = [
    "",
    "   ",
    '"',
    '""',
    "'",
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "troops*",
    "text:troops",
    "-troops",
    "^troops",
    "a & b | !c",
    "a <-> b",
    "'; DROP TABLE claims; --",
    "\x00",
    "🙂🙂",
    "Ωμέγα ω",
    "日本語のテキスト",
    "x" * 10_000,
    "troops:*",
    "(((",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_no_user_text_causes_a_query_error(store: Store, raw: str) -> None:
    from bot.match.text import fts_query, normalise

    seed(store, A, "Mara Velt", "Freedonia")
    # the expression as the product builds it, and the raw text passed where an expression is expected
    for fts, terms in ((fts_query(raw), normalise(raw)), (raw, [raw]), ("", raw.split())):
        assert isinstance(store.candidates(A, fts, terms, 10), list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_arbitrary_text_never_breaks_the_index_query(store: Store, raw: str) -> None:
    hits = store.candidates(A, raw, raw.split(), 5)
    assert hits == [] or all(isinstance(i, int) for i, _ in hits)


def test_reads_in_a_reading_block_share_one_snapshot(two_workspaces: Store) -> None:
    store = two_workspaces
    before = {c.id for c in store.claims(A)}
    with store.reading():
        assert {c.id for c in store.claims(A)} == before
        new = NewUpdate(
            key="u2", text_hash="h2", headline=None, time=None, claims=[NewClaim("ports reopen", "s", "direct")]
        )
        # a write inside the block commits on its own
        store.save_source(
            A, "editor", url="https://example.test/other", name=None, title=None, content_hash="other",
            published_at=None, updates=[new],
        )  # fmt: skip
        # the block's reads still see the snapshot they started with: a question reads consistent counts and rows
        assert {c.id for c in store.claims(A)} == before
        assert set(store.claims_by_id(A, sorted(before))) == before
    after = {c.id for c in store.claims(A)}
    assert after > before
