"""The full-text index of claims on each backend: SQLite FTS5 (porter) or PostgreSQL tsvector ('english'), kept in
sync by triggers, and the safe translation of a question's terms into each backend's query."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field

# Both indexes hold the same three fields with the same weights: the statement, the article's title, and who said it
# (speaker and side names, so "What did Dalen say about troops?" finds Dalen's claims).
TEXT_WEIGHT, TITLE_WEIGHT, WHO_WEIGHT = 1.0, 0.6, 0.4

_WHO_SQLITE = (
    "coalesce((SELECT name FROM speakers WHERE id = new.speaker_id), '') || ' ' || "
    "coalesce((SELECT name FROM actors WHERE id = new.actor_id), '')"
)

SQLITE_DDL: tuple[str, ...] = (
    # the porter tokenizer stems ("withdrawing" finds "withdrawal"); rowid is the claim's id
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts USING fts5(text, title, who, tokenize='porter unicode61')",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims BEGIN
         INSERT INTO claim_fts(rowid, text, title, who) VALUES (new.id, new.text, coalesce(new.title, ''), {_WHO_SQLITE});
       END""",
    """CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims BEGIN
         DELETE FROM claim_fts WHERE rowid = old.id;
       END""",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE ON claims BEGIN
         DELETE FROM claim_fts WHERE rowid = old.id;
         INSERT INTO claim_fts(rowid, text, title, who) VALUES (new.id, new.text, coalesce(new.title, ''), {_WHO_SQLITE});
       END""",
)

# The short claims' own index (PostgreSQL): a combination of common words can match tens of thousands of claims, whose
# rows GIN must all visit to find the 200 shortest (45-60 ms at a million claims). When at least that many short
# claims match, those are the shortest: they are found in this smaller index, visiting only their rows; else the
# whole index is asked as before. The answer is the same either way.
SHORT_CLAIM_CHARS = 60
POSTGRES_SHORT_INDEX = (
    f"CREATE INDEX IF NOT EXISTS ix_claims_tsv_short ON claims USING gin (tsv) WHERE length(text) < {SHORT_CLAIM_CHARS}"
)
# A combination whose rarest concept this many claims hold asks the short claims first (at fewer, the extra query
# costs more than it saves): candidates p50 44.5 -> 33.9 ms at 1M claims, unchanged at 100k
SHORT_FIRST_FROM = 10_000

# A trigger rather than a generated column: a generated column cannot read the speaker's and side's names.
POSTGRES_DDL: tuple[str, ...] = (
    "ALTER TABLE claims ADD COLUMN IF NOT EXISTS tsv tsvector",
    """CREATE OR REPLACE FUNCTION crosscheck_claims_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.tsv := setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
           || setweight(to_tsvector('english', coalesce(NEW.title, '')), 'B')
           || setweight(to_tsvector('english',
                coalesce((SELECT name FROM speakers WHERE id = NEW.speaker_id), '') || ' ' ||
                coalesce((SELECT name FROM actors WHERE id = NEW.actor_id), '')), 'C');
         RETURN NEW;
       END $$""",
    "DROP TRIGGER IF EXISTS claims_tsv ON claims",
    "CREATE TRIGGER claims_tsv BEFORE INSERT OR UPDATE OF text, title, speaker_id, actor_id ON claims "
    "FOR EACH ROW EXECUTE FUNCTION crosscheck_claims_tsv()",
    "CREATE INDEX IF NOT EXISTS ix_claims_tsv ON claims USING gin (tsv)",
    POSTGRES_SHORT_INDEX,
)

# ts_rank_cd's weights are listed {D, C, B, A}: the same proportions as FTS5's bm25 column weights
POSTGRES_WEIGHTS = f"{{0.1, {WHO_WEIGHT}, {TITLE_WEIGHT}, {TEXT_WEIGHT}}}"

_QUOTED = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 64


def query_terms(fts: str, terms: Sequence[str]) -> list[str]:
    """The phrases to search for: those of the FTS5 expression (quoted, OR-ed), else the normalised terms.

    Each phrase keeps letters and digits only, so nothing a user types can become query syntax on either backend.
    """
    phrases = _QUOTED.findall(fts or "") or list(terms)
    out: dict[str, None] = {}
    for phrase in phrases:
        cleaned = " ".join(_WORD.findall(phrase.lower()))
        if cleaned:
            out[cleaned] = None
    return list(out)[:MAX_TERMS]


def sqlite_match(phrases: Sequence[str]) -> str:
    """An FTS5 MATCH expression that ORs quoted phrases (quotes make every word a plain term, never an operator)."""
    return " OR ".join(f'"{p}"' for p in phrases)


def postgres_tsquery(phrases: Sequence[str]) -> str:
    """SQL for a tsquery that ORs the phrases: phraseto_tsquery of each, as a literal. Safe because query_terms
    leaves letters, digits and spaces only (no quote can end the literal), and phraseto_tsquery has no syntax."""
    return "(" + " || ".join(f"phraseto_tsquery('english', '{p}')" for p in phrases) + ")"


# ---- candidates at scale ---------------------------------------------------------------------------------------
#
# Ranking every match with bm25 (FTS5) or ts_rank_cd costs microseconds a row, and a question's common words match a
# large part of a big store: at 100k claims that alone took 80-600 ms. So when the matches are many, candidates are
# chosen by how much of the question a claim covers, each concept (a word with its synonyms) weighted by its rarity
# (as bot.match.retrieve scores them), with MaxScore-style pruning: the rarest concepts' claims form the pool, the
# common concepts are only tested against that pool (an AND query, which both indexes answer by skipping), and
# claims holding only common concepts can score at most the common concepts' weight.

EXACT_MATCHES = 3000  # up to this many matches the index ranks them all itself (bm25 / ts_rank_cd)
# PostgreSQL visits every match's row to rank it (a heap visit and ts_rank_cd; FTS5's bm25 reads its own index): past
# this many it is cheaper to weigh claims as the pruned search does (10k claims: candidates p95 34 -> 9 ms)
POSTGRES_EXACT_MATCHES = 1000


def ranked_by_index(dialect: str, matches: int) -> bool:
    """Whether a question matching this many claims is ranked by the index itself (bm25 / ts_rank_cd) rather than
    by the pruned search's covered weight: the store's candidates and the scorer's reading of their index score."""
    return matches <= (POSTGRES_EXACT_MATCHES if dialect == "postgresql" else EXACT_MATCHES)


