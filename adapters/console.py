"""Plain-text rendering of the core's answers, and an interactive chat in the terminal (`crosscheck serve console`)."""

from __future__ import annotations

import json
import shlex
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from bot.answers import ActorView, Answer, ClaimView, IngestReport, Latest, Match, SideGroup, SourceView
from bot.errors import BadInput, CrosscheckError
from bot.follow.views import ActorTimeline, Contradiction, Notification
from bot.service import Crosscheck, Requester

WIDTH = 100
_QUOTES = '“”" '


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def who(claim: ClaimView) -> str:
    """ "Miro Dalen (defence ministry spokesman)", or "unknown speaker"."""
    name = claim.speaker or "unknown speaker"
    return f"{name} ({claim.speaker_role})" if claim.speaker_role else name


def attributed(claim: ClaimView) -> str:
    """ "Miro Dalen said", or "according to Helena Voss": a cue that is no verb goes before the speaker."""
    cue = claim.cue or "said"
    return f"{cue} {who(claim)}" if cue.lower().startswith("according") else f"{who(claim)} {cue}"


def statement(claim: ClaimView) -> str:
    """Direct quotes in quotation marks; paraphrases never are."""
    if claim.kind == "direct":
        return "“" + claim.text.strip().strip(_QUOTES).rstrip(",") + "”"
    return claim.text


def _short(text: str | None, limit: int = 48) -> str | None:
    return text if not text or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _match_lines(m: Match, indent: str = "    ") -> list[str]:
    c = m.claim
    head = f"{attributed(c)}: {statement(c)}"
    lines = textwrap.wrap(head, WIDTH, initial_indent=indent + "- ", subsequent_indent=indent + "  ")
    meta = [x for x in (when(c.when), _short(c.source_title or c.source), f"claim {c.id}", m.tier) if x]
    if m.also_in:
        meta.append("also in " + ", ".join(m.also_in))
    lines.append(indent + "  (" + " · ".join(meta) + ")")
    if m.reason:
        lines.append(indent + "  why: " + m.reason)
    return lines


def _group_lines(group: SideGroup) -> list[str]:
    lines = [f"  {group.label}"]
    for m in group.matches:
        lines.extend(_match_lines(m))
    if group.more:
        lines.append(f"    … and {group.more} more from {group.label}")
    return lines


def render_answer(answer: Answer) -> str:
    lines = [answer.summary]
    if answer.empty:
        return lines[0]
    if answer.mode == "actor":
        for m in answer.related:
            lines.extend(_match_lines(m, indent="  "))
        return "\n".join(lines)
    for title, groups in (("Supporting", answer.supporting), ("Contradicting", answer.contradicting)):
        if groups:
            lines.append("")
            lines.append(title)
            for g in groups:
                lines.extend(_group_lines(g))
    if answer.related:
        lines.append("")
        lines.append("Related")
        for m in answer.related:
            lines.extend(_match_lines(m, indent="  "))
    lines.append("")
    lines.append(answer.note)
    return "\n".join(lines)


def render_latest(latest: Latest) -> str:
    if not latest.updates:
        return f"No updates from {latest.actor} yet." if latest.actor else "No updates yet: ingest an article first."
    lines = []
    for u in latest.updates:
        lines.append(
            f"{when(u.time) or '(no time)'}  {u.headline or '(untitled update)'}  [{u.source_title or u.source}]"
        )
        for c in u.claims:
            lines.extend(
                textwrap.wrap(
                    f"{who(c)} [{c.actor or 'unknown side'}]: {statement(c)}",
                    WIDTH,
                    initial_indent="    - ",
                    subsequent_indent="      ",
                )
            )
        if not u.claims:
            lines.append("    (no attributed statements)")
    return "\n".join(lines)


def render_claims(claims: Sequence[ClaimView]) -> str:
    if not claims:
        return "0 claims."
    lines = [f"{'ID':>5}  {'SPEAKER':<24} {'SIDE':<18} STATEMENT"]
    for c in claims:
        text = statement(c)
        lines.append(f"{c.id:>5}  {(c.speaker or 'unknown')[:24]:<24} {(c.actor or 'unknown')[:18]:<18} {text[:120]}")
        if c.update:
            lines.append(f"{'':>5}  {'':<24} {'':<18} ↳ {c.update[:100]}")
    lines.append(f"{len(claims)} claims.")
    return "\n".join(lines)


