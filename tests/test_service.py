"""The service's use cases over a real SQLite file: permissions, grouping by side, actor questions, limits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import BadInput, NotAllowed, NotFound
from bot.service import Crosscheck, Requester
from bot.store import NewClaim, NewUpdate, Store

ADMIN = Requester(workspace="T1", user="U-admin", is_admin=True)
MEMBER = Requester(workspace="T1", user="U-member")
OTHER = Requester(workspace="T2", user="U-other", is_admin=True)


def claim(text: str, speaker: str, actor: str | None, cue: str = "said", kind: str = "indirect") -> NewClaim:
    return NewClaim(text=text, sentence=f"{speaker} {cue} {text}.", kind=kind, cue=cue, speaker=speaker, actor=actor)


def add_source(service: Crosscheck, name: str, headline: str, hour: int, *claims: NewClaim) -> None:
    """One more article of one update, published at ``hour`` on the fixture's day."""
    service.store.save_source(
        "T1",
        "U-admin",
        url=None,
        name=name,
        title=headline,
        content_hash=name,
        published_at=None,
        updates=[
            NewUpdate(
                key=name,
                text_hash=name,
                headline=headline,
                time=datetime(2030, 5, 1, hour, tzinfo=UTC),
                claims=list(claims),
            )
        ],
    )


@pytest.fixture()
def service(tmp_path: Path) -> Crosscheck:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'service.db'}", statements_per_side=2)
    svc = Crosscheck(settings, Store(settings.database_url))
    hour = lambda h: datetime(2030, 5, 1, h, tzinfo=UTC)  # noqa: E731
    updates = [
        NewUpdate(
            key="u1",
            text_hash="a",
            headline="Northland says its troops are leaving the border",
            time=hour(9),
            claims=[
                claim("its troops were withdrawing from the border area", "Northland defence ministry", "Northland"),
                claim("units are returning to their bases after the drills", "Ivo Marrant", "Northland"),
                claim("the withdrawal of troops would be completed by Friday", "Ivo Marrant", "Northland"),
            ],
        ),
        NewUpdate(
            key="u2",
            text_hash="b",
            headline="Alliance sees no withdrawal",
            time=hour(11),
            claims=[
                claim(
                    "there is no evidence of a withdrawal of troops from the border", "Lena Sorvik", "Southern Alliance"
                ),
                claim("Northland has increased the number of troops at the border", "Lena Sorvik", "Southern Alliance"),
            ],
        ),
        NewUpdate(
            key="u3",
            text_hash="c",
            headline="Grain prices",
            time=hour(12),
            claims=[claim("grain prices rose sharply this week", "a market analyst", None)],
        ),
    ]
    svc.store.save_source(
        "T1",
        "U-admin",
        url=None,
        name="border.txt",
        title="Border live",
        content_hash="h1",
        published_at=None,
        updates=updates,
    )
    return svc


def test_ask_groups_statements_by_side_and_stance(service: Crosscheck) -> None:
    answer = service.ask(MEMBER, "Is Northland pulling back its troops from the border?")
    supporting = {g.actor for g in answer.supporting}
    contradicting = {g.actor for g in answer.contradicting}
    assert "Northland" in supporting
    assert "Southern Alliance" in contradicting
    assert "Southern Alliance" not in supporting
    assert answer.summary.startswith("1 side support")
    for group in answer.supporting + answer.contradicting:
        assert len(group.matches) <= 2  # statements_per_side, the rest counted as "and N more"
        for m in group.matches:
            assert m.reason and m.tier in {"strong", "possible"}
    data = answer.to_json()
    assert all("score" in c and "reason" in c for c in data["supporting"] + data["contradicting"])


def test_a_statement_found_for_a_shared_word_alone_is_related_not_support(service: Crosscheck) -> None:
    add_source(
        service,
        "bridges.txt",
        "Bridges",
        13,
        claim("new pontoon bridges had appeared near the border", "Ada Renn", "Eastport"),
    )
    answer = service.ask(MEMBER, "Is Northland pulling back its troops from the border?")
    assert "Eastport" not in {g.actor for g in answer.supporting + answer.contradicting}
    bridges = [m for m in answer.related if m.claim.actor == "Eastport"]
    assert bridges and "not mentioned" in bridges[0].reason


def test_a_side_that_says_it_could_have_been_done_supports_it_hedged(service: Crosscheck) -> None:
    add_source(
        service,
        "raid.txt",
        "Depot raid",
        14,
        claim("the raid on the depot could have been orchestrated by Northland", "Ada Renn", "Eastport"),
        claim("Northland could raid the depot again at any moment", "Lena Sorvik", "Southern Alliance"),
    )
    answer = service.ask(MEMBER, "Was Northland behind the raid on the depot?")
    eastport = [g for g in answer.supporting if g.actor == "Eastport"]
    assert eastport and eastport[0].matches[0].reason == 'suggests it, hedged ("could have")'
    assert "Southern Alliance" not in {g.actor for g in answer.supporting + answer.contradicting}


def test_a_side_saying_it_of_itself_is_not_about_the_side_asked_about(service: Crosscheck) -> None:
    add_source(
        service,
        "raid-plans.txt",
        "Raid plans",
        15,
        claim("it is planning a raid on the depot", "Eastport", "Eastport", cue="denied"),
        claim("we are planning a raid on the depot", "Ada Renn", "Eastport"),
    )
    answer = service.ask(MEMBER, "Is Northland planning a raid on the depot?")
    assert "Eastport" not in {g.actor for g in answer.supporting + answer.contradicting}
    eastport = [m for m in answer.related if m.claim.actor == "Eastport"]
    assert len(eastport) == 2 and all(m.reason == "says it of Eastport, not of Northland" for m in eastport)


