"""Alembic migrations of the claim store; run them with ``bot.store.migrate.upgrade`` (`crosscheck db upgrade`)."""
