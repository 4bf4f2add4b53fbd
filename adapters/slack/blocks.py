"""Block Kit rendering of the core's answers, within Slack's limits for any answer size.

Every piece of user or article text is escaped for mrkdwn and cannot mention @channel or turn into a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from adapters.console import statement, when, who
from bot.answers import DISCLAIMER, Answer, ClaimView, IngestReport, Latest, Match, SourceView, StanceLabel
from bot.follow.views import ActorTimeline, Contradiction, LatestNew, Notification

MAX_BLOCKS = 50  # Slack refuses a message with more
MAX_SECTION_CHARS = 3_000  # a section's text
MAX_HEADER_CHARS = 150  # a header's plain text
MAX_CONTEXT_CHARS = 2_000  # a context element's text (Slack allows 3,000; reasons need less)
MAX_BUTTON_VALUE = 2_000
MAX_STATEMENT_CHARS = 700  # one statement's share of a section, so a side shows several
MAX_FALLBACK_CHARS = 3_000  # the notification text beside the blocks

# action ids of the buttons an answer carries; the app's listeners match on them
WRONG_MATCH = "crosscheck_wrong_match"
WRONG_STANCE = "crosscheck_wrong_stance"
SHOW_MORE = "crosscheck_show_more"

Block = dict[str, Any]

_WORD_JOINER = "\u2060"  # invisible; splits a word so Slack neither notifies nor links it
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_AUTOLINK = re.compile(r"\b(https?|ftp|mailto|slack)(:)|\b(www)(\.)", re.IGNORECASE)
_STANCE_WORDS: dict[StanceLabel, str] = {"supports": "supports", "contradicts": "contradicts", "neutral": "related"}
_STANCE_MARKS: dict[StanceLabel, str] = {"supports": "✅", "contradicts": "❌", "neutral": "➖"}


def escape(text: str | None) -> str:
    """User or article text made inert for mrkdwn: no control sequences, no broadcasts, no auto-links."""
    text = (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)
    return _AUTOLINK.sub(lambda m: (m.group(1) or m.group(3)) + _WORD_JOINER + (m.group(2) or m.group(4)), text)


def plain(text: str | None, limit: int) -> str:
    """Text for plain_text objects, cut to Slack's limit; no markup works there, but broadcasts are split anyway."""
    text = _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), " ".join((text or "").split()))
    return cut(text.replace("<!", "<" + _WORD_JOINER + "!").replace("<@", "<" + _WORD_JOINER + "@"), limit)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def link(url: str | None, label: str) -> str:
    """A mrkdwn link to an http(s) URL, else the escaped label alone; the label can't break out of the link."""
    label = escape(label).replace("|", "¦")
    if not url:
        return label
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return label
    safe_url = quote(url, safe=":/?#[]@!$&'()*+,;=%~.-_")  # percent-encodes |, <, >, spaces and quotes
    safe_url = safe_url.replace("&", "&amp;")
    return f"<{safe_url}|{label}>"


def said(claim: ClaimView) -> str:
    """The statement as shown: direct quotes in quotation marks, paraphrases never (outer quote marks dropped)."""
    text = statement(claim)
    if claim.kind != "direct":
        text = text.strip().strip("“”\"'‘’ ").strip() or text
    return text


def _line(m: Match, *, with_side: bool = False) -> str:
    c = m.claim
    speaker = f"*{escape(who(c))}*" + (f" [{escape(c.actor or 'unknown side')}]" if with_side else "")
    stamp = when(c.when)
    head = speaker + (f", {stamp}" if stamp else "")
    where = c.update or c.source_title or c.source
    source = link(c.source_url, cut(where, 120)) if where else ""
    body = escape(cut(said(c), MAX_STATEMENT_CHARS))
    tail = [x for x in (source, "possible match" if m.tier == "possible" else "") if x]
    if m.also_in:
        tail.append("also in " + escape(cut(", ".join(m.also_in), 200)))
    return f"• {head}: {body}" + (" — " + " · ".join(tail) if tail else "")


@dataclass(frozen=True)
class Item:
    """One statement in display order, with the side and stance it is listed under."""

    side: str
    stance: StanceLabel
    match: Match


