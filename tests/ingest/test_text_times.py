"""Timestamp lines in plain text become update times; the rest of the plain-text parser behaves as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.ingest import DATE_UNKNOWN, parse_text
from bot.ingest.language import english_share, is_english
from bot.ingest.times import parse_attribute, parse_stamp

EDT = timezone(timedelta(hours=-4))


@pytest.mark.parametrize(
    "line, kind, expected",
    [
        ("10:32 GMT", "time", datetime(1900, 1, 1, 10, 32, tzinfo=UTC)),
        ("10.32 GMT", "time", datetime(1900, 1, 1, 10, 32, tzinfo=UTC)),
        ("10.32am", "time", datetime(1900, 1, 1, 10, 32)),
        ("7 p.m.", "time", datetime(1900, 1, 1, 19, 0)),
        ("12:05 a.m. EDT", "time", datetime(1900, 1, 1, 0, 5, tzinfo=EDT)),
        ("Updated 11:05", "time", datetime(1900, 1, 1, 11, 5)),
        ("10:32 +02:00", "time", datetime(1900, 1, 1, 10, 32, tzinfo=timezone(timedelta(hours=2)))),
        ("16 Feb 2022 10:32", "datetime", datetime(2022, 2, 16, 10, 32)),
        ("Wednesday 16 February 2022 10.32 GMT", "datetime", datetime(2022, 2, 16, 10, 32, tzinfo=UTC)),
        ("Feb 16, 2022 10:32 AM", "datetime", datetime(2022, 2, 16, 10, 32)),
        ("10:32 GMT - 16 Feb 2022", "datetime", datetime(2022, 2, 16, 10, 32, tzinfo=UTC)),
        ("2022-02-16T10:32:00Z", "datetime", datetime(2022, 2, 16, 10, 32, tzinfo=UTC)),
        ("2022-02-16 10:32", "datetime", datetime(2022, 2, 16, 10, 32)),
        ("2022-02-16", "date", datetime(2022, 2, 16)),
        ("16 February 2022", "date", datetime(2022, 2, 16)),
    ],
)
def test_timestamp_lines(line: str, kind: str, expected: datetime) -> None:
    stamp = parse_stamp(line)
    assert stamp is not None and (stamp.kind, stamp.value) == (kind, expected)


@pytest.mark.parametrize(
    "line",
    ["The talks began at 10:32 GMT.", "10 killed in the blast", "3.14", "25:00", "2022", "12:00 news",
     "Minister says troops will stay", "", "13 p.m.", "31 February 2022"],
)  # fmt: skip
def test_lines_that_are_not_timestamps(line: str) -> None:
    assert parse_stamp(line) is None


def test_attribute_times() -> None:
    assert parse_attribute("1907490000") == datetime(2030, 6, 12, 10, 20, tzinfo=UTC)
    assert parse_attribute("1907490000000") == datetime(2030, 6, 12, 10, 20, tzinfo=UTC)
    assert parse_attribute("10:20", day=datetime(2030, 6, 12).date()) == datetime(2030, 6, 12, 10, 20)
    assert parse_attribute("soon") is None


LIVE_TEXT = """Harbour strike: dockers and port authority trade claims

12 June 2030

Dockers at the port of Lindmere walked out at dawn, and both sides have disputed the figures since.

11:20 BST
Port authority says half the berths are working
The port authority said half of the berths were still working.

09:45 BST
Union says no ship has been unloaded since dawn
The union said no ship had been unloaded since six o'clock.

