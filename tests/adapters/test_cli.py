"""The `crosscheck` command line as the evaluation drives it: JSON on stdout only, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """Harbour strike talks resume as both sides trade blame

Port workers' union leader Mara Quill said on Monday that the strike would continue until wages rose.
"We will not go back for promises alone," Quill told reporters outside the harbour gates.
The Harbour Authority denied that it had refused to negotiate.
"Our offer has been on the table for three weeks," the authority's spokesman Tomas Reyne said.

City council calls for mediation
The city council has urged both sides to accept an independent mediator, according to a statement from the mayor's office.
"""


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cli")
    article = folder / "strike.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    path = str(folder / "store.db")
    done = cli("--db", path, "ingest", str(article), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"source_id", "updates", "claims"}
    assert report["claims"] >= 3
    return path


def test_claims_json_has_the_contract_fields(db: str) -> None:
    done = cli("--db", db, "claims", "--json")
    assert done.returncode == 0, done.stderr
    claims = json.loads(done.stdout)
    keys = {
        "id",
        "external_id",
        "speaker",
        "actor",
        "text",
        "sentence",
        "kind",
        "cue",
        "update",
        "source",
        "published_at",
    }
    assert claims and all(keys <= set(c) for c in claims)
    quill = [c for c in claims if c["speaker"] and "Quill" in c["speaker"]]
    assert any(c["kind"] == "direct" and c["text"].startswith("We will not go back") for c in quill)
    denial = [c for c in claims if c["cue"] and "denied" in c["cue"]]
    assert denial and denial[0]["text"].startswith("it had refused to negotiate")


def test_same_article_twice_adds_nothing(db: str, tmp_path: Path) -> None:
    article = tmp_path / "strike.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = json.loads(cli("--db", db, "claims", "--json").stdout)
    done = cli("--db", db, "ingest", str(article), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"] == 0
    assert len(json.loads(cli("--db", db, "claims", "--json").stdout)) == len(before)


def test_ask_json_shape_and_nothing_found(db: str) -> None:
    done = cli("--db", db, "ask", "--json", "Will the strike continue?")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert {"query", "supporting", "contradicting", "related"} <= set(answer)
    for item in answer["supporting"] + answer["contradicting"] + answer["related"]:
        assert {"score", "reason", "tier", "actor"} <= set(item) and item["tier"] in {"strong", "possible"}
    nothing = cli("--db", db, "ask", "--json", "zebra migration patterns in Patagonia")
    assert nothing.returncode == 0
    empty = json.loads(nothing.stdout)
    assert empty["supporting"] == empty["contradicting"] == []


def test_search_reads_one_question_a_line(db: str) -> None:
    done = cli("--db", db, "search", "--json", "--limit", "3", "-", stdin="strike wages\n\n???\nmediator\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0] and len(lines[0]) <= 3 and "score" in lines[0][0]
    assert lines[1] == [] and lines[2] == []


def test_stance_needs_no_database_and_answers_every_line(tmp_path: Path) -> None:
    pairs = [
        {"claim": "The strike will continue", "statement": "The union said the strike would continue"},
        {"claim": "", "statement": ""},
        {"nonsense": True},
    ]
    stdin = "\n".join(json.dumps(p) for p in pairs) + "\nnot json\n"
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "stance", "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert all(o["stance"] in {"supports", "contradicts", "neutral"} for o in out)
    assert out[1]["stance"] == "neutral"
    assert not list(tmp_path.glob("*.db"))


def test_bad_input_exits_1_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    done = cli("--db", str(tmp_path / "s.db"), "ingest", str(empty), "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    missing = cli("--db", str(tmp_path / "s.db"), "forget", "999")
    assert missing.returncode == 1 and "no source 999" in missing.stderr


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert cli("--db", str(tmp_path / "s.db"), "frobnicate").returncode == 2
    assert cli("--db", str(tmp_path / "s.db"), "forget", "not-a-number").returncode == 2


def test_empty_database_gets_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    for command in (["claims", "--json"], ["sources", "--json"], ["actors", "--json"], ["latest", "--json"]):
        done = cli("--db", str(path), *command)
        assert done.returncode == 0, done.stderr
    assert json.loads(cli("--db", str(path), "claims", "--json").stdout) == []


def test_import_keeps_ids_and_skips_repeats(tmp_path: Path) -> None:
    records = tmp_path / "checks.jsonl"
    records.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "fc-1", "text": "The harbour was closed for a week", "title": "Harbour closure"},
                {
                    "id": "fc-2",
                    "text": "Wages at the port rose by 4 percent",
                    "speaker": "Port board",
                    "actor": "Harbour Authority",
                },
            ]
        ),
        encoding="utf-8",
    )
    path = str(tmp_path / "s.db")
    first = json.loads(cli("--db", path, "import", str(records), "--json").stdout)
    again = json.loads(cli("--db", path, "import", str(records), "--json").stdout)
    assert first == {"imported": 2, "skipped": 0} and again == {"imported": 0, "skipped": 2}
    found = json.loads(cli("--db", path, "search", "--json", "--limit", "5", "harbour closure").stdout)
    assert found[0]["external_id"] == "fc-1"
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "fine"}\n{oops\n', encoding="utf-8")
    done = cli("--db", path, "import", str(broken), "--json")
    assert done.returncode == 1 and "Line 2" in done.stderr
    ids = {c["external_id"] for c in json.loads(cli("--db", path, "claims", "--json").stdout)}
    assert "x" not in ids  # the whole import is one transaction
