"""The ranked claims for a question: full-text candidates re-scored on normalised tokens with index-wide word weights
(a claim's score depends on the question and that claim only), fused by reciprocal rank with the nearest claims by
sentence embedding when the semantic extra is installed."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.answers import ClaimView
from bot.match.text import fts_query, normalise, question_to_claim
from bot.store import Store
from bot.store.fulltext import ranked_by_index

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
    reading: str | None = None  # its statement's stored reading (bot.match.analysis), for judging it


def clean_question(question: str) -> str:
    """The question without links, its hashtags split into words."""
    question = _LINK.sub(" ", question)
    question = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", question)
    return " ".join(question.split())


# A claim's score: rarity-weighted coverage of the question's words, closeness of wording, and the index's own
# relevance (bm25 also reads the article's title, term frequency and length). Tuned on CLEF 2020 train and dev.
COVERAGE_WEIGHT, CLOSENESS_WEIGHT, INDEX_WEIGHT = 0.45, 0.20, 0.35
# The index's score counts in full from this share of what the question's words are worth (the sum of their bm25
# idf, or of their rarity weights when the index ranks by covered weight): a claim holding the rarest words is
# as relevant as the index can say.
INDEX_FULL_AT = 0.3
TS_RANK_HALF = 0.1  # PostgreSQL's ts_rank_cd has no idf: x / (x + 0.1) maps it to 0..1, a half at one plain match


def _coverage(query: Sequence[str], claim: frozenset[str], weights: dict[str, float]) -> float:
    total = sum(weights[t] for t in query)
    if not total:
        return 0.0
    return sum(weights[t] for t in query if t in claim) / total


@dataclass(frozen=True)
class QuestionWeights:
    """What the question's words are worth, from the whole index: the same for every claim it is compared with."""

    rarity: dict[str, float]  # 1 + log(N / df): a word most claims hold says little about which one is meant
    index_scale: float  # the index score at which a claim's index share counts in full (0: ts_rank_cd's transform)


def question_weights(store: Store, workspace: str, fts: str, query: Sequence[str]) -> QuestionWeights:
    """Global document frequencies, never counted among the candidates, so that a claim's score depends on the
    question and the claim alone and not on which other claims the index happened to return."""
    total, matches = store.term_matches(workspace, fts, query)
    df = [matches.get(t, 0) for t in query]
    rarity = {t: 1.0 + math.log((1 + total) / (1 + n)) for t, n in zip(query, df, strict=True)}
    exact = ranked_by_index(store.dialect, sum(matches.values()))
    if store.dialect == "postgresql" and exact:
        return QuestionWeights(rarity, 0.0)
    if exact:  # the index ranked by bm25: FTS5's idf, floored as FTS5 floors it
        worth = sum(max(1e-6, math.log((total - n + 0.5) / (n + 0.5))) for n in df)
    else:  # the index ranked by the summed rarity of the words a claim holds (bot.store.fulltext.Concept.weight)
        worth = sum(rarity.values())
    return QuestionWeights(rarity, INDEX_FULL_AT * worth)


def _index_share(score: float, weights: QuestionWeights) -> float:
    score = max(0.0, score)
    if not weights.index_scale:
        return score / (score + TS_RANK_HALF)
    return min(1.0, score / weights.index_scale)


# A claim's comparable forms, kept for the claims asked about most: normalising candidate texts was ~40% of a search.
@lru_cache(maxsize=16384)
def _claim_forms(text: str) -> tuple[frozenset[str], str]:
    tokens = normalise(text)
    return frozenset(tokens), " ".join(tokens)


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> frozenset[str]:
    return frozenset(normalise(name))


def score_claim(
    query: Sequence[str],
    weights: QuestionWeights,
    text: str,
    speaker: str | None,
    actor: str | None,
    index_score: float,
    terms: str | None = None,
) -> float:
    """0..1 from the question and this claim (its text, speaker and side) only (see COVERAGE_WEIGHT). The article's
    title counts through the index's score alone: counted in the coverage too, it helped neither CLEF 2020 matching
    nor the recall of the index path. ``terms``: the text's tokens as its stored analysis has them."""
    tokens, joined = _claim_forms(text) if terms is None else (frozenset(terms.split()), terms)
    said_by = tokens
    for name in (speaker, actor):
        if name:
            said_by = said_by | _name_tokens(name)
    coverage = _coverage(query, said_by, weights.rarity)
    # token_set_ratio forgives word order and extra words: near-duplicate statements and short questions
    closeness = fuzz.token_set_ratio(" ".join(query), joined) / 100.0
    return COVERAGE_WEIGHT * coverage + CLOSENESS_WEIGHT * closeness + INDEX_WEIGHT * _index_share(index_score, weights)


