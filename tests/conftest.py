"""Shared fixtures: a claim store on each backend (SQLite in tmp_path, and PostgreSQL when a server is configured).

PostgreSQL tests read the server from CROSSCHECK_TEST_POSTGRES_URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test): the session creates a throwaway database on that server, gives
each test its own schema in it, and drops the database at the end. Without the variable those tests skip, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.config import database_url
from bot.store import Store

POSTGRES_ENV = "CROSSCHECK_TEST_POSTGRES_URL"
NO_POSTGRES = (
    f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
)


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The semantic extra exports its model to ONNX into a cache folder: the test session's own, not the user's."""
    from bot.match.encoder import ENV_CACHE

    before = os.environ.get(ENV_CACHE)
    folder = tmp_path_factory.mktemp("model-cache")
    os.environ[ENV_CACHE] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(ENV_CACHE, None)
    else:
        os.environ[ENV_CACHE] = before


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """The URL of a throwaway database for this test session, or None when no server is configured."""
    configured = os.environ.get(POSTGRES_ENV, "").strip()
    if not configured:
        yield None
        return
    server = make_url(database_url(configured))
    name = f"crosscheck_test_{uuid.uuid4().hex[:12]}"
    # CREATE/DROP DATABASE cannot run inside a transaction, nor while connected to the database itself
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_database: str | None) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if postgres_database is None:
        pytest.skip(NO_POSTGRES)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        # every connection of the store (and of any process given this URL) works inside the test's own schema
        yield (
            make_url(postgres_database)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A claim store with its schema, on SQLite and on PostgreSQL."""
    opened = Store(store_url)
    try:
        yield opened
    finally:
        opened.close()
