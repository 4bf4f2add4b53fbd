"""Schema migrations (Alembic, shipped in bot/store/migrations): `crosscheck db upgrade` calls ``upgrade(url)``.

A database made by ``Store.ensure_schema`` is stamped with the newest revision, so later migrations apply to it; a
database made before migrations existed (tables, no version) is taken to be the first revision.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"


def _newest_revision() -> str:
    """The newest revision, from the scripts' names (NNNN_what.py, revision "NNNN"): no Alembic import on start."""
    numbers = [p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(numbers, default=FIRST)


HEAD = _newest_revision()  # a test checks that Alembic's own head agrees
EMPTY = "empty"  # no tables at all
_LOCK_KEY = 0x43524F5353  # PostgreSQL advisory lock: one process at a time creates or migrates the schema


def lock(conn: Connection) -> None:
    """Serialises schema work between processes for the rest of the transaction (SQLite: BEGIN IMMEDIATE does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def revision_of(conn: Connection) -> str:
    """The database's schema revision: EMPTY, FIRST for tables made before migrations, else the stamped one."""
    inspector = inspect(conn)
    if inspector.has_table("alembic_version"):
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if version:
            return str(version)
    return FIRST if inspector.has_table("claims") else EMPTY


def _config(conn: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def stamp_head(conn: Connection) -> None:
    """Records that the schema just created by the models is the newest revision."""
    from alembic import command

    command.stamp(_config(conn), HEAD)


def upgrade_engine(engine: Engine, revision: str = "head") -> str:
    """Migrates the database to ``revision`` in one transaction; returns the revision it is at."""
    from alembic import command

    with engine.begin() as conn:
        lock(conn)
        state = revision_of(conn)
        config = _config(conn)
        if state == FIRST and not inspect(conn).has_table("alembic_version"):
            command.stamp(config, FIRST)
        command.upgrade(config, revision)
        return revision_of(conn)


def upgrade(url: str) -> str:
    """`crosscheck db upgrade`: the database at ``url`` brought to the newest schema (created if empty).

    Returns the revision it is at. Safe to run from several processes at once and on a current database.
    """
    from bot.store.store import Store

    store = Store(url)  # creates an empty database's schema, migrates an older one
    try:
        with store.engine.connect() as conn:
            return revision_of(conn)
    finally:
        store.close()