def _lexical(
    store: Store, workspace: str, claim_text: str, query: list[str], candidates: int
) -> tuple[list[tuple[int, float]], dict[int, str | None]]:
    """The index's candidates re-scored on the question and each claim alone (see score_claim): (claim id, score),
    best first; and each one's stored reading."""
    fts = fts_query(claim_text)
    hits = store.candidates(workspace, fts, query, candidates)
    if not hits:
        return [], {}
    texts = store.claim_texts(workspace, [i for i, _ in hits])
    weights = question_weights(store, workspace, fts, query)
    scored = []
    for i, index_score in hits:
        if i in texts:
            t = texts[i]
            scored.append((i, score_claim(query, weights, t.text, t.speaker, t.actor, index_score, t.terms)))
    scored.sort(key=lambda hit: (-hit[1], hit[0]))
    return scored, {i: t.reading for i, t in texts.items()}


def _shown(
    store: Store, workspace: str, scored: Sequence[tuple[int, float]], readings: dict[int, str | None]
) -> list[Ranked]:
    """The scored claims as views, in the same order (views are built for the few returned only)."""
    views = store.claims_by_id(workspace, [i for i, _ in scored])
    return [Ranked(claim=views[i], score=score, reading=readings.get(i)) for i, score in scored if i in views]


def fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal-rank fusion: each list gives 1 / (k + rank) to its items; best total first, ties by first seen."""
    totals: dict[int, float] = {}
    for ranking in rankings:
        for position, item in enumerate(ranking, 1):
            totals[item] = totals.get(item, 0.0) + 1.0 / (k + position)
    order = {item: i for i, item in enumerate(totals)}
    return sorted(totals, key=lambda item: (-totals[item], order[item]))


def _semantic(
    store: Store,
    workspace: str,
    text: str,
    lexical: list[tuple[int, float]],
    readings: dict[int, str | None],
    limit: int,
) -> list[Ranked] | None:
    """Lexical and embedding rankings fused; None when the extra cannot answer (then the lexical ranking stands)."""
    from bot.match import semantic

    try:
        dense = semantic.nearest(store, workspace, text, k=max(DENSE_CANDIDATES, limit))
    except Exception:  # a broken extra install must not take questions down with it
        log.exception("semantic retrieval failed; answering from the full-text index alone")
        return None
    cosine = dict(dense)
    lexical_score = dict(lexical)
    order = fuse([list(lexical_score), [i for i, _ in dense]])[:limit]
    # Order by the fusion; the score stays absolute so the ask thresholds keep their meaning: the better of the
    # lexical score and the cosine (all-MiniLM-L6-v2: paraphrases ≥ 0.6, same topic ≈ 0.4, unrelated < 0.2).
    fused = [(i, min(1.0, max(lexical_score.get(i, 0.0), cosine.get(i, 0.0)))) for i in order]
    return _shown(store, workspace, fused, readings)


def rank(store: Store, workspace: str, question: str, *, limit: int = 10, candidates: int = 200) -> list[Ranked]:
    """The claims that best match a question, best first. Only the index's (and the embeddings') candidates are
    scored; a question with no content word (only stop words, emoji, a link) matches nothing."""
    cleaned = clean_question(question)
    claim_text = question_to_claim(cleaned)
    query = list(dict.fromkeys(normalise(claim_text)))
    if not query or limit <= 0:
        return []
    from bot.match import semantic

    with store.reading():  # one snapshot and one connection for the question's reads
        lexical, readings = _lexical(store, workspace, claim_text, query, max(candidates, limit))
        if not semantic.available():
            return _shown(store, workspace, lexical[:limit], readings)
    # outside the shared read: the embeddings may first be backfilled (a write), which its reads must then see
    fused = _semantic(store, workspace, cleaned, lexical, readings, limit)
    if fused is not None:
        return fused
    return _shown(store, workspace, lexical[:limit], readings)
