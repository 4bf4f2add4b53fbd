"""The pruned candidate search used when a question matches many claims: same best claims, same workspace rules."""

from __future__ import annotations

import pytest

import bot.store.fulltext as fulltext_module
import bot.store.store as store_module
from bot.store import NewClaim, NewUpdate, Store


def fill(store: Store, workspace: str, texts: list[str]) -> None:
    claims = [NewClaim(text=t, sentence=t, kind="direct") for t in texts]
    store.save_source(
        workspace,
        "u",
        url=f"https://example.test/{workspace}",
        name=None,
        title=None,
        content_hash=workspace,
        published_at=None,
        updates=[NewUpdate("u", "h", None, None, claims)],
    )


@pytest.fixture
def pruned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds as a million-claim store meets them, scaled down to a test's few hundred claims."""
    monkeypatch.setattr(fulltext_module, "EXACT_MATCHES", 5)
    monkeypatch.setattr(fulltext_module, "POSTGRES_EXACT_MATCHES", 5)
    monkeypatch.setattr(store_module, "POOL_MATCHES", 20)


def test_pruned_search_finds_the_claims_that_cover_the_question(store: Store, pruned: None) -> None:
    filler = [f"the convoy waited near the river crossing number {i}" for i in range(150)]
    filler += [f"officials said the convoy moved on day {i}" for i in range(100)]
    best = "the convoy reached Velmora near the river at dawn"
    partial = ["a convoy left Velmora", "Velmora was quiet near the river"]
    fill(store, "a", filler + partial + [best])
    hits = store.candidates("a", '"convoy" OR "velmora" OR "near" OR "river"', [], 5)
    texts = [c.text for c in store.claims_by_id("a", [i for i, _ in hits]).values()]
    assert len(hits) == 5
    top = store.claims_by_id("a", [hits[0][0]])[hits[0][0]]
    assert top.text == best
    assert set(partial) <= set(texts)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)


def test_pruned_search_keeps_to_the_workspace(store: Store, pruned: None) -> None:
    fill(store, "other", [f"the convoy reached Velmora near the river, report {i}" for i in range(120)])
    fill(store, "mine", [f"the convoy waited near the river {i}" for i in range(60)] + ["Velmora is calm"])
    hits = store.candidates("mine", '"convoy" OR "velmora"', [], 10)
    mine = {c.id for c in store.claims("mine")}
    # the other workspace's claims hold both words and would come first; of this one's, the rarer word wins
    assert len(hits) == 10 and {i for i, _ in hits} <= mine
    assert store.claims_by_id("mine", [hits[0][0]])[hits[0][0]].text == "Velmora is calm"


def test_pruned_and_exact_search_agree_on_the_best_claim(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, "a", [f"grain ships wait at the port {i}" for i in range(80)] + ["grain ships left the port of Tarn"])
    question = '"grain" OR "ships" OR "port" OR "tarn"'
    exact = store.candidates("a", question, [], 3)
    monkeypatch.setattr(fulltext_module, "EXACT_MATCHES", 5)
    monkeypatch.setattr(fulltext_module, "POSTGRES_EXACT_MATCHES", 5)
    monkeypatch.setattr(store_module, "POOL_MATCHES", 10)
    store._matches.clear()
    assert store.candidates("a", question, [], 3)[0][0] == exact[0][0]


def test_pruned_search_finds_claims_holding_only_common_words(store: Store, pruned: None) -> None:
    # "Velmora" is the rare word; the claim that holds every other word of the question but not it covers more
    filler = [f"the convoy waited {i}" for i in range(60)] + [f"the river rose {i}" for i in range(60)]
    filler += [f"a bridge was closed {i}" for i in range(60)] + [f"Velmora was quiet {i}" for i in range(30)]
    fill(store, "a", [*filler, "the convoy crossed the river bridge at dawn"])
    hits = store.candidates("a", '"convoy" OR "river" OR "bridge" OR "velmora"', [], 5)
    texts = {c.text for c in store.claims_by_id("a", [i for i, _ in hits]).values()}
    assert "the convoy crossed the river bridge at dawn" in texts


def test_combinations_are_the_smallest_that_pass() -> None:
    from bot.store.fulltext import Concept, combinations_above

    a, b, c, d = (Concept((w,), 1) for w in "abcd")
    weight = {id(a): 5.0, id(b): 3.0, id(c): 2.0, id(d): 1.0}
    found = [{x.phrases[0] for x in combination} for combination in combinations_above([a, b, c, d], weight, 5.5)]
    # every set passes 5.5, and dropping any member of it does not
    assert sorted(map(sorted, found)) == [["a", "b"], ["a", "c"], ["a", "d"], ["b", "c", "d"]]


