"""Finds quoted passages in a paragraph and tells quotations apart from quoted phrases inside narration."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'
_DOUBLED = "''"  # two apostrophes standing for a straight double mark
_MARKS = "“”\"'"
# what may stand right before a quotation that is a claim of its own: nothing, or the end of a clause
_LEAD_OK = tuple(":,.;!?—–-…")
# what a quotation's own words end with when the attribution follows ("…,” she said)
_INNER_END = tuple(",.!?…—–-:;")
_WORD = re.compile(r"\w+")
MIN_QUOTE_WORDS = 3


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``start``/``end`` enclose the words inside the marks (offsets in the paragraph)."""

    start: int
    end: int
    closed: bool  # False: the quote runs on into the next paragraph
    standalone: bool  # a quotation in its own right, not a phrase quoted inside a narrated sentence

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _marks(text: str) -> list[tuple[int, int, str]]:
    """(offset, width, kind) of each quotation mark: "open", "close" or "either" (straight marks, and the
    doubled apostrophes some archives use for them)."""
    marks = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == _OPEN:
            marks.append((i, 1, "open"))
        elif ch == _CLOSE:
            marks.append((i, 1, "close"))
        elif ch == _STRAIGHT:
            marks.append((i, 1, "either"))
        elif text.startswith(_DOUBLED, i) and not text.startswith(_DOUBLED + "'", i):
            marks.append((i, 2, "either"))
            i += 1
        i += 1
    return marks


def _pairs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each quoted stretch; an opening mark left unclosed runs to the end."""
    spans: list[tuple[int, int, bool]] = []
    marks = _marks(text)
    if marks and marks[0][0] == 0 and marks[0][2] == "close" and len(marks) > 1:
        # a paragraph that opens with the wrong curly mark: a typesetter's slip, read as an opening mark
        marks[0] = (0, 1, "open")
    opened: tuple[int, int] | None = None  # offset and width of the mark that opened the current quote
    for offset, width, kind in marks:
        if opened is None:
            if kind in {"open", "either"}:
                opened = (offset, width)
            continue
        if kind in {"close", "either"}:
            spans.append((opened[0] + opened[1], offset, True))
            opened = None
        elif kind == "open":  # a new opening mark: the previous quote was left open (a run-on or a typo)
            spans.append((opened[0] + opened[1], offset, False))
            opened = (offset, width)
    if opened is not None:
        spans.append((opened[0] + opened[1], len(text), False))
    return spans


def find_quotes(text: str) -> list[Quote]:
    """Every quoted stretch of ``text``, each marked standalone or embedded."""
    quotes = []
    for start, end, closed in _pairs(text):
        inner = text[start:end]
        stripped = inner.strip()
        if not stripped:
            continue
        before = text[:start].rstrip(_MARKS).rstrip()
        lead_ok = not before or before.endswith(_LEAD_OK)
        after = text[end:].lstrip(_MARKS).lstrip() if closed else ""
        tail_ok = (not closed) or stripped.endswith(_INNER_END) or not after or after[0] in ",.;:!?—–-)"
        long_enough = len(_WORD.findall(stripped)) >= MIN_QUOTE_WORDS
        quotes.append(Quote(start=start, end=end, closed=closed, standalone=lead_ok and tail_ok and long_enough))
    return quotes


def inner_span(text: str, quote: Quote) -> tuple[int, int]:
    """The quote's words without surrounding white space."""
    start, end = quote.start, quote.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
