"""Question latency at scale: `ask` and `search` in-process through bot.service.Crosscheck on a generated store.

    python bench/search.py --claims 100000 [--backend sqlite|postgresql] [--processes 2] [--json]

Prints p50/p95/p99 of `ask` and `search`; recall@10 of the index path against the product's own final scoring
(bot.match.retrieve.rank) applied to every claim that shares a term with the question (claims that share none score
at most 0.25, and the figure says for how many questions the 10th best scored above that, so that "every claim" holds
exactly); the naive bot's p95 (rapidfuzz process.extract over every claim's text) and the speed-up; peak RSS of
the measuring process. The reference and the naive scan run in a child process so their memory is not counted.
With --processes N, the same questions are then asked by 1 and by N processes at once on the same store (each
process asks all of them, starting at another one): questions answered per second and `ask` p50/p95 under that load,
which is how more bot processes on one database serve more questions.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import WORKSPACE, build, make_world, questions  # noqa: E402
from stats import percentile, unlimited_service  # noqa: E402

NO_SHARED_TERM_MAX = 0.25  # retrieve.rank's weight of closeness: all a claim sharing no term with the question can get


def recall_at_10(got: Sequence[tuple[int, float]], want: Sequence[int], floor: float | None) -> float:
    """The share of the exhaustive top 10 the index path returned. When more claims than ten score exactly the 10th
    best (hundreds of generated claims can tie), which ten the reference lists is arbitrary: a returned claim scoring
    that much counts as well. The index path never scores a claim above its exhaustive score (its index share is
    the same or a lower bound), so a tie here is a tie there."""
    wanted = set(want)
    hits = sum(1 for i, score in got if i in wanted or (floor is not None and score >= floor - 1e-9))
    return min(hits, len(want)) / len(want)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_file_mb() -> float | None:
    """How much of the resident memory now is file pages (SQLite's memory-mapped database): the kernel's page
    cache, shared and given back under pressure, where the rest is the process's own."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(r"^RssFile:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(found.group(1)) / 1024, 1) if found else None


def timed(fn: Any, items: Sequence[str], cpu: list[float] | None = None) -> list[float]:
    """Wall-clock milliseconds per call (and this process's CPU milliseconds into ``cpu``: on a shared machine the
    wall clock also counts time spent waiting for a core)."""
    out = []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
    return out


class _EveryMatch:
    """The store as rank() sees it, but giving every claim that matches any term instead of the best few."""

    def __init__(self, store: Any, views: dict[int, Any]) -> None:
        self.store, self.views = store, views

    def candidates(self, workspace: str, fts: str, terms: Sequence[str], limit: int) -> list[tuple[int, float]]:
        return self.store.candidates(workspace, fts, terms, 10**9)

    def claims_by_id(self, workspace: str, ids: Sequence[int]) -> dict[int, Any]:
        return {i: self.views[i] for i in ids if i in self.views}

    def claim_texts(self, workspace: str, ids: Sequence[int]) -> dict[int, Any]:
        from bot.store.store import ClaimText

        # no stored analysis: the reference scores each text as worked out from it (the same tokens)
        return {
            i: ClaimText(v.text, v.speaker, v.actor, None, None) for i in ids if (v := self.views.get(i)) is not None
        }

    def __getattr__(self, name: str) -> Any:
        # everything else (term counts, the dialect) as the real store answers it
        return getattr(self.store, name)


def reference(url: str, qs: list[str], naive_qs: list[str]) -> dict[str, Any]:
    """In a child process: the exhaustive top 10 of each question, and the naive scan's timings."""
    from rapidfuzz import fuzz, process

    import bot.match.retrieve as retrieve
    from bot.store import Store

    store = Store(url)
    views = {c.id: c for c in store.claims(WORKSPACE)}
    # the same function, memoised: each claim's text is normalised once for all questions instead of once per question
    retrieve.normalise = functools.lru_cache(maxsize=None)(retrieve.normalise)  # type: ignore[assignment]
    every = _EveryMatch(store, views)
    tops: list[list[int]] = []
    floors: list[float | None] = []  # the 10th best score: claims scoring as much tie with it
    exact = 0
    for q in qs:
        ranked = retrieve.rank(every, WORKSPACE, q, limit=10, candidates=10**9)  # type: ignore[arg-type]
        tops.append([r.claim.id for r in ranked])
        floors.append(ranked[-1].score if len(ranked) == 10 else None)
        exact += len(ranked) < 10 or ranked[-1].score > NO_SHARED_TERM_MAX
    texts = [v.text for v in views.values()]
    naive = timed(lambda q: process.extract(q, texts, scorer=fuzz.token_set_ratio, limit=10), naive_qs)
    store.close()
    return {"tops": tops, "floors": floors, "exact": exact, "naive_ms": naive}


def asking(url: str, qs: list[str], first: int, start_at: float) -> dict[str, Any]:
    """In a child process: every question asked once, starting at the ``first``-th (processes asking at once then
    ask different questions at any moment); the latencies, and when the first question was asked and the last
    answered (seconds since the epoch: the processes share that clock)."""
    from bot.service import Requester

    service = unlimited_service(url)
    who = Requester(workspace=WORKSPACE)
    order = qs[first:] + qs[:first]
    for q in order[:10]:  # the matching modules imported, the connection open
        service.ask(who, q)
    time.sleep(max(0.0, start_at - time.time()))
    started = time.time()
    ms = timed(lambda q: service.ask(who, q), order)
    ended = time.time()
    service.store.close()
    return {"ms": ms, "started": started, "ended": ended}


def concurrent(url: str, qs: list[str], processes: int) -> dict[str, Any]:
    """Questions per second and `ask` latency with 1 and with ``processes`` bot processes asking at once."""
    out: dict[str, Any] = {}
    for n in sorted({1, processes}):
        start_at = time.time() + 10 + 2 * n  # every process has imported the product and asked its warm-up by then
        with multiprocessing.get_context("spawn").Pool(n) as pool:
            parts = pool.starmap(asking, [(url, qs, k * len(qs) // n, start_at) for k in range(n)])
        every = [ms for part in parts for ms in part["ms"]]
        out[f"processes_{n}"] = {
            "questions_per_s": round(
                len(every) / (max(p["ended"] for p in parts) - min(p["started"] for p in parts)), 1
            ),
            "ask_p50_ms": round(percentile(every, 50), 2),
            "ask_p95_ms": round(percentile(every, 95), 2),
        }
    return out


def postgres_warm(store: Any) -> dict[str, Any]:
    """The server's buffer size (its default, 128 MB, holds a fraction of a million claims: each question then reads
    heap pages through the kernel; a production server is given about a quarter of its memory), and the claims table
    and its index loaded into it with pg_prewarm where the extension can be created, as SQLite's runs find the file
    in the page cache."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        buffers = conn.execute(text("SHOW shared_buffers")).scalar()
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
            relations = ("claims", "ix_claims_tsv", "ix_claims_tsv_short", "claim_analyses")
            conn.execute(text("SELECT " + ", ".join(f"pg_prewarm('{name}')" for name in relations)))
            conn.commit()
            warmed = True
        except Exception:
            conn.rollback()
            warmed = False
    return {"postgres_shared_buffers": buffers, "postgres_prewarmed": warmed}


def run(
    claims: int, backend: str, n_questions: int, n_reference: int, n_naive: int, processes: int = 1
) -> dict[str, Any]:
    from bot.match.retrieve import rank
    from bot.match.text import fts_query, normalise, question_to_claim
    from bot.service import Requester

    url = build(claims, backend)
    world = make_world(claims)
    qs = questions(world, n_questions)
    service = unlimited_service(url)
    settings = service.settings
    who = Requester(workspace=WORKSPACE)
    server = postgres_warm(service.store) if backend == "postgresql" else {}
    ask_error = None
    try:
        for q in qs[:10]:  # warm the page cache and the import of the matching modules
            service.ask(who, q)
    except Exception as error:  # a part of `ask` not in place yet (e.g. the stance model): search is still measured
        ask_error = f"{type(error).__name__}: {error}"
    for q in qs[:10]:
        service.search(who, q, limit=10)
    search_cpu: list[float] = []
    ask_cpu: list[float] = []
    search_ms = timed(lambda q: service.search(who, q, limit=10), qs, search_cpu)
    ask_ms = [] if ask_error else timed(lambda q: service.ask(who, q), qs, ask_cpu)
    index_tops = [[(r.claim.id, r.score) for r in rank(service.store, WORKSPACE, q, limit=10,
                                                       candidates=settings.candidates)]
                  for q in qs[:n_reference]]  # fmt: skip
    pools = []  # the index's candidates themselves: did the exhaustive top 10 reach the scorer at all?
    for q in qs[:n_reference]:
        claim = question_to_claim(q)
        found = service.store.candidates(WORKSPACE, fts_query(claim), normalise(claim), settings.candidates)
        pools.append({i for i, _ in found})
    rss, rss_file = peak_rss_mb(), rss_file_mb()
    service.store.close()

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        ref = pool.apply(reference, (url, qs[:n_reference], qs[:n_naive]))
    recalls = [recall_at_10(got, want, floor) for got, want, floor in zip(index_tops, ref["tops"], ref["floors"],
                                                                            strict=True) if want]  # fmt: skip
    reached = [len(pool & set(want)) / len(want) for pool, want in zip(pools, ref["tops"], strict=True) if want]
    load = concurrent(url, qs, processes) if processes > 1 and not ask_error else {}
    p = {name: [percentile(ms, q) for q in (50, 95, 99)] for name, ms in (("search", search_ms), ("ask", ask_ms))}
    naive_p95 = percentile(ref["naive_ms"], 95)
    if ask_error:
        p["ask"] = [0.0, 0.0, 0.0]
    worst_p95 = max(p["search"][1], p["ask"][1])
    return {
        "claims": claims,
        "backend": backend,
        "questions": len(qs),
        # the headline figures are the slower of ask and search at each percentile
        "p50_ms": round(max(p["search"][0], p["ask"][0]), 2),
        "p95_ms": round(worst_p95, 2),
        "p99_ms": round(max(p["search"][2], p["ask"][2]), 2),
        "search_p50_ms": round(p["search"][0], 2),
        "search_p95_ms": round(p["search"][1], 2),
        "search_p99_ms": round(p["search"][2], 2),
        "ask_p50_ms": round(p["ask"][0], 2),
        "ask_p95_ms": round(p["ask"][1], 2),
        "ask_p99_ms": round(p["ask"][2], 2),
        "search_cpu_p95_ms": round(percentile(search_cpu, 95), 2),
        "ask_cpu_p95_ms": round(percentile(ask_cpu, 95), 2),
        "load_average": round(os.getloadavg()[0], 1),
        "ask_error": ask_error,
        "recall_at_10": round(statistics.fmean(recalls), 4) if recalls else None,
        "candidate_recall_at_10": round(statistics.fmean(reached), 4) if reached else None,
        "recall_questions": len(recalls),
        "recall_exact_over_every_claim": f"{ref['exact']}/{len(ref['tops'])}",
        "naive_p50_ms": round(percentile(ref["naive_ms"], 50), 2),
        "naive_p95_ms": round(naive_p95, 2),
        "speedup_vs_naive_p95": round(naive_p95 / worst_p95, 1) if worst_p95 else None,
        "peak_rss_mb": round(rss, 1),
        "rss_file_mb_at_end": rss_file,
        "candidates": settings.candidates,
        **server,
        **load,
        "semantic": os.environ.get("CROSSCHECK_SEMANTIC") != "off",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--questions", type=int, default=300, help="questions timed for ask and for search")
    parser.add_argument("--reference", type=int, default=100, help="questions checked against every claim")
    parser.add_argument("--naive", type=int, default=30, help="questions timed for the naive scan")
    parser.add_argument(
        "--processes", type=int, default=1, help="then ask with 1 and with this many processes at once (throughput)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--semantic", action="store_true", help="with the semantic extra, if installed (default: the default install)"
    )
    args = parser.parse_args()
    if not args.semantic:  # the targets are for the default install; the extra is measured on its own row
        os.environ["CROSSCHECK_SEMANTIC"] = "off"
    reference = min(args.reference, args.questions)
    result = run(args.claims, args.backend, args.questions, reference, args.naive, max(1, args.processes))
    if args.json:
        print(json.dumps(result))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
