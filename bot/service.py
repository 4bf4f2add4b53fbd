"""The use cases: ask, search, latest, ingest, import, forget, sources, actors, corrections, feedback, audit.

Takes a requester (workspace, user, permissions) and returns the answer objects of ``bot.answers``; adapters render them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from bot.answers import (
    ActorView,
    Answer,
    AuditView,
    ClaimView,
    FeedbackView,
    ImportReport,
    IngestReport,
    Latest,
    Match,
    SideGroup,
    SourceView,
    StanceLabel,
    Tier,
)
from bot.config import Settings
from bot.errors import BadInput, NotAllowed
from bot.limits import Action, RateLimits
from bot.logs import command
from bot.match import semantic
from bot.store import NewClaim, NewUpdate, Store

if TYPE_CHECKING:
    from bot.follow import ActorTimeline, FollowView, LatestNew, SubscriptionView
    from bot.ingest import Document

log = logging.getLogger(__name__)

FEEDBACK_KINDS = ("wrong_match", "wrong_stance")


@dataclass(frozen=True)
class Requester:
    """Who asks, and where: the workspace is a Slack team, a Discord guild, or ``local``."""

    workspace: str
    user: str = "local"
    is_admin: bool = False  # a platform admin, as the adapter established
    roles: frozenset[str] = field(default_factory=frozenset)
    local: bool = False  # the operator at this machine's terminal (CLI, console): no rate limits


def parse_time(value: str | None) -> datetime | None:
    """An ISO date or date-time from a user or an import; None for empty; BadInput for anything else."""
    if value is None or not str(value).strip():
        return None
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"{value!r} is not a date I understand; use a form like 2022-02-16 or 2022-02-16T10:30."
        ) from None


class Crosscheck:
    """The core's entry point: one per process, shared by every adapter."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.store = store or Store(self.settings.database_url)
        self.limits = RateLimits()

    def _count(self, who: Requester, action: Action) -> None:
        if who.local:
            return
        s = self.settings
        per_user = s.questions_per_minute if action == "question" else s.ingests_per_minute
        per_space = s.workspace_questions_per_minute if action == "question" else s.workspace_ingests_per_minute
        self.limits.check(who.workspace, who.user, action, user_limit=per_user, space_limit=per_space)

    # ---- permissions ---------------------------------------------------------------------------------------

    def is_admin(self, who: Requester) -> bool:
        return who.is_admin or who.user in self.settings.admin_users or bool(who.roles & self.settings.admin_roles)

    def _require_admin(self, who: Requester, what: str) -> None:
        if not self.is_admin(who):
            raise NotAllowed(f"Only admins can {what}. Ask a workspace admin, or one listed in CROSSCHECK_ADMIN_USERS.")

    # ---- questions -----------------------------------------------------------------------------------------

    def _question(self, question: str) -> str:
        question = " ".join((question or "").split())
        if not question:
            raise BadInput("Ask me a question or state a claim, for example: Is Russia pulling back its troops?")
        return question[: self.settings.max_question_chars]

    @command("search")
    def search(self, who: Requester, question: str, *, limit: int = 10) -> list[tuple[ClaimView, float]]:
        """Claims ranked by relevance only (no stance), best first."""
        from bot.match.retrieve import rank

        question = " ".join((question or "").split())[: self.settings.max_question_chars]
        if not question:
            return []
        self._count(who, "question")
        ranked = rank(self.store, who.workspace, question, limit=limit, candidates=max(limit, self.settings.candidates))
        return [(r.claim, r.score) for r in ranked]

    @command("ask")
    def ask(self, who: Requester, question: str) -> Answer:
        """Who supports and who contradicts the question's claim, grouped by side, counts first."""
        from bot.match.analysis import read_back
        from bot.match.retrieve import rank
        from bot.match.stance import judge
        from bot.match.text import question_to_claim

        question = self._question(question)
        self._count(who, "question")
        actor = self._named_actor(who.workspace, question)
        if actor is not None:
            return self._actor_answer(who.workspace, question, actor)
        claim = question_to_claim(question)
        ranked = rank(self.store, who.workspace, question, limit=60, candidates=self.settings.candidates)
        matches: list[Match] = []
        sides = frozenset(r.claim.actor for r in ranked if r.claim.actor)
        for r in ranked:
            if r.score < self.settings.possible_threshold:
                continue
            with read_back(r.reading):  # what the store kept of the statement, not worked out again
                verdict = judge(
                    claim,
                    r.claim.text,
                    cue=r.claim.cue,
                    found_by_search=True,
                    speaker_side=r.claim.actor,
                    speaker=r.claim.speaker,
                    titles=(r.claim.update, r.claim.source_title),
                    sides=sides,
                )
            tier: Tier = "strong" if r.score >= self.settings.strong_threshold else "possible"
            matches.append(Match(claim=r.claim, score=r.score, stance=verdict.stance, reason=verdict.reason, tier=tier))
        matches = _merge_repeats(matches)
        return Answer(
            query=question,
            supporting=self._groups(matches, "supports"),
            contradicting=self._groups(matches, "contradicts"),
            related=tuple(m for m in matches if m.stance == "neutral")[: 2 * self.settings.statements_per_side],
        )

    def _groups(self, matches: Sequence[Match], stance: StanceLabel) -> tuple[SideGroup, ...]:
        by_side: dict[str | None, list[Match]] = {}
        for m in matches:
            if m.stance == stance:
                by_side.setdefault(m.claim.actor, []).append(m)
        groups = []
        for side, side_matches in by_side.items():
            best = sorted(side_matches, key=lambda m: -m.score)
            shown = best[: self.settings.statements_per_side]
            shown.sort(
                key=lambda m: (m.claim.when is None, -(m.claim.when.timestamp() if m.claim.when else 0), -m.score)
            )
            groups.append(
                (
                    max(m.score for m in best),
                    SideGroup(actor=side, stance=stance, matches=tuple(shown), hidden=tuple(best[len(shown) :])),
                )
            )
        # the best-matching side first; statements of unknown side last
        groups.sort(key=lambda g: (g[1].actor is None, -g[0]))
        return tuple(g for _, g in groups)

    def _named_actor(self, workspace: str, question: str) -> str | None:
        """A question of three words or fewer that names a known side or speaker: that actor's name."""
        words = re.findall(r"[\w’'.-]+", question)
        if not words or len(words) > 3:
            return None
        names = self.store.known_names(workspace)
        phrase = " ".join(words).strip(" ?.!").lower()
        for candidate in (phrase, re.sub(r"^(what (did|does) |latest |news from )", "", phrase)):
            if candidate in names:
                return names[candidate]
        return None

    def _actor_answer(self, workspace: str, question: str, actor: str) -> Answer:
        claims = self.store.claims_of(workspace, actor=actor, limit=self.settings.statements_per_side * 4)
        if not claims:
            claims = self.store.claims_of(workspace, speaker=actor, limit=self.settings.statements_per_side * 4)
        related = tuple(
            Match(claim=c, score=1.0, stance="neutral", reason=f"a statement of {actor}", tier="strong") for c in claims
        )
        return Answer(query=actor, mode="actor", related=related)

    @command("latest")
    def latest(
        self, who: Requester, *, actor: str | None = None, since: datetime | None = None, limit: int = 5
    ) -> Latest:
        limit = max(1, min(limit, 50))
        self._count(who, "question")
        return Latest(
            updates=tuple(self.store.latest(who.workspace, actor=actor, since=since, limit=limit)), actor=actor
        )

    # ---- ingestion -----------------------------------------------------------------------------------------

    @command("ingest")
    def ingest(
        self,
        who: Requester,
        target: str | None = None,
        *,
        data: bytes | None = None,
        name: str | None = None,
        allow_files: bool = False,
    ) -> IngestReport:
        """Loads, parses and extracts an article, then stores it in one transaction (or not at all).

        ``target`` is a URL, or a local path only when ``allow_files`` (the command line; never a chat user, who
        could otherwise make the bot read the server's files).
        """
        from bot.ingest import Loaded, LoadPolicy, load_and_parse, parse
        from bot.ingest.load import describe_size

        self._require_admin(who, "add articles")
        self._count(who, "ingest")
        if data is not None:
            if len(data) > self.settings.max_article_bytes:
                raise BadInput(
                    f"That text is {describe_size(len(data))}; the limit is {describe_size(self.settings.max_article_bytes)}."
                )
            document = parse(Loaded(data=data, content_type=None, url=None, name=name))
        elif target:
            policy = LoadPolicy(
                max_bytes=self.settings.max_article_bytes,
                timeout=self.settings.fetch_timeout,
                allow_private=self.settings.allow_private_urls,
                allow_files=allow_files,
            )
            document = load_and_parse(target, policy)
        else:
            raise BadInput("Give me a URL, a file, or the article's text to ingest.")
        return self.ingest_document(who, document)

    def ingest_document(self, who: Requester, document: Document) -> IngestReport:
        """Extracts and stores an already-parsed article (``ingest``'s second half; the follow poller's too)."""
        from bot.extract import extract

        self._require_admin(who, "add articles")
        claims = extract(document, aliases=self.store.aliases(who.workspace))
        by_update: dict[int, list[NewClaim]] = {}
        for c in claims:
            update = document.updates[c.update_index] if c.update_index < len(document.updates) else None
            # a bare "10:32" in an undated text has no day: the article's own date is the better guess
            update_time = update.time if update is not None and update.has_date else None
            by_update.setdefault(c.update_index, []).append(
                NewClaim(
                    text=c.text,
                    sentence=c.sentence,
                    kind=c.kind,
                    cue=c.cue,
                    speaker=c.speaker,
                    speaker_role=c.speaker_role,
                    actor=c.actor,
                    start=c.start,
                    end=c.end,
                    published_at=update_time or document.published_at,
                )
            )
        updates = [
            NewUpdate(
                key=u.key,
                text_hash=u.text_hash,
                headline=u.headline,
                time=u.time if u.has_date else None,
                claims=by_update.get(i, []),
            )
            for i, u in enumerate(document.updates)
        ]
        source_id, n_updates, n_claims, unchanged = self.store.save_source(
            who.workspace,
            who.user,
            url=document.url,
            name=document.name,
            title=document.title,
            content_hash=document.content_hash,
            published_at=document.published_at,
            updates=updates,
        )
        if n_claims:
            semantic.index_new_claims(self.store, who.workspace)
        return IngestReport(
            source_id=source_id,
            title=document.title or document.name,
            updates=n_updates,
            claims=n_claims,
            unchanged=unchanged,
        )

    @command("import_claims")
    def import_claims(self, who: Requester, lines: Iterable[str], *, name: str = "import") -> ImportReport:
        """Already-extracted claims, one JSON object a line: {"id", "text", "title"?, "speaker"?, "actor"?, ...}."""
        self._require_admin(who, "import claims")
        claims = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise BadInput(f"Line {number} of {name} is not JSON.") from None
            claims.append(_imported_claim(record, number, name))
        imported, skipped = self.store.import_claims(who.workspace, who.user, name, claims)
        if imported:
            semantic.index_new_claims(self.store, who.workspace)
        return ImportReport(imported=imported, skipped=skipped)

    @command("export")
    def export(self, who: Requester) -> list[dict[str, Any]]:
        """Every claim of the workspace in the import format (plus its context), for backups and moves between stores."""
        self._require_admin(who, "export claims")
        return [
            {
                "id": c.external_id or f"claim-{c.id}",
                "text": c.text,
                "sentence": c.sentence,
                "speaker": c.speaker,
                "actor": c.actor,
                "kind": c.kind,
                "cue": c.cue,
                "title": c.update or c.source_title,
                "source": c.source,
                "published_at": c.when.isoformat() if c.when else None,
            }
            for c in self.store.claims(who.workspace)
        ]

    @command("forget")
    def forget(self, who: Requester, source_id: int) -> str:
        self._require_admin(who, "forget sources")
        return self.store.forget(who.workspace, who.user, source_id)

    def delete_workspace(self, workspace: str) -> None:
        self.store.delete_workspace(workspace)
        log.info("workspace deleted workspace=%s", workspace)

    # ---- listings and corrections --------------------------------------------------------------------------

    def claims(self, who: Requester) -> list[ClaimView]:
        return self.store.claims(who.workspace)

    def sources(self, who: Requester) -> list[SourceView]:
        return self.store.sources(who.workspace)

    def actors(self, who: Requester) -> list[ActorView]:
        return self.store.actors(who.workspace)

    @command("correct")
    def correct(
        self, who: Requester, claim_id: int, *, speaker: str | None = None, actor: str | None = None
    ) -> ClaimView:
        self._require_admin(who, "correct claims")
        if speaker is None and actor is None:
            raise BadInput("Say what to correct: --speaker NAME and/or --actor SIDE.")
        self.store.correct(who.workspace, who.user, claim_id, speaker=speaker, actor=actor)
        return self.store.claims_by_id(who.workspace, [claim_id])[claim_id]

    @command("add_alias")
    def add_alias(self, who: Requester, name: str, side: str) -> None:
        self._require_admin(who, "change side names")
        self.store.add_alias(who.workspace, who.user, name, side)

    def aliases(self, who: Requester) -> Mapping[str, str]:
        return self.store.aliases(who.workspace)

    @command("feedback")
    def feedback(self, who: Requester, question: str, claim_id: int | None, kind: str) -> None:
        if kind not in FEEDBACK_KINDS:
            raise BadInput(f"Feedback is one of: {', '.join(FEEDBACK_KINDS)}.")
        self.store.add_feedback(who.workspace, who.user, question, claim_id, kind)

    @command("list_feedback")
    def list_feedback(self, who: Requester) -> list[FeedbackView]:
        self._require_admin(who, "read feedback")
        return self.store.feedback(who.workspace)

    @command("audit")
    def audit(self, who: Requester) -> list[AuditView]:
        self._require_admin(who, "read the audit trail")
        return self.store.audit_log(who.workspace)

    # ---- following live blogs, subscriptions, timelines (the rules live in bot/follow) ---------------------
    # ``platform`` and ``channel`` say where a chat command came from ("slack" + a channel id; "cli" + a name)

    @command("follow")
    def follow(self, who: Requester, url: str, every: str | int = "5m") -> tuple[FollowView, bool]:
        """Polls ``url`` from now on (admins); returns the follow and whether it is new."""
        from bot.follow import usecases
        from bot.follow.scheduler import min_interval_from_env, utc_now

        self._require_admin(who, "follow sources")
        return usecases.follow(
            self.store, who.workspace, who.user, url, every, minimum=min_interval_from_env(), now=utc_now()
        )

    @command("unfollow")
    def unfollow(self, who: Requester, what: str) -> str:
        from bot.store.following import Following

        self._require_admin(who, "stop following sources")
        return Following(self.store).remove_follow(who.workspace, who.user, (what or "").strip().strip("<>"))

    def followed(self, who: Requester) -> list[FollowView]:
        from bot.follow import usecases

        return usecases.following(self.store, who.workspace)

    @command("subscribe")
    def subscribe(self, who: Requester, platform: str, channel: str, what: str) -> tuple[SubscriptionView, bool]:
        from bot.follow import usecases

        self._count(who, "question")
        return usecases.subscribe(self.store, who.workspace, platform, channel, who.user, what)

    @command("unsubscribe")
    def unsubscribe(self, who: Requester, platform: str, channel: str, what: str | None = None) -> int:
        from bot.follow import usecases

        return usecases.unsubscribe(self.store, who.workspace, platform, channel, what)

    def subscriptions(self, who: Requester, platform: str, channel: str | None = None) -> list[SubscriptionView]:
        from bot.follow import usecases

        return usecases.subscriptions(self.store, who.workspace, platform, channel)

    @command("latest_new")
    def latest_new(self, who: Requester, platform: str, channel: str, *, limit: int = 10) -> LatestNew:
        """The updates that arrived since this channel last asked; plain ``latest`` stays the newest N."""
        from bot.follow import usecases

        self._count(who, "question")
        return usecases.latest_new(self.store, who.workspace, platform, channel, limit=limit)

    @command("actor")
    def actor_timeline(self, who: Requester, name: str, *, limit: int = 30) -> ActorTimeline:
        """A side's or speaker's statements over time, with where it contradicts its own earlier statement."""
        from bot.follow import usecases

        self._count(who, "question")
        return usecases.actor_timeline(self.store, who.workspace, name, limit=max(1, min(limit, 100)))


