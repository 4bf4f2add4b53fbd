"""Synthetic claim stores for the benchmarks: N claims by M speakers of S sides on K topics, paraphrased.

Every sentence comes from our own templates and invented place names; nothing is taken from real articles.
    python bench/generate.py --claims 100000 [--backend sqlite|postgresql] [--force]
A store is built once and reused (SQLite files under ~/.cache/crosscheck-bench, PostgreSQL databases named
crosscheck_bench_N on the server of CROSSCHECK_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORKSPACE = "bench"
CACHE = Path(os.environ.get("CROSSCHECK_BENCH_CACHE", Path.home() / ".cache" / "crosscheck-bench"))

SIDES = [
    "Russia", "Ukraine", "NATO", "EU", "UN", "USA", "UK", "France", "Germany", "China", "Poland", "Turkey", "Iran",
    "Israel", "India", "Japan", "Canada", "Brazil", "Belarus", "Moldova", "Hungary", "Italy", "Spain", "Sweden",
    "Finland", "Norway", "Qatar", "Egypt", "Saudi Arabia", "South Africa",
]  # fmt: skip
ROLES = ["foreign minister", "spokesperson", "defence minister", "president", "ambassador", "general", "envoy",
         "prime minister", "mayor", "governor", "adviser", "commander"]  # fmt: skip
FIRST = (
    "Ada Bram Cato Dara Emil Fenna Goran Hale Ines Jory Kasia Lev Mira Nilo Oona Pavel Quin Rada Soren Tala Ugo "
    "Vera Wim Xeni Yuri Zora Anton Bela Chen Dita Eero Farah Gil Hana Ivo Juno Kian Lida Marek Nadia"
).split()
LAST = (
    "Adler Borsk Castell Drago Ekdahl Falk Grieve Horvat Ilves Jansen Kovac Lind Moravec Novak Oberg Petrov Quist "
    "Rask Sorel Tamm Ulvaeus Vidal Wexler Yilmaz Zeman Aalto Brandt Cerny Dufour Esposito Ferrante Galea Hakala "
    "Ionescu Jovic Kral Laine Mesic Nyberg Orsini Pajari Rinne Salo Toivonen Urban Varga Wolak"
).split()
SYLLABLES = "var nor ost kel dra mir tal sev bor lin gor vel zan pol rus tav ern ski mar ova den hal kor bel".split()

# Each action family has paraphrases: the store and the questions word the same topic differently.
ACTIONS: dict[str, list[str]] = {
    "withdraw": ["withdrawing", "pulling back", "pulling out", "moving away"],
    "increase": ["reinforcing", "building up", "massing", "sending more"],
    "attack": ["shelling", "striking", "attacking", "bombarding"],
    "negotiate": ["negotiating over", "holding talks on", "discussing"],
    "sign": ["signing", "agreeing to", "approving"],
    "reject": ["rejecting", "refusing", "dismissing"],
    "evacuate": ["evacuating", "clearing", "moving civilians out of"],
    "close": ["closing", "shutting", "blocking"],
    "reopen": ["reopening", "restoring", "resuming"],
    "supply": ["supplying", "delivering", "shipping"],
    "sanction": ["sanctioning", "penalising", "restricting"],
    "inspect": ["inspecting", "monitoring", "checking"],
    "repair": ["repairing", "rebuilding", "fixing"],
    "capture": ["capturing", "seizing", "taking control of"],
    "defend": ["defending", "protecting", "guarding"],
    "fund": ["funding", "paying for", "financing"],
}
OBJECTS = (
    "troops|tanks|air defence systems|grain exports|gas supplies|the power grid|the nuclear plant|the rail line|"
    "the port|the airport|the ceasefire deal|the peace plan|aid convoys|refugee camps|prisoner exchanges|artillery|"
    "drones|fuel depots|the bridge|the dam|water supplies|hospitals|schools|border crossings|the pipeline|"
    "fishing boats|the central bank|election observers|the embassy|warships|fighter jets|landmines|the oil terminal|"
    "food stocks|the steel works|the highway|military bases|the coastline|radar stations|cargo flights|"
    "ammunition depots|the mobile network|the reservoir|the grain silos|the river crossing|the mines|medical teams|"
    "weapons inspectors|the frontline|the harbour"
).split("|")
SUBJECTS = ["{side}", "{side}", "the government", "our forces", "the army", "they", "we", "officials", "the military"]
TEMPLATES = [
    "{subject} {aux} {verb} {object} near {place}{filler}",
    "{subject} {aux} not {verb} {object} in {place}{filler}",
    "there is no evidence that {side} is {verb} {object} around {place}",
    "{side} will keep {verb} {object} near {place}{filler}",
    "it is too early to say whether {subject} {aux} {verb} {object} in {place}",
    "{place}: {side} {aux} {verb} about {number} {object}{filler}",
    "reports that {side} is {verb} {object} at {place} are false",
    "{subject} {aux} now {verb} {object} outside {place} and {verb2} {object2}",
]
FILLERS = ["", "", "", " in the coming days", " despite the warnings", " as talks continue", " for a third day",
           " after overnight fighting", " this week", " according to satellite images", " before the winter"]  # fmt: skip


@dataclass(frozen=True)
class Topic:
    action: str
    object: str
    place: str


@dataclass(frozen=True)
class World:
    """The invented world a store is about: speakers with sides, places, and topics."""

    speakers: list[tuple[str, str, str]]  # name, role, side
    places: list[str]
    topics: list[Topic]


def make_world(claims: int, seed: int = 7) -> World:
    rng = random.Random(seed)
    n_speakers = max(40, min(5000, claims // 200))
    n_places = max(60, min(3000, claims // 300))
    n_topics = max(80, min(20000, claims // 50))
    names: dict[str, None] = {}
    while len(names) < n_speakers:
        names[f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if len(names) < 1500 else '-' + rng.choice(LAST)}"] = None
    speakers = [(name, rng.choice(ROLES), rng.choice(SIDES)) for name in names]
    places_set: dict[str, None] = {}
    while len(places_set) < n_places:
        places_set["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()] = None
    places = list(places_set)
    topics = {Topic(rng.choice(list(ACTIONS)), rng.choice(OBJECTS), rng.choice(places)) for _ in range(n_topics)}
    return World(speakers=speakers, places=places, topics=sorted(topics, key=lambda t: (t.action, t.object, t.place)))


def skewed_index(rng: random.Random, n: int, skew: float = 2.5) -> int:
    """An index in [0, n), low ones more frequent, as in real coverage: the top 1% of topics get about 16% of claims
    (skew 2.5), the top 10% about 40%."""
    return min(n - 1, int(n * rng.random() ** skew))


def claim_text(rng: random.Random, world: World, topic: Topic, side: str) -> str:
    other = world.topics[rng.randrange(len(world.topics))]
    text = rng.choice(TEMPLATES).format(
        subject=rng.choice(SUBJECTS).format(side=side),
        side=side,
        aux=rng.choice(["is", "are", "has been", "have been"]),
        verb=rng.choice(ACTIONS[topic.action]),
        verb2=rng.choice(ACTIONS[other.action]),
        object=topic.object,
        object2=other.object,
        place=topic.place,
        number=rng.choice(["200", "1,500", "3,000", "several hundred", "dozens of", "40,000"]),
        filler=rng.choice(FILLERS),
    )
    return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Row:
    source: int
    update: int
    speaker: int
    text: str
    published_at: datetime


def rows(world: World, n: int, seed: int = 11) -> Iterator[Row]:
    """n claims: sources of 200 claims (a live blog each), updates of 5; topics and speakers skewed."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    order = list(range(len(world.topics)))
    rng.shuffle(order)
    for i in range(n):
        topic = world.topics[order[skewed_index(rng, len(order))]]
        speaker = skewed_index(rng, len(world.speakers), 2.0)
        yield Row(
            i // 200,
            i // 5,
            speaker,
            claim_text(rng, world, topic, world.speakers[speaker][2]),
            start + timedelta(minutes=i),
        )


