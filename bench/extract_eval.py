"""Dev harness: scores extract(parse_text(...)) against gold claims with the evaluation's own pairing and figures.

    python bench/extract_eval.py ARTICLE.txt [--gold G.jsonl] [--aliases scenarios.json] [--verbose]
    python bench/extract_eval.py FOLDER [--aliases …] [--verbose]   # every NAME.txt with NAME.gold.jsonl

The scorer (../shared/eval/score.py) is loaded at run time for overlap, same_person, Side and figures; this
reproduces its score_article without the CLI, so extraction can be measured while the CLI is being built.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
sys.path.insert(0, str(ROOT))

from bot.extract import extract, load_pipeline  # noqa: E402
from bot.ingest.text import parse_text  # noqa: E402


def load_scorer(path: Path = SHARED / "eval" / "score.py") -> ModuleType:
    spec = importlib.util.spec_from_file_location("crosscheck_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alias_table(aliases: Mapping[str, list[str]] | None) -> dict[str, str]:
    """The scenarios' {side: [names]} as extract()'s lowercased name -> side."""
    table: dict[str, str] = {}
    for canon, names in (aliases or {}).items():
        for name in [canon, *names]:
            table[name.lower()] = canon
    return table


def found_claims(article: Path, aliases: Mapping[str, str], nlp: Any) -> list[dict[str, Any]]:
    document = parse_text(article.read_text(encoding="utf-8"), name=article.name)
    return [
        {"speaker": c.speaker, "actor": c.actor, "text": c.text, "cue": c.cue, "kind": c.kind}
        for c in extract(document, aliases=aliases, nlp=nlp)
    ]


def score_article(
    scorer: ModuleType,
    article: Path,
    gold_path: Path,
    side: Any,
    aliases: Mapping[str, str],
    nlp: Any,
    min_overlap: float,
    verbose: bool,
) -> dict[str, int]:
    """score.py's score_article, with the claims taken from extract() instead of the CLI."""
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = found_claims(article, aliases, nlp)
    pairs = sorted(
        (
            (scorer.overlap(g["claim"], f.get("text", "")), not g.get("optional"), gi, fi)
            for gi, g in enumerate(gold)
            for fi, f in enumerate(found)
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_f: set[int] = set()
    matched = []
    for score, _, gi, fi in pairs:
        if score < min_overlap:
            break
        if gi in used_g or fi in used_f:
            continue
        used_g.add(gi)
        used_f.add(fi)
        matched.append((gold[gi], found[fi], score))
    optional_hits = sum(1 for g, _, _ in matched if g.get("optional"))
    matched = [(g, f, s) for g, f, s in matched if not g.get("optional")]
    tally = {
        "gold": sum(1 for g in gold if not g.get("optional")),
        "found": len(found) - optional_hits,
        "matched": len(matched),
        "strict": sum(1 for _, _, s in matched if s >= scorer.STRICT),
        "speaker_n": 0,
        "speaker_ok": 0,
        "actor_n": 0,
        "actor_ok": 0,
    }
    wrong = []
    for g, f, _ in matched:
        bad_speaker = bad_actor = False
        if g.get("speaker") and g["speaker"].strip().lower() not in scorer.PRONOUNS:
            tally["speaker_n"] += 1
            ok = scorer.same_person(g["speaker"], f.get("speaker") or "")
            tally["speaker_ok"] += ok
            bad_speaker = not ok
        if g.get("actor"):
            tally["actor_n"] += 1
            ok = side(g["actor"]) == side(f.get("actor") or "")
            tally["actor_ok"] += ok
            bad_actor = not ok
        if bad_speaker or bad_actor:
            wrong.append((g, f))
    if verbose:
        print(f"== {article.name}")
        for gi, g in enumerate(gold):
            if gi not in used_g and not g.get("optional"):
                print(f"MISSED  {(g.get('speaker') or '')[:22]:22} [{g.get('cue', '')}] {g['claim'][:110]}")
        for fi, f in enumerate(found):
            if fi not in used_f:
                print(f"EXTRA   {str(f.get('speaker'))[:22]:22} [{f['cue']}] {str(f.get('text'))[:110]}")
        for g, f, s in matched:
            if s < scorer.STRICT:
                print(f"LOOSE   {s:.2f} gold: {g['claim'][:90]}\n             found: {f['text'][:90]}")
        for g, f in wrong:
            print(
                f"WRONG   gold {g['speaker']}/{g.get('actor')} found {f.get('speaker')}/{f.get('actor')}: {g['claim'][:80]}"
            )
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="an article NAME.txt or a folder of them")
    parser.add_argument("--gold", type=Path, help="the gold claims (default: NAME.gold.jsonl beside the article)")
    parser.add_argument("--aliases", type=Path, help="a JSON file with an 'aliases' table (the scenarios file has one)")
    parser.add_argument("--min-overlap", type=float, default=0.5)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scorer = load_scorer()
    raw = json.loads(args.aliases.read_text(encoding="utf-8")).get("aliases") if args.aliases else None
    side, aliases, nlp = scorer.Side(raw), alias_table(raw), load_pipeline()
    if args.path.is_dir():
        articles = sorted(p for p in args.path.glob("*.txt") if p.with_suffix("").with_suffix(".gold.jsonl").exists())
        pairs = [(a, a.with_suffix("").with_suffix(".gold.jsonl")) for a in articles]
    else:
        gold = args.gold or args.path.with_suffix("").with_suffix(".gold.jsonl")
        pairs = [(args.path, gold)]
    total: dict[str, int] | None = None
    for article, gold in pairs:
        tally = score_article(scorer, article, gold, side, aliases, nlp, args.min_overlap, args.verbose)
        total = tally if total is None else {k: total[k] + tally[k] for k in total}
    if total is None:
        raise SystemExit(f"no NAME.txt with NAME.gold.jsonl at {args.path}")
    total["articles"] = len(pairs)
    result = scorer.figures(total)
    print(json.dumps(result) if args.json else "  ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