POOL_MATCHES = 2500  # the rare concepts' postings read per question beyond that


@dataclass(frozen=True)
class Concept:
    """One word of the question with its synonyms: any phrase counts, once."""

    phrases: tuple[str, ...]
    matches: int  # how many claims hold it (an estimate on PostgreSQL)

    def weight(self, claims: int) -> float:
        return 1.0 + math.log((1 + claims) / (1 + self.matches))


def keyed_concepts(phrases: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Phrases grouped by the synonym or stem they normalise to ("soldiers", "troops" are one concept), keyed by it."""
    from bot.match.text import normalise

    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        tokens = normalise(phrase)
        if not tokens:
            continue
        groups.setdefault(tokens[0] if len(tokens) == 1 else " ".join(tokens), []).append(phrase)
    return {key: tuple(g) for key, g in groups.items()}


def group_concepts(phrases: Sequence[str]) -> list[tuple[str, ...]]:
    """Phrases grouped by the synonym or stem they normalise to ("soldiers", "troops" are one concept)."""
    return list(keyed_concepts(phrases).values())


@dataclass
class Pool:
    """Claims found for a question and the summed weight of the concepts each holds."""

    weights: dict[int, float] = field(default_factory=dict)
    bound: float = 0.0  # what a claim outside the pool can weigh at most (set by pruned_pool as it goes)

    def add(self, ids: Iterable[int], weight: float) -> None:
        # in bulk (thousands of ids a question): the claims already in the pool keep their place, new ones follow in
        # the order given, as adding them one by one would leave them (ties among equal weights are taken in it)
        weights = self.weights
        found = dict.fromkeys(ids, weight)
        if weights:
            for i in found.keys() & weights.keys():
                found[i] = weights[i] + weight
        weights.update(found)


def plan(
    concepts: Sequence[Concept], limit: int, pool_matches: int = POOL_MATCHES
) -> tuple[list[Concept], list[Concept]]:
    """The essential concepts (rarest first, their postings within the budget; at least one) and the rest."""
    ordered = sorted(concepts, key=lambda c: c.matches)
    budget = max(pool_matches, 10 * limit)
    essential: list[Concept] = []
    total = 0
    for concept in ordered:
        if essential and total + concept.matches > budget:
            break
        essential.append(concept)
        total += concept.matches
    return essential, ordered[len(essential) :]


def nth_best(values: Iterable[float], n: int) -> float:
    """The ``n``-th largest of ``values`` (0.0 when there are fewer). A pool's weights are sums of a question's few
    concept weights, so they take few distinct values: counted, not sorted (a big pool holds tens of thousands)."""
    counts = Counter(values)
    seen = 0
    for value in sorted(counts, reverse=True):
        seen += counts[value]
        if seen >= n:
            return value
    return 0.0


def heaviest(weights: dict[int, float], n: int) -> list[int]:
    """The ``n`` heaviest ids, heaviest first, ties in the dict's order: what ``heapq.nlargest(n, weights.items(),
    key=weight)`` picks, by one sort in C rather than a heap of decorated tuples (0.8 -> 0.2 ms a question at 100k
    claims; sorted() is stable, also in reverse)."""
    return sorted(weights, key=weights.__getitem__, reverse=True)[:n]


def best(pool: Pool, lengths: dict[int, int], limit: int) -> list[tuple[int, float]]:
    """The pool's claims of the workspace, most covered first; among equals the shorter (closer) claims."""
    weights = pool.weights
    floor = nth_best(map(weights.__getitem__, lengths), limit)
    above = sorted((i for i in lengths if weights[i] > floor), key=lambda i: (-weights[i], lengths[i], i))
    # the claims weighing just the floor can be thousands: the shortest of them fill the list (ties by id)
    tied = sorted(i for i in lengths if weights[i] == floor)
    ranked = above + heapq.nsmallest(limit - len(above), tied, key=lengths.__getitem__)
    return [(i, weights[i]) for i in ranked[:limit]]


