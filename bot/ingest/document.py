"""The parsed shape of an article: a title and its live-blog updates, with offsets into the article's text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``start`` is its offset in ``Document.text``."""

    text: str
    start: int


@dataclass
class Update:
    """One live-blog update (or the whole article, for an ordinary story): headline, own time, paragraphs."""

    headline: str | None
    time: datetime | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    headline_start: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def text_hash(self) -> str:
        """Changes whenever the update's wording changes (used to replace its claims on re-ingest)."""
        return hashlib.sha256(((self.headline or "") + "\n" + self.text).encode()).hexdigest()

    @property
    def key(self) -> str:
        """Identity of the update within its source: headline and time, else the hash of its text."""
        if self.headline:
            return "h:" + self.headline.strip() + "|" + (self.time.isoformat() if self.time else "")
        return "t:" + self.text_hash


@dataclass
class Document:
    """An article as parsed. ``text`` is the plain text that every offset refers to."""

    text: str
    updates: list[Update]
    title: str | None = None
    url: str | None = None
    name: str | None = None
    published_at: datetime | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()
