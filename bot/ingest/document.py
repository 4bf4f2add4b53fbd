"""The parsed shape of an article: a title and its live-blog updates, with offsets into the article's text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

# The date of a time of day whose day the source never gave ("10:32 GMT" in a text with no date line);
# the same placeholder ``datetime.strptime`` uses, so keys stay stable across re-ingests.
DATE_UNKNOWN = date(1900, 1, 1)


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
    time_text: str | None = None  # the time as the source wrote it ("10:32 GMT"), for display

    @property
    def has_date(self) -> bool:
        """Whether ``time`` carries a real date (a bare "10:32" in an undated text does not)."""
        return self.time is not None and self.time.date() != DATE_UNKNOWN

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
    canonical_url: str | None = (
        None  # what the page names as its own address (HTML only); ``url`` is where it came from
    )

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()
