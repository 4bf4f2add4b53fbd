"""SQLAlchemy 2.0 typed models. Every row belongs to a workspace; no query crosses workspaces."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Source(Base):
    """An ingested article (or an import batch): identified by URL, else by file name and content hash."""

    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("workspace", "key"),
        Index("ix_sources_workspace_hash", "workspace", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(512))
    url: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ingested_by: Mapped[str | None] = mapped_column(String(128))

    updates: Mapped[list[Update]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class Update(Base):
    """One live-blog update: identified by headline and time, else by its text's hash."""

    __tablename__ = "updates"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(700))
    headline: Mapped[str | None] = mapped_column(Text)
    time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    text_hash: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    source: Mapped[Source] = relationship(back_populates="updates")


class Actor(Base):
    """A side: a country or an organisation, under its canonical name."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("workspace", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))


class Speaker(Base):
    """A person or body that makes statements, with its role and side as the articles introduce it."""

    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("workspace", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    role: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))


class Claim(Base):
    """An attributed statement: who said it, for which side, the statement cut out of its sentence."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_workspace_time", "workspace", "published_at"),
        # SQLite: which of a question's candidates are a workspace's, and how long each is, read from the index alone
        # (the claims' rows are wide); PostgreSQL reads both with the rows it visits anyway
        Index("ix_claims_length", "workspace", "id", sql("length(text)")).ddl_if(dialect="sqlite"),
        # an imported claim's id is unique in its workspace: two processes importing the same file cannot both add it
        Index(
            "ux_claims_workspace_external",
            "workspace",
            "external_id",
            unique=True,
            sqlite_where=sql("external_id IS NOT NULL"),
            postgresql_where=sql("external_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("updates.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(String(128))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ClaimAnalysis(Base):
    """What a claim's text gives whatever the question (bot.match.analysis): derived from the claim, kept so that
    questions need not work it out again, made again by `crosscheck db upgrade` when the rules change."""

    __tablename__ = "claim_analyses"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))  # bot.match.analysis.VERSION of the rules that made it
    terms: Mapped[str] = mapped_column(Text)
    reading: Mapped[str] = mapped_column(Text)


class Alias(Base):
    """A workspace's own side name: "Kremlin" counts as Russia."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("workspace", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    side: Mapped[str] = mapped_column(String(256))


class AuditEntry(Base):
    """Who did what, when: every ingest, deletion, correction and setting change."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(Base):
    """A user's "wrong match" / "wrong stance" report on one claim shown for one question."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(128))
    question: Mapped[str] = mapped_column(Text)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SeenEvent(Base):
    """Platform events already handled (Slack retries them): shared by every replica through the database."""

    __tablename__ = "seen_events"

    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
