"""A claim's stored analysis: read back it gives exactly what working the text out gives, and judging with it gives
the same answers; the caches take what is handed to them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.match import memo
from bot.match.analysis import VERSION, analyse, read_back, readings
from bot.match.stance import judge, kept_readings
from bot.match.text import normalise

ROOT = Path(__file__).resolve().parents[2]
EMERGENT = ROOT / ".." / "shared" / "datasets" / "stance" / "emergent_train.jsonl"

# statements with something for every reading: negations, hedges, clauses, guesses, quotation marks, names
STATEMENTS = (
    "Karvenia says its troops are leaving the Veloria border, but no pullback has been seen",
    "The ministry denied that any units had been moved towards the border.",
    "It remains to be seen whether the drills are over; satellite images show new bridges.",
    "The attack could have been orchestrated by Ostland, officials said",
    "“We are not withdrawing,” the general told reporters, “and we never will.”",
    "There is no evidence that the vote was rigged, observers from the OSCE said",
    "The shelling never stopped, and the truce did not hold",
    "Few signs of a pullback, said NATO's Secretary-General Maria Jensen",
    "If Belmont does not withdraw, the alliance will strengthen its eastern flank",
    "the strike had little effect on the port, which reopened without a deal",
    "   spaced    out\ttext with US and U.S. troops   ",
    "Is the blockade lifted? Nobody knows.",
)


def example_statements() -> list[str]:
    """The sentences of the project's own sample live blog."""
    text = (ROOT / "examples" / "liveblog.txt").read_text(encoding="utf-8")
    return [s for s in re.split(r"(?<=[.!?”])\s+", text) if len(s.split()) > 3]


def test_read_back_gives_what_working_it_out_gives() -> None:
    for statement in (*STATEMENTS, *example_statements()):
        analysis = analyse(statement)
        assert analysis.terms == " ".join(normalise(statement))
        kept = list(readings(analysis.reading))
        assert [(kind, text) for kind, text, _ in kept] == kept_readings(statement)
        for kind, text, result in kept:
            assert result == memo.CACHES[kind](text), (kind, statement)
            assert type(result) is type(memo.CACHES[kind](text))


@pytest.mark.shared
def test_read_back_on_a_dataset_s_statements() -> None:
    if not EMERGENT.exists():
        pytest.skip("../shared is not beside the project")
    lines = EMERGENT.read_text(encoding="utf-8").splitlines()[:600]
    for line in lines:
        statement = json.loads(line)["statement"]
        for kind, text, result in readings(analyse(statement).reading):
            assert result == memo.CACHES[kind](text), (kind, statement)


def test_judging_with_the_stored_reading_gives_the_same_answer() -> None:
    claims = ("Karvenia is pulling its troops back", "The vote was rigged", "The truce is holding")
    for statement in STATEMENTS:
        stored = analyse(statement).reading
        for claim in claims:
            for cache in memo.CACHES.values():
                cache.cache_clear()  # type: ignore[attr-defined]
            with read_back(stored):
                kept = judge(claim, statement, found_by_search=True, speaker_side="Karvenia")
            assert kept == judge(claim, statement, found_by_search=True, speaker_side="Karvenia"), (claim, statement)


def test_a_cache_takes_a_handed_result_and_the_rest_is_dropped() -> None:
    calls: list[str] = []

    @memo.text_cache("test: shout")
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    stored = [("test: shout", "kept", str.strip, " KEPT (stored) "), ("test: shout", "unused", str, "UNUSED (stored)")]
    with memo.handed(stored):
        assert shout("kept") == "KEPT (stored)"
        assert shout("other") == "OTHER"
    assert calls == ["other"]
    assert shout("unused") == "UNUSED"  # worked out: what no cache took inside the block is gone after it
    assert calls == ["other", "unused"]
    del memo.CACHES["test: shout"]


def test_the_version_names_the_rules() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", VERSION)
    with read_back(None):  # a claim without a stored analysis: judged as before
        assert judge("Russia is withdrawing", "Russia says it is withdrawing").stance == "supports"