@dataclass(frozen=True)
class Rendered:
    """A message: its blocks, its notification text and the claims it shows (for the feedback buttons)."""

    blocks: list[Block]
    text: str
    shown: tuple[int, ...] = ()
    more: int = 0  # statements left for "show more"


def _items(answer: Answer) -> tuple[list[Item], list[Item]]:
    """(first page, everything else) in display order: each side's best statements first, then its hidden ones."""
    first: list[Item] = []
    later: list[Item] = []
    for groups in (answer.supporting, answer.contradicting):
        for g in groups:
            first.extend(Item(g.label, g.stance, m) for m in g.matches)
            later.extend(Item(g.label, g.stance, m) for m in g.hidden)
    related_side = answer.query if answer.mode == "actor" else "Related statements"
    first.extend(Item(related_side, "neutral", m) for m in answer.related)
    return first, later


def _side_blocks(items: Sequence[Item], hidden: int) -> tuple[list[Block], int]:
    """A section for consecutive statements of one side (as many as fit in 3,000 chars), then its reasons."""
    side, stance = escape(cut(items[0].side, 200)), items[0].stance
    head = f"{_STANCE_MARKS[stance]} *{side}*" + (f" {_STANCE_WORDS[stance]}" if stance != "neutral" else "")
    lines = [head]
    used = 0
    for item in items:
        line = _line(item.match, with_side=stance == "neutral")
        if used and len("\n".join([*lines, line])) > MAX_SECTION_CHARS - 80:
            break
        lines.append(cut(line, MAX_SECTION_CHARS - len(head) - 80))
        used += 1
    left = len(items) - used + hidden
    if left:
        lines.append(f"_and {left} more from {side}_")
    text = cut("\n".join(lines), MAX_SECTION_CHARS)
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    reasons = list(dict.fromkeys(i.match.reason for i in items[:used] if i.match.reason))
    if reasons:
        why = cut("Why: " + " · ".join(escape(r) for r in reasons), MAX_CONTEXT_CHARS)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": why}]})
    return blocks, used


def _runs(items: Sequence[Item]) -> list[list[Item]]:
    runs: list[list[Item]] = []
    for item in items:
        if runs and (runs[-1][0].side, runs[-1][0].stance) == (item.side, item.stance):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _fill(items: Sequence[Item], budget: int, hidden_by_side: dict[tuple[str, str], int]) -> tuple[list[Block], int]:
    """Blocks for as many items as fit in `budget` blocks; returns them and how many items they show."""
    blocks: list[Block] = []
    shown = 0
    for run in _runs(items):
        if len(blocks) + 2 > budget:
            break
        hidden = hidden_by_side.get((run[0].side, run[0].stance), 0)
        more, used = _side_blocks(run, hidden)
        blocks.extend(more)
        shown += used
        if used < len(run):
            break  # the rest of this side continues on the next page, in order
    return blocks, shown


