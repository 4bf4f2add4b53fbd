"""The store's writes on both backends: ingest with updates added/replaced/kept, imports, forget, corrections, aliases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import BadInput, NotFound
from bot.store import NewClaim, NewUpdate, Store

WS = "team-a"


def claim(text: str, speaker: str | None = "Mara Velt", actor: str | None = "Freedonia", **more: object) -> NewClaim:
    return NewClaim(
        text=text, sentence=f"{speaker} said {text}.", kind="indirect", cue="said", speaker=speaker, actor=actor, **more
    )  # type: ignore[arg-type]


def update(key: str, text_hash: str, *claims: NewClaim) -> NewUpdate:
    return NewUpdate(key=key, text_hash=text_hash, headline=f"Headline {key}", time=None, claims=list(claims))


def save(
    store: Store,
    content_hash: str,
    updates: list[NewUpdate],
    url: str | None = "https://example.test/blog",
    workspace: str = WS,
    name: str | None = None,
) -> tuple[int, int, int, bool]:
    return store.save_source(
        workspace,
        "editor",
        url=url,
        name=name,
        title="A live blog",
        content_hash=content_hash,
        published_at=datetime(2026, 3, 1, tzinfo=UTC),
        updates=updates,
    )


def texts(store: Store, workspace: str = WS) -> list[str]:
    return sorted(c.text for c in store.claims(workspace))


def test_a_grown_live_blog_adds_new_updates_replaces_changed_ones_and_keeps_the_rest(store: Store) -> None:
    first = [
        update("u1", "h1", claim("the convoy turned back at the river")),
        update("u2", "h2", claim("the bridge stays closed tonight"), claim("ferries will run", speaker="Ilan Dorr")),
    ]
    source_id, n_updates, n_claims, unchanged = save(store, "v1", first)
    assert (n_updates, n_claims, unchanged) == (2, 3, False)
    assert save(store, "v1", first) == (source_id, 0, 0, True)

    grown = [
        update("u1", "h1", claim("the convoy turned back at the river")),  # kept as it was
        update("u2", "h2b", claim("the bridge reopens at dawn")),  # reworded: its claims are replaced
        update("u3", "h3", claim("talks resume on Monday", speaker="Ilan Dorr", actor="Sylvania")),  # new
    ]
    again_id, n_updates, n_claims, unchanged = save(store, "v2", grown)
    assert (again_id, n_updates, n_claims, unchanged) == (source_id, 2, 2, False)
    assert texts(store) == [
        "talks resume on Monday",
        "the bridge reopens at dawn",
        "the convoy turned back at the river",
    ]
    [source] = store.sources(WS)
    assert (source.claims, source.updates) == (3, 3)
    assert {c.update for c in store.claims(WS)} == {"Headline u1", "Headline u2", "Headline u3"}


def test_the_same_text_without_a_url_is_stored_once_and_repeated_claims_once(store: Store) -> None:
    updates = [update("u1", "h1", claim("rates stay where they are"), claim("rates stay where they are"))]
    first = save(store, "same", updates, url=None, name="notes.txt")
    assert first[2] == 1
    assert save(store, "same", updates, url=None, name="other-name.txt") == (first[0], 0, 0, True)
    assert texts(store) == ["rates stay where they are"]


def test_import_skips_claims_whose_external_id_is_stored(store: Store) -> None:
    batch = [
        claim("grain ships may leave", external_id="c-1"),
        claim("no grain ships left", external_id="c-2"),
        claim("a claim without an id"),
    ]
    assert store.import_claims(WS, "editor", "batch.jsonl", batch) == (3, 0)
    again = [
        claim("grain ships may leave", external_id="c-1"),
        claim("a new one", external_id="c-3"),
        claim("a claim without an id"),
        claim("a new one, repeated in the file", external_id="c-3"),
    ]
    assert store.import_claims(WS, "editor", "batch.jsonl", again) == (2, 2)
    assert sorted(c.external_id or "" for c in store.claims(WS)) == ["", "", "c-1", "c-2", "c-3"]
    # another workspace may use the same ids
    assert store.import_claims("team-b", "editor", "batch.jsonl", batch) == (3, 0)
    assert store.import_claims(WS, "editor", "empty.jsonl", batch[:2]) == (0, 2)


def test_forget_removes_a_source_with_its_updates_and_claims_and_is_audited(store: Store) -> None:
    keep_id = save(store, "k", [update("u", "h", claim("kept claim"))], url="https://example.test/keep")[0]
    gone_id = save(store, "g", [update("u", "h", claim("forgotten claim"))], url="https://example.test/gone")[0]
    assert store.forget(WS, "editor", gone_id) == "A live blog"
    assert texts(store) == ["kept claim"]
    assert [s.id for s in store.sources(WS)] == [keep_id]
    assert store.audit_log(WS)[0].action == "forget"
    with pytest.raises(NotFound, match="no source"):
        store.forget(WS, "editor", gone_id)


def test_delete_workspace_removes_everything_of_that_workspace_only(store: Store) -> None:
    for workspace in (WS, "team-b"):
        save(store, "v", [update("u", "h", claim(f"claim of {workspace}"))], workspace=workspace)
        store.add_alias(workspace, "editor", "Capital City", "Freedonia")
        [claim_view] = store.claims(workspace)
        store.add_feedback(workspace, "reader", "question?", claim_view.id, "wrong_match")
    store.delete_workspace(WS)
    assert store.claims(WS) == [] and store.sources(WS) == [] and store.actors(WS) == []
    assert store.aliases(WS) == {} and store.feedback(WS) == [] and store.audit_log(WS) == []
    assert store.known_names(WS) == {}
    assert texts(store, "team-b") == ["claim of team-b"]
    assert store.aliases("team-b") == {"capital city": "Freedonia"}
    assert len(store.feedback("team-b")) == 1


def test_correct_changes_speaker_and_side_audits_it_and_reindexes_who_said_it(store: Store) -> None:
    save(store, "v", [update("u", "h", claim("the dam is safe", speaker="Olek Brand", actor="Sylvania"))])
    [before] = store.claims(WS)
    store.correct(WS, "editor", before.id, speaker="Tamsin Vore", actor="Freedonia")
    [after] = store.claims(WS)
    assert (after.speaker, after.actor) == ("Tamsin Vore", "Freedonia")
    assert store.audit_log(WS)[0].action == "correct"
    assert [i for i, _ in store.candidates(WS, '"vore"', ["vore"], 10)] == [before.id]
    assert store.candidates(WS, '"brand"', ["brand"], 10) == []
    store.correct(WS, "editor", before.id, speaker="", actor="")
    [cleared] = store.claims(WS)
    assert (cleared.speaker, cleared.actor) == (None, None)
    with pytest.raises(NotFound):
        store.correct(WS, "editor", before.id + 1000, speaker="x", actor=None)


def test_aliases_are_lowercased_replaceable_and_per_workspace(store: Store) -> None:
    store.add_alias(WS, "editor", "  Capital City ", "Freedonia")
    store.add_alias(WS, "editor", "capital city", "Sylvania")
    store.add_alias(WS, "editor", "Harbour Office", "Sylvania")
    assert store.aliases(WS) == {"capital city": "Sylvania", "harbour office": "Sylvania"}
    assert store.aliases("team-b") == {}
    with pytest.raises(BadInput):
        store.add_alias(WS, "editor", " ", "Freedonia")


def test_first_time_is_true_once_per_event_key_across_store_instances(store: Store, store_url: str) -> None:
    assert store.first_time("slack:T1:Ev123") is True
    assert store.first_time("slack:T1:Ev123") is False
    other = Store(store_url)
    try:
        assert other.first_time("slack:T1:Ev123") is False
        assert other.first_time("slack:T1:Ev124") is True
    finally:
        other.close()
    assert store.first_time("slack:T1:Ev124") is False


def test_feedback_is_recorded_and_must_name_a_claim_of_the_workspace(store: Store) -> None:
    save(store, "v", [update("u", "h", claim("the border is quiet"))])
    [view] = store.claims(WS)
    store.add_feedback(WS, "reader", "Is the border quiet?", view.id, "wrong_stance")
    store.add_feedback(WS, "reader", "x" * 5000, None, "wrong_match")
    kinds = [(f.kind, f.claim_id, len(f.question)) for f in store.feedback(WS)]
    assert kinds == [("wrong_match", None, 2000), ("wrong_stance", view.id, 20)]
    with pytest.raises(NotFound):
        store.add_feedback(WS, "reader", "q", view.id + 1000, "wrong_match")
