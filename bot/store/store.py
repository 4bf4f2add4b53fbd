"""The claim store: schema on first use, one transaction per ingest, and the queries the service needs."""

from __future__ import annotations

import functools
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Select,
    any_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.answers import ActorView, AuditView, ClaimView, FeedbackView, SourceView, UpdateView
from bot.errors import BadInput, NotFound
from bot.store.fulltext import (
    POOL_MATCHES,
    POSTGRES_DDL,
    POSTGRES_SYNTAX,
    POSTGRES_WEIGHTS,
    SHORT_CLAIM_CHARS,
    SHORT_FIRST_FROM,
    SQLITE_DDL,
    SQLITE_SYNTAX,
    TEXT_WEIGHT,
    TITLE_WEIGHT,
    WHO_WEIGHT,
    Concept,
    Pool,
    best,
    group_concepts,
    heaviest,
    keyed_concepts,
    nth_best,
    postgres_tsquery,
    pruned_pool,
    query_terms,
    ranked_by_index,
    sqlite_match,
)
from bot.store.models import (
    Actor,
    Alias,
    AuditEntry,
    Base,
    Claim,
    ClaimAnalysis,
    Feedback,
    SeenEvent,
    Source,
    Speaker,
    Update,
    utcnow,
)

log = logging.getLogger(__name__)
SEEN_KEEP = timedelta(days=1)
SEEN_PRUNE_EVERY = 100  # first_time calls between two prunings of old event keys

T = TypeVar("T")
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for another process's write to finish
# SQLite reads the first this-many bytes of the file through a memory map rather than a read() a page: a question
# visits a few thousand pages at random (candidates, their texts and analyses, views), 100k claims ask p50/p95
# 19.8/25.5 -> 18.0/22.8 ms. The mapped pages are the kernel's page cache (counted in RSS once touched).
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
WRITE_ATTEMPTS = 5
POSTGRES_COUNT_CAP = 10_000
# From this many planned matches a word's count is the planner's estimate (see Store._postgres_matches)
POSTGRES_ESTIMATED_FROM = 1_000
# PostgreSQL: when even a question's rarest concept has more matches than this (a speaker's or place's name in tens
# of thousands of claims), its rows are not all visited (85-125 ms at a million claims): every candidate is found
# through combinations, whose shortest few hundred the short claims' index gives. At 1M claims candidates mean / p95
# 46.7 / 115.7 -> 31.3 / 82.5 ms, the same candidates for 300 of 300 bench questions (in another order for 2)
READ_MOST: int | None = SHORT_FIRST_FROM
MATCH_COUNT_TTL = 300.0  # seconds a concept's match count steers the search before it is counted again
_WRITE = "crosscheck_write"  # execution option marking a write transaction
_TOTAL = "crosscheck_total"  # Session.info key of the index's size, read once per read transaction
# The store and read transaction that reads in a ``Store.reading()`` block share (per thread and per task)
_SHARED_READ: ContextVar[tuple[Store, Session] | None] = ContextVar("crosscheck_shared_read", default=None)


@dataclass(frozen=True)
class NewClaim:
    """A claim to store, as extraction or an import produces it."""

    text: str
    sentence: str
    kind: str
    cue: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    actor: str | None = None
    start: int | None = None
    end: int | None = None
    external_id: str | None = None
    title: str | None = None
    published_at: datetime | None = None


class ClaimText(NamedTuple):
    """What a question's candidate is scored and judged on (Store.claim_texts)."""

    text: str
    speaker: str | None
    actor: str | None
    terms: str | None  # its analysis (bot.match.analysis), when stored by the current rules
    reading: str | None


@dataclass(frozen=True)
class NewUpdate:
    key: str
    text_hash: str
    headline: str | None
    time: datetime | None
    claims: Sequence[NewClaim]


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # the driver's own transaction handling is off: _sqlite_begin says BEGIN itself, IMMEDIATE for writers
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    # Switching a new file to WAL needs it alone for a moment; SQLite does not wait on the busy timeout for that, so
    # two processes opening a fresh database at once retry here instead of one of them failing.
    for attempt in range(100):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock when it starts, so two writers queue on the busy timeout instead of one failing
    # when it upgrades a read snapshot that the other made stale (WAL's SQLITE_BUSY_SNAPSHOT). Readers never wait.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _retryable(error: DBAPIError) -> bool:
    """A unique-key race, a deadlock, a serialisation failure or a lock wait that ran out: trying again succeeds."""
    if isinstance(error, IntegrityError):
        return True
    state = getattr(error.orig, "sqlstate", None)
    if state in {"40001", "40P01"}:
        return True
    return "database is locked" in str(error.orig)


