"""Schema management: first use creates and stamps, old databases are migrated, both ways give the same schema."""

from __future__ import annotations

import warnings

from sqlalchemy import create_engine, inspect, text

from bot.store import NewClaim, NewUpdate, Store, migrate


def schema_of(url: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # SQLite's expression indexes are compared from their SQL below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            inspector = inspect(conn)
            tables = sorted(t for t in inspector.get_table_names() if not t.startswith("claim_fts"))
            shape: dict[str, object] = {
                t: (
                    sorted((c["name"], str(c["type"]).split("(")[0], c["nullable"]) for c in inspector.get_columns(t)),
                    sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(t)),
                    sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(t)),
                )
                for t in tables
            }
            if conn.dialect.name == "sqlite":
                shape["triggers"] = sorted(
                    conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
                )
                # expression indexes too, which SQLAlchemy's reflection passes over
                indexes = conn.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                )
                shape["indexes"] = sorted((name, sql) for name, sql in indexes)
            else:
                shape["triggers"] = sorted(
                    conn.execute(
                        text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'claims'::regclass")
                    ).scalars()
                )
                # whole definitions: a partial index's predicate too (ix_claims_tsv_short)
                indexes = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
                shape["indexes"] = sorted((name, sql) for name, sql in indexes)
            shape["version"] = migrate.revision_of(conn)
            return shape
    finally:
        engine.dispose()


def test_head_is_the_newest_script() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.HEAD


def test_first_use_and_the_migrations_give_the_same_schema(store_url: str, tmp_path: object) -> None:
    Store(store_url).close()
    created = schema_of(store_url)
    assert created["version"] == migrate.HEAD
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:  # start again from nothing, through every migration
            for name in inspect(conn).get_table_names():
                if conn.dialect.name == "postgresql":
                    conn.execute(text(f'DROP TABLE "{name}" CASCADE'))
            if conn.dialect.name == "sqlite":
                conn.execute(text("PRAGMA foreign_keys=OFF"))
        if engine.dialect.name == "sqlite":
            engine.dispose()
            path = store_url.removeprefix("sqlite:///")
            import os

            os.remove(path)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            engine = create_engine(store_url)
        assert migrate.upgrade_engine(engine) == migrate.HEAD
    finally:
        engine.dispose()
    assert schema_of(store_url) == created


def test_a_database_from_before_migrations_is_upgraded_keeping_its_claims(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        assert migrate.upgrade_engine(engine, migrate.FIRST) == migrate.FIRST
        with engine.begin() as conn:  # as the first release left it: tables, no version row
            conn.execute(text("DROP TABLE alembic_version"))
            conn.execute(text("INSERT INTO actors (id, workspace, name) VALUES (1, 'w', 'Freedonia')"))
            conn.execute(
                text("INSERT INTO sources (id, workspace, key, ingested_at) VALUES (1, 'w', 'k', CURRENT_TIMESTAMP)")
            )
            conn.execute(
                text(
                    "INSERT INTO claims (id, workspace, source_id, actor_id, external_id, text, sentence, kind, "
                    "created_at) VALUES (1, 'w', 1, 1, 'x-1', 'the harbour is mined', 's', 'direct', CURRENT_TIMESTAMP)"
                )
            )
    finally:
        engine.dispose()
    store = Store(store_url)
    try:
        assert schema_of(store_url)["version"] == migrate.HEAD
        assert [c.text for c in store.claims("w")] == ["the harbour is mined"]
        # the side's name is searchable after the upgrade on both backends
        assert [i for i, _ in store.candidates("w", '"freedonia"', ["freedonia"], 5)] == [1]
        imported = store.import_claims("w", "u", "f", [NewClaim(text="t", sentence="t", kind="k", external_id="x-1")])
        assert imported == (0, 1)
        store.save_source(
            "w",
            "u",
            url="https://example.test/a",
            name=None,
            title=None,
            content_hash="h",
            published_at=None,
            updates=[NewUpdate("u", "h", None, None, [])],
        )
    finally:
        store.close()
    assert migrate.upgrade(store_url) == migrate.HEAD  # `crosscheck db upgrade` on a current database: nothing to do
