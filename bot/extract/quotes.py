"""Finds quoted passages in a paragraph and tells quotations apart from quoted phrases inside narration."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'
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


def _pairs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each quoted stretch; curly and straight marks, unclosed ones run to the end."""
    spans: list[tuple[int, int, bool]] = []
    i, n = 0, len(text)
    if text.startswith(_CLOSE) and text.find(_CLOSE, 1) != -1:
        # a paragraph that opens with the wrong curly mark: typesetters' slip, read as an opening mark
        j = text.find(_CLOSE, 1)
        spans.append((1, j, True))
        i = j + 1
    while i < n:
        ch = text[i]
        if ch == _OPEN or (ch == _STRAIGHT):
            closer = _CLOSE if ch == _OPEN else _STRAIGHT
            j = text.find(closer, i + 1)
            if ch == _OPEN:
                # a new opening mark before the closing one means this quote was left open (typo or run-on)
                k = text.find(_OPEN, i + 1)
                if k != -1 and (j == -1 or k < j):
                    spans.append((i + 1, k, False))
                    i = k
                    continue
            if j == -1:
                spans.append((i + 1, n, False))
                break
            spans.append((i + 1, j, True))
            i = j + 1
        else:
            i += 1
    return spans


def find_quotes(text: str) -> list[Quote]:
    """Every quoted stretch of ``text``, each marked standalone or embedded."""
    quotes = []
    for start, end, closed in _pairs(text):
        inner = text[start:end]
        stripped = inner.strip()
        if not stripped:
            continue
        before = text[: start - 1].rstrip()
        lead_ok = not before or before.endswith(_LEAD_OK)
        after = text[end + 1 :].lstrip() if closed else ""
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
