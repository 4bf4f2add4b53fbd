"""Following live blogs: followed sources, channel subscriptions, the delivery outbox, checked claims, channel marks.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("channel_marks", "follow_cursors", "checked_claims", "deliveries", "subscriptions", "follows")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    # bot.store.following creates its tables when missing, so a database may have them before this revision ran
    if "follows" not in existing:
        op.create_table(
            "follows",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("url", sa.String(length=2048), nullable=False),
            sa.Column("every_seconds", sa.Integer(), nullable=False),
            sa.Column("followed_by", sa.String(length=128), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_changed_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("etag", sa.String(length=512), nullable=True),
            sa.Column("last_modified", sa.String(length=128), nullable=True),
            sa.Column("failures", sa.Integer(), nullable=False),
            sa.Column("last_error", sa.Text(), nullable=True),
            sa.Column("source_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="SET NULL"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("workspace", "url"),
        )
        op.create_index("ix_follows_workspace", "follows", ["workspace"])
        op.create_index("ix_follows_next_poll_at", "follows", ["next_poll_at"])
    if "subscriptions" not in existing:
        op.create_table(
            "subscriptions",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=128), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("value", sa.String(length=256), nullable=False),
            sa.Column("label", sa.String(length=256), nullable=False),
            sa.Column("created_by", sa.String(length=128), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("workspace", "platform", "channel", "kind", "value"),
        )
        op.create_index("ix_subscriptions_workspace", "subscriptions", ["workspace"])
    if "deliveries" not in existing:
        op.create_table(
            "deliveries",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=128), nullable=False),
            sa.Column("subscription_id", sa.Integer(), nullable=False),
            sa.Column("key", sa.String(length=128), nullable=False),
            sa.Column("kind", sa.String(length=8), nullable=False),
            sa.Column("claim_id", sa.Integer(), nullable=False),
            sa.Column("other_claim_id", sa.Integer(), nullable=True),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("token", sa.String(length=32), nullable=True),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("workspace", "platform", "channel", "key"),
        )
        op.create_index("ix_deliveries_pending", "deliveries", ["platform", "status"])
        op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])
    if "checked_claims" not in existing:
        op.create_table(
            "checked_claims",
            sa.Column("claim_id", sa.Integer(), nullable=False),
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("claim_created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("claim_id"),
        )
        op.create_index("ix_checked_claims_workspace", "checked_claims", ["workspace"])
        op.create_index("ix_checked_claims_claim_created_at", "checked_claims", ["claim_created_at"])
    if "follow_cursors" not in existing:
        op.create_table(
            "follow_cursors",
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("checked_until", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("workspace"),
        )
    if "channel_marks" not in existing:
        op.create_table(
            "channel_marks",
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=128), nullable=False),
            sa.Column("seen_until", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("workspace", "platform", "channel"),
        )


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)
