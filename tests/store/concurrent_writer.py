"""A writer process for the concurrency tests: ingests (or imports) a batch of invented articles into one store.

usage: python concurrent_writer.py URL MODE WORKER START_AT ARTICLES   (MODE: different | same | import)
Prints one JSON object: what each save_source returned.
"""

from __future__ import annotations

import json
import sys
import time

from bot.store import NewClaim, NewUpdate, Store

SPEAKERS = [("Mara Velt", "Freedonia"), ("Ilan Dorr", "Sylvania"), ("Tamsin Vore", "Freedonia"), ("Olek Brand", None)]


def article(label: str, version: int) -> list[NewUpdate]:
    """Three updates of two claims; version 2 rewords the second update and adds a fourth."""
    updates = []
    for u in range(3 + (version == 2)):
        wording = "v2" if version == 2 and u == 1 else "v1"
        claims = [
            NewClaim(
                text=f"{label} update {u} statement {c} {wording}",
                sentence=f"s {label} {u} {c}",
                kind="direct",
                speaker=SPEAKERS[(u + c) % 4][0],
                actor=SPEAKERS[(u + c) % 4][1],
            )
            for c in range(2)
        ]
        updates.append(
            NewUpdate(key=f"{label}/u{u}", text_hash=f"{label}/u{u}/{wording}", headline=None, time=None, claims=claims)
        )
    return updates


def main() -> None:
    url, mode, worker, start_at, articles = (
        sys.argv[1],
        sys.argv[2],
        int(sys.argv[3]),
        float(sys.argv[4]),
        int(sys.argv[5]),
    )
    time.sleep(max(0.0, start_at - time.time()))  # both processes start their writes at the same moment
    store = Store(url)  # on an empty database both processes also race to create the schema
    results = []
    for k in range(articles):
        if mode == "import":
            batch = [
                NewClaim(text=f"imported {k} {i}", sentence="s", kind="imported", external_id=f"ext-{k}-{i}")
                for i in range(5)
            ]
            results.append(store.import_claims("ws", f"worker{worker}", f"batch{k}", batch))
            continue
        label = f"w{worker}a{k}" if mode == "different" else f"a{k}"
        for version in (1, 2):
            results.append(
                store.save_source(
                    "ws",
                    f"worker{worker}",
                    url=f"https://example.test/{label}",
                    name=None,
                    title=label,
                    content_hash=f"{label}#{version}",
                    published_at=None,
                    updates=article(label, version),
                )
            )
    store.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
