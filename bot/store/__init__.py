"""The claim store: SQLite (one process) or PostgreSQL (several), through SQLAlchemy 2.0."""

from bot.store.store import NewClaim, NewUpdate, Store

__all__ = ["NewClaim", "NewUpdate", "Store"]
