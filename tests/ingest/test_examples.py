"""The shipped sample live blog (examples/liveblog.txt and .html) parses into the same twelve timed updates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.ingest import LoadPolicy, load_and_parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_text_and_html_samples_hold_the_same_updates() -> None:
    text = load_and_parse(str(EXAMPLES / "liveblog.txt"), LoadPolicy())
    page = load_and_parse(str(EXAMPLES / "liveblog.html"), LoadPolicy())
    assert text.title == page.title
    assert page.published_at == datetime(2031, 3, 3, 7, 30, tzinfo=UTC)
    assert page.canonical_url == "https://courier.example/live/2031/03/03/karvenia-veloria-border"

    def timed(document: object) -> dict[str | None, tuple[datetime | None, list[str]]]:
        updates = document.updates[1:]  # type: ignore[attr-defined]
        return {u.headline: (u.time, [p.text for p in u.paragraphs]) for u in updates}

    from_text, from_page = timed(text), timed(page)
    assert len(from_text) == 12
    assert from_text == from_page  # the page lists the newest first; the content is the same
    assert [u.time for u in text.updates[1:]] == sorted(u.time for u in page.updates[1:])  # type: ignore[type-var]
    assert all(u.time is not None and u.time.date() == datetime(2031, 3, 3).date() for u in page.updates[1:])
    assert [p.text for p in text.updates[0].paragraphs] == [p.text for p in page.updates[0].paragraphs]


def test_the_sample_introduces_both_sides_and_their_officials() -> None:
    text = (EXAMPLES / "liveblog.txt").read_text(encoding="utf-8")
    # what the extractor needs to learn sides from the text itself: possessive and role introductions,
    # a later surname-only mention, pronoun and "the ministry" references, and "X says" headlines
    for phrase in ("Veloria's defence minister Ana Petrel", "Karvenian Foreign Minister Lev Orsk",
                   "defence ministry spokesman Miro Dalen", "Meridian Alliance Secretary-General Helena Voss",
                   '," Dalen said.', "she said.", "The ministry said", "Karvenia says", "fictional"):  # fmt: skip
        assert phrase in text
