"""Stance figures on ../shared's pair files, computed as ../shared/eval/score.py's stance mode does but by calling
judge() directly (no CLI, no process per run), plus the time per pair.

    python bench/stance_eval.py [--found-by-search] [FILE.jsonl ...]     default: emergent_train and perspectrum_dev

Emergent's figure here is in-sample for the shipped weights; bench/train_stance.py gives the grouped
cross-validation figure that counts. --found-by-search judges every pair as a statement a search found
(judge(..., found_by_search=True), as the bot's answers do): what the searched-statement rules would cost on pairs
that are all about their claim, which is not how these data sets are meant to be read.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.match.stance import judge  # noqa: E402

DEFAULT = [
    ROOT / ".." / "shared" / "datasets" / "stance" / name for name in ("emergent_train.jsonl", "perspectrum_dev.jsonl")
]


def score(path: Path, found_by_search: bool = False) -> dict[str, float]:
    pairs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    start = time.perf_counter()
    said = [judge(p["claim"], p["statement"], found_by_search=found_by_search).stance for p in pairs]
    elapsed = time.perf_counter() - start
    labels = sorted({p["label"] for p in pairs})
    out: dict[str, float] = {"pairs": len(pairs)}
    out["accuracy"] = round(sum(p["label"] == s for p, s in zip(pairs, said, strict=True)) / len(pairs), 3)
    f1s = []
    for label in labels:
        tp = sum(p["label"] == label and s == label for p, s in zip(pairs, said, strict=True))
        fp = sum(p["label"] != label and s == label for p, s in zip(pairs, said, strict=True))
        fn = sum(p["label"] == label and s != label for p, s in zip(pairs, said, strict=True))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f1s.append(f1)
        out["f1_" + label] = round(f1, 3)
    out["macro_f1"] = round(sum(f1s) / len(f1s), 3)
    out["ms_per_pair"] = round(1000 * elapsed / len(pairs), 3)
    return out


def main() -> None:
    args = sys.argv[1:]
    searched = "--found-by-search" in args
    paths = [Path(a) for a in args if a != "--found-by-search"] or DEFAULT
    for path in paths:
        print(
            json.dumps({"file": path.name, **({"found_by_search": True} if searched else {}), **score(path, searched)})
        )


if __name__ == "__main__":
    main()
