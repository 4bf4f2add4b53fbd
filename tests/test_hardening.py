"""Hardening: arbitrary text, HTML, bytes and command lines never crash a handler and never leave partial data;
the database going away mid-ingest rolls back, answers with a sentence, and the bot keeps serving."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from adapters import cli, console
from bot.config import Settings
from bot.errors import BadInput, CrosscheckError, Unavailable
from bot.extract import extract
from bot.ingest import Loaded, parse, parse_text
from bot.service import Crosscheck, Requester
from bot.store import Store
from bot.store.models import Claim, Source, Update

ADMIN = Requester(workspace="W", user="U-admin", is_admin=True, local=True)
ARTICLE = """Council and union give rival accounts of bus strike

Transit union spokeswoman Dana Holt said on Tuesday that drivers would stay off the road until Friday.
"Nobody will drive a bus this week," Holt told reporters.

City says half the routes are running
The city council said half of the routes were running normally, according to a statement from the mayor's office.
Holt denied that any routes were running.
"""
# words that make the extractor's rules fire, mixed with anything at all
PIECES = st.one_of(
    st.sampled_from(
        [
            '"',
            "“",
            "”",
            "‘",
            "’",
            " said",
            " told reporters",
            ", he added.",
            " according to ",
            " denied that ",
            "Mr. ",
            " the ministry said",
            "\n",
            "\n\n",
            ".",
            ":",
            " — ",
            "Anna Lind",
            " (",
            ")",
            "…",
        ]
    ),
    st.text(max_size=30),
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Crosscheck:
    path = tmp_path_factory.mktemp("hard") / "h.db"
    svc = Crosscheck(Settings(database_url=f"sqlite:///{path}"), Store(f"sqlite:///{path}"))
    svc.ingest(ADMIN, data=ARTICLE.encode(), name="bus.txt")
    return svc


def snapshot(store: Store) -> tuple[int, int, int, int]:
    with store.transaction() as s:
        fts = s.execute(text("SELECT count(*) FROM claim_fts")).scalar() if store.dialect == "sqlite" else 0
        return (
            s.scalar(select(func.count()).select_from(Source)) or 0,
            s.scalar(select(func.count()).select_from(Update)) or 0,
            s.scalar(select(func.count()).select_from(Claim)) or 0,
            fts or 0,
        )


@FUZZ
@given(st.lists(PIECES, max_size=25).map("".join))
def test_extractor_never_crashes_and_cuts_statements_out_of_the_text(raw: str) -> None:
    document = parse_text(raw)
    for claim in extract(document):
        assert claim.text.strip()
        assert 0 <= claim.start <= claim.end <= len(document.text)
        assert 0 <= claim.update_index < len(document.updates)


@FUZZ
@given(
    st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda t: f"<html><body><h2>{t}</h2><p>{t}".encode()))
)
def test_parsing_any_bytes_gives_a_document_or_a_sentence(data: bytes) -> None:
    try:
        document = parse(Loaded(data=data, content_type=None, url=None, name="fuzz"))
    except BadInput as error:
        assert str(error).endswith((".", "?", "!"))
    else:
        assert document.updates


@FUZZ
@given(st.text(max_size=300))
def test_questions_never_crash(service: Crosscheck, question: str) -> None:
    try:
        answer = service.ask(ADMIN, question)
    except BadInput:
        assert not question.split()
    else:
        assert answer.summary
    service.search(ADMIN, question, limit=5)


@FUZZ
@given(st.text(max_size=120))
def test_console_lines_never_crash(service: Crosscheck, line: str) -> None:
    if line.strip().lower().startswith("ingest"):
        line = "sources"  # ingesting arbitrary targets is the ingest tests' job (and could name a URL)
    assert isinstance(console.handle(service, ADMIN, line), str)


SAFE_COMMANDS = [
    "claims",
    "search",
    "ask",
    "latest",
    "actors",
    "sources",
    "forget",
    "correct",
    "alias",
    "feedback",
    "audit",
    "export",
    "import",
    "frobnicate",
]


@FUZZ
@given(st.sampled_from(SAFE_COMMANDS), st.lists(st.text(max_size=20).filter(lambda a: "://" not in a), max_size=4))
def test_command_lines_exit_0_1_or_2_without_a_traceback(tmp_path: Path, command: str, args: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["--db", str(tmp_path / "cli.db"), command, *args])
        except SystemExit as exit:  # argparse's usage errors
            code = int(exit.code or 0)
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_a_failure_half_way_through_an_ingest_leaves_the_store_as_it_was(
    service: Crosscheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(service.store)
    calls = []
    real = Store._add_claims

    def failing(self: Store, *args: object, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_add_claims", failing)
    with pytest.raises(RuntimeError):
        service.ingest(ADMIN, data=ARTICLE.replace("Friday", "Sunday").encode(), name="bus-v2.txt")
    assert len(calls) == 2  # it failed after storing part of the article...
    assert snapshot(service.store) == before  # ...and nothing of it remains, the index included


def test_the_database_going_away_mid_ingest_is_a_sentence_and_the_bot_keeps_serving(
    service: Crosscheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(service.store)

    def gone(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO claims ...", {}, Exception("server closed the connection unexpectedly"))

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_add_claims", gone)
        with pytest.raises(Unavailable) as refused:
            service.ingest(ADMIN, data=ARTICLE.replace("Friday", "Monday").encode(), name="bus-v3.txt")
        assert "nothing was changed" in str(refused.value) and "INSERT" not in str(refused.value)
    assert snapshot(service.store) == before
    assert not service.ask(ADMIN, "Are the buses running?").empty  # still serving
    assert isinstance(refused.value, CrosscheckError)  # adapters answer it like any user-facing error