def test_a_combination_weighing_the_floor_to_within_rounding_is_not_above_it() -> None:
    # the floor is a sum of the same weights added in another order (here 14.149999999999999 against the walk's
    # 14.15): the three words are not above it, and all four are
    from bot.store.fulltext import Concept, combinations_above

    a, b, c, d = (Concept((w,), 1) for w in "abcd")
    weight = {id(a): 5.97, id(b): 5.44, id(c): 2.74, id(d): 1.0}
    floor = 2.74 + 5.44 + 5.97
    found = [{x.phrases[0] for x in combination} for combination in combinations_above([a, b, c, d], weight, floor)]
    assert found == [{"a", "b", "c", "d"}]


def test_a_combination_held_by_many_claims_gives_its_shortest(store: Store, pruned: None) -> None:
    # forty claims hold the same common words and weigh the same: the shortest of them are the candidates, on both
    # backends (PostgreSQL sorts them on the server and sends back only as many as are asked for)
    filler = [f"the convoy crossed the river {'slowly ' * (i % 7)}at hour {i}" for i in range(40)]
    filler += [f"Velmora was quiet {i}" for i in range(30)] + [f"a convoy {i}" for i in range(40)]
    filler += [f"a river {i}" for i in range(40)]
    fill(store, "a", [*filler, "the convoy crossed the river"])
    hits = store.candidates("a", '"convoy" OR "river" OR "velmora"', [], 3)
    texts = [c.text for c in store.claims_by_id("a", [i for i, _ in hits]).values()]
    assert "the convoy crossed the river" in texts
    assert not any("slowly" in t for t in texts)


@pytest.mark.parametrize("short_ones", [5, 1])
def test_the_short_claims_asked_first_give_the_same_candidates(
    store: Store, pruned: None, monkeypatch: pytest.MonkeyPatch, short_ones: int
) -> None:
    # a combination of common words held by many claims, a few of them under SHORT_CLAIM_CHARS: PostgreSQL asks its
    # short claims' index first, and the whole index when fewer of them match than are asked for (short_ones=1)
    long_tail = " after a long night of shelling along the northern road"
    filler = [f"the convoy crossed the river {i}" for i in range(short_ones)]
    filler += [f"the convoy crossed the river {i}{long_tail}" for i in range(40)]
    filler += [f"Velmora was quiet {i}" for i in range(30)] + [f"a convoy {i}" for i in range(40)]
    filler += [f"a river {i}" for i in range(40)]
    fill(store, "a", filler)
    question = '"convoy" OR "river" OR "velmora"'
    monkeypatch.setattr(store_module, "SHORT_FIRST_FROM", 10**9)  # never: the whole index alone
    store._matches.clear()
    whole = store.candidates("a", question, [], 3)
    monkeypatch.setattr(store_module, "SHORT_FIRST_FROM", 0)  # always
    store._matches.clear()
    assert store.candidates("a", question, [], 3) == whole
    texts = [c.text for c in store.claims_by_id("a", [i for i, _ in whole]).values()]
    assert sum(1 for t in texts if long_tail not in t) == min(short_ones, 3)


