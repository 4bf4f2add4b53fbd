"""The follow commands of `crosscheck` (follow, following, subscribe, worker --once, latest --new, actor, unfollow)
against the live blog on loopback, through the CLI's main() on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from liveblog import LiveBlog


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    from adapters.cli import main

    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_follows_subscribes_and_works(
    tmp_path: Path, blog: LiveBlog, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSCHECK_ALLOW_PRIVATE_URLS", "true")  # the live blog runs on 127.0.0.1
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    db = tmp_path / "cli.db"
    code, _, err = run(capsys, db, "follow", blog.url, "--every", "20s")
    assert code == 1 and "at most every 1 minute" in err
    code, out, _ = run(capsys, db, "follow", blog.url, "--every", "5m", "--json")
    assert code == 0 and json.loads(out)["every_seconds"] == 300 and json.loads(out)["new"] is True
    code, out, _ = run(capsys, db, "subscribe", "alerts")
    assert code == 0 and "contradiction" in out
    code, out, _ = run(capsys, db, "subscribe", "--channel", "desk", 'topic:"troop withdrawal"', "--json")
    assert json.loads(out)["kind"] == "topic"

    code, out, _ = run(capsys, db, "worker", "--once", "--json")
    assert code == 0
    posted = [json.loads(line) for line in out.splitlines()]
    assert [p["channel"] for p in posted] == ["desk"]  # one batch for the topic; no contradiction yet
    assert posted[0]["claims"] and posted[0]["platform"] == "cli"

    code, out, _ = run(capsys, db, "following", "--json")
    (followed,) = json.loads(out)
    assert followed["failures"] == 0 and followed["last_polled_at"] and followed["source_id"]

    code, out, _ = run(capsys, db, "latest", "--new", "--json")
    first = json.loads(out)
    assert first["updates"] and first["since"] is None
    code, out, _ = run(capsys, db, "latest", "--new", "--json")
    assert json.loads(out)["updates"] == [] and json.loads(out)["since"]
    code, out, _ = run(capsys, db, "latest", "--new", "--channel", "desk", "--json")
    assert json.loads(out)["updates"]  # another channel has its own mark

    code, out, _ = run(capsys, db, "actor", "Oskar Brand", "--json")
    timeline = json.loads(out)
    assert timeline["actor"] == "Oskar Brand" and timeline["claims"] and timeline["flips"] == []
    code, out, _ = run(capsys, db, "actor", "Oskar Brand")
    assert code == 0 and "Oskar Brand" in out

    code, out, _ = run(capsys, db, "unfollow", blog.url)
    assert code == 0 and "No longer following" in out
    code, out, _ = run(capsys, db, "following")
    assert out.strip() == "Following nothing."
