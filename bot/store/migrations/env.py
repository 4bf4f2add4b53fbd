"""Alembic environment: runs migrations on the connection bot.store.migrate hands over (or on sqlalchemy.url)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.store.models import Base


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # batch mode lets SQLite alter tables by copying them, as it has no ALTER for constraints
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Run migrations with `crosscheck db upgrade` (or set sqlalchemy.url).")
    with create_engine(url).begin() as conn:
        _run(conn)
