"""Register search speed: realistic counter queries on 150,000 and 1,000,000 residents.

Run: uv run python bench/bench_search.py [--sizes 150000,1000000] [--backends sqlite,postgresql]
     [--queries 300]
Builds a fictional register (counter.demo.generate_households) on SQLite (a file in a temp
dir) and PostgreSQL (a throwaway server from tests/pgserver.py, or the server at
COUNTER_BENCH_POSTGRES_URL: a database ``counter_bench_<size>`` is created there). The
database is migrated to 0002, loaded in bulk (executemany / COPY), then migrated to head, so
migration 0003 builds its search structures over existing data as it would in production;
then ANALYZE. Each kind gets ``--queries`` queries drawn from the register and typed the
way staff type (hiragana, half-width, prefixes while typing, 和暦), run through
``db.search.search_register``; prints p50/p95/max per kind and backend.
Targets (issue 4): p95 ≤ 5 ms at 150,000 on SQLite, ≤ 20 ms at 1,000,000 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import jaconv
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from counter.demo import generate_households  # noqa: E402
from counter.household import MEMBER_FLAGS, Household  # noqa: E402
from counter.textnorm import kana_search_key  # noqa: E402
from counter.wareki import era_year  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.search import search_register  # noqa: E402

ON = date(2026, 11, 1)
RESIDENTS_PER_HOUSEHOLD = 2.24  # the demo generator's average
HOUSEHOLD_COLUMNS = ("id", "municipality", "postal_code", "address")
RESIDENT_COLUMNS = (
    "id", "household_id", "name", "kana", "kana_key", "birth_date", "sex", "relation",
    "health_insurance", "nationality", *MEMBER_FLAGS,
)  # fmt: skip
KINDS = ("kana", "name", "birth_date", "address", "postal")


def register_rows(households: list[Household]) -> tuple[list[tuple], list[tuple]]:
    homes, people = [], []
    for h in households:
        homes.append((h.household_id, "312029", h.address.postal_code, h.address.text))
        for m in h.members:
            people.append(
                (
                    m.id, h.household_id, m.name, m.kana, kana_search_key(m.kana), m.birth_date,
                    m.sex, m.relation, m.health_insurance, m.nationality,
                    *(bool(getattr(m, flag)) for flag in MEMBER_FLAGS),
                )
            )  # fmt: skip
    return homes, people


def load(engine: Engine, homes: list[tuple], people: list[tuple]) -> None:
    upgrade(engine, "0002")
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            connection = raw.driver_connection
            with connection.cursor() as cursor:
                for table, columns, rows in (
                    ("household", HOUSEHOLD_COLUMNS, homes),
                    ("resident", RESIDENT_COLUMNS, people),
                ):
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            connection.commit()
        finally:
            raw.close()
    else:
        sqlite_people = [(*p[:5], p[5].isoformat(), *p[6:]) for p in people]
        with engine.begin() as connection:
            for table, columns, rows in (
                ("household", HOUSEHOLD_COLUMNS, homes),
                ("resident", RESIDENT_COLUMNS, sqlite_people),
            ):
                marks = ", ".join("?" * len(columns))
                connection.exec_driver_sql(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def typed_kana(kana: str, rng: random.Random) -> str:
    """As staff type it: hiragana, katakana or half-width katakana."""
    style = rng.random()
    if style < 0.5:
        return jaconv.kata2hira(kana)
    if style < 0.7:
        return jaconv.z2h(kana, kana=True, ascii=False, digit=False)
    return kana


def wareki(d: date, rng: random.Random) -> str:
    era, year = era_year(d)
    style = rng.random()
    if style < 0.4:
        letter = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}[era]
        return f"{letter}{year}.{d.month}.{d.day}"
    if style < 0.7:
        return f"{era}{year}年{d.month}月{d.day}日"
    if style < 0.85:
        return d.isoformat()
    return d.strftime("%Y%m%d")


def make_queries(households: list[Household], rng: random.Random, n: int) -> dict[str, list]:
    people = [(h, m) for h in households for m in h.members]
    queries: dict[str, list] = {kind: [] for kind in KINDS}
    for _ in range(n):
        h, m = rng.choice(people)
        surname_kana, _, given_kana = m.kana.partition("\u3000")
        surname, _, given = m.name.partition("\u3000")
        kana = rng.choice(
            [
                surname_kana[:1],  # the first key press
                surname_kana[:2],
                surname_kana[:3],
                surname_kana,
                f"{surname_kana}\u3000{given_kana[:1]}",
                f"{surname_kana} {given_kana}",
                given_kana,
                given_kana[:2],
                surname_kana[-1:] + given_kana[:2],
            ]
        )
        queries["kana"].append((typed_kana(kana, rng) or "ア", "kana"))
        name = rng.choice(
            [surname[:1], surname, m.name, surname + given, given, surname[-1:] + given[:1]]
        )
        queries["name"].append((name, "name"))
        queries["birth_date"].append((wareki(m.birth_date, rng), None))
        town = h.address.text.removeprefix("鳥取県米子市")
        part = rng.choice([town[: rng.randint(3, 6)], town, h.address.text])
        queries["address"].append((part, "address"))
        code = h.address.postal_code
        postal = rng.choice([f"{code[:3]}-{code[3:]}", code, code[:5], code[:6]])
        queries["postal"].append((postal, None))
    return queries


def run(engine: Engine, queries: dict[str, list]) -> dict[str, tuple[float, float, float, float]]:
    results = {}
    for kind, batch in queries.items():
        for query, k in batch[:20]:  # warm the caches and the pool
            search_register(engine, query, kind=k)
        timings, hits = [], 0
        for query, k in batch:
            started = time.perf_counter()
            page = search_register(engine, query, kind=k)
            timings.append((time.perf_counter() - started) * 1000)
            hits += len(page.hits)
        cuts = statistics.quantiles(timings, n=100)
        results[kind] = (cuts[49], cuts[94], max(timings), hits / len(batch))
    return results


def postgres_engine(size: int, server_url: str) -> Engine:
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"counter_bench_{size}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return make_engine(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    server = None
    server_url = os.environ.get("COUNTER_BENCH_POSTGRES_URL")
    if "postgresql" in backends and not server_url:
        from pgserver import ThrowawayPostgres

        server = ThrowawayPostgres()
        server_url = server.start()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as directory:
            for size in sizes:
                started = time.perf_counter()
                households = generate_households(
                    round(size / RESIDENTS_PER_HOUSEHOLD), seed=5, on=ON
                )
                homes, people = register_rows(households)
                residents = len(people)
                print(
                    f"{residents:,} residents in {len(homes):,} households generated "
                    f"in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                queries = make_queries(households, random.Random(size), args.queries)
                del households
                for backend in backends:
                    if backend == "sqlite":
                        engine = make_engine(f"sqlite:///{directory}/bench-{size}.sqlite3")
                    else:
                        assert server_url is not None
                        engine = postgres_engine(size, server_url)
                    started = time.perf_counter()
                    load(engine, homes, people)
                    print(
                        f"  {backend}: loaded, migrated in {time.perf_counter() - started:.1f} s",
                        flush=True,
                    )
                    for kind, (p50, p95, worst, hits) in run(engine, queries).items():
                        row = (backend, residents, kind, p50, p95, worst, hits)
                        rows.append(row)
                        print(
                            f"  {backend:10} {kind:10} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
                            f"max {worst:7.2f} ms  ({hits:.1f} hits per query)",
                            flush=True,
                        )
                    engine.dispose()
                    if backend == "sqlite":
                        Path(f"{directory}/bench-{size}.sqlite3").unlink()
                del homes, people
    finally:
        if server is not None:
            server.stop()
    print("\n| backend | residents | kind | p50 ms | p95 ms | max ms |")
    print("|---|---:|---|---:|---:|---:|")
    for backend, residents, kind, p50, p95, worst, _ in rows:
        print(f"| {backend} | {residents:,} | {kind} | {p50:.2f} | {p95:.2f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
