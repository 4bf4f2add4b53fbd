"""The seed live blog of ../shared scored by bench/extract_eval.py must meet the extraction quality bars."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "eval" / "seed"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not (SEED / "liveblog_2022-02-16.txt").exists(), reason="needs ../shared beside the project"),
]


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "bench" / "extract_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_live_blog_meets_the_bars(nlp: Any) -> None:
    harness = _harness()
    scorer = harness.load_scorer()
    raw = json.loads((SEED / "scenarios.json").read_text(encoding="utf-8"))["aliases"]
    tally = harness.score_article(
        scorer,
        SEED / "liveblog_2022-02-16.txt",
        SEED / "liveblog_2022-02-16.gold.jsonl",
        scorer.Side(raw),
        harness.alias_table(raw),
        nlp,
        0.5,
        False,
    )
    figures = scorer.figures(tally)
    assert figures["precision"] >= 0.90, figures
    assert figures["recall"] >= 0.90, figures
    assert figures["recall_strict"] >= 0.80, figures
    assert figures["speaker_accuracy"] >= 0.95, figures
    assert figures["actor_accuracy"] >= 0.90, figures
