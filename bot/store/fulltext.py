"""The full-text index of claims on each backend: SQLite FTS5 (porter) or PostgreSQL tsvector ('english'), kept in
sync by triggers, and the safe translation of a question's terms into each backend's query."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Both indexes hold the same three fields with the same weights: the statement, the article's title, and who said it
# (speaker and side names, so "What did Peskov say about troops?" finds Peskov's claims).
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


def postgres_tsquery(phrases: Sequence[str]) -> tuple[str, dict[str, str]]:
    """SQL for a tsquery that ORs the phrases, and its parameters; phraseto_tsquery never raises a syntax error."""
    params = {f"t{i}": phrase for i, phrase in enumerate(phrases)}
    sql = " || ".join(f"phraseto_tsquery('english', :{name})" for name in params)
    return sql, params
