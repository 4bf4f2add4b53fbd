"""Claim matching on CheckThat! 2020 (../shared/datasets/matching/clef2020): MAP@5, recall@10 and per-query latency of
bot.match.retrieve.rank, default install and semantic extra in one table; --scale N times the vector path alone.

    python bench/matching.py [--splits dev train] [--json]
    python bench/matching.py --scale 100000

The store (claims imported, vectors computed when the extra is installed) is built once and kept under
~/.cache/crosscheck-bench (CROSSCHECK_BENCH_CACHE); encoding 10k claims takes minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402
from stats import percentile  # noqa: E402  (bench/ is the script's own folder on sys.path)

from bot.match import retrieve, semantic  # noqa: E402
from bot.store import NewClaim, Store  # noqa: E402
from bot.store.models import Claim  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "matching" / "clef2020"
CACHE = Path(os.environ.get("CROSSCHECK_BENCH_CACHE", Path.home() / ".cache" / "crosscheck-bench"))
WORKSPACE = "clef"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def clef_store(data: Path) -> Store:
    CACHE.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{CACHE / 'clef2020.db'}")
    if not store.claims_by_id(WORKSPACE, [1]):
        claims = [
            NewClaim(
                text=c["text"], sentence=c["text"], kind="imported", external_id=str(c["id"]), title=c.get("title")
            )
            for c in load_jsonl(data / "claims.jsonl")
        ]
        store.import_claims(WORKSPACE, "bench", "claims.jsonl", claims)
    if semantic.available():
        started = time.perf_counter()
        added = semantic.backfill(store, WORKSPACE)
        if added:
            print(f"encoded {added} claims in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return store


def average_precision_at_5(found: Sequence[str], relevant: set[str]) -> float:
    hits, precisions = 0, []
    for i, claim in enumerate(found[:5], 1):
        if claim in relevant:
            hits += 1
            precisions.append(hits / i)
    return sum(precisions) / min(len(relevant), 5)


def evaluate(store: Store, queries: list[dict[str, Any]]) -> dict[str, float]:
    ap, recall, latency = [], [], []
    for q in queries:
        question = " ".join(q["text"].split())[:2000]  # as the CLI's search does
        started = time.perf_counter()
        ranked = retrieve.rank(store, WORKSPACE, question, limit=10, candidates=200)
        latency.append((time.perf_counter() - started) * 1000)
        found = [r.claim.external_id or "" for r in ranked]
        relevant = {str(r) for r in q["relevant"]}
        ap.append(average_precision_at_5(found, relevant))
        recall.append(float(bool(relevant & set(found))))
    return {
        "map_at_5": round(statistics.fmean(ap), 3),
        "recall_at_10": round(statistics.fmean(recall), 3),
        "p50_ms": round(percentile(latency, 50), 1),
        "p95_ms": round(percentile(latency, 95), 1),
    }


def matching(splits: Sequence[str], as_json: bool) -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: this benchmark reads ../shared beside the project.")
    store = clef_store(DATA)
    modes = ["default"] + (["semantic"] if semantic.available() else [])
    rows = []
    for mode in modes:
        os.environ[semantic.ENV_SWITCH] = "on" if mode == "semantic" else "off"
        if mode == "semantic":
            semantic.nearest(store, WORKSPACE, "warm up")  # loading the model is not a question's cost
        for split in splits:
            queries = [q for q in load_jsonl(DATA / f"queries_{split}.jsonl") if q["relevant"]]
            rows.append({"mode": mode, "split": split, "queries": len(queries), **evaluate(store, queries)})
    if as_json:
        print(json.dumps(rows))
        return
    print(f"{'mode':<9} {'split':<6} {'queries':>7} {'MAP@5':>6} {'R@10':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for r in rows:
        print(
            f"{r['mode']:<9} {r['split']:<6} {r['queries']:>7} {r['map_at_5']:>6.3f} {r['recall_at_10']:>6.3f} "
            f"{r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f}"
        )
    if "semantic" not in modes:
        print('(semantic extra not installed: pip install torch==2.13.0, then pip install -e ".[semantic]")')


def scale(n: int, as_json: bool) -> None:
    """The vector path alone at N claims: in-memory scoring, and the chunked scan used above MAX_CACHED_VECTORS."""
    import numpy as np

    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'scale.db'}")
        # invented filler claims: the vector path's cost depends on their number, not their wording
        store.import_claims(
            "w", "bench", "filler", [NewClaim(text=f"filler {i}", sentence="", kind="x") for i in range(n)]
        )
        semantic.ensure_table(store)
        with store.transaction(write=False) as session:
            ids = [i for (i,) in session.execute(select(Claim.id).where(Claim.workspace == "w"))]
        for start in range(0, n, 20_000):
            block = rng.standard_normal((len(ids[start : start + 20_000]), semantic.DIMENSIONS)).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            values = [
                {"claim_id": cid, "workspace": "w", "model": semantic.MODEL_NAME, "vector": block[j].tobytes()}
                for j, cid in enumerate(ids[start : start + 20_000])
            ]
            with store.transaction() as session:
                session.execute(semantic._insert(store), values)
        query = rng.standard_normal(semantic.DIMENSIONS).astype(np.float32)
        query /= np.linalg.norm(query)
        semantic.encode = lambda texts: query[None, :]  # type: ignore[assignment]  # time the search, not the model
        results: dict[str, Any] = {"claims": n, "vectors_mb": round(n * semantic.DIMENSIONS * 4 / 1e6, 1)}
        for label, cached in (("in_memory", n), ("chunked_scan", 0)):
            semantic.MAX_CACHED_VECTORS = cached
            semantic.forget_cache()
            semantic.nearest(store, "w", "first question loads the matrix", k=100)
            times = []
            for _ in range(20):
                started = time.perf_counter()
                semantic.nearest(store, "w", "q", k=100)
                times.append((time.perf_counter() - started) * 1000)
            results[label] = {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1)}
        store.close()
    print(json.dumps(results) if as_json else "\n".join(f"{k}: {v}" for k, v in results.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", nargs="+", default=["dev", "train"], choices=["dev", "train"])
    parser.add_argument("--scale", type=int, default=0, help="time the vector path alone at this many claims")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.scale:
        if not semantic.available():
            sys.exit("--scale needs the semantic extra.")
        scale(args.scale, args.json)
    else:
        matching(args.splits, args.json)


if __name__ == "__main__":
    main()