def questions(world: World, n: int, seed: int = 99) -> list[str]:
    """Questions a user might ask, worded differently from the stored claims; about one in ten has no answer."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = world.topics[skewed_index(rng, len(world.topics))]
        side = rng.choice(SIDES)
        verb = rng.choice(ACTIONS[topic.action])
        form = i % 5
        if form == 0:
            out.append(f"Is {side} {verb} {topic.object} near {topic.place}?")
        elif form == 1:
            out.append(f"{side} is {verb} {topic.object} in {topic.place}")
        elif form == 2:
            out.append(f"{topic.object} {topic.place}")
        elif form == 3:
            speaker = world.speakers[rng.randrange(len(world.speakers))][0]
            out.append(f"What did {speaker.split()[-1]} say about {topic.object}?")
        else:
            out.append(
                f"Are they {verb} {rng.choice(OBJECTS)} around {rng.choice(world.places)} {rng.choice(FILLERS)}?"
            )
    return out


# ---- loading ----------------------------------------------------------------------------------------------------


def store_url(claims: int, backend: str) -> str:
    if backend == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{CACHE / f'claims-{claims}.sqlite'}"
    from sqlalchemy import make_url

    from bot.config import database_url

    server = os.environ.get("CROSSCHECK_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("Set CROSSCHECK_TEST_POSTGRES_URL to a PostgreSQL server for --backend postgresql.")
    return make_url(database_url(server)).set(database=f"crosscheck_bench_{claims}").render_as_string(False)


def stored_claims(url: str) -> int:
    """How many claims a bench store holds (0 when it does not exist yet)."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite"):
        if not Path(url.removeprefix("sqlite:///")).exists():
            return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(text("SELECT count(*) FROM claims WHERE workspace = :w"), {"w": WORKSPACE}).scalar()
            )
    except Exception:  # no database or no schema yet
        return 0
    finally:
        engine.dispose()