Strike begins at the port
07:05 BST
Pickets gathered at the main gate before dawn, union officials said.
"""


def test_a_time_line_gives_the_next_update_its_time_and_the_date_line_its_day() -> None:
    document = parse_text(LIVE_TEXT)
    bst = timezone(timedelta(hours=1))
    assert document.title == "Harbour strike: dockers and port authority trade claims"
    assert [(u.headline, u.time, u.time_text) for u in document.updates] == [
        ("Harbour strike: dockers and port authority trade claims", None, None),
        ("Port authority says half the berths are working", datetime(2030, 6, 12, 11, 20, tzinfo=bst), "11:20 BST"),
        ("Union says no ship has been unloaded since dawn", datetime(2030, 6, 12, 9, 45, tzinfo=bst), "09:45 BST"),
        ("Strike begins at the port", datetime(2030, 6, 12, 7, 5, tzinfo=bst), "07:05 BST"),  # time under headline
    ]
    assert all(u.has_date for u in document.updates[1:])
    # timestamp and date lines are not paragraphs
    paragraphs = [p.text for u in document.updates for p in u.paragraphs]
    assert not any(p in ("12 June 2030", "11:20 BST", "07:05 BST") for p in paragraphs)
    for update in document.updates:
        for p in update.paragraphs:
            assert document.text[p.start : p.start + len(p.text)] == p.text


def test_without_a_date_the_day_is_marked_unknown() -> None:
    document = parse_text("Talks live\n\n10:32 GMT\nTalks resume in the capital\nThe mediator said talks resumed.\n")
    update = document.updates[1]
    assert update.time == datetime.combine(DATE_UNKNOWN, datetime(1900, 1, 1, 10, 32).time(), tzinfo=UTC)
    assert not update.has_date and update.time_text == "10:32 GMT"


def test_time_lines_without_headlines_start_updates_and_a_declared_zone_applies() -> None:
    text = (
        "The Latest: the harbour strike (all times EDT):\n\n7 p.m.\n\nThe union said the strike would go on.\n\n"
        "The mayor said she would meet both sides.\n\n6:05 p.m.\n\nThe port authority said four ships were waiting.\n"
    )
    document = parse_text(text)
    timed = [(u, u.time) for u in document.updates if u.time is not None]
    assert [(u.headline, t.hour, t.minute, t.utcoffset()) for u, t in timed] == [
        (None, 19, 0, timedelta(hours=-4)),
        (None, 18, 5, timedelta(hours=-4)),
    ]
    assert [len(u.paragraphs) for u, _ in timed] == [2, 1]


def test_text_without_timestamps_parses_as_before() -> None:
    text = "A title for the story\nFirst paragraph, with a comma.\nA headline here\nSecond paragraph ends.\n"
    document = parse_text(text)
    assert [(u.headline, u.time, [p.text for p in u.paragraphs]) for u in document.updates] == [
        ("A title for the story", None, ["First paragraph, with a comma."]),
        ("A headline here", None, ["Second paragraph ends."]),
    ]


def test_language_check() -> None:
    english = "The union said on Wednesday that the strike would continue until the port authority changed its plan."
    german = "Die Gewerkschaft sagte am Mittwoch, der Streik werde fortgesetzt, bis die Hafenbehörde ihren Plan ändert."
    assert is_english(english) and not is_english(german)
    assert is_english("Troops, tanks, trains")  # too short to judge: let it through
    share, words = english_share(english)
    assert words == 17 and share > 0.3


def test_a_headline_that_opens_with_its_time_gives_the_update_that_time() -> None:
    text = (
        "Harbour dispute: latest\n\n16 March 2031\n\n"
        "09:05 Norland says the crossing is closed\nNorland's ministry said the crossing had been closed overnight.\n\n"
        "10:32 GMT – UN envoy calls for talks\nThe envoy urged both sides to meet.\n\n"
        "10.50 euros is what a ticket costs now, officials say\nPrices rose again.\n"
    )
    doc = parse_text(text)
    assert doc.title == "Harbour dispute: latest"
    first, second, third = (u for u in doc.updates if u.paragraphs and u.headline != doc.title)
    assert (first.headline, first.time, first.time_text) == (
        "Norland says the crossing is closed",
        datetime(2031, 3, 16, 9, 5),
        "09:05",
    )
    assert doc.text[first.headline_start : first.headline_start + 6] == "Norlan"
    # "GMT" is a zone; "UN" after a bare clock would be the headline's first word
    assert (second.headline, second.time) == ("UN envoy calls for talks", datetime(2031, 3, 16, 10, 32, tzinfo=UTC))
    # a number that is no time of day stays in the text
    assert third.headline == "10.50 euros is what a ticket costs now, officials say" and third.time is None


def test_a_first_line_that_opens_with_a_time_is_an_update_not_the_title() -> None:
    doc = parse_text(
        "09:05 Norland says the crossing is closed\nNorland's ministry said it had been closed overnight.\n"
    )
    assert doc.title is None
    assert doc.updates[0].headline == "Norland says the crossing is closed"
