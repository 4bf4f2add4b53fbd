"""Operations: doctor, export/import round trip, structured logs without secrets, health endpoint, packaging."""

from __future__ import annotations

import json
import logging
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adapters import health
from bot.config import Settings
from bot.doctor import run_checks, token_checks
from bot.errors import NotAllowed
from bot.logs import Redact, event_line
from bot.service import Crosscheck, Requester
from bot.store import NewClaim, NewUpdate, Store

ROOT = Path(__file__).resolve().parents[1]
ADMIN = Requester(workspace="W", user="U-admin", is_admin=True)
SLACK_TOKEN = "xoxb-1111111111-2222222222-abcdefghijklmnopqrstuvwx"


def make_service(path: Path) -> Crosscheck:
    settings = Settings(database_url=f"sqlite:///{path}")
    return Crosscheck(settings, Store(settings.database_url))


def seed(service: Crosscheck) -> None:
    service.store.save_source(
        "W",
        "U-admin",
        url="https://news.invalid/live",
        name=None,
        title="An invented live blog",
        content_hash="h",
        published_at=None,
        updates=[
            NewUpdate(
                key="u1",
                text_hash="t1",
                headline="Ferry service resumes",
                time=None,
                claims=[
                    NewClaim(
                        text="the ferries would run again on Monday",
                        sentence="The port authority said the ferries would run again on Monday.",
                        kind="indirect",
                        cue="said",
                        speaker="port authority",
                        actor="Harbour City",
                    ),
                    NewClaim(
                        text="We are ready",
                        sentence="“We are ready,” Ines Calder said.",
                        kind="direct",
                        cue="said",
                        speaker="Ines Calder",
                    ),
                ],
            )
        ],
    )


def test_doctor_names_the_wrong_variable_and_never_prints_secrets(tmp_path: Path) -> None:
    checks = run_checks({"CROSSCHECK_MAX_ARTICLE_BYTES": "lots"}, f"sqlite:///{tmp_path / 'd.db'}")
    assert not checks[0].ok and "CROSSCHECK_MAX_ARTICLE_BYTES" in checks[0].detail
    shapes = {c.name: c for c in token_checks({"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": "not-hex"})}
    assert shapes["SLACK_BOT_TOKEN"].ok and not shapes["SLACK_SIGNING_SECRET"].ok
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "--db", str(tmp_path / "d.db"), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": SLACK_TOKEN, "DISCORD_TOKEN": "bad"},
        cwd=ROOT,
    )
    assert SLACK_TOKEN not in done.stdout + done.stderr
    report = {c["check"]: c for c in json.loads(done.stdout)}
    assert report["database"]["ok"] and report["parser"]["ok"]
    assert not report["DISCORD_TOKEN"]["ok"] and done.returncode == 1


def test_export_then_import_round_trips_a_workspace(tmp_path: Path) -> None:
    source = make_service(tmp_path / "a.db")
    seed(source)
    exported = source.export(ADMIN)
    target = make_service(tmp_path / "b.db")
    report = target.import_claims(ADMIN, [json.dumps(r) for r in exported], name="backup.jsonl")
    assert report.imported == len(exported) == 2
    fields = ("text", "sentence", "speaker", "actor", "kind", "cue")
    assert sorted(tuple(getattr(c, f) for f in fields) for c in target.claims(ADMIN)) == sorted(
        tuple(getattr(c, f) for f in fields) for c in source.claims(ADMIN)
    )
    assert target.import_claims(ADMIN, [json.dumps(r) for r in target.export(ADMIN)]).imported == 0  # ids kept
    with pytest.raises(NotAllowed):
        source.export(Requester(workspace="W", user="U-member"))
    assert source.export(Requester(workspace="other", user="x", is_admin=True)) == []


def test_each_command_logs_one_line_with_its_outcome(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    service = make_service(tmp_path / "l.db")
    seed(service)
    caplog.set_level(logging.INFO, logger="crosscheck.events")
    service.ask(Requester(workspace="W", user="U1"), "Will the ferries run on Monday?")
    with pytest.raises(NotAllowed):
        service.forget(Requester(workspace="W", user="U2"), 1)
    lines = [r.getMessage() for r in caplog.records if r.name == "crosscheck.events"]
    assert re.fullmatch(r"event=ask workspace=W user=U1 duration_ms=[\d.]+ outcome=ok", lines[0])
    assert lines[1].startswith("event=forget workspace=W user=U2") and lines[1].endswith("outcome=refused")
    assert "ferries" not in " ".join(lines)  # questions and article text stay out of the log
    assert event_line("x", note='a "b" c') == 'event=x note="a \\"b\\" c"'


def test_secrets_are_redacted_from_any_log_record() -> None:
    record = logging.LogRecord(
        "slack_sdk", logging.DEBUG, __file__, 1, "auth %s and %s", ("s3cr3t-value", SLACK_TOKEN), None
    )
    Redact(["s3cr3t-value"]).filter(record)
    assert record.getMessage() == "auth [redacted] and [redacted]"


def test_health_endpoint_follows_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    service = make_service(folder / "h.db")
    server = health.start(service.store, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/health"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200 and json.load(response)["status"] == "ok"
        service.store.engine.dispose()  # the database goes away: its folder is removed
        shutil.rmtree(folder)
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url, timeout=5)
        assert failed.value.code == 503
    finally:
        server.shutdown()


def _pip_targets(text: str) -> list[str]:
    targets = []
    for line in text.splitlines():
        if "pip install" in line and not line.strip().startswith("#"):
            words = shlex.split(line.split("pip install", 1)[1].split("&&")[0])
            targets += [w for w in words if not w.startswith("-")]
    return targets


def test_dockerfile_installs_the_project_as_ci_and_the_readme_do() -> None:
    docker = _pip_targets((ROOT / "Dockerfile").read_text())
    ci = _pip_targets((ROOT / ".ci/run").read_text())
    readme = (ROOT / "README.md").read_text()
    assert docker == ["."], docker
    assert ci == ["torch==2.13.0", ".[dev,semantic]"], ci  # the same project, plus test tools and the semantic extra
    assert "pip install -e . && crosscheck" in readme
    assert re.search(r"FROM python:3\.11", (ROOT / "Dockerfile").read_text())
    test_command = readme.split('pip install -e ".[dev]" && ', 1)[1].split("\n", 1)[0]
    assert test_command in (ROOT / ".ci/run").read_text()  # CI runs the README's test command


def test_compose_passes_only_variables_the_bot_reads() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    bot_section = compose.split("\n  bot:", 1)[1]
    passed = set(re.findall(r"^\s{6}([A-Z][A-Z_]+):", bot_section, re.M))
    source = "\n".join(p.read_text() for p in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("adapters/**/*.py")])
    read = set(re.findall(r"\"([A-Z][A-Z0-9_]+)\"", source)) | {"CROSSCHECK_ADAPTER"}  # the image's CMD reads that one
    assert "CROSSCHECK_ADAPTER" in (ROOT / "Dockerfile").read_text()
    assert passed and passed <= read, passed - read
