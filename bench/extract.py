"""Throughput of extraction against the parser's own speed, with the same pipeline, in one run.

    python bench/extract.py [--rounds N] [--articles K] [--invented]

The corpus is ../shared's article texts read at run time when present, else articles generated from our own
templates. Prints KB/s of article text and claims/s for parse + extract, the parser's KB/s with nlp.pipe over
the same paragraphs, their ratio, and the process's resident memory at start and end (flat in the number of
articles when nothing is kept between articles).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
sys.path.insert(0, str(ROOT))

from bot.extract import extract, load_pipeline  # noqa: E402
from bot.extract.extractor import _units  # noqa: E402
from bot.ingest.text import parse_text  # noqa: E402

_NAMES = ["Mira Holt", "Jonas Eklund", "Priya Raman", "Tomas Weller", "Ada Okafor", "Luis Serrano"]
_ROLES = [
    "Swedish Trade Minister",
    "Kenyan Finance Minister",
    "Chilean Foreign Minister",
    "EU envoy",
    "NATO spokeswoman",
]
_TOPICS = ["grain exports", "the ferry link", "fishing quotas", "the new pipeline", "border checks", "the summit"]
_TEMPLATES = [
    "“We expect {topic} to improve before the winter,” {role} {name} told reporters on {day}.",
    "{role} {name} has said that {topic} will be discussed again next month.",
    "{surname} warned that delays to {topic} could cost farmers millions, according to local media.",
    "The ministry said in a statement that {topic} had been suspended for a week.",
    "Officials have urged both sides to settle the dispute over {topic} quickly.",
    "Traders watched prices for {topic} closely as the markets opened on {day}.",
    "“Nobody wants another year of uncertainty,” {surname} added.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def invented_article(seed: int) -> str:
    """A live blog written from our own templates: headlines, quotations, reported speech, narration."""
    rng = random.Random(seed)
    lines = []
    for _ in range(8):
        name, role, topic = rng.choice(_NAMES), rng.choice(_ROLES), rng.choice(_TOPICS)
        lines.append(f"{name.split()[-1]} says {topic} will resume")
        for template in rng.sample(_TEMPLATES, 4):
            lines.append(
                template.format(name=name, surname=name.split()[-1], role=role, topic=topic, day=rng.choice(_DAYS))
            )
    return "\n".join(lines)


def corpus(limit: int, invented: bool) -> list[str]:
    if not invented and SHARED.exists():
        paths = sorted((SHARED / "datasets" / "extraction").glob("*/*.txt")) + sorted((SHARED / "eval").glob("*/*.txt"))
        texts = [p.read_text(encoding="utf-8") for p in paths]
        if texts:
            return texts[:limit]
    return [invented_article(i) for i in range(limit)]


def rss_mb() -> float:
    """Current resident set size (not the peak), from /proc."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the corpus (memory must stay flat)")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--invented", action="store_true", help="use invented articles even if ../shared exists")
    args = parser.parse_args()
    nlp = load_pipeline()
    texts = corpus(args.articles, args.invented)
    documents = [parse_text(t) for t in texts]
    size_kb = sum(len(d.text.encode()) for d in documents) / 1000
    print(f"pipeline {nlp.meta.get('name')} {nlp.meta.get('version')} components {nlp.pipe_names}")
    print(f"corpus: {len(documents)} articles, {size_kb:.0f} KB, {args.rounds} rounds")
    extract(documents[0], nlp=nlp)  # warm-up: first calls allocate vocabulary and caches
    print(f"RSS at start: {rss_mb():.0f} MB")

    started = time.perf_counter()
    for _ in range(args.rounds):
        for document in documents:
            for _doc in nlp.pipe([u.text for u in _units(document)]):
                pass
    parse_seconds = time.perf_counter() - started

    claims = 0
    started = time.perf_counter()
    for _ in range(args.rounds):
        for document in documents:
            claims += len(extract(document, nlp=nlp))
    extract_seconds = time.perf_counter() - started

    total_kb = size_kb * args.rounds
    parse_speed, extract_speed = total_kb / parse_seconds, total_kb / extract_seconds
    print(f"parser alone (nlp.pipe, same paragraphs): {parse_speed:.1f} KB/s")
    print(
        f"parse + extract:                           {extract_speed:.1f} KB/s, {claims / extract_seconds:.1f} claims/s"
    )
    print(f"extraction at {100 * extract_speed / parse_speed:.0f}% of the parser's speed (target >= 80%)")
    print(f"RSS at end: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