@dataclass(frozen=True)
class Syntax:
    """How a backend writes a question's parts: any of some phrases, all or any of some parts, one but not another."""

    any_of: Callable[[Sequence[str]], str]
    all_parts: Callable[[Sequence[str]], str]
    any_part: Callable[[Sequence[str]], str]
    but_not: Callable[[str, str], str]


SQLITE_SYNTAX = Syntax(
    any_of=lambda phrases: f"({sqlite_match(phrases)})",
    all_parts=lambda parts: "(" + " AND ".join(parts) + ")",
    any_part=lambda parts: "(" + " OR ".join(parts) + ")",
    but_not=lambda a, b: f"({a} NOT {b})",
)
POSTGRES_SYNTAX = Syntax(
    any_of=postgres_tsquery,
    all_parts=lambda parts: "(" + " && ".join(parts) + ")",
    any_part=lambda parts: "(" + " || ".join(parts) + ")",
    but_not=lambda a, b: f"({a} && !!{b})",
)

MAX_COMBINATIONS = 8  # the heaviest combinations of common concepts looked for
WEIGHT_ROUNDING = 1e-9  # how far apart two sums of the same concept weights can be, added in different orders
# a backend's ids(expression, n, most) that also gives, for each claim, whether it matches each of some other
# expressions: holding(expression, others, n, most) -> (id, one bool per other expression)
Holding = Callable[[str, Sequence[str], int | None, int], Iterable[tuple[int, Sequence[bool]]]]