def _button_value(payload: dict[str, Any]) -> str:
    """JSON for a button's value, the question shortened until it fits Slack's 2,000 characters."""
    question = str(payload.get("q", ""))
    while True:
        value = json.dumps({**payload, "q": question}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_BUTTON_VALUE or not question:
            return value
        question = question[: max(0, len(question) - (len(value) - MAX_BUTTON_VALUE) - 8)]


def answer_blocks(answer: Answer, *, offset: int | None = None) -> Rendered:
    """The answer's first page (offset None), or the statements after `offset` of the rest ("show more")."""
    first, later = _items(answer)
    if answer.mode == "actor":
        title = f"Statements of {answer.query}"
    else:
        title = f"Cross-check: {answer.query}"
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, MAX_HEADER_CHARS)}}]
    summary = escape(answer.summary)
    if answer.empty:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut(summary, MAX_SECTION_CHARS)}})
        hint = "Try other words, or ask `/crosscheck latest` what has been said lately."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
        return Rendered(blocks=blocks, text=cut(answer.summary, MAX_FALLBACK_CHARS))

    # header, summary, divider, footer note and the buttons: the rest of the 50 blocks is for statements
    budget = MAX_BLOCKS - 5
    if offset is None:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut(summary, MAX_SECTION_CHARS)}})
        hidden: dict[tuple[str, str], int] = {}
        for item in later:
            hidden[(item.side, item.stance)] = hidden.get((item.side, item.stance), 0) + 1
        body, shown_count = _fill(first, budget, hidden)
        shown_items = first[:shown_count]
        rest = first[shown_count:] + later
        next_offset = 0  # "show more" starts at the beginning of the rest
    else:
        rest = _rest(answer)
        page = rest[offset:]
        more_for = f"More for: {escape(cut(answer.query, 2_800))}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": more_for}})
        body, shown_count = _fill(page, budget, {})
        shown_items = page[:shown_count]
        next_offset = offset + shown_count
    blocks.append({"type": "divider"})
    blocks.extend(body)
    left = len(rest) - next_offset
    note = answer.note + (f" · {left} more statement{'s' if left != 1 else ''}" if left else "")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(note)}]})
    shown = tuple(dict.fromkeys(i.match.claim.id for i in shown_items))
    buttons: list[Block] = []
    if shown:
        ids_value = _button_value({"q": answer.query, "ids": list(shown)})
        buttons.append(_button("Wrong match", WRONG_MATCH, ids_value))
        buttons.append(_button("Wrong stance", WRONG_STANCE, ids_value))
    if left:
        buttons.append(_button(f"Show more ({left})", SHOW_MORE, _button_value({"q": answer.query, "o": next_offset})))
    if buttons:
        blocks.append({"type": "actions", "block_id": "crosscheck_answer", "elements": buttons})
    return Rendered(blocks=blocks, text=cut(answer.summary, MAX_FALLBACK_CHARS), shown=shown, more=left)


def _rest(answer: Answer) -> list[Item]:
    """What the first page leaves over, computed exactly as the first page computes it."""
    first, later = _items(answer)
    hidden: dict[tuple[str, str], int] = {}
    _body, shown_count = _fill(first, MAX_BLOCKS - 5, hidden)
    return first[shown_count:] + later


def _button(label: str, action_id: str, value: str) -> Block:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action_id, "value": value}


def latest_blocks(latest: Latest) -> Rendered:
    """The newest updates, each with its claims; cut to fit the block and character limits."""
    title = f"Latest from {latest.actor}" if latest.actor else "Latest updates"
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, MAX_HEADER_CHARS)}}]
    if not latest.updates:
        empty = f"No updates from {latest.actor} yet." if latest.actor else "No updates yet: an admin can add articles."
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(empty)}})
        return Rendered(blocks=blocks, text=empty)
    for u in latest.updates[: MAX_BLOCKS - 2]:
        where = link(None if u.source is None else _url_of(u.source), cut(u.source_title or u.source or "source", 120))
        lines = [
            f"*{escape(when(u.time) or 'no time')}* · *{escape(cut(u.headline or 'untitled update', 300))}* — {where}"
        ]
        for c in u.claims:
            line = (
                f"• {escape(who(c))} [{escape(c.actor or 'unknown side')}]: {escape(cut(said(c), MAX_STATEMENT_CHARS))}"
            )
            if len("\n".join([*lines, line])) > MAX_SECTION_CHARS - 60:
                lines.append(f"_and {len(u.claims) - (len(lines) - 1)} more statements_")
                break
            lines.append(line)
        if not u.claims:
            lines.append("_no attributed statements_")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut("\n".join(lines), MAX_SECTION_CHARS)}})
    if len(latest.updates) > MAX_BLOCKS - 2:
        more = len(latest.updates) - (MAX_BLOCKS - 2)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"and {more} more updates"}]})
    return Rendered(blocks=blocks, text=plain(title, MAX_FALLBACK_CHARS))


def _url_of(source: str) -> str | None:
    return source if source.startswith(("http://", "https://")) else None


def sources_blocks(sources: Sequence[SourceView]) -> Rendered:
    if not sources:
        return text_blocks("No sources yet: an admin can add one with `/crosscheck ingest URL`.")
    lines = [
        f"`{s.id}` {link(s.url, cut(s.title or s.url or s.name or 'untitled', 200))} — {s.updates} updates, "
        f"{s.claims} claims, added {escape(when(s.ingested_at))}"
        for s in sources
    ]
    return list_blocks("Sources", lines)


def ingest_blocks(report: IngestReport) -> Rendered:
    return text_blocks(report.summary)


