"""One settings object read from the environment; defaults make the embedded mode work with no configuration."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.errors import BadInput

DEFAULT_DATABASE = "sqlite:///crosscheck.db"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"{name} must be a whole number, not {raw!r}.") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise BadInput(f"{name} must be a number, not {raw!r}.") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    if raw.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise BadInput(f"{name} must be true or false, not {raw!r}.")


def _list(env: Mapping[str, str], name: str) -> frozenset[str]:
    return frozenset(part.strip() for part in env.get(name, "").split(",") if part.strip())


def database_url(value: str | None) -> str:
    """A path becomes a SQLite URL; a URL is kept (postgres:// is normalised to the psycopg 3 driver)."""
    if not value:
        return DEFAULT_DATABASE
    if "://" not in value:
        return "sqlite:///" + value
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE
    # ingestion limits
    max_article_bytes: int = 5_000_000
    fetch_timeout: float = 10.0
    allow_private_urls: bool = False
    # answers
    strong_threshold: float = 0.62
    possible_threshold: float = 0.42
    statements_per_side: int = 3
    candidates: int = 200
    max_question_chars: int = 2_000
    # permissions: user ids (any platform) that may run admin commands besides platform admins
    admin_users: frozenset[str] = field(default_factory=frozenset)
    admin_roles: frozenset[str] = field(default_factory=frozenset)
    # rate limits (per minute)
    questions_per_minute: int = 20
    ingests_per_minute: int = 5
    workspace_questions_per_minute: int = 300
    workspace_ingests_per_minute: int = 30
    # platform secrets: read from the environment only, never logged
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_client_id: str | None = field(default=None, repr=False)
    slack_client_secret: str | None = field(default=None, repr=False)
    discord_token: str | None = field(default=None, repr=False)
    discord_guild_id: str | None = None
    spacy_model: str | None = None

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Values that must never reach a log or a reply."""
        return (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
            self.discord_token,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(env.get("DATABASE_URL")),
            max_article_bytes=_int(env, "CROSSCHECK_MAX_ARTICLE_BYTES", cls.max_article_bytes),
            fetch_timeout=_float(env, "CROSSCHECK_FETCH_TIMEOUT", cls.fetch_timeout),
            allow_private_urls=_bool(env, "CROSSCHECK_ALLOW_PRIVATE_URLS", False),
            strong_threshold=_float(env, "CROSSCHECK_STRONG_THRESHOLD", cls.strong_threshold),
            possible_threshold=_float(env, "CROSSCHECK_POSSIBLE_THRESHOLD", cls.possible_threshold),
            statements_per_side=_int(env, "CROSSCHECK_STATEMENTS_PER_SIDE", cls.statements_per_side),
            admin_users=_list(env, "CROSSCHECK_ADMIN_USERS"),
            admin_roles=_list(env, "CROSSCHECK_ADMIN_ROLES"),
            questions_per_minute=_int(env, "CROSSCHECK_QUESTIONS_PER_MINUTE", cls.questions_per_minute),
            ingests_per_minute=_int(env, "CROSSCHECK_INGESTS_PER_MINUTE", cls.ingests_per_minute),
            workspace_questions_per_minute=_int(
                env, "CROSSCHECK_WORKSPACE_QUESTIONS_PER_MINUTE", cls.workspace_questions_per_minute
            ),
            workspace_ingests_per_minute=_int(
                env, "CROSSCHECK_WORKSPACE_INGESTS_PER_MINUTE", cls.workspace_ingests_per_minute
            ),
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_client_id=env.get("SLACK_CLIENT_ID") or None,
            slack_client_secret=env.get("SLACK_CLIENT_SECRET") or None,
            discord_token=env.get("DISCORD_TOKEN") or None,
            discord_guild_id=env.get("DISCORD_GUILD_ID") or None,
            spacy_model=env.get("CROSSCHECK_SPACY_MODEL") or None,
        )
