"""PostgreSQL's index also holds who said it (as SQLite's does), kept by a trigger; imported ids unique per workspace.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_POSTGRES = (
    "DROP INDEX IF EXISTS ix_claims_tsv",
    "ALTER TABLE claims DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE claims ADD COLUMN tsv tsvector",
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
    "UPDATE claims SET text = text",  # fills tsv for the claims already stored, through the trigger
    "CREATE INDEX IF NOT EXISTS ix_claims_tsv ON claims USING gin (tsv)",
)


def upgrade() -> None:
    op.drop_index("ix_claims_workspace_external", table_name="claims")
    op.create_index(
        "ux_claims_workspace_external",
        "claims",
        ["workspace", "external_id"],
        unique=True,
        sqlite_where=sa.text("external_id IS NOT NULL"),
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRES:
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ux_claims_workspace_external", table_name="claims")
    op.create_index("ix_claims_workspace_external", "claims", ["workspace", "external_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in (
            "DROP TRIGGER IF EXISTS claims_tsv ON claims",
            "DROP FUNCTION IF EXISTS crosscheck_claims_tsv()",
            "DROP INDEX IF EXISTS ix_claims_tsv",
            "ALTER TABLE claims DROP COLUMN IF EXISTS tsv",
            """ALTER TABLE claims ADD COLUMN tsv tsvector GENERATED ALWAYS AS
                 (setweight(to_tsvector('english', text), 'A') ||
                  setweight(to_tsvector('english', coalesce(title, '')), 'B')) STORED""",
            "CREATE INDEX ix_claims_tsv ON claims USING gin (tsv)",
        ):
            op.execute(statement)
