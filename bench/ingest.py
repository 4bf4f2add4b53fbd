"""Ingest throughput: KB/s of article text and claims/s through bot.service.Crosscheck.ingest (parse, spaCy
extraction, one store transaction per article), in one process and in two writer processes on the same database.

    python bench/ingest.py [--articles 40] [--backend sqlite|postgresql] [--json] [--files 'dir/*.txt']

Articles are invented live blogs made from bench/generate.py's templates (or your own files with --files). The
"store only" rows time Store.save_source alone with the same claims, to show what the database itself costs.
"""

from __future__ import annotations

import argparse
import glob
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import ACTIONS, make_world  # noqa: E402
from stats import unlimited_service  # noqa: E402

WORKSPACE = "ingest-bench"


def articles(n: int, seed: int = 5) -> list[tuple[str, str]]:
    """n invented live blogs (name, text): a title, then updates with a headline, a time and attributed statements."""
    world = make_world(20_000)
    rng = random.Random(seed)
    out = []
    for a in range(n):
        lines = [f"Live: the crisis around {rng.choice(world.places)}, day {a + 1}", ""]
        for u in range(rng.randint(6, 14)):
            topic = rng.choice(world.topics)
            name, role, side = rng.choice(world.speakers)
            verb = rng.choice(ACTIONS[topic.action])
            lines += [f"{10 + u % 12}:{(7 * u) % 60:02d} GMT", f"{side} accused of {verb} {topic.object}", ""]
            lines.append(
                f'"We are not {verb} {topic.object} near {topic.place}," {name}, {side}\'s {role}, told reporters. '
                f"{name.split()[-1]} said the claims were part of a campaign."
            )
            other_name, other_role, other_side = rng.choice(world.speakers)
            lines.append(
                f"{other_side}'s {other_role} {other_name} said that {side} had been {verb} {topic.object} "
                f"around {topic.place} for several days. Satellite images showed new activity, according to analysts."
            )
            lines.append("")
        out.append((f"blog-{seed}-{a}.txt", "\n".join(lines)))
    return out


def ingest_all(url: str, batch: list[tuple[str, str]], start_at: float = 0.0) -> dict[str, float]:
    """Ingests every article of ``batch``; returns bytes, claims and seconds (model loading excluded)."""
    from bot.service import Requester

    service = unlimited_service(url)
    who = Requester(workspace=WORKSPACE, user="bench", is_admin=True)
    service.ingest(who, data=b"Warm up\n\nThe minister said that the talks would resume soon.", name="warm-up.txt")
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    claims = 0
    for name, text in batch:
        claims += service.ingest(who, data=text.encode(), name=name).claims
    seconds = time.perf_counter() - started
    service.store.close()
    return {"bytes": sum(len(t.encode()) for _, t in batch), "claims": claims, "seconds": seconds}


def store_only(url: str, n_articles: int, claims_per_article: int, start_at: float = 0.0, worker: int = 0) -> float:
    """Seconds to save n articles of generated claims with Store.save_source alone."""
    from bot.store import NewClaim, NewUpdate, Store

    store = Store(url)
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    for a in range(n_articles):
        updates = [
            NewUpdate(
                key=f"u{u}",
                text_hash=f"{worker}-{a}-{u}",
                headline=None,
                time=None,
                claims=[
                    NewClaim(
                        text=f"statement {worker} {a} {u} {c} about the convoy",
                        sentence="s",
                        kind="direct",
                        speaker=f"Speaker {c % 7}",
                        actor=f"Side {c % 5}",
                    )
                    for c in range(claims_per_article // 10)
                ],  # fmt: skip
            )
            for u in range(10)
        ]
        store.save_source(WORKSPACE, "bench", url=f"https://example.test/{worker}/{a}", name=None, title=None,
                          content_hash=f"{worker}-{a}", published_at=None, updates=updates)  # fmt: skip
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def fresh_url(backend: str, tag: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='crosscheck-ingest-')}/{tag}.db"
    import os

    from sqlalchemy import create_engine, make_url, text

    from bot.config import database_url

    server = os.environ.get("CROSSCHECK_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("Set CROSSCHECK_TEST_POSTGRES_URL to a PostgreSQL server for --backend postgresql.")
    target = make_url(database_url(server)).set(database=f"crosscheck_ingest_{tag}")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--files", help="a glob of your own article files to ingest instead of invented ones")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    batch = (
        [(Path(f).name, Path(f).read_text(encoding="utf-8", errors="replace")) for f in sorted(glob.glob(args.files))]
        if args.files
        else articles(args.articles)
    )
    rows: dict[str, dict[str, float]] = {}
    one = ingest_all(fresh_url(args.backend, "one"), batch)
    rows["ingest, 1 process"] = one
    url = fresh_url(args.backend, "two")
    unlimited_service(url).store.close()  # schema first, so both writers time only their ingests
    halves = [batch[0::2], batch[1::2]]
    start_at = time.time() + 8  # both have loaded spaCy by then
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parts = pool.starmap(ingest_all, [(url, half, start_at) for half in halves])
    rows["ingest, 2 processes"] = {
        "bytes": sum(p["bytes"] for p in parts),
        "claims": sum(p["claims"] for p in parts),
        "seconds": max(p["seconds"] for p in parts),
    }
    n, per = 200, 40
    rows["store only, 1 process"] = {
        "bytes": 0,
        "claims": n * per,
        "seconds": store_only(fresh_url(args.backend, "s1"), n, per),
    }
    url = fresh_url(args.backend, "s2")
    store_only(url, 0, per)
    start_at = time.time() + 3
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        seconds = pool.starmap(store_only, [(url, n // 2, per, start_at, w) for w in (1, 2)])
    rows["store only, 2 processes"] = {"bytes": 0, "claims": n * per, "seconds": max(seconds)}
    result = {
        name: {
            "kb_per_s": round(r["bytes"] / 1024 / r["seconds"], 1) if r["bytes"] else None,
            "claims_per_s": round(r["claims"] / r["seconds"], 1),
            "claims": int(r["claims"]),
            "kb": round(r["bytes"] / 1024, 1),
            "seconds": round(r["seconds"], 2),
        }
        for name, r in rows.items()
    }
    if args.json:
        print(json.dumps({"backend": args.backend, "articles": len(batch), **result}))
        return
    print(f"backend {args.backend}, {len(batch)} articles")
    print(f"{'':26} {'KB/s':>8} {'claims/s':>9} {'claims':>7} {'KB':>8} {'s':>7}")
    for name, r in result.items():
        kb = "-" if r["kb_per_s"] is None else r["kb_per_s"]
        print(f"{name:26} {kb:>8} {r['claims_per_s']:>9} {r['claims']:>7} {r['kb']:>8} {r['seconds']:>7}")


if __name__ == "__main__":
    main()
