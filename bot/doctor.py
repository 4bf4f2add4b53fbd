"""`crosscheck doctor`: checks the configuration, the database, the parser and the platform tokens' form.

Reports only whether a secret is present and well-formed, never its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings
from bot.errors import CrosscheckError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True  # a failed optional check is information, not a failure


_SHAPES: dict[str, tuple[str, str]] = {
    "SLACK_BOT_TOKEN": (r"xoxb-[A-Za-z0-9-]{10,}", "a bot token starting with xoxb-"),
    "SLACK_APP_TOKEN": (r"xapp-[A-Za-z0-9-]{10,}", "an app-level token starting with xapp-"),
    "SLACK_SIGNING_SECRET": (r"[0-9a-f]{32}", "32 hexadecimal characters"),
    "SLACK_CLIENT_ID": (r"[0-9]+\.[0-9]+", "digits, a dot, digits"),
    "SLACK_CLIENT_SECRET": (r"[0-9a-f]{32}", "32 hexadecimal characters"),
    "DISCORD_TOKEN": (r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}", "three dot-separated parts"),
}


def token_checks(env: Mapping[str, str]) -> list[Check]:
    checks = []
    for name, (pattern, shape) in _SHAPES.items():
        value = env.get(name, "").strip()
        if not value:
            checks.append(Check(name, False, "not set", required=False))
        elif re.fullmatch(pattern, value):
            checks.append(Check(name, True, f"set, looks like {shape}"))
        else:
            checks.append(Check(name, False, f"set, but does not look like {shape}"))
    return checks


def run_checks(env: Mapping[str, str], database: str | None = None) -> list[Check]:
    checks: list[Check] = []
    try:
        settings = Settings.from_env(env)
        checks.append(Check("configuration", True, "every variable that is set has a valid value"))
    except CrosscheckError as error:
        return [Check("configuration", False, str(error))]
    url = database or settings.database_url
    try:
        from bot.store import Store
        from bot.store.migrate import revision_of

        store = Store(url)
        try:
            counts = store.counts("local")
            with store.engine.connect() as conn:
                revision = revision_of(conn)
        finally:
            store.close()
        where = url.split("@")[-1] if "@" in url else url  # never the password of a database URL
        checks.append(Check("database", True, f"{where}: schema {revision}, {counts['claims']} claims in 'local'"))
    except Exception as error:  # any failure to reach the database is what this check reports
        checks.append(Check("database", False, f"cannot use the database: {type(error).__name__}"))
    try:
        from bot.extract import load_pipeline

        nlp = load_pipeline(settings.spacy_model)
        checks.append(Check("parser", True, f"spaCy pipeline {nlp.meta.get('name')} {nlp.meta.get('version')}"))
    except Exception as error:
        checks.append(Check("parser", False, f"the spaCy pipeline does not load: {error}"))
    try:
        import trafilatura  # noqa: F401

        checks.append(Check("html", True, "trafilatura imports"))
    except Exception as error:
        checks.append(Check("html", False, f"trafilatura does not import: {error}"))
    checks.extend(token_checks(env))
    slack = [c for c in checks if c.name.startswith("SLACK_") and c.ok]
    discord = [c for c in checks if c.name == "DISCORD_TOKEN" and c.ok]
    checks.append(
        Check(
            "platforms",
            bool(slack or discord),
            ", ".join(p for p, ok in (("Slack", slack), ("Discord", discord)) if ok)
            or "no platform token set: console only",
            required=False,
        )
    )
    return checks
