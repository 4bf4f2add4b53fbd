"""Timestamps as live blogs write them ("10:32 GMT", "16 Feb 2022 10:32", ISO, epoch attributes) to datetimes.

A bare time of day takes its date from the context (an earlier date line, the page's publication date); with no
date known it lands on ``DATE_UNKNOWN``, the same placeholder ``datetime.strptime`` uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from bot.ingest.document import DATE_UNKNOWN

# Abbreviations whose offset is unambiguous; "IST" (India or Ireland) and "ET" (EST or EDT) are left out on purpose.
ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "WEST": 60, "CEST": 120, "EET": 120,
    "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ]
    )
    for m in names
}  # fmt: skip

_ZONE = r"(?P<zone>[A-Z]{1,4}|[+-]\d{2}:?\d{2}|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?)"
_CLOCK = (
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*" + _ZONE + r")?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
# "16 Feb 2022", "16th February, 2022", "Feb 16, 2022", "February 16" (the year may be left out)
_DATE = (
    _WEEKDAY + r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"|"
    r"(?P<month2>[a-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_LEAD = r"(?:(?:updated|posted|published|last updated)(?:\s+at|\s+on)?:?\s+)?"
_SEP = r"\s*(?:,|at|-|–|—|\||·)?\s*"
_TIME_LINE = re.compile(r"^" + _LEAD + _CLOCK + r"$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^" + _LEAD + _DATE + r"$", re.IGNORECASE)
_DATE_TIME_LINE = re.compile(r"^" + _LEAD + _DATE + _SEP + _CLOCK + r"$", re.IGNORECASE)
_TIME_DATE_LINE = re.compile(r"^" + _LEAD + _CLOCK + _SEP + _DATE + r"$", re.IGNORECASE)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{3,4})?$"
)
_ALL_TIMES = re.compile(r"\ball times(?: are)?(?: in)?\s+([A-Z]{2,4})\b")
_TRAILING = " \t-–—|:·,"


@dataclass(frozen=True)
class Stamp:
    """A timestamp as read: a full datetime, a time of day waiting for its date, or a date alone."""

    kind: str  # "datetime" | "time" | "date"
    value: datetime  # for "time" the date part is DATE_UNKNOWN; for "date" the time is midnight

    def resolve(self, day: date | None) -> datetime:
        """The datetime, with ``day`` supplying the date of a bare time of day."""
        if self.kind == "time" and day is not None:
            return self.value.replace(year=day.year, month=day.month, day=day.day)
        return self.value


def zone_named(name: str) -> tzinfo | None:
    """A fixed-offset zone for an abbreviation or a numeric offset ("GMT", "+02:00", "UTC+3"), else None."""
    upper = name.upper()
    if upper in ZONES:
        return timezone(timedelta(minutes=ZONES[upper]))
    match = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", upper)
    if not match:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes if match.group(1) == "+" else -minutes))


def default_zone(text: str) -> tzinfo | None:
    """The zone a live blog declares for all its times ("all times EDT") near its top, if any."""
    match = _ALL_TIMES.search(text[:2000])
    return zone_named(match.group(1)) if match else None


def _clock(match: re.Match[str]) -> time | None:
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if not ampm and match.group("minute") is None:
        return None  # a lone number is not a time
    if not ampm and not match.group("zone") and "." in match.group(0):
        return None  # "3.14" alone is more likely a number than "10.32" a time; "10.32 GMT" is a time
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    zone = None
    if match.group("zone"):
        zone = zone_named(match.group("zone"))
        if zone is None:
            return None  # an unknown word after the digits: not a timestamp line
    return time(hour, minute, second, tzinfo=zone)


def _day(match: re.Match[str], context_year: int | None) -> date | None:
    month_name = (match.group("month") or match.group("month2") or "").lower()
    month = _MONTHS.get(month_name)
    day_text = match.group("day") or match.group("day2")
    year_text = match.group("year")
    if month is None or day_text is None:
        return None
    year = int(year_text) if year_text else context_year
    if year is None:
        year = DATE_UNKNOWN.year
    try:
        return date(year, month, int(day_text))
    except ValueError:
        return None


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 date or datetime ("2022-02-16T10:32:00Z", "2022-02-16 10:32+01:00"), else None."""
    value = value.strip()
    if not _ISO.match(value):
        return None
    zone = None
    abbreviation = re.search(r"\s*([A-Z]{3,4})$", value)
    if abbreviation:
        zone = zone_named(abbreviation.group(1))
        if zone is None:
            return None
        value = value[: abbreviation.start()]
    try:
        parsed = datetime.fromisoformat(value.replace(",", "."))
    except ValueError:
        return None
    return parsed.replace(tzinfo=zone) if zone is not None and parsed.tzinfo is None else parsed


def parse_stamp(line: str, *, context_year: int | None = None, zone: tzinfo | None = None) -> Stamp | None:
    """Reads a line that is only a timestamp; anything else (a sentence, a headline) gives None.

    ``zone`` applies to times that name none (a page's "all times EDT").
    """
    line = line.strip().strip(_TRAILING).strip()
    if not line or len(line) > 60:
        return None
    iso = parse_iso(line)
    if iso is not None:
        kind = "datetime" if ("T" in line or " " in line.strip()) else "date"
        if kind == "datetime" and iso.tzinfo is None and zone is not None:
            iso = iso.replace(tzinfo=zone)
        return Stamp(kind, iso)
    for pattern, kind in ((_DATE_TIME_LINE, "datetime"), (_TIME_DATE_LINE, "datetime"), (_TIME_LINE, "time")):
        match = pattern.match(line)
        if not match:
            continue
        clock = _clock(match)
        if clock is None:
            continue
        if clock.tzinfo is None and zone is not None:
            clock = clock.replace(tzinfo=zone)
        day = _day(match, context_year) if kind == "datetime" else DATE_UNKNOWN
        if day is None:
            continue
        return Stamp(kind, datetime.combine(day, clock))
    match = _DATE_LINE.match(line)
    if match:
        day = _day(match, context_year)
        if day is not None:
            return Stamp("date", datetime(day.year, day.month, day.day))
    return None


def parse_attribute(value: str, *, day: date | None = None, zone: tzinfo | None = None) -> datetime | None:
    """A machine-readable time from an HTML attribute (ISO text, or epoch seconds / milliseconds), else a
    human-readable one, else None."""
    value = value.strip()
    if re.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}", value):
        seconds = float(value) / (1000 if len(value) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    stamp = parse_stamp(value, context_year=day.year if day else None, zone=zone)
    return stamp.resolve(day) if stamp is not None else None