def render_search(found: Sequence[tuple[ClaimView, float]]) -> str:
    return "\n".join(f"{score:.3f}  {who(c)}: {statement(c)}" for c, score in found) or "Nothing found."


def render_actors(actors: Sequence[ActorView]) -> str:
    if not actors:
        return "No sides yet: ingest an article first."
    lines = []
    for a in actors:
        lines.append(f"{a.name or 'Unknown side'}: {a.claims} claims")
        for speaker, n in a.speakers:
            lines.append(f"    {speaker}: {n}")
    return "\n".join(lines)


def render_sources(sources: Sequence[SourceView]) -> str:
    if not sources:
        return "No sources yet."
    return "\n".join(
        f"{s.id:>4}  {s.title or s.url or s.name or '(untitled)'}  — {s.updates} updates, {s.claims} claims, "
        f"added {when(s.ingested_at)}" + (f" by {s.ingested_by}" if s.ingested_by else "")
        for s in sources
    )


def render_ingest(report: IngestReport) -> str:
    return report.summary


def statement_line(claim: ClaimView) -> str:
    """ "2031-03-03 09:30  Oskar Brand (minister) [Northland]: … — source": one statement on one line."""
    side = f" [{claim.actor}]" if claim.actor and claim.actor != claim.speaker else ""
    source = claim.source_title or claim.source or "unknown source"
    return f"{when(claim.when) or '(no time)'}  {who(claim)}{side}: {statement(claim)} — {source}"


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
            earlier = flip.earlier
            lines.append(
                f"    ⚠ contradicts the earlier {statement(earlier)} ({when(earlier.when) or 'no time'}; {flip.reason})"
            )
    return "\n".join(lines)


class PrintNotifier:
    """The command line's Notifier: `crosscheck worker` prints what its own channels receive (JSON with as_json)."""

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


HELP = """Ask a question or state a claim, e.g.  Is Russia pulling back its troops?
Commands:
  latest [SIDE]        the newest updates and their claims
  actors               sides and speakers with claim counts
  sources              what has been ingested
  ingest PATH|URL      add an article
  forget SOURCE_ID     remove a source and its claims
  help                 this text
  quit                 leave"""


def handle(service: Crosscheck, requester: Requester, line: str) -> str:
    """One line typed at the console: a command or a question. Returns what to print."""
    line = line.strip()
    if not line:
        return ""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    # chat users type slash commands: "/latest" is "latest"; an unknown "/word" is a mistyped command, not a question
    slashed = words[0].startswith("/")
    command, rest = words[0].lower().lstrip("/"), words[1:]
    commands: dict[str, Callable[[], str]] = {
        "help": lambda: HELP,
        "latest": lambda: render_latest(service.latest(requester, actor=" ".join(rest) or None)),
        "actors": lambda: render_actors(service.actors(requester)),
        "sources": lambda: render_sources(service.sources(requester)),
        "ingest": lambda: render_ingest(service.ingest(requester, " ".join(rest), allow_files=True)),
        "forget": lambda: f"Forgot {service.forget(requester, _source_id(rest))}.",
    }
    try:
        if command in commands and (command != "latest" or len(rest) <= 3 or slashed):
            return commands[command]()
        if slashed:
            return f"I don't know the command /{command}. Type help for the commands, or ask a question."
        return render_answer(service.ask(requester, line))
    except CrosscheckError as error:
        return str(error)


def _source_id(words: Sequence[str]) -> int:
    if len(words) != 1 or not words[0].isdigit():
        raise BadInput("Say which source to forget by its number, e.g. forget 3 (`sources` lists them).")
    return int(words[0])


def run(service: Crosscheck, requester: Requester, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """A chat in the terminal: the same answers as the chat adapters, as plain text."""
    interactive = stdin.isatty()
    if interactive:
        stdout.write("Crosscheck console — ask a question, or type help. Ctrl-D to leave.\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit"}:
            break
        reply = handle(service, requester, line)
        if reply:
            stdout.write(reply + "\n\n")
            stdout.flush()
