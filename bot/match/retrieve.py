"""Candidates from the full-text index, re-scored on normalised tokens: the ranked claims for a question."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.answers import ClaimView
from bot.match.text import fts_query, normalise, question_to_claim
from bot.store import Store


@dataclass(frozen=True)
class Ranked:
    claim: ClaimView
    score: float  # 0..1: how much of the question the claim covers, and how closely


def _coverage(query: Sequence[str], claim: set[str], weights: dict[str, float]) -> float:
    total = sum(weights[t] for t in query)
    if not total:
        return 0.0
    return sum(weights[t] for t in query if t in claim) / total


def rank(store: Store, workspace: str, question: str, *, limit: int = 10, candidates: int = 200) -> list[Ranked]:
    """The claims that best match a question, best first. Only the index's candidates are scored."""
    claim_text = question_to_claim(question)
    query = list(dict.fromkeys(normalise(claim_text)))
    if not query:
        return []
    hits = store.candidates(workspace, fts_query(claim_text), query, candidates)
    if not hits:
        return []
    views = store.claims_by_id(workspace, [i for i, _ in hits])
    best_bm25 = max(score for _, score in hits) or 1.0
    tokens = {i: set(normalise(" ".join(filter(None, (v.text, v.speaker, v.actor))))) for i, v in views.items()}
    # rarer words weigh more: a word in every candidate says little about which one is meant
    weights = {t: 1.0 + math.log((1 + len(hits)) / (1 + sum(t in toks for toks in tokens.values()))) for t in query}
    joined_query = " ".join(query)
    ranked = []
    for claim_id, bm25 in hits:
        view = views.get(claim_id)
        if view is None:
            continue
        coverage = _coverage(query, tokens[claim_id], weights)
        closeness = fuzz.token_set_ratio(joined_query, " ".join(normalise(view.text))) / 100.0
        score = 0.55 * coverage + 0.25 * closeness + 0.20 * max(0.0, bm25) / best_bm25
        ranked.append(Ranked(claim=view, score=score))
    ranked.sort(key=lambda r: (-r.score, r.claim.id))
    return ranked[:limit]