def test_a_question_whose_rarest_word_is_common_is_answered_through_combinations(
    store: Store, pruned: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every word of the question is held by more claims than READ_MOST: PostgreSQL reads no word's claims whole but
    # asks for combinations, heaviest first; the claims holding both words still come first, the same as reading
    filler = [f"the convoy waited {i}" for i in range(60)] + [f"the river rose {i}" for i in range(50)]
    filler += [f"the convoy crossed the river at hour {i}" for i in range(8)]
    fill(store, "a", filler)
    question = '"convoy" OR "river"'
    monkeypatch.setattr(store_module, "READ_MOST", None)
    store._matches.clear()
    reading = store.candidates("a", question, [], 12)
    monkeypatch.setattr(store_module, "READ_MOST", 10)
    store._matches.clear()
    combining = store.candidates("a", question, [], 12)
    assert {i for i, _ in combining} == {i for i, _ in reading}
    texts = [store.claims_by_id("a", [i])[i].text for i, _ in combining[:8]]
    assert all("crossed the river" in t for t in texts)


def test_nth_best_counts_equal_weights() -> None:
    from bot.store.fulltext import nth_best

    assert nth_best([3.0, 1.0, 3.0, 2.0], 1) == 3.0
    assert nth_best([3.0, 1.0, 3.0, 2.0], 2) == 3.0
    assert nth_best([3.0, 1.0, 3.0, 2.0], 3) == 2.0
    assert nth_best([3.0], 2) == 0.0


def test_best_is_a_full_sort_by_weight_then_length_then_id() -> None:
    import random

    from bot.store.fulltext import Pool, best

    rng = random.Random(7)
    for _ in range(50):
        ids = rng.sample(range(10_000), 300)
        pool = Pool({i: rng.choice([1.0, 2.5, 3.0, 4.5]) for i in ids})
        lengths = {i: rng.randrange(20, 30) for i in ids}
        limit = rng.randrange(1, 320)
        want = sorted(lengths, key=lambda i: (-pool.weights[i], lengths[i], i))[:limit]
        assert [i for i, _ in best(pool, lengths, limit)] == want


def test_heaviest_picks_as_nlargest_does_ties_in_pool_order() -> None:
    import heapq
    import random
    from operator import itemgetter

    from bot.store.fulltext import heaviest

    rng = random.Random(11)
    for _ in range(200):
        ids = rng.sample(range(100_000), rng.randrange(0, 400))
        weights = {i: rng.choice([1.0, 1.7, 2.5, 3.0, 4.2]) for i in ids}
        n = rng.randrange(1, 450)
        assert heaviest(weights, n) == [i for i, _ in heapq.nlargest(n, weights.items(), key=itemgetter(1))]


def test_pool_add_in_bulk_is_adding_one_by_one() -> None:
    import random

    from bot.store.fulltext import Pool

    rng = random.Random(5)
    for _ in range(100):
        pool, slow = Pool(), {}
        for _ in range(rng.randrange(1, 5)):
            ids, weight = rng.sample(range(500), rng.randrange(0, 200)), rng.choice([0.5, 1.25, 2.0])
            pool.add(iter(ids), weight)
            for i in ids:
                slow[i] = slow.get(i, 0.0) + weight
        assert list(pool.weights.items()) == list(slow.items())


class _Index:
    """A toy index for pruned_pool: claims as sets of words, expressions as Python, evaluated claim by claim."""

    def __init__(self, claims: dict[int, frozenset[str]], lengths: dict[int, int]) -> None:
        self.claims, self.lengths = claims, lengths
        self.combinations = 0  # queries for a combination's n shortest

    syntax = fulltext_module.Syntax(
        any_of=lambda phrases: f"has({tuple(phrases)!r})",
        all_parts=lambda parts: "(" + " and ".join(parts) + ")",
        any_part=lambda parts: "(" + " or ".join(parts) + ")",
        but_not=lambda a, b: f"({a} and not {b})",
    )

    def matches(self, expression: str, words: frozenset[str]) -> bool:
        return bool(eval(expression, {"has": lambda phrases: any(p in words for p in phrases)}))

    def holding(self, first: str, each: object, n: int | None, _most: int) -> list[tuple[int, list[bool]]]:
        found = sorted((i for i, words in self.claims.items() if self.matches(first, words)), key=self._order)
        if n is not None:
            self.combinations += 1
            found = found[:n]
        return [(i, [self.matches(e, self.claims[i]) for e in each]) for i in found]  # type: ignore[attr-defined]

    def ids(self, expression: str, n: int | None, most: int) -> list[int]:
        return [i for i, _ in self.holding(expression, [], n, most)]

    def _order(self, i: int) -> tuple[int, int]:
        return (self.lengths[i], i)


def test_combinations_read_with_every_word_held_weigh_exactly_and_ask_less() -> None:
    # On PostgreSQL a combination's claims come back with which other common words each holds: they weigh what
    # they cover at once (not their combination's share), and a combination whose claims all came back spares the
    # larger ones holding it. The best claims are those of an exhaustive count of every claim's covered weight.
    import random

    from bot.store.fulltext import Concept, best, nth_best, pruned_pool

    limit = 10
    rng = random.Random(3)
    asked = {"exact": 0, "lower bound": 0}

    def floor(pool: fulltext_module.Pool) -> float:
        return nth_best(pool.weights.values(), limit) if len(pool.weights) >= limit else 0.0

    for _ in range(60):
        words = "abcdef"
        share = {w: rng.uniform(0.05, 0.6) for w in words}
        claims = {i: frozenset(w for w in words if rng.random() < share[w]) for i in range(1, 301)}
        claims = {i: held for i, held in claims.items() if held}
        index = _Index(claims, {i: rng.randrange(20, 120) for i in claims})
        concepts = [Concept((w,), sum(1 for held in claims.values() if w in held)) for w in words]
        weight = {c.phrases[0]: c.weight(len(claims)) for c in concepts if c.matches}
        exhaustive = {i: sum(weight[w] for w in words if w in held) for i, held in claims.items()}
        want = best(fulltext_module.Pool(exhaustive), index.lengths, limit)
        for way, holding in (("exact", index.holding), ("lower bound", None)):
            index.combinations = 0
            pool = pruned_pool(concepts, len(claims), limit, index.syntax, index.ids, floor, 40, holding)
            asked[way] += index.combinations
            if way == "exact":
                assert all(pool.weights[i] == pytest.approx(exhaustive[i]) for i in pool.weights)
                got = best(pool, {i: index.lengths[i] for i in pool.weights}, limit)
                assert [i for i, _ in got] == [i for i, _ in want]
    assert asked["exact"] < asked["lower bound"]
