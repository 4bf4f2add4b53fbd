"""Trains the stance model's weights (bot/match/stance_model.json) from ../shared's training files and reports
5-fold cross-validation on Emergent grouped by claim, and the held-out PERSPECTRUM dev figure.

    python bench/train_stance.py [--shared ../shared] [--write]

Only emergent_train and perspectrum_train are fitted; perspectrum_dev is scored, never fitted.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.match.stance import (  # noqa: E402
    FEATURES,
    LABELS,
    LEXICON_WORDS,
    MODEL_PATH,
    StanceModel,
    _features,
    _is_negation,
    _without_negation,
    _words,
    judge,
)

Pair = dict[str, str]
# the commit model sees the cue counts; the direction model also one column per evaluative word
COLUMNS: tuple[str, ...] = FEATURES + tuple("w:" + w for w in LEXICON_WORDS)
FLIP = {"supports": "contradicts", "contradicts": "supports", "neutral": "neutral"}


def load(path: Path) -> list[Pair]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


@cache
def _row(claim: str, statement: str, label: str) -> tuple[tuple[float, ...], int]:
    """One pair seen the way judge() sees it: a negative claim as its positive form with the label turned round."""
    if any(_is_negation(w) for w in _words(claim)):
        claim, label = _without_negation(claim), FLIP[label]
    values = _features(claim, statement).values
    return tuple(values.get(f, 0.0) for f in COLUMNS), LABELS.index(label)  # type: ignore[arg-type]


def design(pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (COLUMNS) and label indices."""
    rows = [_row(p["claim"], p["statement"], p["label"]) for p in pairs]
    return np.array([r for r, _ in rows], dtype=float).reshape(len(rows), len(COLUMNS)), np.array([y for _, y in rows])


def fit(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float, steps: int = 2000) -> np.ndarray:
    """Binary logistic regression by full-batch gradient descent; returns feature weights then the bias."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    sw = sample_weight / sample_weight.sum()
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ ((p - y) * sw)
        grad[:-1] += l2 * w[:-1]
        w -= 1.0 * grad
    return w


def to_model(commit: np.ndarray, direction: np.ndarray) -> StanceModel:
    return StanceModel(
        commit={f: float(commit[i]) for i, f in enumerate(FEATURES)},
        commit_bias=float(commit[-1]),
        direction={f: float(direction[i]) for i, f in enumerate(COLUMNS) if f in FEATURES or abs(direction[i]) >= 1e-3},
        direction_bias=float(direction[-1]),
    )


def figures(pairs: Sequence[Pair], said: Sequence[str]) -> dict[str, float]:
    """Accuracy and per-label F1, as ../shared/eval/score.py's stance mode computes them."""
    labels = sorted({p["label"] for p in pairs})
    out = {
        "pairs": float(len(pairs)),
        "accuracy": sum(p["label"] == s for p, s in zip(pairs, said, strict=True)) / len(pairs),
    }
    for label in labels:
        tp = sum(p["label"] == label and s == label for p, s in zip(pairs, said, strict=True))
        fp = sum(p["label"] != label and s == label for p, s in zip(pairs, said, strict=True))
        fn = sum(p["label"] == label and s != label for p, s in zip(pairs, said, strict=True))
        out["f1_" + label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    out["macro_f1"] = sum(out["f1_" + label] for label in labels) / len(labels)
    return {k: round(v, 3) for k, v in out.items()}


def balanced(y: np.ndarray) -> np.ndarray:
    """Sample weights that give each class the same total."""
    out = np.zeros(len(y))
    for value in np.unique(y):
        out[y == value] = 1.0 / (y == value).sum()
    return out / out.sum()


def train(em: Sequence[Pair], ps: Sequence[Pair], ps_share: float, l2: float, commit_share: float) -> StanceModel:
    """Both parts from both datasets, each weighing by its share whatever its size: every PERSPECTRUM pair takes
    a position (it has no neutral label), which teaches ``commit`` that arguments commit where news hedges."""
    xe, ye = design(em)
    committed = ye != LABELS.index("neutral")
    xp, yp = design(ps)
    xc = np.vstack([xe, xp])
    yc = np.concatenate([committed, np.ones(len(xp), dtype=bool)]).astype(float)
    wc = np.concatenate([balanced(committed) * (1 - commit_share), np.full(len(xp), commit_share / len(xp))])
    commit = fit(xc[:, : len(FEATURES)], yc, wc, l2)
    xd, yd = xe[committed], (ye[committed] == LABELS.index("supports")).astype(float)
    wd = balanced(yd) * (1 - ps_share)
    if len(ps):
        xd = np.vstack([xd, xp])
        yp_sup = (yp == LABELS.index("supports")).astype(float)
        wd = np.concatenate([wd, balanced(yp_sup) * ps_share])
        yd = np.concatenate([yd, yp_sup])
    direction = fit(xd, yd, wd, l2)
    return to_model(commit, direction)


def grouped_folds(pairs: Sequence[Pair], k: int = 5, seed: int = 13) -> list[list[int]]:
    claims = sorted({p["claim"] for p in pairs})
    random.Random(seed).shuffle(claims)
    fold_of = {c: i % k for i, c in enumerate(claims)}
    return [[i for i, p in enumerate(pairs) if fold_of[p["claim"]] == f] for f in range(k)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    ap.add_argument("--ps-share", type=float, default=0.7, help="PERSPECTRUM's share of the training weight")
    ap.add_argument("--commit-share", type=float, default=0.3, help="PERSPECTRUM's share in the commit model")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    args = ap.parse_args()
    folder = args.shared / "datasets" / "stance"
    em = load(folder / "emergent_train.jsonl")
    ps = load(folder / "perspectrum_train.jsonl")
    dev = load(folder / "perspectrum_dev.jsonl")

    said: list[str] = [""] * len(em)
    for test in grouped_folds(em):
        held = set(test)
        model = train([p for i, p in enumerate(em) if i not in held], ps, args.ps_share, args.l2, args.commit_share)
        for i in test:
            said[i] = judge(em[i]["claim"], em[i]["statement"], model=model).stance
    cv = figures(em, said)
    final = train(em, ps, args.ps_share, args.l2, args.commit_share)
    dev_fig = figures(dev, [judge(p["claim"], p["statement"], model=final).stance for p in dev])
    print(json.dumps({"emergent_cv5_grouped": cv, "perspectrum_dev": dev_fig}))
    if args.write:
        data = {
            "about": "Stance weights over bot/match/stance.py FEATURES; written by bench/train_stance.py",
            "trained_on": ["emergent_train", "perspectrum_train"],
            "emergent_cv5_grouped": cv,
            "perspectrum_dev": dev_fig,
            "commit": {
                "weights": {f: round(v, 4) for f, v in final.commit.items()},
                "bias": round(final.commit_bias, 4),
            },
            "direction": {
                "weights": {f: round(v, 4) for f, v in final.direction.items()},
                "bias": round(final.direction_bias, 4),
            },
        }
        MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