def text_blocks(message: str, *, escaped: bool = False) -> Rendered:
    """A plain message as one section (our own sentences may carry markup when `escaped` says it is safe)."""
    body = message if escaped else escape(message)
    return Rendered(blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": cut(body, MAX_SECTION_CHARS)}}],
                    text=cut(message, MAX_FALLBACK_CHARS))  # fmt: skip


def list_blocks(title: str, lines: Sequence[str]) -> Rendered:
    """Lines packed into as few sections as the 3,000-character limit allows; overflow counted."""
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, MAX_HEADER_CHARS)}}]
    chunk: list[str] = []
    shown = 0
    for line in lines:
        line = cut(line, MAX_SECTION_CHARS)
        if chunk and len("\n".join([*chunk, line])) > MAX_SECTION_CHARS:
            if len(blocks) >= MAX_BLOCKS - 2:
                break
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
            chunk = []
        chunk.append(line)
        shown += 1
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
    if shown < len(lines):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"and {len(lines) - shown} more"}]})
    return Rendered(blocks=blocks, text=title)


# ---- following (bot/follow): channel notifications, `latest --new`, actor timelines --------------------------


def _statement_line(c: ClaimView) -> str:
    """One statement with its speaker and side, time and source, for notifications and timelines."""
    stamp = when(c.when)
    where = c.update or c.source_title or c.source
    source = link(c.source_url, cut(where, 120)) if where else ""
    head = f"*{escape(who(c))}* [{escape(c.actor or 'unknown side')}]" + (f", {escape(stamp)}" if stamp else "")
    return f"{head}: {escape(cut(said(c), MAX_STATEMENT_CHARS))}" + (f" — {source}" if source else "")


def contradiction_block(alert: Contradiction) -> Block:
    """Both statements side by side (two fields: earlier | later), with speakers, times and sources."""
    half = (MAX_SECTION_CHARS - 200) // 2  # a field holds 2,000 characters; two fit a section's budget
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"⚠️ *{escape(cut(alert.summary, 300))}* — {escape(cut(alert.reason, 300))}"},
        "fields": [
            {"type": "mrkdwn", "text": cut("*Earlier*\n" + _statement_line(alert.earlier), half)},
            {"type": "mrkdwn", "text": cut("*Now*\n" + _statement_line(alert.later), half)},
        ],
    }


def notification_blocks(n: Notification) -> Rendered:
    """One channel's batch: contradiction alerts first, then the new statements, within Slack's limits."""
    title = "New on " + ", ".join(n.topics) if n.topics else "New statements"
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, MAX_HEADER_CHARS)}}]
    for alert in n.alerts[: MAX_BLOCKS - 4]:
        blocks.append(contradiction_block(alert))
    lines = [f"• {_statement_line(c)}" for c in n.claims]
    chunk: list[str] = []
    shown = 0
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > MAX_SECTION_CHARS:
            if len(blocks) >= MAX_BLOCKS - 2:
                break
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
            chunk = []
        chunk.append(cut(line, MAX_SECTION_CHARS))
        shown += 1
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
    if shown < len(lines):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"and {len(lines) - shown} more"}]})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(DISCLAIMER)}]})
    return Rendered(blocks=blocks[:MAX_BLOCKS], text=plain(f"{title}: {n.summary}", MAX_FALLBACK_CHARS))


def latest_new_blocks(new: LatestNew) -> Rendered:
    rendered = latest_blocks(new.latest)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(new.summary)}]}
    return Rendered(blocks=[rendered.blocks[0], note, *rendered.blocks[1:]][:MAX_BLOCKS], text=new.summary)


def timeline_blocks(timeline: ActorTimeline) -> Rendered:
    """A side's or speaker's statements, oldest first; a flip shows the earlier statement it contradicts."""
    lines = []
    for c in timeline.claims:
        line = f"• {_statement_line(c)}"
        for flip in timeline.flips_of(c.id):
            line += f"\n    ⚠️ _contradicts the earlier_ {_statement_line(flip.earlier)} ({escape(flip.reason)})"
        lines.append(line)
    rendered = list_blocks(f"{timeline.name} over time", lines or [escape(timeline.summary)])
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(timeline.summary)}]}
    return Rendered(blocks=[rendered.blocks[0], note, *rendered.blocks[1:]][:MAX_BLOCKS], text=timeline.summary)