def _recreate_postgres(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def build(claims: int, backend: str, *, force: bool = False) -> str:
    """The URL of a store with ``claims`` generated claims, built (bulk-loaded) unless it exists already."""
    url = store_url(claims, backend)
    if not force and stored_claims(url) == claims:
        _analyse(url)
        return url
    started = time.perf_counter()
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        _recreate_postgres(url)
    from bot.store import Store

    store = Store(url)
    world = make_world(claims)
    if backend == "sqlite":
        _load_sqlite(store, world, claims)
    else:
        _load_postgres(store, world, claims)
    store.close()
    print(f"built {claims} claims ({backend}) in {time.perf_counter() - started:.0f} s: {url}", file=sys.stderr)
    _analyse(url)
    return url


def _analyse(url: str) -> None:
    """The claims' analyses, as ingest stores them with each claim (and `crosscheck db upgrade` after new rules)."""
    from bot.store import Store

    started = time.perf_counter()
    store = Store(url)
    try:
        done = store.analyse(progress=lambda n: print(f"analysed {n} claims", end="\r", file=sys.stderr))
    finally:
        store.close()
    if done:
        print(f"analysed {done} claims in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _header_rows(world: World, claims: int) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    actors = [(i + 1, WORKSPACE, side) for i, side in enumerate(SIDES)]
    side_id = {side: i + 1 for i, side in enumerate(SIDES)}
    speakers = [(i + 1, WORKSPACE, name, role, side_id[side]) for i, (name, role, side) in enumerate(world.speakers)]
    n_sources, n_updates = (claims + 199) // 200, (claims + 4) // 5
    sources = [(s + 1, WORKSPACE, f"https://example.test/live/{s}", f"https://example.test/live/{s}",
                f"Live: {world.places[s % len(world.places)]} crisis, day {s % 90 + 1}", f"hash{s}", now, now, "bench")
               for s in range(n_sources)]  # fmt: skip
    updates = [(u + 1, WORKSPACE, u // 40 + 1, u % 40, f"u{u}", f"Update {u % 40}", now, f"h{u}", now)
               for u in range(n_updates)]  # fmt: skip
    return actors, speakers, sources, updates


def _claim_tuples(world: World, claims: int, sources: list[tuple]) -> Iterator[tuple]:
    for i, row in enumerate(rows(world, claims)):
        yield (i + 1, WORKSPACE, row.source + 1, row.update + 1, row.speaker + 1,
               SIDES.index(world.speakers[row.speaker][2]) + 1, row.text, row.text, sources[row.source][4], "indirect",
               "said", row.published_at, row.published_at)  # fmt: skip


CLAIM_COLUMNS = ("id, workspace, source_id, update_id, speaker_id, actor_id, text, sentence, title, kind, cue, "
                 "published_at, created_at")  # fmt: skip


def _load_sqlite(store: object, world: World, claims: int) -> None:
    from bot.store import Store

    assert isinstance(store, Store)
    actors, speakers, sources, updates = _header_rows(world, claims)
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        # a throwaway build: no fsync, a large page cache (the store's own settings apply again when it is reopened)
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany("INSERT INTO actors (id, workspace, name) VALUES (?, ?, ?)", actors)
        cur.executemany("INSERT INTO speakers (id, workspace, name, role, actor_id) VALUES (?, ?, ?, ?, ?)", speakers)
        cur.executemany("INSERT INTO sources (id, workspace, key, url, title, content_hash, published_at, "
                        "ingested_at, ingested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sources)  # fmt: skip
        cur.executemany("INSERT INTO updates (id, workspace, source_id, position, key, headline, time, text_hash, "
                        "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", updates)  # fmt: skip
        # the index triggers fill claim_fts row by row, as a real ingest does
        cur.executemany(f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                        _claim_tuples(world, claims, sources))  # fmt: skip
        cur.execute("COMMIT")
        cur.execute("INSERT INTO claim_fts(claim_fts) VALUES ('optimize')")  # one b-tree per term: faster queries
        cur.execute("ANALYZE")
    finally:
        raw.close()


def _load_postgres(store: object, world: World, claims: int) -> None:
    from bot.store import Store
    from bot.store.fulltext import POSTGRES_SHORT_INDEX

    assert isinstance(store, Store)
    actors, speakers, sources, updates = _header_rows(world, claims)
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        # the full-text indexes are built once after the load: much faster than row by row
        cur.execute("DROP INDEX IF EXISTS ix_claims_tsv")
        cur.execute("DROP INDEX IF EXISTS ix_claims_tsv_short")
        for table, columns, data in (
            ("actors", "id, workspace, name", actors),
            ("speakers", "id, workspace, name, role, actor_id", speakers),
            (
                "sources",
                "id, workspace, key, url, title, content_hash, published_at, ingested_at, ingested_by",
                sources,
            ),
            ("updates", "id, workspace, source_id, position, key, headline, time, text_hash, added_at", updates),
            ("claims", CLAIM_COLUMNS, _claim_tuples(world, claims, sources)),
        ):
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for record in data:
                    copy.write_row(record)
        for table in ("actors", "speakers", "sources", "updates", "claims"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("SET maintenance_work_mem = '256MB'")
        cur.execute("CREATE INDEX ix_claims_tsv ON claims USING gin (tsv)")
        cur.execute(POSTGRES_SHORT_INDEX)
        raw.commit()
        raw.dbapi_connection.autocommit = True  # type: ignore[union-attr]
        cur.execute("VACUUM ANALYZE")
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--force", action="store_true", help="build again even if the store exists")
    parser.add_argument("--sample", type=int, default=0, help="print this many generated claims and questions")
    args = parser.parse_args()
    if args.sample:
        world = make_world(args.claims)
        for row in rows(world, args.sample):
            print(world.speakers[row.speaker][0], "|", world.speakers[row.speaker][2], "|", row.text)
        print("\n".join(questions(world, args.sample)))
        return
    print(build(args.claims, args.backend, force=args.force))


if __name__ == "__main__":
    main()
