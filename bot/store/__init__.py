"""The claim store: SQLite (one process) or PostgreSQL (several), through SQLAlchemy 2.0."""

from bot.store import following  # noqa: F401  (registers its tables before any Store is created)
from bot.store.store import NewClaim, NewUpdate, Store

__all__ = ["NewClaim", "NewUpdate", "Store"]
