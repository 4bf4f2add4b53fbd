"""The core's answers as Discord embeds: a colour per stance, a field per side, paged within Discord's limits.

Every limit (title 256, description 4,096, 25 fields of 1,024, 6,000 characters a message, 10 embeds a message) holds
for any answer size: what does not fit on one page goes to the next page, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from adapters.console import statement, when, who
from bot.answers import Answer, ClaimView, IngestReport, Latest, Match, SideGroup, SourceView
from bot.follow.views import ActorTimeline, Contradiction, LatestNew, Notification

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
MESSAGE_CHARS_MAX = 6000
EMBEDS_MAX = 10
# a page offers its statements in one select menu for feedback, which holds at most 25 options
CLAIMS_PER_PAGE_MAX = 25
# parts of a statement's block, so that the statement itself always keeps at least 200 characters
_META_MAX = 500
_WHY_MAX = 300
_HEADER_DESCRIPTION_MAX = 1000
# room kept on every page for the "page 3 of 12" footer, whose length is known only once all pages exist
_PAGE_FOOTER_ROOM = 40

SUPPORTS = 0x2E9E5B
CONTRADICTS = 0xD2413A
NEUTRAL = 0x8A8F98
HEADER = 0x5865F2
INFO = 0x3B82F6
ERROR = 0xE3A008

NO_MENTIONS = discord.AllowedMentions.none()

_STANCE_SECTIONS = (("Supporting", SUPPORTS), ("Contradicting", CONTRADICTS))


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters; a shortened text ends in "…" so the cut is visible."""
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


_LINE_START = re.compile(r"^(\s*)(#{1,3} |-# |[-*+] |\d+\. )")
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")


def escape(text: str | None) -> str:
    """Article or user text shown literally: markdown, headings, lists, links and mentions neutralised."""
    if not text:
        return ""
    text = " ".join(text.split())  # one line: line-start markdown can then only occur at the very start
    text = discord.utils.escape_markdown(text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    # a zero-width space after "@" or "<" keeps the text readable but never a mention, even outside embeds
    return _MENTION.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)


def _link(label: str, url: str | None) -> str:
    """A masked link when the URL is a plain http(s) one; otherwise just the label."""
    if url and re.match(r"https?://[^\s<>]+$", url) and len(url) <= 512:
        return f"[{label}]({url.replace('(', '%28').replace(')', '%29')})"
    return label


@dataclass(frozen=True)
class Block:
    """One statement (or one line of a listing) as it appears in a field; never longer than a field."""

    text: str
    claim: ClaimView | None = None


@dataclass
class Section:
    """What becomes one kind of embed: a title and colour, and fields named by side, each a list of blocks."""

    title: str
    colour: int
    fields: list[tuple[str, list[Block]]]
    footer: str | None = None


@dataclass
class Page:
    """One message's worth: its embeds, and the statements shown on it (offered for feedback)."""

    embeds: list[discord.Embed]
    claims: list[ClaimView] = field(default_factory=list)


def match_block(m: Match, *, show_side: bool = False) -> Block:
    """A statement: who, when and where (linked to its source), the statement itself, then why it matched."""
    c = m.claim
    label = escape(cut(c.source_title or c.source or f"source {c.source_id}", 80))
    parts = [f"**{escape(cut(who(c), 100))}**", escape(when(c.when)), _link(label, c.source_url)]
    if show_side:
        parts.append(escape(cut(c.actor or "unknown side", 60)))
    meta = " · ".join(x for x in parts if x)
    if len(meta) > _META_MAX:  # an unusually long link: the label alone keeps room for the statement
        parts[2] = label
        meta = cut(" · ".join(x for x in parts if x), _META_MAX)
    why = f"claim {c.id} · {m.tier}"
    if m.reason:
        why = f"{escape(cut(m.reason, 160))} · {why}"
    if m.also_in:
        why += " · also in " + escape(cut(", ".join(m.also_in), 120))
    tail = "\n*why: " + cut(why, _WHY_MAX).rstrip("\\") + "*"
    room = FIELD_VALUE_MAX - len(meta) - len(tail) - 1
    return Block(f"{meta}\n{_statement(c, room)}{tail}", c)


