"""Plain text of following's answers, for the terminal (`crosscheck actor`, `worker`) and for chat fallbacks."""

from __future__ import annotations

import json
from typing import TextIO

from bot.answers import ClaimView
from bot.follow.views import ActorTimeline, Contradiction, Notification, who


def _when(claim: ClaimView) -> str:
    return claim.when.strftime("%Y-%m-%d %H:%M") if claim.when else "(no time)"


def _source(claim: ClaimView) -> str:
    return claim.source_title or claim.source or "unknown source"


def statement_line(claim: ClaimView) -> str:
    """ "2031-03-03 09:30  Oskar Brand (Northland): “…” — source"."""
    return f"{_when(claim)}  {who(claim)}: “{claim.text}” — {_source(claim)}"


def contradiction_lines(c: Contradiction, *, indent: str = "  ") -> list[str]:
    return [
        f"{indent}{c.summary} ({c.reason}):",
        f"{indent}  earlier  {statement_line(c.earlier)}",
        f"{indent}  later    {statement_line(c.later)}",
    ]


def render_notification(n: Notification) -> str:
    lines = [f"[{n.platform} {n.channel}] {n.summary}"]
    lines += [f"  - {statement_line(c)}" for c in n.claims]
    for alert in n.alerts:
        lines += contradiction_lines(alert)
    return "\n".join(lines)


def render_timeline(timeline: ActorTimeline) -> str:
    lines = [timeline.summary]
    if timeline.older:
        lines.append("  (older statements not shown; raise --limit)")
    for claim in timeline.claims:
        lines.append(f"  {statement_line(claim)}")
        for flip in timeline.flips_of(claim.id):
            lines.append(f"    ⚠ contradicts the earlier “{flip.earlier.text}” ({_when(flip.earlier)}; {flip.reason})")
    return "\n".join(lines)


class PrintNotifier:
    """The command line's Notifier: `crosscheck worker` prints what its own channels receive (JSON with json=True)."""

    def __init__(self, out: TextIO, *, as_json: bool = False) -> None:
        self.out = out
        self.as_json = as_json

    def send(self, notification: Notification) -> None:
        text = (
            json.dumps(notification.to_json(), ensure_ascii=False)
            if self.as_json
            else render_notification(notification)
        )
        self.out.write(text + "\n")
        self.out.flush()
