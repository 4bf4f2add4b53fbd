"""Ranking on the default install (full-text candidates re-scored), on our own invented claims, on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.match.retrieve import clean_question, fuse, rank
from bot.store import NewClaim, Store

CLAIMS = [
    ("c1", "The harbour authority will double the ferry fares from next spring."),
    ("c2", "Ferry crews in the northern islands are planning a strike over pay."),
    ("c3", "The orchard cooperative reported a record apple harvest this autumn."),
    ("c4", "Lighthouse keepers on Vellmora Island rescued two stranded kayakers."),
    ("c5", "The city council denied that ferry fares would rise at all."),
]


@pytest.fixture(autouse=True)
def lexical_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # the default install's path, whether or not the semantic extra is installed on this machine
    monkeypatch.setenv("CROSSCHECK_SEMANTIC", "off")
    yield


def fill(store: Store, workspace: str, claims: list[tuple[str, str]] = CLAIMS, name: str = "invented") -> None:
    store.import_claims(
        workspace, "tester", name, [NewClaim(text=t, sentence=t, kind="imported", external_id=i) for i, t in claims]
    )


def ids(ranked: list) -> list[str | None]:
    return [r.claim.external_id for r in ranked]


def test_best_match_first_and_scores_in_range(store: Store) -> None:
    fill(store, "w1")
    ranked = rank(store, "w1", "Will ferry fares double next spring?")
    assert ids(ranked)[0] == "c1"
    assert "c3" not in ids(ranked)  # shares no word with the question
    assert all(0.0 <= r.score <= 1.0 for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_misspelt_name_still_found_through_the_other_words(store: Store) -> None:
    fill(store, "w1")
    assert ids(rank(store, "w1", "Did keepers on Velmora island rescue kayakers?"))[0] == "c4"


def test_limit_is_respected(store: Store) -> None:
    fill(store, "w1")
    assert len(rank(store, "w1", "ferry fares strike harvest", limit=2)) == 2


def test_workspaces_never_mix(store: Store) -> None:
    fill(store, "w1")
    fill(store, "w2", [("x1", "Ferry fares are frozen until the winter ends.")], name="other")
    assert ids(rank(store, "w2", "ferry fares")) == ["x1"]
    assert "x1" not in ids(rank(store, "w1", "ferry fares"))
    assert rank(store, "nobody", "ferry fares") == []


def test_forgotten_claims_are_not_ranked(store: Store) -> None:
    fill(store, "w1")
    fill(store, "w1", [("f1", "Ferry fares to Vellmora will double.")], name="to-forget")
    assert "f1" in ids(rank(store, "w1", "ferry fares double Vellmora"))
    source = next(s for s in store.sources("w1") if s.name == "to-forget")
    store.forget("w1", "tester", source.id)
    assert "f1" not in ids(rank(store, "w1", "ferry fares double Vellmora"))


@pytest.mark.parametrize("question", ["", "   ", "?!", "is it the", "🙂🙂", "https://example.org/a/b", "#"])
def test_degenerate_questions_match_nothing(store: Store, question: str) -> None:
    fill(store, "w1")
    assert rank(store, "w1", question) == []


def test_empty_store_and_other_scripts(store: Store) -> None:
    assert rank(store, "w1", "ferry fares") == []
    fill(store, "w1")
    assert rank(store, "w1", "паромные тарифы") == []


def test_long_question_is_answered(store: Store) -> None:
    fill(store, "w1")
    assert ids(rank(store, "w1", "ferry fares double spring " + "lorem ipsum " * 2000))[:1] == ["c1"]


def test_links_removed_and_hashtags_split() -> None:
    cleaned = clean_question("Fares up again #FerryFares2025 https://t.co/Ab12 see pic.twitter.com/xY9 www.example.com")
    assert cleaned == "Fares up again Ferry Fares 2025 see"
    assert clean_question("#AppleHarvest") == "Apple Harvest"


def test_link_words_do_not_decide_the_ranking(store: Store) -> None:
    fill(store, "w1", [*CLAIMS, ("t1", "A Twitter post about the weather went viral.")])
    ranked = ids(rank(store, "w1", "Orchard reports record #AppleHarvest pic.twitter.com/q1w2e3"))
    assert ranked[0] == "c3"
    assert "t1" not in ranked


def test_reciprocal_rank_fusion() -> None:
    # 3 is second and first: 1/62 + 1/61 beats 1's single 1/61
    assert fuse([[1, 3, 2], [3, 4]]) == [3, 1, 4, 2]
    assert fuse([[5, 6], [6, 5]]) == [5, 6]  # a tie keeps the first list's order
    assert fuse([[], []]) == []