def test_statements_under_another_sides_headline_are_not_about_the_side_asked_about(service: Crosscheck) -> None:
    # a second live blog, about Eastport's pullback, in the same workspace: its short updates name no doer
    add_source(
        service,
        "eastport.txt",
        "Eastport says its troops are leaving the river crossing",
        16,
        claim("more units will leave the border this week", "Eastport defence ministry", "Eastport"),
        claim("there is no evidence of a withdrawal of troops from the border", "Ada Renn", "Westmark"),
    )
    answer = service.ask(MEMBER, "Is Northland pulling back its troops from the border?")
    sides = {g.actor for g in answer.supporting + answer.contradicting}
    assert "Eastport" not in sides and "Westmark" not in sides
    # the Northland blog's own statements are read as before, under a headline whose side only sees the event
    shown = [m for g in answer.contradicting for m in g.matches + g.hidden]
    no_evidence = [m for m in shown if m.claim.text.startswith("there is no evidence")]
    assert "Northland" in sides and [m.claim.actor for m in no_evidence] == ["Southern Alliance"]
    eastport = [m for m in answer.related if m.claim.source == "eastport.txt"]
    assert eastport and all(m.reason.startswith("says it of Eastport (as its headline has it)") for m in eastport)
    # asked about Eastport, the same statements answer it
    about_eastport = service.ask(MEMBER, "Is Eastport pulling back its troops from the border?")
    assert "Eastport" in {g.actor for g in about_eastport.supporting}
    assert "Westmark" in {g.actor for g in about_eastport.contradicting}


def test_a_statement_about_the_vote_answers_a_question_about_the_election(service: Crosscheck) -> None:
    add_source(
        service,
        "ballot.txt",
        "Ballot",
        17,
        claim("the presidential election had been rigged", "Civic Front", "Civic Front"),
        claim("the vote was transparent and fair", "Ines Ruda", "Observer Mission"),
    )
    answer = service.ask(MEMBER, "Was the election rigged?")
    assert "Civic Front" in {g.actor for g in answer.supporting}
    observers = [g for g in answer.contradicting if g.actor == "Observer Mission"]
    assert observers and observers[0].matches[0].reason == 'says the opposite: "fair" vs "rigged"'


def test_ask_never_crosses_workspaces(service: Crosscheck) -> None:
    assert service.ask(OTHER, "Is Northland pulling back its troops?").empty
    assert service.search(OTHER, "troops border") == []


def test_short_question_naming_a_side_gives_its_latest_statements(service: Crosscheck) -> None:
    answer = service.ask(MEMBER, "Southern Alliance")
    assert answer.mode == "actor"
    assert answer.related and all(m.claim.actor == "Southern Alliance" for m in answer.related)
    assert answer.to_json()["mode"] == "actor"


def test_nothing_found_is_an_answer_not_an_error(service: Crosscheck) -> None:
    answer = service.ask(MEMBER, "zebras migrate across Patagonia")
    assert answer.empty and "I found nothing" in answer.summary


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_bad_input(service: Crosscheck, question: str) -> None:
    with pytest.raises(BadInput):
        service.ask(MEMBER, question)


@pytest.mark.parametrize("question", ["the of and is", "🙂🙂🙂", "Войска отходят?", "x" * 10_000, '"AND OR NEAR(* -'])
def test_odd_questions_are_answered(service: Crosscheck, question: str) -> None:
    answer = service.ask(MEMBER, question)
    assert answer.summary
    assert len(answer.query) <= service.settings.max_question_chars


def test_admin_commands_refuse_members(service: Crosscheck, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen in June.", encoding="utf-8")
    with pytest.raises(NotAllowed):
        service.ingest(MEMBER, str(article))
    with pytest.raises(NotAllowed):
        service.forget(MEMBER, 1)
    with pytest.raises(NotAllowed):
        service.correct(MEMBER, 1, actor="Northland")
    with pytest.raises(NotAllowed):
        service.add_alias(MEMBER, "Ostgrad", "Northland")
    configured = Crosscheck(
        Settings(database_url=service.settings.database_url, admin_users=frozenset({"U-member"})), service.store
    )
    assert configured.is_admin(MEMBER)


def test_correction_and_audit(service: Crosscheck) -> None:
    target = next(c for c in service.claims(ADMIN) if c.actor is None)
    fixed = service.correct(ADMIN, target.id, actor="Market watchers")
    assert fixed.actor == "Market watchers"
    actions = [e.action for e in service.audit(ADMIN)]
    assert "correct" in actions and "ingest" in actions
    with pytest.raises(NotFound):
        service.correct(ADMIN, 99_999, actor="x")


def test_feedback_is_stored_per_workspace(service: Crosscheck) -> None:
    target = service.claims(ADMIN)[0]
    service.feedback(MEMBER, "Is Northland withdrawing?", target.id, "wrong_stance")
    assert [f.kind for f in service.list_feedback(ADMIN)] == ["wrong_stance"]
    assert service.list_feedback(OTHER) == []
    with pytest.raises(BadInput):
        service.feedback(MEMBER, "q", target.id, "rude")
    with pytest.raises(NotFound):
        service.feedback(OTHER, "q", target.id, "wrong_match")


def test_latest_filters_by_side_and_time(service: Crosscheck) -> None:
    latest = service.latest(MEMBER, limit=2)
    assert [u.headline for u in latest.updates] == ["Grain prices", "Alliance sees no withdrawal"]
    alliance = service.latest(MEMBER, actor="southern alliance")
    assert [u.headline for u in alliance.updates] == ["Alliance sees no withdrawal"]
    since = service.latest(MEMBER, since=datetime(2030, 5, 1, 10, tzinfo=UTC))
    assert {u.headline for u in since.updates} == {"Grain prices", "Alliance sees no withdrawal"}
