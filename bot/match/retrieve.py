"""The ranked claims for a question: full-text candidates re-scored on normalised tokens, fused by reciprocal rank with
the nearest claims by sentence embedding when the semantic extra is installed."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.answers import ClaimView
from bot.match.text import fts_query, normalise, question_to_claim
from bot.store import Store

log = logging.getLogger(__name__)

RRF_K = 60  # reciprocal-rank fusion's constant (Cormack et al.); 10–60 measured within 0.01 MAP@5 of each other
DENSE_CANDIDATES = 100  # nearest claims by embedding taken into the fusion

# A question pasted from a social post: links carry no topic (and push real words past the index query's word cap);
# a hashtag's words are run together ("#PeaceTalksNow"), so they are split apart to be found.
_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ly|co)/\S*", re.I)
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


@dataclass(frozen=True)
class Ranked:
    claim: ClaimView
    score: float  # 0..1: how much of the question the claim covers, and how closely (or how close in meaning)


def clean_question(question: str) -> str:
    """The question without links, its hashtags split into words."""
    question = _LINK.sub(" ", question)
    question = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", question)
    return " ".join(question.split())


def _coverage(query: Sequence[str], claim: set[str], weights: dict[str, float]) -> float:
    total = sum(weights[t] for t in query)
    if not total:
        return 0.0
    return sum(weights[t] for t in query if t in claim) / total


def _lexical(store: Store, workspace: str, claim_text: str, query: list[str], candidates: int) -> list[Ranked]:
    """The index's candidates re-scored: rarity-weighted coverage of the question's words, closeness, and bm25."""
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
        # token_set_ratio forgives word order and extra words: near-duplicate statements and short questions
        closeness = fuzz.token_set_ratio(joined_query, " ".join(normalise(view.text))) / 100.0
        score = 0.55 * coverage + 0.25 * closeness + 0.20 * max(0.0, bm25) / best_bm25
        ranked.append(Ranked(claim=view, score=score))
    ranked.sort(key=lambda r: (-r.score, r.claim.id))
    return ranked


def fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal-rank fusion: each list gives 1 / (k + rank) to its items; best total first, ties by first seen."""
    totals: dict[int, float] = {}
    for ranking in rankings:
        for position, item in enumerate(ranking, 1):
            totals[item] = totals.get(item, 0.0) + 1.0 / (k + position)
    order = {item: i for i, item in enumerate(totals)}
    return sorted(totals, key=lambda item: (-totals[item], order[item]))


def _semantic(store: Store, workspace: str, text: str, lexical: list[Ranked], limit: int) -> list[Ranked] | None:
    """Lexical and embedding rankings fused; None when the extra cannot answer (then the lexical ranking stands)."""
    from bot.match import semantic

    try:
        dense = semantic.nearest(store, workspace, text, k=max(DENSE_CANDIDATES, limit))
    except Exception:  # a broken extra install must not take questions down with it
        log.exception("semantic retrieval failed; answering from the full-text index alone")
        return None
    cosine = dict(dense)
    lexical_score = {r.claim.id: r.score for r in lexical}
    order = fuse([list(lexical_score), [i for i, _ in dense]])[:limit]
    views = {r.claim.id: r.claim for r in lexical}
    missing = [i for i in order if i not in views]
    if missing:
        views.update(store.claims_by_id(workspace, missing))
    # Order by the fusion; the score stays absolute so the ask thresholds keep their meaning: the better of the
    # lexical score and the cosine (all-MiniLM-L6-v2: paraphrases ≥ 0.6, same topic ≈ 0.4, unrelated < 0.2).
    return [
        Ranked(claim=views[i], score=min(1.0, max(lexical_score.get(i, 0.0), cosine.get(i, 0.0))))
        for i in order
        if i in views
    ]


def rank(store: Store, workspace: str, question: str, *, limit: int = 10, candidates: int = 200) -> list[Ranked]:
    """The claims that best match a question, best first. Only the index's (and the embeddings') candidates are
    scored; a question with no content word (only stop words, emoji, a link) matches nothing."""
    cleaned = clean_question(question)
    claim_text = question_to_claim(cleaned)
    query = list(dict.fromkeys(normalise(claim_text)))
    if not query or limit <= 0:
        return []
    lexical = _lexical(store, workspace, claim_text, query, max(candidates, limit))
    from bot.match import semantic

    if semantic.available():
        fused = _semantic(store, workspace, cleaned, lexical, limit)
        if fused is not None:
            return fused
    return lexical[:limit]
