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
from dataclasses import dataclass
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
    _without_negation,
    is_negative_claim,
    judge,
)

Pair = dict[str, str]
FLIP = {"supports": "contradicts", "contradicts": "supports", "neutral": "neutral"}


def load(path: Path) -> list[Pair]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


@cache
def _row(claim: str, statement: str, label: str) -> tuple[tuple[tuple[str, float], ...], int]:
    """One pair seen the way judge() sees it: a negative claim as its positive form with the label turned round."""
    if is_negative_claim(claim):
        claim, label = _without_negation(claim), FLIP[label]
    values = _features(claim, statement).argument_values
    return tuple((f, v) for f, v in values.items() if v), LABELS.index(label)  # type: ignore[arg-type]


@dataclass
class Design:
    """A sparse design matrix in coordinate form (rows, cols, values) over ``columns``."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    n: int
    columns: tuple[str, ...]

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)

    def tdot(self, r: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, weights=self.vals * r[self.rows], minlength=len(self.columns))

    def subset(self, keep: np.ndarray, columns: int | None = None) -> Design:
        """Rows where ``keep`` is true (renumbered), optionally only the first ``columns`` columns."""
        index = np.cumsum(keep) - 1
        mask = keep[self.rows] & (self.cols < (columns if columns is not None else len(self.columns)))
        cols = self.columns[:columns] if columns is not None else self.columns
        return Design(index[self.rows[mask]], self.cols[mask], self.vals[mask], int(keep.sum()), cols)


def vocabulary(pairs: Sequence[Pair], min_claims: int) -> tuple[str, ...]:
    """The statement n-grams seen with at least ``min_claims`` different claims: wording that travels across stories."""
    seen: dict[str, set[str]] = {}
    for p in pairs:
        for f, _ in _row(p["claim"], p["statement"], p["label"])[0]:
            if f.startswith("b:"):
                seen.setdefault(f, set()).add(p["claim"])
    return tuple(sorted(f for f, claims in seen.items() if len(claims) >= min_claims))


def design(pairs: Sequence[Pair], columns: tuple[str, ...]) -> tuple[Design, np.ndarray]:
    index = {c: i for i, c in enumerate(columns)}
    rows, cols, vals, labels = [], [], [], []
    for r, p in enumerate(pairs):
        values, label = _row(p["claim"], p["statement"], p["label"])
        labels.append(label)
        for f, v in values:
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append(v)
    return Design(np.array(rows, dtype=int), np.array(cols, dtype=int), np.array(vals), len(pairs), columns), np.array(
        labels
    )


def fit(x: Design, y: np.ndarray, sample_weight: np.ndarray, l2: np.ndarray, steps: int = 600) -> np.ndarray:
    """Binary logistic regression by full-batch Adam; returns feature weights then the bias."""
    w = np.zeros(len(x.columns) + 1)
    m, v = np.zeros_like(w), np.zeros_like(w)
    sw = sample_weight / sample_weight.sum()
    for t in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-(x.dot(w[:-1]) + w[-1])))
        r = (p - y) * sw
        grad = np.append(x.tdot(r) + l2 * w[:-1], r.sum())
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def fit_softmax(x: Design, y: np.ndarray, sample_weight: np.ndarray, l2: np.ndarray, steps: int = 600) -> np.ndarray:
    """Multinomial logistic regression by full-batch Adam; returns a (columns + 1, labels) matrix, the bias last."""
    k = len(LABELS)
    w = np.zeros((len(x.columns) + 1, k))
    m, v = np.zeros_like(w), np.zeros_like(w)
    sw = sample_weight / sample_weight.sum()
    onehot = np.eye(k)[y]
    for t in range(1, steps + 1):
        z = np.stack([x.dot(w[:-1, j]) + w[-1, j] for j in range(k)], axis=1)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        r = (p - onehot) * sw[:, None]
        grad = np.vstack([np.stack([x.tdot(r[:, j]) for j in range(k)], axis=1) + l2[:, None] * w[:-1], r.sum(axis=0)])
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def balanced(y: np.ndarray) -> np.ndarray:
    """Sample weights that give each class the same total."""
    out = np.zeros(len(y))
    for value in np.unique(y):
        out[y == value] = 1.0 / (y == value).sum()
    return out / out.sum()


@dataclass(frozen=True)
class Settings:
    ps_share: float = 0.0  # PERSPECTRUM's share of the three-way model's weight (arguments have their own model)
    em_share: float = 0.0  # Emergent's (committed pairs) share of the argument model's weight
    l2: float = 1e-3  # on the cue features and evaluative words
    l2_words: float = 1e-3  # on the argument model's n-grams, which are many and sparse
    min_claims: int = 3  # an n-gram joins the argument model when seen with at least this many claims


def train(em: Sequence[Pair], ps: Sequence[Pair], s: Settings) -> StanceModel:
    """The three-way model mostly from Emergent (news headlines: reports, hedges, denials), the argument model from
    PERSPECTRUM (arguments for or against a claim, whose side is in their wording)."""
    cues = FEATURES + tuple("w:" + w for w in LEXICON_WORDS)
    x, y = design([*em, *ps], cues)
    is_em = np.arange(len(em) + len(ps)) < len(em)
    weight = np.where(is_em, (1 - s.ps_share) / max(1, len(em)), s.ps_share / max(1, len(ps)))
    three = fit_softmax(x, y, weight, np.full(len(cues), s.l2))

    grams = vocabulary(ps, s.min_claims)
    columns = cues + grams
    committed_em = [p for p in em if p["label"] != "neutral"]
    xa, ya = design([*ps, *committed_em], columns)
    supports = (ya == LABELS.index("supports")).astype(float)
    from_ps = np.arange(len(ya)) < len(ps)
    wa = np.zeros(len(ya))
    wa[from_ps] = balanced(supports[from_ps]) * (1 - s.em_share)
    if s.em_share and committed_em:
        wa[~from_ps] = balanced(supports[~from_ps]) * s.em_share
    l2 = np.array([s.l2 if c in cues else s.l2_words for c in columns])
    argument = fit(xa, supports, wa, l2)
    return StanceModel(
        classes={
            label: {f: float(three[i, j]) for i, f in enumerate(cues) if f in FEATURES or abs(three[i, j]) >= 5e-3}
            for j, label in enumerate(LABELS)
        },
        bias={label: float(three[-1, j]) for j, label in enumerate(LABELS)},
        argument={f: float(argument[i]) for i, f in enumerate(columns) if f in FEATURES or abs(argument[i]) >= 5e-3},
        argument_bias=float(argument[-1]),
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


def grouped_folds(pairs: Sequence[Pair], k: int = 5, seed: int = 13) -> list[list[int]]:
    claims = sorted({p["claim"] for p in pairs})
    random.Random(seed).shuffle(claims)
    fold_of = {c: i % k for i, c in enumerate(claims)}
    return [[i for i, p in enumerate(pairs) if fold_of[p["claim"]] == f] for f in range(k)]


def evaluate(
    em: Sequence[Pair], ps: Sequence[Pair], dev: Sequence[Pair], s: Settings
) -> tuple[dict, dict, StanceModel]:
    said: list[str] = [""] * len(em)
    for test in grouped_folds(em):
        held = set(test)
        model = train([p for i, p in enumerate(em) if i not in held], ps, s)
        for i in test:
            said[i] = judge(em[i]["claim"], em[i]["statement"], model=model).stance
    final = train(em, ps, s)
    dev_fig = figures(dev, [judge(p["claim"], p["statement"], model=final).stance for p in dev])
    return figures(em, said), dev_fig, final


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    ap.add_argument("--ps-share", type=float, default=Settings.ps_share)
    ap.add_argument("--em-share", type=float, default=Settings.em_share)
    ap.add_argument("--l2", type=float, default=Settings.l2)
    ap.add_argument("--l2-words", type=float, default=Settings.l2_words)
    ap.add_argument("--min-claims", type=int, default=Settings.min_claims)
    ap.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    args = ap.parse_args()
    settings = Settings(args.ps_share, args.em_share, args.l2, args.l2_words, args.min_claims)
    folder = args.shared / "datasets" / "stance"
    em = load(folder / "emergent_train.jsonl")
    ps = load(folder / "perspectrum_train.jsonl")
    dev = load(folder / "perspectrum_dev.jsonl")
    cv, dev_fig, final = evaluate(em, ps, dev, settings)
    print(json.dumps({"settings": settings.__dict__, "emergent_cv5_grouped": cv, "perspectrum_dev": dev_fig}))
    if args.write:
        data = {
            "about": "Stance weights: a three-way model over bot/match/stance.py FEATURES and evaluative words (w:), and "
            "an argument model that adds statement n-grams (b:, the claim's words masked); written by bench/train_stance.py",
            "trained_on": ["emergent_train", "perspectrum_train"],
            "settings": settings.__dict__,
            "emergent_cv5_grouped": cv,
            "perspectrum_dev": dev_fig,
            "classes": {
                label: {
                    "weights": {f: round(v, 4) for f, v in final.classes[label].items()},
                    "bias": round(final.bias[label], 4),
                }
                for label in LABELS
            },
            "argument": {
                "weights": {f: round(v, 3) for f, v in final.argument.items()},
                "bias": round(final.argument_bias, 4),
            },
        }
        MODEL_PATH.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
