"""The rules of following on our own invented statements: intervals, subscriptions, item keys, topics, flips."""

from __future__ import annotations

import pytest

from bot.answers import ClaimView
from bot.errors import BadInput
from bot.follow.rules import alert_key, claim_key, flips, on_topic, parse_interval, parse_subscription


def claim(i: int, text: str, speaker: str = "Ana Petrel", actor: str | None = "Veloria") -> ClaimView:
    return ClaimView(id=i, text=text, sentence=text, kind="indirect", speaker=speaker, actor=actor, cue="said")


@pytest.mark.parametrize(
    ("text", "seconds"), [("5m", 300), ("90s", 90), ("2h", 7200), ("10 minutes", 600), ("1.5h", 5400), ("120", 120)]
)
def test_intervals(text: str, seconds: int) -> None:
    assert parse_interval(text, minimum=60) == seconds


@pytest.mark.parametrize("text", ["5x", "soon", "", "-5m"])
def test_intervals_that_are_not(text: str) -> None:
    with pytest.raises(BadInput, match="interval"):
        parse_interval(text, minimum=60)


def test_subscriptions_as_users_write_them() -> None:
    known = {"veloria": "Veloria", "ana petrel": "Ana Petrel"}
    assert parse_subscription("veloria", known).label == "Veloria"
    assert parse_subscription("VELORIA", known).kind == "actor"
    assert parse_subscription('speaker:"Ana Petrel"', known).value == "ana petrel"
    topic = parse_subscription('topic:"troop withdrawal"', known)
    assert (topic.kind, topic.label) == ("topic", "troop withdrawal")
    assert parse_subscription("topic:“grain corridor”", known).label == "grain corridor"  # Slack's curly quotes
    assert parse_subscription("grain corridor", known).kind == "topic"  # not a known name: a topic
    assert parse_subscription("alerts", known).kind == "alerts"
    with pytest.raises(BadInput):
        parse_subscription("   ", known)


def test_a_denial_is_not_the_same_item_as_the_claim_it_denies() -> None:
    said = claim(1, "The harbour will reopen to grain ships.")
    denied = claim(2, "the harbour will NOT reopen to grain ships")
    assert claim_key(said) == claim_key(claim(3, "the harbour will reopen to grain ships"))  # another source
    assert claim_key(said) != claim_key(denied)
    assert claim_key(said) != claim_key(claim(4, said.text, speaker="Lev Orsk"))
    assert alert_key(said, denied) == alert_key(denied, said)


def test_topics_match_on_stems_and_synonyms() -> None:
    assert on_topic("troop withdrawal", claim(1, "the soldiers were withdrawing from the border"))
    assert not on_topic("troop withdrawal", claim(2, "the harvest festival opens on Saturday"))
    assert not on_topic("troop withdrawal", claim(3, "more troops arrived at the border"))


def test_a_flip_is_flagged_against_the_latest_earlier_statement_it_contradicts() -> None:
    timeline = [
        claim(1, "the harbour will reopen to grain ships"),
        claim(2, "the festival opens on Saturday"),
        claim(3, "the harbour will not reopen to grain ships"),
    ]
    (flip,) = flips(timeline)
    assert (flip.earlier.id, flip.later.id) == (1, 3) and flip.reason
