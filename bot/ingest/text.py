"""Plain text to a Document: one paragraph a line (or a blank-line block); short unpunctuated lines start updates.

A line that is only a timestamp ("10:32 GMT", "16 Feb 2022 10:32", ISO) gives the next update its time; a line that
is only a date sets the day for later bare times. Neither becomes a paragraph.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from bot.ingest.document import DATE_UNKNOWN, Document, Paragraph, Update
from bot.ingest.times import Stamp, default_zone, parse_stamp

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


# "10:32 Russia says ...", "10:32 GMT – Russia says ...": a headline that opens with its own time of day
_LEADING_TIME = re.compile(r"(\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)(\s+[A-Z]{2,4}\b)?\s*(?:[-–—|:·]\s*)?(?=[\"'“‘A-Z])")


def _leading_time(line: str, zone: tzinfo | None) -> tuple[Stamp, int] | None:
    """The time a headline opens with and where its words begin, or None. A capital after the clock that is no time
    zone ("10:32 UN envoy calls for talks") is the headline's first word."""
    match = _LEADING_TIME.match(line)
    if match is None:
        return None
    readings = [(match.group(0), match.end())]
    if match.group(2) is not None:
        readings.append((match.group(1), match.start(2)))
    for clock, end in readings:
        stamp = parse_stamp(clock, zone=zone)
        rest = line[end:].lstrip(" -–—|:·")
        if stamp is not None and stamp.kind == "time" and rest and _is_headline(rest):
            return stamp, len(line) - len(rest)
    return None


_BULLETS = "—–-•*"
# words no headline ends with: a line ending in one was cut mid-sentence ("… troops from around" / "Ukraine's …")
_OPEN_ENDINGS = frozenset(
    "a an the of to in on at by for from with into onto over under about around near against between through "
    "towards toward and or but nor that which who whose whom his her its their our my your this these those".split()
)