class Store:
    """One database (SQLite file or PostgreSQL) holding every workspace's claims."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self._seen_count = 0
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True  # a bot lives for weeks; the server may restart under it
        self.engine: Engine = create_engine(url, **kwargs)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        # A read sees one snapshot across its statements (sources() counts claims and lists sources apart):
        # SQLite's read transaction does that already; PostgreSQL's default READ COMMITTED would not.
        reader = (
            self.engine.execution_options(isolation_level="REPEATABLE READ")
            if self.dialect == "postgresql"
            else self.engine
        )
        self._reads = sessionmaker(reader, expire_on_commit=False)
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self._matches: dict[str, tuple[float, int]] = {}
        self.ensure_schema()

    def ensure_schema(self) -> None:
        """An empty database gets the current schema, stamped as the newest migration; an older one is migrated.

        Cheap when the schema is current (one look at the migration table), so it runs on every start.
        """
        from bot.store import migrate

        with self._write_engine.begin() as conn:
            migrate.lock(conn)
            state = migrate.revision_of(conn)
            if state == migrate.EMPTY:
                Base.metadata.create_all(conn)
                for statement in self.search_ddl():
                    conn.exec_driver_sql(statement)
                migrate.stamp_head(conn)
                return
        if state != migrate.HEAD:
            migrate.upgrade_engine(self._write_engine)

    def search_ddl(self) -> tuple[str, ...]:
        """The statements that make this backend's full-text index (idempotent)."""
        if self.dialect == "sqlite":
            return SQLITE_DDL
        if self.dialect == "postgresql":
            return POSTGRES_DDL
        return ()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: committed whole, or rolled back whole on any error. A read inside ``reading()`` joins
        that block's transaction."""
        shared = None if write else _SHARED_READ.get()
        if shared is not None and shared[0] is self:
            yield shared[1]
            return
        session = (self._writes if write else self._reads)()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """The reads in this block share one read transaction: one snapshot, and one connection checkout. A question
        reads the index, the word counts, the candidates' texts and the views of the best: on PostgreSQL each
        transaction of its own costs a ping (the pool's check that the server is still there), a BEGIN and a COMMIT.
        Writes inside the block have transactions of their own."""
        shared = _SHARED_READ.get()
        if shared is not None and shared[0] is self:
            yield
            return
        with self.transaction(write=False) as session:
            token = _SHARED_READ.set((self, session))
            try:
                yield
            finally:
                _SHARED_READ.reset(token)

    def _write(self, work: Callable[[Session], T]) -> T:
        """Runs ``work`` in one write transaction, again from the start if another process won a race for a row."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.transaction() as session:
                    return work(session)
            except DBAPIError as error:
                if attempt == WRITE_ATTEMPTS or not _retryable(error):
                    raise
                log.info("write raced another process (attempt %d): %s", attempt, error.orig)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    # ---- writing -------------------------------------------------------------------------------------------

    def _insert_missing(self, session: Session, model: type[Actor] | type[Speaker], values: dict[str, Any]) -> None:
        """Inserts a named row unless the workspace has it: a concurrent ingest adding the same name is no error."""
        insert = sqlite_insert if self.dialect == "sqlite" else postgres_insert
        session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=["workspace", "name"]))

    def _actor_id(self, session: Session, workspace: str, name: str | None) -> int | None:
        if not name:
            return None
        query = select(Actor.id).where(Actor.workspace == workspace, Actor.name == name)
        found = session.scalar(query)
        if found is None:
            self._insert_missing(session, Actor, {"workspace": workspace, "name": name})
            found = session.scalar(query)
        return found

    def _speaker_id(self, session: Session, workspace: str, claim: NewClaim, actor_id: int | None) -> int | None:
        if not claim.speaker:
            return None
        query = select(Speaker).where(Speaker.workspace == workspace, Speaker.name == claim.speaker)
        speaker = session.scalar(query)
        if speaker is None:
            values = {"workspace": workspace, "name": claim.speaker, "role": claim.speaker_role, "actor_id": actor_id}
            self._insert_missing(session, Speaker, values)
            speaker = session.scalar(query)
            if speaker is None:
                raise AssertionError(f"speaker {claim.speaker!r} neither inserted nor found")
        elif (speaker.role is None and claim.speaker_role) or (speaker.actor_id is None and actor_id):
            # only a real change writes the row: fewer row locks shared with a concurrent ingest
            speaker.role = speaker.role or claim.speaker_role
            speaker.actor_id = speaker.actor_id or actor_id
        return speaker.id

    def _add_claims(
        self,
        session: Session,
        workspace: str,
        source_id: int,
        update_id: int | None,
        claims: Iterable[NewClaim],
        names: dict[tuple[str, str | None], int | None] | None = None,
    ) -> int:
        """An update's claims (a statement repeated by the same speaker once), in one multi-row insert."""
        seen: set[tuple[str | None, str]] = set()
        fresh = []
        for claim in claims:
            if (claim.speaker, claim.text) in seen or not claim.text.strip():
                continue
            seen.add((claim.speaker, claim.text))
            fresh.append(claim)
        return self._insert_claims(session, workspace, source_id, update_id, fresh, {} if names is None else names)

    def _insert_claims(
        self,
        session: Session,
        workspace: str,
        source_id: int,
        update_id: int | None,
        claims: Sequence[NewClaim],
        names: dict[tuple[str, str | None], int | None],
    ) -> int:
        # side and speaker ids looked up once per transaction, claims inserted in bulk: one statement a claim, with
        # the ORM flushing before every lookup, made the store the slow part of an ingest
        rows = []
        for claim in claims:
            actor_id = None
            if claim.actor:
                if ("actor", claim.actor) not in names:
                    names[("actor", claim.actor)] = self._actor_id(session, workspace, claim.actor)
                actor_id = names[("actor", claim.actor)]
            speaker_id = None
            if claim.speaker:
                key = (f"speaker:{claim.speaker}", f"{actor_id}:{claim.speaker_role}")
                if key not in names:
                    names[key] = self._speaker_id(session, workspace, claim, actor_id)
                speaker_id = names[key]
            rows.append(
                {
                    "workspace": workspace,
                    "source_id": source_id,
                    "update_id": update_id,
                    "speaker_id": speaker_id,
                    "actor_id": actor_id,
                    "external_id": claim.external_id,
                    "text": claim.text,
                    "sentence": claim.sentence,
                    "title": claim.title,
                    "kind": claim.kind,
                    "cue": claim.cue,
                    "start": claim.start,
                    "end": claim.end,
                    "published_at": claim.published_at,
                }
            )
        for chunk in range(0, len(rows), 5000):
            part = rows[chunk : chunk + 5000]
            ids = session.scalars(insert(Claim).returning(Claim.id, sort_by_parameter_order=True), part).all()
            self._add_analyses(session, zip(ids, (str(row["text"]) for row in part), strict=True))
        return len(rows)

    @staticmethod
    def _add_analyses(session: Session, claims: Iterable[tuple[int, str]]) -> int:
        """Each claim's analysis (bot.match.analysis), worked out once for a text said more than once."""
        from bot.match.analysis import VERSION, Analysis, analyse

        made: dict[str, Analysis] = {}
        rows = []
        for claim_id, claim_text in claims:
            if claim_text not in made:
                made[claim_text] = analyse(claim_text)
            found = made[claim_text]
            rows.append({"claim_id": claim_id, "version": VERSION, "terms": found.terms, "reading": found.reading})
        if rows:
            session.execute(insert(ClaimAnalysis), rows)
        return len(rows)

    def analyse_some(self, after: int = 0, batch: int = 2000) -> tuple[int, int]:
        """Analyses, in one transaction, up to ``batch`` claims after id ``after`` whose analysis is missing or was
        made by other rules; returns how many, and the id to go on after (the last one analysed)."""
        from bot.match.analysis import VERSION

        def work(session: Session) -> tuple[int, int]:
            stale = session.execute(
                select(Claim.id, Claim.text)
                .outerjoin(ClaimAnalysis, ClaimAnalysis.claim_id == Claim.id)
                .where(Claim.id > after, or_(ClaimAnalysis.claim_id.is_(None), ClaimAnalysis.version != VERSION))
                .order_by(Claim.id)
                .limit(batch)
            ).all()
            ids = [claim_id for claim_id, _ in stale]
            session.execute(delete(ClaimAnalysis).where(ClaimAnalysis.claim_id.in_(ids)))
            count = self._add_analyses(session, [(claim_id, claim_text) for claim_id, claim_text in stale])
            return count, ids[-1] if ids else after

        return self._write(work)

    def analyse(self, batch: int = 2000, progress: Callable[[int], None] | None = None) -> int:
        """Analyses every claim whose analysis is missing or was made by other rules, ``batch`` claims a transaction
        (`crosscheck db upgrade`, and a bot's scheduler after a new version's rules); returns how many. Questions
        answer the same meanwhile, working out what is missing."""
        done, after = 0, 0
        while True:
            count, after = self.analyse_some(after, batch)
            done += count
            if progress is not None and count:
                progress(done)
            if count < batch:
                return done

    def find_source(
        self, session: Session, workspace: str, *, url: str | None, name: str | None, content_hash: str
    ) -> Source | None:
        """The stored source an article is: the same URL; else the same text; else the same file name (grown)."""
        # FOR UPDATE (PostgreSQL; SQLite's writers are serialised already): a second process ingesting the same
        # article waits here for the first to commit, then sees its result instead of replacing its updates again
        base = select(Source).where(Source.workspace == workspace).with_for_update()
        if url:
            return session.scalar(base.where(Source.url == url))
        same_text = session.scalar(base.where(Source.content_hash == content_hash).limit(1))
        if same_text is not None or not name:
            return same_text
        return session.scalar(base.where(Source.url.is_(None), Source.name == name).limit(1))

    def save_source(
        self,
        workspace: str,
        user: str,
        *,
        url: str | None,
        name: str | None,
        title: str | None,
        content_hash: str,
        published_at: datetime | None,
        updates: Sequence[NewUpdate],
    ) -> tuple[int, int, int, bool]:
        """Stores an article in one transaction: new updates added, changed ones replaced, the rest kept.

        Returns (source id, updates stored, claims stored, unchanged).
        """

        def work(session: Session) -> tuple[int, int, int, bool]:
            source = self.find_source(session, workspace, url=url, name=name, content_hash=content_hash)
            if source is not None and source.content_hash == content_hash:
                return source.id, 0, 0, True
            if source is None:
                source = Source(
                    workspace=workspace,
                    key=url or f"{name or 'text'}#{content_hash[:16]}",
                    url=url,
                    name=name,
                    title=title,
                    content_hash=content_hash,
                    published_at=published_at,
                    ingested_by=user,
                )
                session.add(source)
                session.flush()
            else:
                source.content_hash = content_hash
                source.title = title or source.title
                source.published_at = published_at or source.published_at
            existing = {u.key: u for u in session.scalars(select(Update).where(Update.source_id == source.id))}
            stored_updates = stored_claims = 0
            names: dict[tuple[str, str | None], int | None] = {}
            for position, new in enumerate(updates):
                old = existing.get(new.key)
                if old is not None and old.text_hash == new.text_hash:
                    continue
                if old is not None:  # same update, new wording: its claims are replaced
                    session.execute(delete(Claim).where(Claim.update_id == old.id))
                    old.text_hash, old.position, old.headline, old.time = (
                        new.text_hash,
                        position,
                        new.headline,
                        new.time,
                    )
                    update_id = old.id
                else:
                    row = Update(
                        workspace=workspace,
                        source_id=source.id,
                        position=position,
                        key=new.key,
                        headline=new.headline,
                        time=new.time,
                        text_hash=new.text_hash,
                    )
                    session.add(row)
                    session.flush()
                    update_id = row.id
                stored_updates += 1
                stored_claims += self._add_claims(session, workspace, source.id, update_id, new.claims, names)
            self._audit(session, workspace, user, "ingest", f"source {source.id}: {url or name or 'text'}")
            return source.id, stored_updates, stored_claims, False

        return self._write(work)

    def import_claims(self, workspace: str, user: str, name: str, claims: Sequence[NewClaim]) -> tuple[int, int]:
        """Already-extracted claims in one transaction; a claim whose external id is stored already is skipped."""

        def work(session: Session) -> tuple[int, int]:
            known = set(
                session.scalars(
                    select(Claim.external_id).where(Claim.workspace == workspace, Claim.external_id.is_not(None))
                )
            )
            fresh = []
            for claim in claims:
                if claim.external_id is not None and claim.external_id in known:
                    continue
                if claim.external_id is not None:
                    known.add(claim.external_id)
                fresh.append(claim)
            if not fresh:
                return 0, len(claims)
            source = Source(
                workspace=workspace, key=f"import:{name}:{datetime.now().isoformat()}", name=name, ingested_by=user
            )
            session.add(source)
            session.flush()
            count = self._insert_claims(session, workspace, source.id, None, fresh, {})
            self._audit(session, workspace, user, "import", f"source {source.id}: {count} claims from {name}")
            return count, len(claims) - count

        return self._write(work)

    def forget(self, workspace: str, user: str, source_id: int) -> str:
        with self.transaction() as session:
            source = session.scalar(select(Source).where(Source.workspace == workspace, Source.id == source_id))
            if source is None:
                raise NotFound(f"There is no source {source_id} in this workspace; `sources` lists them.")
            label = source.title or source.url or source.name or f"source {source_id}"
            session.execute(delete(Claim).where(Claim.source_id == source_id))
            session.delete(source)
            self._audit(session, workspace, user, "forget", f"source {source_id}: {label}")
            return label

    def delete_workspace(self, workspace: str) -> None:
        """Everything a workspace stored (an app uninstalled, a bot removed from a guild)."""
        with self.transaction() as session:
            for model in (Feedback, Claim, Update, Source, Speaker, Actor, Alias, AuditEntry):
                session.execute(delete(model).where(model.workspace == workspace))  # type: ignore[attr-defined]

    def correct(self, workspace: str, user: str, claim_id: int, *, speaker: str | None, actor: str | None) -> None:
        with self.transaction() as session:
            claim = session.scalar(select(Claim).where(Claim.workspace == workspace, Claim.id == claim_id))
            if claim is None:
                raise NotFound(f"There is no claim {claim_id} in this workspace.")
            changes = []
            if actor is not None:
                claim.actor_id = self._actor_id(session, workspace, actor.strip() or None)
                changes.append(f"side → {actor or 'unknown'}")
            if speaker is not None:
                claim.speaker_id = self._speaker_id(
                    session,
                    workspace,
                    NewClaim(text="", sentence="", kind="", speaker=speaker.strip() or None),
                    claim.actor_id,
                )
                changes.append(f"speaker → {speaker or 'unknown'}")
            self._audit(session, workspace, user, "correct", f"claim {claim_id}: " + ", ".join(changes))

    def add_alias(self, workspace: str, user: str, name: str, side: str) -> None:
        name, side = name.strip(), side.strip()
        if not name or not side:
            raise BadInput('An alias needs a name and a side, as in: alias add "Kremlin" Russia.')
        with self.transaction() as session:
            alias = session.scalar(select(Alias).where(Alias.workspace == workspace, Alias.name == name.lower()))
            if alias is None:
                session.add(Alias(workspace=workspace, name=name.lower(), side=side))
            else:
                alias.side = side
            self._audit(session, workspace, user, "alias", f"{name} → {side}")

    def aliases(self, workspace: str) -> dict[str, str]:
        with self.transaction(write=False) as session:
            return {a.name: a.side for a in session.scalars(select(Alias).where(Alias.workspace == workspace))}

    def add_feedback(self, workspace: str, user: str, question: str, claim_id: int | None, kind: str) -> None:
        with self.transaction() as session:
            if (
                claim_id is not None
                and session.scalar(select(Claim.id).where(Claim.workspace == workspace, Claim.id == claim_id)) is None
            ):
                raise NotFound(f"There is no claim {claim_id} in this workspace.")
            session.add(
                Feedback(workspace=workspace, user=user, question=question[:2000], claim_id=claim_id, kind=kind)
            )

    def first_time(self, key: str) -> bool:
        """True the first time an event key is seen by any process on this database (retries return False)."""
        try:
            with self.transaction() as session:
                session.add(SeenEvent(key=key[:256]))
                # platforms retry within minutes: a day of keys is plenty, and the table stays small
                self._seen_count += 1
                if self._seen_count % SEEN_PRUNE_EVERY == 1:
                    session.execute(delete(SeenEvent).where(SeenEvent.at < utcnow() - SEEN_KEEP))
            return True
        except IntegrityError:
            return False

    def _audit(self, session: Session, workspace: str, user: str, action: str, detail: str) -> None:
        session.add(AuditEntry(workspace=workspace, user=user, action=action, detail=detail[:2000]))

    def audit(self, workspace: str, user: str, action: str, detail: str) -> None:
        with self.transaction() as session:
            self._audit(session, workspace, user, action, detail)

    # ---- reading -------------------------------------------------------------------------------------------

    @functools.cached_property
    def _view_select(self) -> Select[*tuple[Any, ...]]:
        """The columns of a claim view and their joins, built once (building the statement cost more than running
        it for a question's 60 claims)."""
        return (
            select(
                Claim.id,
                Claim.external_id,
                Claim.text,
                Claim.sentence,
                Claim.kind,
                Claim.cue,
                Speaker.name,
                Speaker.role,
                Actor.name,
                Update.headline,
                Update.time,
                Source.id,
                func.coalesce(Source.url, Source.name),
                Source.title,
                Source.url,
                func.coalesce(Claim.published_at, Source.published_at),
            )
            .join(Source, Source.id == Claim.source_id)
            .outerjoin(Speaker, Speaker.id == Claim.speaker_id)
            .outerjoin(Actor, Actor.id == Claim.actor_id)
            .outerjoin(Update, Update.id == Claim.update_id)
        )

    @functools.cached_property
    def _views_by_id(self) -> Select[*tuple[Any, ...]]:
        """Views of some claims of a workspace (parameters ``ws`` and ``ids``). On PostgreSQL the ids are an array
        parameter (= ANY): the statement's text is the same for every list, so psycopg prepares it and the server
        plans it once, where a list of literals was planned again on every question (2-3 ms for 60 ids and five
        joins)."""
        ids = (
            Claim.id == any_(bindparam("ids", type_=ARRAY(Integer)))
            if self.dialect == "postgresql"
            else Claim.id.in_(bindparam("ids", expanding=True))
        )
        return self._view_select.where(Claim.workspace == bindparam("ws"), ids)

    @staticmethod
    def _view_rows(rows: Iterable[Sequence[Any]]) -> list[ClaimView]:
        # plain columns, not ORM entities: building a claim view from a row is several times cheaper
        return [
            ClaimView(
                id=row[0],
                external_id=row[1],
                text=row[2],
                sentence=row[3],
                kind=row[4],
                cue=row[5],
                speaker=row[6],
                speaker_role=row[7],
                actor=row[8],
                update=row[9],
                update_time=row[10],
                source_id=row[11],
                source=row[12],
                source_title=row[13],
                source_url=row[14],
                published_at=row[15],
            )
            for row in rows
        ]

    def _views(
        self, session: Session, workspace: str, where: Any, order: Any = None, limit: int | None = None
    ) -> list[ClaimView]:
        query = self._view_select.where(Claim.workspace == workspace).where(where)
        if order is not None:
            query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        return self._view_rows(session.connection().execute(query))

    def claims(self, workspace: str) -> list[ClaimView]:
        with self.transaction(write=False) as session:
            return self._views(session, workspace, True, order=(Claim.id,))

    def claims_by_id(self, workspace: str, ids: Sequence[int]) -> dict[int, ClaimView]:
        if not ids:
            return {}
        with self.transaction(write=False) as session:
            rows = session.connection().execute(self._views_by_id, {"ws": workspace, "ids": [int(i) for i in ids]})
            return {c.id: c for c in self._view_rows(rows)}

    def claim_texts(self, workspace: str, ids: Sequence[int]) -> dict[int, ClaimText]:
        """Each claim's text, speaker and side, and its analysis where the store has one made by the current rules:
        all a question's candidates are scored on, read without building whole claim views (which only the few
        shown need)."""
        from bot.match.analysis import VERSION

        wanted = [int(i) for i in ids]
        out: dict[int, ClaimText] = {}
        if not wanted:
            return out
        postgres = self.dialect == "postgresql"
        with self.transaction(write=False) as session:
            # the driver's own cursor: 200 rows a question, no Row objects
            raw: Any = session.connection().connection.dbapi_connection
            for start in range(0, len(wanted), 1000):
                chunk = wanted[start : start + 1000]
                if postgres:  # one statement text for every list: prepared, planned once
                    ws, version, among = "%(ws)s", "%(version)s", "= ANY(%(ids)s)"
                    params: dict[str, Any] = {"ws": workspace, "version": VERSION, "ids": chunk}
                else:  # ids are ints, listed inline (SQLite plans a statement in microseconds)
                    ws, version, among = ":ws", ":version", f"IN ({','.join(map(str, chunk))})"
                    params = {"ws": workspace, "version": VERSION}
                sql = (
                    "SELECT claims.id, claims.text, speakers.name, actors.name, claim_analyses.terms, "
                    "claim_analyses.reading FROM claims "
                    "LEFT JOIN speakers ON speakers.id = claims.speaker_id "
                    "LEFT JOIN actors ON actors.id = claims.actor_id "
                    f"LEFT JOIN claim_analyses ON claim_analyses.claim_id = claims.id "
                    f"AND claim_analyses.version = {version} "
                    f"WHERE claims.workspace = {ws} AND claims.id {among}"
                )
                if postgres:
                    with raw.cursor() as cursor:
                        rows = cursor.execute(sql, params).fetchall()
                else:
                    rows = raw.execute(sql, params).fetchall()
                out.update((int(row[0]), ClaimText(*row[1:])) for row in rows)
        return out

    def claims_of(
        self, workspace: str, *, actor: str | None = None, speaker: str | None = None, limit: int = 50
    ) -> list[ClaimView]:
        with self.transaction(write=False) as session:
            where: Any = True
            if actor:
                where = func.lower(Actor.name) == actor.lower()
            if speaker:
                where = func.lower(Speaker.name) == speaker.lower()
            order = (func.coalesce(Update.time, Claim.published_at, Claim.created_at).desc(), Claim.id.desc())
            return self._views(session, workspace, where, order=order, limit=limit)

    def candidates(self, workspace: str, fts: str, terms: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """Claim ids matching a full-text query, best first, with a relevance score (higher is better).

        ``fts`` is an FTS5 expression of quoted phrases OR-ed (bot.match.text.fts_query); ``terms`` the normalised
        words, used when ``fts`` is empty. Both backends search the same phrases, rebuilt from letters and digits
        only, so no user text can cause a query syntax error. Up to EXACT_MATCHES matches (fewer on PostgreSQL) are ranked by the index
        (bm25 / ts_rank_cd); beyond that by rarity-weighted coverage with pruning (see bot.store.fulltext).
        """
        phrases = query_terms(fts, terms)
        groups = group_concepts(phrases)
        if not groups or limit <= 0:
            return []
        with self.transaction(write=False) as session:
            if self.dialect == "sqlite":
                return self._sqlite_candidates(session, workspace, groups, limit)
            if self.dialect == "postgresql":
                return self._postgres_candidates(session, workspace, groups, limit)
        raise BadInput(f"Full-text search is not available on {self.dialect}; use SQLite or PostgreSQL.")

    def _cached_matches(self, key: str, count: Callable[[], int]) -> int:
        """How many claims hold a concept: counted once a few minutes (it only steers the search)."""
        now = time.monotonic()
        hit = self._matches.get(key)
        if hit is not None and now - hit[0] < MATCH_COUNT_TTL:
            return hit[1]
        if len(self._matches) > 10_000:
            self._matches.clear()
        value = count()
        self._matches[key] = (now, value)
        return value

    def term_matches(self, workspace: str, fts: str, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """Document frequencies for weighting a question's words by rarity: how many claims the index holds, and how
        many hold each concept of the question (a word or any of its synonyms), keyed by the concept's normalised
        form as bot.match.text.normalise gives it. Read only; the counts are those candidates() steers by (the
        same cache, so a question's second look costs nothing), over the whole index like theirs: a word's rarity
        is a property of the language, and a small workspace alone would give it no stable figure."""
        concepts = keyed_concepts(query_terms(fts, terms))
        if not concepts:
            return 0, {}
        with self.transaction(write=False) as session:
            raw: Any = session.connection().connection.dbapi_connection
            if self.dialect == "sqlite":
                return self._total(session), {key: self._sqlite_matches(raw, g) for key, g in concepts.items()}
            if self.dialect == "postgresql":
                return self._total(session), {key: self._postgres_matches(raw, g) for key, g in concepts.items()}
        raise BadInput(f"Full-text search is not available on {self.dialect}; use SQLite or PostgreSQL.")

    def _sqlite_matches(self, raw: Any, phrases: Sequence[str]) -> int:
        """How many claims of the index hold any of the phrases (cached). Counted in full: FTS5 counts a million
        postings in some 60 ms, and a word every claim holds (a title's "day") must weigh as little as it says."""
        match = sqlite_match(phrases)

        def count() -> int:
            sql = "SELECT count(*) FROM claim_fts WHERE claim_fts MATCH ?"
            return int(raw.execute(sql, (match,)).fetchone()[0])

        return self._cached_matches("s:" + match, count)

    def _postgres_matches(self, raw: Any, phrases: Sequence[str]) -> int:
        """How many claims hold any of the phrases (cached). Counting visits every match's row (some 4 µs each), so a
        common word is taken from the planner's estimate, which reads ANALYZE's statistics of the lexemes and costs
        no scan: within a few percent for the words those statistics list (measured at 100k and 1M claims). A word
        they do not list is estimated low; it is rare, and counted."""

        def estimate() -> int:
            query = postgres_tsquery(phrases)
            with raw.cursor() as cursor:
                plan_json = cursor.execute(
                    f"EXPLAIN (FORMAT JSON) SELECT 1 FROM claims WHERE tsv @@ {query}"
                ).fetchone()
                planned = int(plan_json[0][0]["Plan"]["Plan Rows"])
                if planned >= POSTGRES_ESTIMATED_FROM:
                    return planned
                sql = (
                    f"SELECT count(*) FROM (SELECT 1 FROM claims WHERE tsv @@ {query} LIMIT {POSTGRES_COUNT_CAP}) AS m"
                )
                counted = int(cursor.execute(sql).fetchone()[0])
            return max(counted, planned) if counted >= POSTGRES_COUNT_CAP else counted

        return self._cached_matches("p:" + "|".join(phrases), estimate)

    def _total(self, session: Session) -> int:
        """How many claims the index holds (its highest id), read once per read transaction: a question's candidate
        search and its word weights both need it, and in a ``reading()`` block they share the transaction."""
        total = session.info.get(_TOTAL)
        if total is None:
            raw: Any = session.connection().connection.dbapi_connection
            if self.dialect == "sqlite":
                total = int(raw.execute("SELECT max(rowid) FROM claim_fts").fetchone()[0] or 0)
            else:
                with raw.cursor() as cursor:
                    total = int(cursor.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0])
            session.info[_TOTAL] = total
        return int(total)

    def _sqlite_candidates(
        self, session: Session, workspace: str, groups: Sequence[tuple[str, ...]], limit: int
    ) -> list[tuple[int, float]]:
        conn = session.connection()
        # the driver's own cursor: thousands of ids a question, where SQLAlchemy's row objects would cost more
        raw: Any = conn.connection.dbapi_connection

        def ids(match: str, _n: int | None, _most: int) -> list[int]:
            # every match: the index holds every workspace's claims, whose lengths are looked up only for the best
            return [i for (i,) in raw.execute("SELECT rowid FROM claim_fts WHERE claim_fts MATCH ?", (match,))]

        concepts = [Concept(g, self._sqlite_matches(raw, g)) for g in groups]
        if ranked_by_index(self.dialect, sum(c.matches for c in concepts)):
            rows = conn.exec_driver_sql(
                f"SELECT claim_fts.rowid, bm25(claim_fts, {TEXT_WEIGHT}, {TITLE_WEIGHT}, {WHO_WEIGHT}) AS rank "
                "FROM claim_fts JOIN claims ON claims.id = claim_fts.rowid "
                "WHERE claim_fts MATCH ? AND claims.workspace = ? ORDER BY rank LIMIT ?",
                (sqlite_match([p for g in groups for p in g]), workspace, limit),
            )
            return [(int(i), -float(r)) for i, r in rows]
        total = self._total(session)
        step = max(4 * limit, 1000)
        lengths: dict[int, int] = {}
        looked: set[int] = set()

        def lengths_of(ids: Sequence[int]) -> None:
            """The lengths of those of ``ids`` that are this workspace's claims (the index holds every workspace's), from
            ix_claims_length alone: the planner would read each claim's row by its id (1.6 -> 0.8 ms a thousand)."""
            listed = ",".join(map(str, ids))
            sql = (
                "SELECT id, length(text) FROM claims INDEXED BY ix_claims_length "
                f"WHERE workspace = ? AND id IN ({listed})"
            )
            lengths.update(raw.execute(sql, (workspace,)).fetchall())
            looked.update(ids)

        def top(pool: Pool) -> list[int]:
            """The pool's best few thousand (no need to sort all of it), their workspace looked up."""
            first = heaviest(pool.weights, step)
            unseen = [i for i in first if i not in looked]
            if unseen:
                lengths_of(unseen)
            return first

        def threshold(pool: Pool) -> float:
            if len(pool.weights) < limit:
                return 0.0
            # the workspace's own limit-th best is at most the whole index's: when that is too low already, the
            # search must go on, and no claim's workspace need be looked up to know it
            anyone = nth_best(pool.weights.values(), limit)
            if anyone < pool.bound:
                return anyone
            own = [pool.weights[i] for i in top(pool) if i in lengths]
            return own[limit - 1] if len(own) >= limit else 0.0

        pool = pruned_pool(concepts, total, limit, SQLITE_SYNTAX, ids, threshold, POOL_MATCHES)
        first = top(pool)
        if sum(1 for i in first if i in lengths) < limit and len(pool.weights) > step:
            # other workspaces hold the best matches: read on through the rest of the pool
            rest = [i for i in pool.weights if i not in looked]
            for start in range(0, len(rest), step):
                lengths_of(rest[start : start + step])
        return best(pool, lengths, limit)

    def _postgres_candidates(
        self, session: Session, workspace: str, groups: Sequence[tuple[str, ...]], limit: int
    ) -> list[tuple[int, float]]:
        conn = session.connection()
        raw: Any = conn.connection.dbapi_connection  # psycopg's own cursor: thousands of rows, no Row objects
        concepts = [Concept(g, self._postgres_matches(raw, g)) for g in groups]
        every = [p for g in groups for p in g]
        if ranked_by_index(self.dialect, sum(c.matches for c in concepts)):
            rows = conn.execute(
                text(
                    f"SELECT id, ts_rank_cd('{POSTGRES_WEIGHTS}', tsv, query.q) AS rank "
                    f"FROM claims, (SELECT {postgres_tsquery(every)} AS q) AS query "
                    "WHERE tsv @@ query.q AND workspace = :ws ORDER BY rank DESC, id LIMIT :k"
                ),
                {"ws": workspace, "k": limit},
            )
            return [(int(i), float(r)) for i, r in rows]
        lengths: dict[int, int] = {}
        total = self._total(session)

        def holding(first: str, each: Sequence[str], n: int | None, most: int) -> list[tuple[int, Sequence[bool]]]:
            tests = "".join(f", tsv @@ {query}" for query in each)
            matching = f"FROM claims WHERE workspace = %(ws)s AND tsv @@ {first}"
            with raw.cursor() as cursor:
                if n is None:
                    found = cursor.execute(f"SELECT id, length(text){tests} {matching}", {"ws": workspace}).fetchall()
                else:
                    # sorted on the server: only the n shortest come back (each row was still visited), and the other
                    # expressions are tested on those alone, not on every row the sort reads
                    order = f"ORDER BY length(text), id LIMIT {int(n)}) AS shortest"
                    sql = f"SELECT id, length{tests} FROM (SELECT id, length(text) AS length, tsv {matching}"
                    found = []
                    if most >= SHORT_FIRST_FROM:  # ix_claims_tsv_short's rows
                        short = f"{sql} AND length(text) < {SHORT_CLAIM_CHARS} {order}"
                        found = cursor.execute(short, {"ws": workspace}).fetchall()
                    if len(found) < n:  # fewer short claims match than asked for: the longer ones count too
                        found = cursor.execute(f"{sql} {order}", {"ws": workspace}).fetchall()
            lengths.update({row[0]: row[1] for row in found})
            return [(row[0], row[2:]) for row in found]

        def ids(query: str, n: int | None, most: int) -> list[int]:
            return [i for i, _ in holding(query, (), n, most)]

        def threshold(pool: Pool) -> float:  # the pool holds this workspace's claims only
            if len(pool.weights) < limit:
                return 0.0
            return nth_best(pool.weights.values(), limit)

        pool = pruned_pool(concepts, total, limit, POSTGRES_SYNTAX, ids, threshold, POOL_MATCHES, holding, READ_MOST)
        return best(pool, lengths, limit)

    def known_names(self, workspace: str) -> dict[str, str]:
        """Lowercased side and speaker names (and surnames) → the name as stored, for actor questions."""
        with self.transaction(write=False) as session:
            names: dict[str, str] = {}
            for (name,) in session.execute(select(Actor.name).where(Actor.workspace == workspace)):
                names[name.lower()] = name
            for (name,) in session.execute(select(Speaker.name).where(Speaker.workspace == workspace)):
                names.setdefault(name.lower(), name)
            return names

    def latest(self, workspace: str, *, actor: str | None, since: datetime | None, limit: int) -> list[UpdateView]:
        with self.transaction(write=False) as session:
            when = func.coalesce(Update.time, Source.published_at, Update.added_at)
            query = (
                select(Update, Source).join(Source, Source.id == Update.source_id).where(Update.workspace == workspace)
            )
            if since is not None:
                query = query.where(when >= since)
            if actor:
                has_actor = (
                    select(Claim.id)
                    .outerjoin(Actor, Actor.id == Claim.actor_id)
                    .outerjoin(Speaker, Speaker.id == Claim.speaker_id)
                    .where(Claim.update_id == Update.id)
                    .where((func.lower(Actor.name) == actor.lower()) | (func.lower(Speaker.name) == actor.lower()))
                )
                query = query.where(has_actor.exists())
            query = query.order_by(when.desc(), Update.position.desc(), Update.id.desc()).limit(limit)
            rows = session.execute(query).all()
            out = []
            for update, source in rows:
                claims = self._views(session, workspace, Claim.update_id == update.id, order=(Claim.start, Claim.id))
                if actor:
                    claims = [
                        c for c in claims if actor.lower() in {(c.actor or "").lower(), (c.speaker or "").lower()}
                    ]
                out.append(
                    UpdateView(
                        headline=update.headline,
                        time=update.time or source.published_at,
                        source_id=source.id,
                        source=source.url or source.name,
                        source_title=source.title,
                        claims=tuple(claims),
                    )
                )
            return out

    def sources(self, workspace: str) -> list[SourceView]:
        with self.transaction(write=False) as session:
            claims = dict(
                session.execute(
                    select(Claim.source_id, func.count()).where(Claim.workspace == workspace).group_by(Claim.source_id)
                ).all()
            )
            updates = dict(
                session.execute(
                    select(Update.source_id, func.count())
                    .where(Update.workspace == workspace)
                    .group_by(Update.source_id)
                ).all()
            )
            return [
                SourceView(
                    id=s.id,
                    title=s.title,
                    url=s.url,
                    name=s.name,
                    claims=claims.get(s.id, 0),
                    updates=updates.get(s.id, 0),
                    ingested_at=s.ingested_at,
                    ingested_by=s.ingested_by,
                )
                for s in session.scalars(select(Source).where(Source.workspace == workspace).order_by(Source.id))
            ]

    def actors(self, workspace: str) -> list[ActorView]:
        with self.transaction(write=False) as session:
            rows = session.execute(
                select(Actor.name, Speaker.name, func.count(Claim.id))
                .select_from(Claim)
                .outerjoin(Actor, Actor.id == Claim.actor_id)
                .outerjoin(Speaker, Speaker.id == Claim.speaker_id)
                .where(Claim.workspace == workspace)
                .group_by(Actor.name, Speaker.name)
            ).all()
        by_actor: dict[str | None, list[tuple[str, int]]] = {}
        for actor, speaker, count in rows:
            by_actor.setdefault(actor, []).append((speaker or "unknown speaker", count))
        views = [
            ActorView(name=a, claims=sum(n for _, n in s), speakers=tuple(sorted(s, key=lambda x: (-x[1], x[0]))))
            for a, s in by_actor.items()
        ]
        return sorted(views, key=lambda v: (v.name is None, -v.claims, v.name or ""))

    def audit_log(self, workspace: str, limit: int = 200) -> list[AuditView]:
        with self.transaction(write=False) as session:
            rows = session.scalars(
                select(AuditEntry).where(AuditEntry.workspace == workspace).order_by(AuditEntry.id.desc()).limit(limit)
            )
            return [AuditView(at=r.at, user=r.user, action=r.action, detail=r.detail) for r in rows]

    def feedback(self, workspace: str, limit: int = 200) -> list[FeedbackView]:
        with self.transaction(write=False) as session:
            rows = session.scalars(
                select(Feedback).where(Feedback.workspace == workspace).order_by(Feedback.id.desc()).limit(limit)
            )
            return [
                FeedbackView(at=r.at, user=r.user, question=r.question, claim_id=r.claim_id, kind=r.kind) for r in rows
            ]

    def counts(self, workspace: str) -> Mapping[str, int]:
        with self.transaction(write=False) as session:
            return {
                "sources": session.scalar(select(func.count()).select_from(Source).where(Source.workspace == workspace))
                or 0,
                "claims": session.scalar(select(func.count()).select_from(Claim).where(Claim.workspace == workspace))
                or 0,
            }
