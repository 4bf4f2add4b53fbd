"""The rules of following: intervals and subscriptions as users write them, which claims a subscription wants,
contradictions between sides (alerts) and within one side's own statements (flips)."""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.answers import ClaimView
from bot.errors import BadInput
from bot.follow.views import Contradiction, describe_interval
from bot.match.text import normalise
from bot.store import Store

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hr": 3600, "hour": 3600}
_UNITS |= {"d": 86400, "day": 86400}
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")
KINDS = ("actor", "topic", "alerts")


def parse_interval(text: str | int, *, minimum: int) -> int:
    """ "5m", "90s", "2h", "10 minutes", or seconds as a number → seconds, at least ``minimum``."""
    if isinstance(text, int):
        seconds = text
    else:
        found = _INTERVAL.match(str(text).lower())
        unit = found.group(2) if found else ""
        if unit not in ("", "s") and unit.endswith("s"):  # minutes, hrs, secs
            unit = unit[:-1]
        if found is None or (unit or "s") not in _UNITS:
            raise BadInput(f"{text!r} is not an interval I understand; write it like 5m, 90s or 2h.")
        seconds = round(float(found.group(1)) * _UNITS[unit or "s"])
    if seconds < minimum:
        raise BadInput(
            f"I poll a source at most every {describe_interval(minimum)}, to be polite to its site; "
            f"choose {describe_interval(minimum)} or more."
        )
    return seconds


@dataclass(frozen=True)
class Wanted:
    """A parsed subscription: its kind, the lower-cased value it matches, and the label shown."""

    kind: str
    value: str
    label: str


def parse_subscription(text: str, known_names: Mapping[str, str]) -> Wanted:
    """``NATO`` · ``side:NATO`` · ``speaker:"Ana Petrel"`` · ``topic:"troop withdrawal"`` · ``alerts``.

    A bare name the workspace knows as a side or speaker follows that actor; any other bare words are a topic.
    """
    text = " ".join((text or "").split())
    if not text:
        raise BadInput('Say what to subscribe to: a side (NATO), a speaker, topic:"troop withdrawal", or alerts.')
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.replace('"', " ").split()
    joined = " ".join(words)
    prefix, sep, rest = joined.partition(":")
    prefix = prefix.strip().lower()
    if sep and prefix in {"side", "speaker", "actor", "topic", "about"}:
        value = rest.strip().strip("\"'“”")
        if not value:
            raise BadInput(f"Say which {prefix} to subscribe to, as in {prefix}:NATO.")
        if prefix == "topic" or prefix == "about":
            return _topic(value)
        return Wanted("actor", value.lower(), known_names.get(value.lower(), value))
    if joined.lower() in {"alerts", "contradictions", "all contradictions"}:
        return Wanted("alerts", "*", "contradictions")
    if joined.lower() in known_names:
        return Wanted("actor", joined.lower(), known_names[joined.lower()])
    return _topic(joined)


def _topic(value: str) -> Wanted:
    if not normalise(value):
        raise BadInput(f"“{value}” has no words I can match on; name the topic with a few content words.")
    return Wanted("topic", value.lower()[:256], value[:256])


def claim_key(claim: ClaimView) -> str:
    """The same statement by the same speaker is one item, whichever source or re-ingest stored it."""
    # words as written (case and punctuation aside): normalise() drops "not", which would merge a denial into its claim
    text = " ".join(re.findall(r"\w+", claim.text.lower()))
    digest = hashlib.sha1(f"{(claim.speaker or '').lower()}|{text}".encode()).hexdigest()[:24]
    return f"c:{digest}"


def alert_key(a: ClaimView, b: ClaimView) -> str:
    """One alert per pair, whichever of the two arrived first."""
    first, second = sorted((claim_key(a), claim_key(b)))
    return "a:" + hashlib.sha1(f"{first}|{second}".encode()).hexdigest()[:24]


def _is_actor(claim: ClaimView, value: str) -> bool:
    speaker = (claim.speaker or "").lower()
    # a speaker named in full is also subscribed by surname ("petrel" for "Ana Petrel")
    return value in {(claim.actor or "").lower(), speaker} or (" " not in value and speaker.split()[-1:] == [value])


def on_topic(topic: str, claim: ClaimView) -> bool:
    """Every content word of a short topic (two thirds of a longer one), after stems and synonyms, is in the claim."""
    wanted = set(normalise(topic))
    if not wanted:
        return False
    have = set(normalise(" ".join(filter(None, (claim.text, claim.update)))))
    found = len(wanted & have)
    return found == len(wanted) if len(wanted) <= 2 else found * 3 >= 2 * len(wanted)


def wants_claim(kind: str, value: str, claim: ClaimView) -> bool:
    if kind == "actor":
        return _is_actor(claim, value)
    if kind == "topic":
        return on_topic(value, claim)
    return False


def wants_alert(kind: str, value: str, alert: Contradiction) -> bool:
    return kind == "alerts" or any(wants_claim(kind, value, c) for c in (alert.earlier, alert.later))


def contradictions(
    store: Store, workspace: str, claim: ClaimView, *, threshold: float, candidates: int = 100
) -> list[Contradiction]:
    """Stored claims of another known side on the same topic (retrieval score ≥ ``threshold``) that ``claim``
    contradicts, judged with the stored claim's text as the claim and the new one as the statement."""
    from bot.match.retrieve import rank
    from bot.match.stance import judge

    if not claim.actor:
        return []
    found = []
    for r in rank(store, workspace, claim.text, limit=10, candidates=candidates):
        other = r.claim
        if r.score < threshold or other.id == claim.id or not other.actor or other.actor == claim.actor:
            continue
        verdict = judge(other.text, claim.text, cue=claim.cue)
        if verdict.stance == "contradicts":
            found.append(Contradiction(earlier=other, later=claim, reason=verdict.reason))
    return found


def same_topic(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two statements share most of the shorter one's content words (at least two)."""
    first, second = set(a), set(b)
    shared = len(first & second)
    return shared >= 2 and shared * 2 >= min(len(first), len(second))


def flips(claims: Sequence[ClaimView]) -> list[Contradiction]:
    """Where a statement (oldest first in ``claims``) contradicts an earlier one of the same side or speaker."""
    from bot.match.stance import judge

    tokens = [normalise(c.text) for c in claims]
    found = []
    for j, later in enumerate(claims):
        for i in reversed(range(j)):
            earlier = claims[i]
            if claim_key(earlier) == claim_key(later) or not same_topic(tokens[i], tokens[j]):
                continue
            verdict = judge(earlier.text, later.text, cue=later.cue)
            if verdict.stance == "contradicts":
                found.append(Contradiction(earlier=earlier, later=later, reason=verdict.reason))
                break  # the most recent contradiction is enough to flag this statement
    return found


def shell_words(text: str) -> list[str]:
    """Command arguments as a user typed them, quotes kept together ("topic:"troop withdrawal"")."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


__all__ = [
    "KINDS",
    "Wanted",
    "alert_key",
    "claim_key",
    "contradictions",
    "flips",
    "on_topic",
    "parse_interval",
    "parse_subscription",
    "same_topic",
    "shell_words",
    "wants_alert",
    "wants_claim",
]
