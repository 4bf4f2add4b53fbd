"""Hard-wrapped plain text (mail, terminal dumps, `fold`): a paragraph's lines are one paragraph again, where the
parser would otherwise read a line that happens to end without punctuation as a headline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.ingest import parse_text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liveblog.txt"

_WRAPPED = """\
Harbour strike: live

09:05
Dockers say the strike will go on
The dockers' union said on Monday that the strike would continue until the
port authority restores the night-shift bonus. "We will not load a single
ship before then," union secretary Alva Renn told reporters outside the gates
of the container terminal.

10:40
Port authority offers talks
The port authority said it was ready to meet the union on Tuesday. Its chair,
Oskar Lind, said the bonus had cost the port more than it earned from the cease-
fire in the shipping lanes.
"""


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n"))


def test_a_wrapped_paragraph_is_one_paragraph_under_its_headline() -> None:
    document = parse_text(_WRAPPED)
    assert document.title == "Harbour strike: live"
    updates = document.updates[1:]  # the first is the title's
    assert [u.headline for u in updates] == ["Dockers say the strike will go on", "Port authority offers talks"]
    first = updates[0].paragraphs
    assert len(first) == 1
    assert first[0].text.startswith("The dockers' union said on Monday that the strike would continue until the port")
    assert "outside the gates of the container terminal." in first[0].text
    assert [u.time.strftime("%H:%M") for u in updates if u.time] == ["09:05", "10:40"]


def test_a_word_broken_at_its_hyphen_is_joined_without_a_space() -> None:
    document = parse_text(_WRAPPED)
    assert "from the cease-fire in the shipping lanes" in document.updates[2].paragraphs[0].text


def test_offsets_still_slice_the_documents_text() -> None:
    document = parse_text(_WRAPPED)
    for update in document.updates:
        if update.headline and update.headline_start is not None:
            assert document.text[update.headline_start :].startswith(update.headline)
        for paragraph in update.paragraphs:
            assert document.text[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text


def test_text_that_is_not_wrapped_is_left_as_it_is() -> None:
    text = "Strike: live\nDockers walk out\nThe union said the strike would go on.\nTalks offered\nThe port said so.\n"
    assert parse_text(text).text == text


def test_bullets_and_time_lines_are_never_joined_to_the_line_above() -> None:
    text = (
        "Strike: live\n\nDockers walk out\nThe union said the strike would go on and that the port\n"
        "authority had not answered its letter of last week about the night-shift bonus\n"
        "- the union wants the bonus back\n10:40\nTalks offered\nThe port said it would meet the union.\n"
    )
    document = parse_text(text)
    assert [u.headline for u in document.updates[1:]] == ["Dockers walk out", "Talks offered"]
    assert [p.text[:5] for p in document.updates[1].paragraphs] == ["The u", "- the"]


@pytest.mark.parametrize("width", [72, 100])
def test_the_example_blog_wrapped_gives_the_same_updates(width: int) -> None:
    original = parse_text(EXAMPLE.read_text(encoding="utf-8"))
    wrapped = parse_text(_wrap(EXAMPLE.read_text(encoding="utf-8"), width))
    assert [u.headline for u in wrapped.updates] == [u.headline for u in original.updates]
    assert [u.time for u in wrapped.updates] == [u.time for u in original.updates]