def combinations_above(
    concepts: Sequence[Concept], weight: dict[int, float], threshold: float, skip: Set[frozenset[int]] = frozenset()
) -> list[list[Concept]]:
    """Every smallest set of ``concepts`` weighing more than ``threshold`` together (dropping any member leaves it at
    or under), sets of the heaviest concepts first, but those in ``skip`` (sets of the concepts' ids); the listing
    stops past MAX_COMBINATIONS + 1 sets. Weights are sums of floats added in other orders elsewhere: a set weighing
    the threshold to within rounding is not above it (and a larger set holding it may be)."""
    threshold += WEIGHT_ROUNDING
    order = sorted(concepts, key=lambda c: -weight[id(c)])
    after = [0.0] * (len(order) + 1)  # what the concepts from each position on weigh together
    for j in range(len(order) - 1, -1, -1):
        after[j] = after[j + 1] + weight[id(order[j])]
    out: list[list[Concept]] = []

    def walk(start: int, chosen: list[Concept], total: float) -> None:
        for j in range(start, len(order)):
            if len(out) > MAX_COMBINATIONS or total + after[j] <= threshold:
                return
            w = weight[id(order[j])]
            if total + w > threshold:  # heaviest first: the one added last is the lightest, so the set is smallest
                found = [*chosen, order[j]]
                if frozenset(map(id, found)) not in skip:
                    out.append(found)
            else:
                walk(j + 1, [*chosen, order[j]], total + w)

    walk(0, [], 0.0)
    return out


def pruned_pool(
    concepts: Sequence[Concept],
    total: int,
    limit: int,
    syntax: Syntax,
    ids: Callable[[str, int | None, int], list[int]],
    threshold: Callable[[Pool], float],
    pool_matches: int = POOL_MATCHES,
    holding: Holding | None = None,
    read_most: int | None = None,
) -> Pool:
    """Every claim that can be among the ``limit`` best by covered weight, with that weight (MaxScore).

    The essential (rarest) concepts' postings are read whole, and the others are only tested against them. A claim
    holding no essential concept can still make the list if the common concepts it holds weigh more than
    ``threshold`` (the pool's ``limit``-th best weight, 0 until it has that many): those claims hold one of the
    smallest such combinations, which the index finds by intersecting postings (cheap) rather than reading them.
    ``ids(expression, n, most)`` gives the claims matching an expression of ``syntax``; given ``n``, a backend
    may give only the ``n`` shortest (ties by id): a combination's claims all weigh the same, and past its ``limit``
    shortest none can enter the best list (``best`` breaks ties by length). ``most`` is how many claims the
    expression can match at most (its rarest concept's count): a hint for how to look, never a cap. ``holding``,
    where a backend has it, is ``ids`` that also tells, for each claim, which of some other expressions it matches:
    the pool's claims are then read once, not once per concept (PostgreSQL, where each read is a row visit), and a
    combination's claims come with their whole weight (see below). ``read_most``: when even the rarest concept has
    more matches than this, no postings are read whole and every claim is found through combinations (PostgreSQL,
    where reading tens of thousands of rows costs more than asking for the shortest few hundred of a few
    combinations).
    """
    concepts = [c for c in concepts if c.matches]  # a concept no claim holds finds nothing and bounds nothing
    weight = {id(c): c.weight(total) for c in concepts}
    pool = Pool()
    if not concepts:
        return pool
    essential, common = plan(concepts, limit, pool_matches)
    if read_most is not None and essential[0].matches > read_most:
        essential, common = [], [*essential, *common]
    either = syntax.any_of([p for c in essential for p in c.phrases]) if essential else ""
    worth: dict[frozenset[int], float] = {}  # per set of concepts held: few sets, many claims

    def weigh(rows: Iterable[tuple[int, Sequence[bool]]], held: frozenset[int], tested: Sequence[Concept]) -> int:
        """Gives each claim of ``rows`` (each holding the concepts ``held``, their ids, and those of ``tested`` its
        tests say) what it covers, summed in one order whichever query found it, so that claims holding the same
        concepts weigh exactly the same and their ties go by length; returns how many claims came."""
        by_tests: dict[tuple[bool, ...], float] = {}  # thousands of claims, a few sets of concepts held
        count = 0
        for i, tests in rows:
            count += 1
            key = tuple(tests)
            if key not in by_tests:
                every = held | {id(c) for c, t in zip(tested, key, strict=True) if t}
                if every not in worth:
                    worth[every] = sum(weight[id(c)] for c in concepts if id(c) in every)
                by_tests[key] = worth[every]
            pool.weights[i] = by_tests[key]
        return count

    if essential and holding is not None:
        tested = (*essential, *common)
        weigh(holding(either, [syntax.any_of(c.phrases) for c in tested], None, 0), frozenset(), tested)
    elif essential:
        for concept in essential:
            pool.add(ids(syntax.any_of(concept.phrases), None, concept.matches), weight[id(concept)])
        for concept in common:
            query = syntax.all_parts([syntax.any_of(concept.phrases), either])
            pool.add(ids(query, None, min(concept.matches, sum(c.matches for c in essential))), weight[id(concept)])
    _combinations(pool, common, weight, weigh, limit, syntax, either, ids, threshold, holding)
    return pool