def _imported_claim(record: Any, number: int, name: str) -> NewClaim:
    if not isinstance(record, dict):
        raise BadInput(f"Line {number} of {name} is not a JSON object.")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f'Line {number} of {name} has no "text".')

    def optional(key: str) -> str | None:
        value = record.get(key)
        return str(value).strip() or None if value is not None else None

    return NewClaim(
        text=text.strip(),
        sentence=optional("sentence") or text.strip(),
        kind=optional("kind") or "imported",
        cue=optional("cue"),
        speaker=optional("speaker"),
        actor=optional("actor"),
        external_id=optional("id"),
        title=optional("title"),
        published_at=parse_time(optional("published_at")),
    )


def _merge_repeats(matches: list[Match]) -> list[Match]:
    """The same statement carried by several sources is shown once, citing each source."""
    kept: list[Match] = []
    for m in sorted(matches, key=lambda m: -m.score):
        for i, k in enumerate(kept):
            if k.claim.actor == m.claim.actor and k.stance == m.stance and fuzz.ratio(k.claim.text, m.claim.text) >= 92:
                if m.claim.source and m.claim.source != k.claim.source and m.claim.source not in k.also_in:
                    kept[i] = Match(k.claim, k.score, k.stance, k.reason, k.tier, k.also_in + (m.claim.source,))
                break
        else:
            kept.append(m)
    return kept
