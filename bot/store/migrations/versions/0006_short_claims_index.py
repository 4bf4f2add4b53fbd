"""PostgreSQL: a full-text index of the short claims alone, where a question's combinations of common words find
their shortest claims without visiting the rows of every longer claim that matches (bot.store.fulltext).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # the statement as it stood at this revision (bot.store.fulltext.POSTGRES_SHORT_INDEX may change later)
        op.execute("CREATE INDEX IF NOT EXISTS ix_claims_tsv_short ON claims USING gin (tsv) WHERE length(text) < 60")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_tsv_short")
