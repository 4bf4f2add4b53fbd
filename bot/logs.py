"""Structured logs: one line per event (command, workspace, user, duration, outcome); secrets never appear."""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.errors import CrosscheckError, NotAllowed, RateLimited, Unavailable

log = logging.getLogger("crosscheck.events")
F = TypeVar("F", bound=Callable[..., Any])

_TOKEN_SHAPES = re.compile(
    r"xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}"  # Slack tokens
    r"|[MNO][A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}"  # Discord bot tokens
)


def _value(value: object) -> str:
    text = str(value)
    if not text or any(ch in text for ch in ' "=\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")[:300] + '"'
    return text


def event_line(event: str, **fields: object) -> str:
    """``event=ask workspace=T1 user=U7 duration_ms=12 outcome=ok``: key=value pairs, quoted where needed."""
    return " ".join([f"event={_value(event)}", *(f"{k}={_value(v)}" for k, v in fields.items() if v is not None)])


@contextmanager
def logged(event: str, workspace: str, user: str, **fields: object) -> Iterator[dict[str, object]]:
    """Logs one line when the block ends: its duration and outcome (ok, refused, limited, bad_input, error).

    The block may add fields (counts, ids) to the dict it is given; never article bodies or secrets.
    """
    extra: dict[str, object] = dict(fields)
    started = time.perf_counter()
    outcome = "ok"
    try:
        yield extra
    except NotAllowed:
        outcome = "refused"
        raise
    except RateLimited:
        outcome = "limited"
        raise
    except Unavailable:
        outcome = "unavailable"
        raise
    except CrosscheckError:
        outcome = "bad_input"
        raise
    except Exception:
        outcome = "error"
        raise
    finally:
        duration = round((time.perf_counter() - started) * 1000, 1)
        level = logging.ERROR if outcome == "error" else logging.INFO
        log.log(
            level, event_line(event, workspace=workspace, user=user, duration_ms=duration, outcome=outcome, **extra)
        )


class Redact(logging.Filter):
    """Replaces secrets in every record: the configured ones by value, and anything shaped like a token."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKEN_SHAPES.sub("[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure(level: int, secrets: Iterable[str | None] = ()) -> None:
    """Logs to stderr, one line a record, with secrets redacted whichever library logs them."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def command(name: str) -> Callable[[F], F]:
    """Marks a service method ``(self, who, ...)`` as a use case: one event line per call, and a database that
    stops answering reaches the user as a sentence (the transaction has rolled back, so nothing was changed)."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def inner(self: Any, who: Any, *args: Any, **kwargs: Any) -> Any:
            with logged(name, who.workspace, who.user):
                try:
                    return method(self, who, *args, **kwargs)
                except (OperationalError, InterfaceError) as error:
                    log.warning("database error in %s: %s", name, type(error).__name__)
                    raise Unavailable(
                        "The database is not answering right now, so nothing was changed; please try again in a moment."
                    ) from error

        return cast(F, inner)

    return wrap
