"""The full-text index of claims on each backend: SQLite FTS5 (porter) or PostgreSQL tsvector ('english'), kept in
sync by triggers, and the safe translation of a question's terms into each backend's query."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
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

    def add(self, ids: Iterable[int], weight: float) -> None:
        weights = self.weights
        for i in ids:
            weights[i] = weights.get(i, 0.0) + weight


def plan(concepts: Sequence[Concept], limit: int) -> tuple[list[Concept], list[Concept]]:
    """The essential concepts (rarest first, their postings within the budget; at least one) and the rest."""
    ordered = sorted(concepts, key=lambda c: c.matches)
    budget = max(POOL_MATCHES, 10 * limit)
    essential: list[Concept] = []
    total = 0
    for concept in ordered:
        if essential and total + concept.matches > budget:
            break
        essential.append(concept)
        total += concept.matches
    return essential, ordered[len(essential) :]


def best(pool: Pool, lengths: dict[int, int], limit: int) -> list[tuple[int, float]]:
    """The pool's claims of the workspace, most covered first; among equals the shorter (closer) claims."""
    ranked = sorted(lengths, key=lambda i: (-pool.weights[i], lengths[i], i))[:limit]
    return [(i, pool.weights[i]) for i in ranked]