def _combinations(
    pool: Pool,
    common: Sequence[Concept],
    weight: dict[int, float],
    weigh: Callable[[Iterable[tuple[int, Sequence[bool]]], frozenset[int], Sequence[Concept]], int],
    limit: int,
    syntax: Syntax,
    either: str,
    ids: Callable[[str, int | None, int], list[int]],
    threshold: Callable[[Pool], float],
    holding: Holding | None,
) -> None:
    """Claims holding no essential concept but common ones enough to pass the floor (the pool's limit-th best): each
    holds one of the smallest such combinations, which the index finds by intersecting postings (cheap) rather than
    reading them whole. The heaviest combination is looked for first, as its claims raise the floor most, and the
    combinations are worked out again for the new floor; at most MAX_COMBINATIONS queries (past that, the pool is an
    approximation).

    Through ``ids`` a claim found so weighs its combination, a lower bound (the re-scoring counts it exactly).
    Through ``holding`` it weighs what it holds of every common concept, so the floor rises as far as it can at once
    and fewer combinations are worth asking; and when a combination's claims all came back (fewer than ``limit``),
    a larger combination holding it can find no other claim, so it is not asked."""
    pool.bound = sum(weight[id(c)] for c in common)
    asked: set[frozenset[int]] = set()
    whole: list[frozenset[int]] = []  # the combinations whose every claim came back, with its whole weight
    queries = 0
    while queries < MAX_COMBINATIONS:
        floor = threshold(pool)
        if pool.bound <= floor + WEIGHT_ROUNDING:
            break
        pending = combinations_above(common, weight, floor, asked)
        if not pending:
            break
        found = max(pending, key=lambda combination: sum(weight[id(c)] for c in combination))
        key = frozenset(map(id, found))
        asked.add(key)
        if any(smaller <= key for smaller in whole):
            continue
        queries += 1
        query = syntax.all_parts([syntax.any_of(c.phrases) for c in found])
        if either:
            query = syntax.but_not(query, either)
        most = min(c.matches for c in found)
        if holding is None:
            worth, weights = sum(weight[id(c)] for c in found), pool.weights
            for i in ids(query, limit, most):
                if weights.get(i, 0.0) < worth:
                    weights[i] = worth
            continue
        others = [c for c in common if id(c) not in key]
        if weigh(holding(query, [syntax.any_of(c.phrases) for c in others], limit, most), key, others) < limit:
            whole.append(key)