def _unwrap(text: str) -> str:
    """Joins the lines of a hard-wrapped paragraph ("… stuffed in twenty" / "districts," …), which would otherwise
    read as a headline and a paragraph. A line breaks mid-sentence where it ends without punctuation and the next
    begins in lower case; in a text wrapped at a width throughout, also where the next line's first word would not
    have fitted on it. A hyphen at a break stays ("cease-" / "fire": "cease-fire")."""
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]

    def mid_sentence(i: int) -> bool:
        a, b = stripped[i], stripped[i + 1]
        return bool(a and b) and a[-1] not in _FINAL + _CLOSERS and b[0].islower()

    definite = [i for i in range(len(lines) - 1) if mid_sentence(i)]
    if not definite:
        return text
    filled = [s for s in stripped if s]
    # the width the text was wrapped at: its definite breaks fall short of it by at most a long word
    bound = max(len(stripped[i]) for i in definite) + 12
    wrapped = bound <= 172 and len(filled) >= 4 and sum(len(s) > bound for s in filled) <= len(filled) // 20
    width = max(len(s) for s in filled if len(s) <= bound)

    def is_stamp(line: str) -> bool:
        return len(line) <= 60 and any(c.isdigit() for c in line) and parse_stamp(line) is not None

    def continues(i: int) -> bool:
        a, b = stripped[i], stripped[i + 1]
        if not a or not b or b[0] in _BULLETS or is_stamp(a) or is_stamp(b):
            return False
        if mid_sentence(i):
            return True
        if not wrapped or len(a) + 1 + len(b.split()[0]) <= width or len(a) < width * 0.6:
            return False
        # a line that opens a block or follows a finished sentence, itself unfinished, before a capital: a headline
        before = stripped[i - 1] if i else ""
        opens = not before or is_stamp(before) or before.rstrip(_CLOSERS)[-1:] in tuple(".?!…")
        headline = a[0].isupper() and a[-1] not in _FINAL + _CLOSERS and a.split()[-1].lower() not in _OPEN_ENDINGS
        return not (opens and headline and b[0].isupper())

    out = [lines[0]]
    for i in range(len(lines) - 1):
        if continues(i):
            joint = "" if re.search(r"[^\W\d_]-$", stripped[i]) else " "
            out[-1] = out[-1].rstrip() + joint + lines[i + 1].lstrip()
        else:
            out.append(lines[i + 1])
    return "\n".join(out)


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
    """Splits text into updates. Offsets refer to the document's text: ``text`` with its newlines normalised to \\n
    and its hard-wrapped paragraphs joined."""
    text = _unwrap(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = _lines(text)
    zone = default_zone(text)
    stamps = _stamps(lines, zone)
    # timestamp lines are not content: headline and title checks look past them
    content = [i for i in range(len(lines)) if stamps[i] is None]
    title = None
    if len(content) > 1:
        first = lines[content[0]][0]
        if (
            len(first.split()) <= _MAX_TITLE_WORDS
            and (_is_headline(first) or first.endswith(".") and len(first.split()) <= 15)
            and _leading_time(first, zone) is None  # "09:05 X says ...": the first update, not the article's title
        ):
            title = first.rstrip(".") if not first.endswith("..") else first
    following = {content[k]: content[k + 1] for k in range(len(content) - 1)}
    starts: dict[int, bool] = {}
    for i in content:
        nxt = following.get(i)
        next_is_paragraph = nxt is not None and not _is_headline(lines[nxt][0])
        starts[i] = (i == content[0] and title is not None) or (_is_headline(lines[i][0]) and next_is_paragraph)
    next_content: dict[int, int | None] = {}
    upcoming: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        next_content[i] = upcoming
        if stamps[i] is None:
            upcoming = i
    updates: list[Update] = []
    current = Update(headline=None, time=None)
    pending: tuple[datetime, str] | None = None  # a time line waiting for the update it introduces
    day: date | None = None
    for i, (line, start) in enumerate(lines):
        stamp = stamps[i]
        if stamp is not None:
            if stamp.kind == "date":
                day = stamp.value.date()
                continue
            when = stamp.resolve(day)
            if stamp.kind == "datetime":
                day = when.date()
            upcoming = next_content[i]
            introduces = upcoming is not None and starts[upcoming]
            if current.headline and not current.paragraphs and current.time is None and not introduces:
                # "Headline" then "10:32" then text: the time line sits under its headline
                current.time, current.time_text = when, line
            else:
                pending = (when, line)
            continue
        starts_update = starts[i]
        if starts_update or pending is not None:
            if current.paragraphs or current.headline or current.time:
                updates.append(current)
            leading = _leading_time(line, zone) if starts_update else None
            words = leading[1] if leading else 0
            current = Update(headline=line[words:] if starts_update else None, time=None)
            if starts_update:
                current.headline_start = start + words
            if pending is not None:
                current.time, current.time_text = pending
                pending = None
            elif leading is not None:
                current.time, current.time_text = leading[0].resolve(day), line[:words].rstrip(" -–—|:·")
            if starts_update:
                continue
        current.paragraphs.append(Paragraph(text=line, start=start))
    if current.paragraphs or current.headline:
        updates.append(current)
    return Document(text=text, updates=updates, title=title, url=url, name=name)


def _stamps(lines: list[tuple[str, int]], zone: tzinfo | None) -> list[Stamp | None]:
    """Each line's timestamp if the line is nothing else; the year of a dated line carries to later ones."""
    out: list[Stamp | None] = []
    year: int | None = None
    for line, _ in lines:
        # cheap gate: a timestamp line is short and has a digit
        short = len(line) <= 60 and any(c.isdigit() for c in line)
        stamp = parse_stamp(line, context_year=year, zone=zone) if short else None
        if stamp is not None and stamp.kind != "time" and stamp.value.year != DATE_UNKNOWN.year:
            year = stamp.value.year
        out.append(stamp)
    return out
