"""Plain text to a Document: one paragraph a line (or a blank-line block); short unpunctuated lines start updates."""

from __future__ import annotations

import re

from bot.ingest.document import Document, Paragraph, Update

# closing quotes and brackets are looked through: a headline may end with a quoted phrase
_CLOSERS = "\"'”’»)]"
_FINAL = ".?!:;,…"
_MAX_HEADLINE_WORDS = 24
_MAX_TITLE_WORDS = 30


def _is_headline(line: str) -> bool:
    """A live-blog headline: short, not a sentence (no final punctuation), not a byline or a link."""
    words = line.split()
    if not words or len(words) > _MAX_HEADLINE_WORDS or line[0] in "—–-•*[(":
        return False
    if "http://" in line or "https://" in line or line.isupper():
        return False
    end = line.rstrip(_CLOSERS)
    if not end or end[-1] in _FINAL:
        return False
    return any(ch.isalpha() for ch in line)


def _lines(text: str) -> list[tuple[str, int]]:
    """Non-empty lines with their offsets, stripped of surrounding white space."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            out.append((stripped, match.start() + raw.index(stripped)))
    return out


def parse_text(text: str, *, name: str | None = None, url: str | None = None) -> Document:
    """Splits text into updates. Offsets refer to ``text`` itself (newlines normalised to \\n)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    title = None
    if lines and len(lines) > 1 and len(lines[0][0].split()) <= _MAX_TITLE_WORDS and (
        _is_headline(lines[0][0]) or lines[0][0].endswith(".") and len(lines[0][0].split()) <= 15
    ):
        title = lines[0][0].rstrip(".") if not lines[0][0].endswith("..") else lines[0][0]
    updates: list[Update] = []
    current = Update(headline=None, time=None)
    for i, (line, start) in enumerate(lines):
        next_is_paragraph = i + 1 < len(lines) and not _is_headline(lines[i + 1][0])
        starts_update = (i == 0 and title is not None) or (_is_headline(line) and next_is_paragraph)
        if starts_update:
            if current.paragraphs or current.headline:
                updates.append(current)
            current = Update(headline=line, time=None, headline_start=start)
        else:
            current.paragraphs.append(Paragraph(text=line, start=start))
    if current.paragraphs or current.headline:
        updates.append(current)
    return Document(text=text, updates=updates, title=title, url=url, name=name)