def _statement(c: ClaimView, room: int) -> str:
    """The statement escaped and, when too long for its field, shortened at a word with a visible "…"."""
    text = escape(statement(c))
    if len(text) <= room:
        return text
    head = text[: max(0, room - 4)]
    if " " in head[len(head) // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip("\\ ") + (" …”" if c.kind == "direct" else " …")


def _side_field(group: SideGroup) -> tuple[str, list[Block]]:
    name = f"{group.label} ({len(group.matches) + group.more})"
    return escape(cut(name, 200)), [match_block(m) for m in group.matches + group.hidden]


def answer_pages(answer: Answer) -> list[Page]:
    """The grouped answer: a header with the counts, then an embed per stance with a field per side."""
    header = _header(answer.query, answer.summary if answer.empty else f"{answer.summary}\n-# {answer.note}")
    if answer.empty:
        return paginate(header, [])
    if answer.mode == "actor":
        sections = [
            Section(
                cut(f"Statements of {escape(answer.query)}", 200),
                NEUTRAL,
                [_related_field(answer.related, "Latest first")],
            )
        ]
        return paginate(header, sections)
    sections = [
        Section(title, colour, [_side_field(g) for g in groups])
        for (title, colour), groups in zip(_STANCE_SECTIONS, (answer.supporting, answer.contradicting), strict=True)
        if groups
    ]
    if answer.related:
        sections.append(
            Section("Related, no clear stance", NEUTRAL, [_related_field(answer.related, "Statements on the subject")])
        )
    return paginate(header, sections)


def _related_field(matches: Sequence[Match], name: str) -> tuple[str, list[Block]]:
    return name, [match_block(m, show_side=True) for m in matches]


def _header(title: str, description: str) -> discord.Embed:
    return discord.Embed(
        title=cut(escape(title), TITLE_MAX), description=cut(description, _HEADER_DESCRIPTION_MAX), colour=HEADER
    )


def latest_pages(latest: Latest) -> list[Page]:
    """The newest updates: a field per update (time and headline), its claims as lines under it."""
    title = f"Latest from {latest.actor}" if latest.actor else "Latest updates"
    if not latest.updates:
        empty = f"No updates from {latest.actor} yet." if latest.actor else "No updates yet: ingest an article first."
        return paginate(_header(title, escape(empty)), [])
    fields: list[tuple[str, list[Block]]] = []
    for u in latest.updates:
        name = " · ".join(x for x in (when(u.time), u.headline or "(untitled update)") if x)
        source = _link(escape(cut(u.source_title or u.source or f"source {u.source_id}", 120)), u.source)
        blocks = [Block(f"from {source}")]
        for c in u.claims:
            line = f"**{escape(cut(who(c), 100))}** [{escape(cut(c.actor or 'unknown side', 60))}]: "
            blocks.append(Block(line + _statement(c, FIELD_VALUE_MAX - len(line)), c))
        if not u.claims:
            blocks.append(Block("*(no attributed statements)*"))
        fields.append((escape(cut(name, 200)), blocks))
    header = _header(title, f"{len(latest.updates)} updates, newest first.")
    return paginate(header, [Section(cut(escape(title), 200), INFO, fields)])


def sources_pages(sources: Sequence[SourceView]) -> list[Page]:
    if not sources:
        return paginate(_header("Sources", "No sources yet: an admin can add one with /ingest."), [])
    blocks = []
    for s in sources:
        label = _link(escape(cut(s.title or s.url or s.name or "(untitled)", 200)), s.url)
        added = " ".join(x for x in (when(s.ingested_at), _by(s.ingested_by)) if x)
        blocks.append(Block(f"`{s.id}` {label} — {s.updates} updates, {s.claims} claims; added {added}".rstrip()))
    header = _header("Sources", f"{len(sources)} sources. Remove one with /forget and its number.")
    return paginate(header, [Section("Sources", INFO, [("Number · title · contents", blocks)])])


def _by(user: str | None) -> str:
    """Discord users as mentions (shown as names, never pinged); others (the CLI's "local") as text."""
    if not user:
        return ""
    return f"by <@{user}>" if user.isdigit() else f"by {escape(user)}"


def ingest_embed(report: IngestReport) -> discord.Embed:
    return discord.Embed(title="Ingested" if not report.unchanged else "Nothing new", colour=INFO).add_field(
        name=cut(escape(report.title or f"source {report.source_id}"), FIELD_NAME_MAX),
        value=escape(report.summary)[:FIELD_VALUE_MAX],
    )


def notice(text: str, *, title: str | None = None, colour: int = INFO) -> discord.Embed:
    """A plain message (help, an error sentence) as one embed within the limits."""
    return discord.Embed(
        title=cut(title, TITLE_MAX) if title else None, description=cut(text, DESCRIPTION_MAX), colour=colour
    )


# ---- paging ---------------------------------------------------------------------------------------------------


def _embed_chars(e: discord.Embed) -> int:
    return len(e)  # discord.py counts as Discord does: title, description, field names and values, footer, author


class _PageBuilder:
    """Fills one page's embeds while every limit holds; ``fits`` says whether a block can still go on this page."""

    def __init__(self, header: discord.Embed) -> None:
        self.embeds = [header.copy()]
        self.claims: list[ClaimView] = []
        self.chars = _embed_chars(header) + _PAGE_FOOTER_ROOM
        self.section: Section | None = None
        self.side: str | None = None

    def _plan(self, section: Section, side: str, shown: str, block: Block, started: bool) -> tuple[int, str]:
        """Characters the block adds, and how: "line" (same field), "field" (a new field) or "embed" (a new embed)."""
        current = self.embeds[-1]
        if self.section is section and self.side == side:
            value = current.fields[-1].value or ""
            if len(value) + 1 + len(block.text) <= FIELD_VALUE_MAX:
                return 1 + len(block.text), "line"
        if self.section is section and len(current.fields) < FIELDS_MAX:
            return len(shown) + len(block.text), "field"
        title = f"{section.title} (continued)" if started else section.title
        return len(title) + len(section.footer or "") + len(shown) + len(block.text), "embed"

    def fits(self, section: Section, side: str, shown: str, block: Block, started: bool) -> bool:
        cost, how = self._plan(section, side, shown, block, started)
        if block.claim is not None and len(self.claims) >= CLAIMS_PER_PAGE_MAX:
            return False
        if how == "embed" and len(self.embeds) >= EMBEDS_MAX:
            return False
        return self.chars + cost <= MESSAGE_CHARS_MAX

    def add(self, section: Section, side: str, shown: str, block: Block, started: bool) -> None:
        cost, how = self._plan(section, side, shown, block, started)
        current = self.embeds[-1]
        if how == "line":
            last = current.fields[-1]
            current.set_field_at(
                len(current.fields) - 1, name=last.name, value=f"{last.value}\n{block.text}", inline=False
            )
        else:
            if how == "embed":
                current = discord.Embed(title=f"{section.title} (continued)" if started else section.title)
                current.colour = section.colour
                if section.footer:
                    current.set_footer(text=section.footer)
                self.embeds.append(current)
            current.add_field(name=shown, value=block.text, inline=False)
        self.chars += cost
        self.section, self.side = section, side
        if block.claim is not None:
            self.claims.append(block.claim)


def paginate(header: discord.Embed, sections: Sequence[Section]) -> list[Page]:
    """Packs sections into pages; every page repeats the header, and continued sections and sides say so."""
    pages = [_PageBuilder(header)]
    for section in sections:
        section_started = False
        for side, blocks in section.fields:
            side_started = False
            for block in blocks:
                shown = f"{cut(side, FIELD_NAME_MAX - 12)} (continued)" if side_started else side
                if not pages[-1].fits(section, side, shown, block, section_started):
                    pages.append(_PageBuilder(header))
                pages[-1].add(section, side, shown, block, section_started)
                section_started = side_started = True
    if len(pages) > 1:
        for number, page in enumerate(pages, 1):
            page.embeds[0].set_footer(text=f"Page {number} of {len(pages)}")
    return [Page(p.embeds, p.claims) for p in pages]


# ---- following (bot/follow): channel notifications, /latest new, /actor timelines -------------------------------


def _claim_block(c: ClaimView) -> Block:
    """A statement with its speaker, side, time and source, within one field."""
    label = escape(cut(c.source_title or c.source or f"source {c.source_id}", 80))
    parts = [f"**{escape(cut(who(c), 100))}**", escape(cut(c.actor or "unknown side", 60)), escape(when(c.when))]
    meta = cut(" · ".join(x for x in [*parts, _link(label, c.source_url)] if x), _META_MAX)
    return Block(f"{meta}\n{_statement(c, FIELD_VALUE_MAX - len(meta) - 1)}", c)


def alert_embed(alert: Contradiction) -> discord.Embed:
    """Both statements side by side (two inline fields: earlier | now), with speakers, times and sources."""
    embed = discord.Embed(
        title=cut("⚠️ " + escape(alert.summary), TITLE_MAX),
        description=cut(escape(alert.reason), _WHY_MAX),
        colour=CONTRADICTS,
    )
    embed.add_field(name="Earlier", value=_claim_block(alert.earlier).text, inline=True)
    embed.add_field(name="Now", value=_claim_block(alert.later).text, inline=True)
    return embed


def notification_pages(n: Notification) -> list[Page]:
    """One channel's batch: an embed per contradiction alert, then the new statements; paged within the limits."""
    title = "New on " + ", ".join(n.topics) if n.topics else "New statements"
    alerts = [alert_embed(a) for a in n.alerts]
    pages = []
    # alerts go in pages of their own kind first: each is one whole embed of at most ~2,600 characters
    for start in range(0, len(alerts), 2):
        pages.append(
            Page(alerts[start : start + 2], [c for a in n.alerts[start : start + 2] for c in (a.earlier, a.later)])
        )
    if n.claims:
        header = _header(title, escape(n.summary))
        pages += paginate(
            header, [Section("New statements", INFO, [("Statements", [_claim_block(c) for c in n.claims])])]
        )
    return pages


def latest_new_pages(new: LatestNew) -> list[Page]:
    pages = latest_pages(new.latest)
    for page in pages:
        page.embeds[0].description = cut(escape(new.summary), _HEADER_DESCRIPTION_MAX)
    return pages


def timeline_pages(timeline: ActorTimeline) -> list[Page]:
    """A side's or speaker's statements, oldest first; a flip also shows the earlier statement it contradicts."""
    header = _header(f"{timeline.name} over time", escape(timeline.summary))
    blocks: list[Block] = []
    for c in timeline.claims:
        blocks.append(_claim_block(c))
        for flip in timeline.flips_of(c.id):
            earlier = _claim_block(flip.earlier).text
            note = f"⚠️ *contradicts the earlier statement ({escape(cut(flip.reason, 120))}):*\n"
            blocks.append(Block(cut(note + earlier, FIELD_VALUE_MAX)))
    return paginate(header, [Section(cut(escape(timeline.name), 200), INFO, [("Statements, oldest first", blocks)])])
