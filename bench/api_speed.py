"""How fast `GET /events` answers on a large database: a bbox and a month's range, p95.

    .venv/bin/python bench/api_speed.py [--events 1000000] [--db /tmp/sitrep-bench.duckdb]

The synthetic database is made by DuckDB SQL alone (not the pipeline): `--events` events spread
over five years and a box from West Africa to Afghanistan, each with two actors and two evidence
rows, in the schema `sitrep.store.Store` creates (with its indexes). It is built once and
reused while its event count matches. Requests go through FastAPI's TestClient, so the figure
includes routing, the queries, building the records and JSON encoding, not the network.
Wall time depends on what else the machine runs, so the process's CPU time per request and the
load average are printed beside it.
The goal (issue 7) is a p95 of 50 ms or less for 1,000,000 events.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from sitrep.api import ServeOptions, create_app
from sitrep.store import Store

# Events fall in this box (min_lon, min_lat, max_lon, max_lat) and these years.
AREA = (-18.0, -12.0, 72.0, 40.0)
FIRST_DAY = date(2019, 1, 1)
DAYS = 5 * 365
BOX_DEGREES = 10.0


def build(path: Path, events: int, order: str) -> None:
    """A database of `events` synthetic events (with actors and evidence), by SQL alone.

    `chronological`: stored in the order their reports were published (as `sitrep run` on a
    news feed stores them), each event dated 0–6 days before its report. `random`: dates drawn
    at random over the five years whatever the storage order (a worst case: every month's
    events spread over the whole file).
    """
    if order == "chronological":
        date_sql = (f"DATE '{FIRST_DAY}' + (i * {DAYS} // {events})::INTEGER "
                    "- floor(random() * 7)::INTEGER")  # fmt: skip
    else:
        date_sql = f"DATE '{FIRST_DAY}' + floor(random() * {DAYS})::INTEGER"
    path.unlink(missing_ok=True)
    Store(path).close()  # the real schema and indexes
    min_lon, min_lat, max_lon, max_lat = AREA
    con = duckdb.connect(str(path))
    con.execute("SELECT setseed(0.42)")
    con.execute(
        f"""
        INSERT INTO reports
        SELECT 'r' || lpad(i::VARCHAR, 9, '0'), 'Synthetic report ' || i,
               DATE '{FIRST_DAY}' + (i * 4 * {DAYS} // {events})::INTEGER, ['Bench'],
               'NOWHERE', NULL,
               'bench', NULL, 'text', 'en',
               'Fighters attacked the town on Monday, killing several people.', '{{}}',
               'bench', now()::TIMESTAMP
        FROM range({events // 4}) t(i)
        """
    )
    con.execute(
        f"""
        INSERT INTO events
        SELECT 'e' || lpad(i::VARCHAR, 12, '0'),
               'r' || lpad((i // 4)::VARCHAR, 9, '0'),
               ['ASSAULT', 'FIGHT', 'PROTEST', 'COERCE', 'RETREAT'][1 + (i % 5)::INTEGER],
               'asserted', '19', 'Battles', 'Armed clash', 'attacked', 9, 17,
               'Place ' || (i % 5000), 100000 + i % 5000,
               {min_lat} + random() * {max_lat - min_lat},
               {min_lon} + random() * {max_lon - min_lon},
               'Region', NULL, ['AFG', 'MLI', 'NGA', 'SDN', 'SYR'][1 + (i % 5)::INTEGER], 1,
               27, 31,
               {date_sql}, 'day', 32, 38,
               (random() * 20)::INTEGER, NULL, NULL, 0.8, 'bench'
        FROM range({events}) t(i)
        """
    )
    con.execute(
        """
        INSERT INTO actors
        SELECT event_id, 'actor1', 'Fighters', 'Armed group ' || (hash(event_id) % 200),
               country_code, 'REB', 0, 8 FROM events
        UNION ALL
        SELECT event_id, 'actor2', 'people', 'Civilians', country_code, 'CVL', 50, 56
        FROM events
        """
    )
    con.execute(
        """
        INSERT INTO evidence
        SELECT event_id, 0, 'trigger', 'Fighters attacked the town on Monday.', 9, 17
        FROM events
        UNION ALL
        SELECT event_id, 1, 'location', 'Fighters attacked the town on Monday.', 27, 31
        FROM events
        """
    )
    con.execute("INSERT INTO meta VALUES ('bench_order', ?)", [order])
    con.execute("CHECKPOINT")
    con.close()


def queries(count: int, seed: int = 7) -> list[dict[str, str]]:
    """`count` requests: a random 10°×10° box inside the area and a random calendar month."""
    rng = random.Random(seed)
    min_lon, min_lat, max_lon, max_lat = AREA
    out = []
    for _ in range(count):
        lon = rng.uniform(min_lon, max_lon - BOX_DEGREES)
        lat = rng.uniform(min_lat, max_lat - BOX_DEGREES)
        month = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 31))
        first = month.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        out.append({
            "bbox": f"{lon:.3f},{lat:.3f},{lon + BOX_DEGREES:.3f},{lat + BOX_DEGREES:.3f}",
            "since": first.isoformat(), "until": last.isoformat(), "limit": "100",
        })  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/sitrep-bench.duckdb"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--order", choices=("chronological", "random"), default="chronological",
                        help="storage order of the synthetic events (see build)")
    args = parser.parse_args()

    stored, built_as = 0, None
    if args.db.exists():
        with Store(args.db, read_only=True) as store:
            stored = store.stats()["events"]
            rows = store.query("SELECT value FROM meta WHERE key = 'bench_order'")
            built_as = rows[0]["value"] if rows else None
    if stored != args.events or built_as != args.order:
        started = time.perf_counter()
        build(args.db, args.events, args.order)
        print(f"built {args.events} events in {time.perf_counter() - started:.1f} s: {args.db}")

    from fastapi.testclient import TestClient

    with TestClient(create_app(ServeOptions(args.db))) as client:
        for params in queries(20, seed=1):  # warm the caches
            client.get("/events", params=params)
        times, cpu, returned = [], [], []
        load_before = os.getloadavg()[0]
        for params in queries(args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/events", params=params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, response.text
            returned.append(len(response.json()["events"]))
        baseline = []
        for _ in range(50):  # the cost of the framework alone, for scale
            started = time.perf_counter()
            client.get("/quotes")
            baseline.append((time.perf_counter() - started) * 1000)
    load = (load_before + os.getloadavg()[0]) / 2
    times.sort()
    cpu.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    cpu_p95 = cpu[int(0.95 * (len(cpu) - 1))]
    print(f"GET /events, bbox {BOX_DEGREES:.0f}° and one month, limit 100, "
          f"{args.requests} requests on {args.events} events, {args.order} order")  # fmt: skip
    print(f"  events per answer: median {statistics.median(returned):.0f}")
    print(f"  ms: median {statistics.median(times):.1f}  p95 {p95:.1f}  max {times[-1]:.1f}")
    print(f"  CPU ms of this process per request: median {statistics.median(cpu):.1f}  "
          f"p95 {cpu_p95:.1f} (what the wall time comes to on an idle machine)")
    print(f"  framework alone (GET /quotes, no table): median {statistics.median(baseline):.1f}")
    print(f"  machine load average during the run: {load:.1f} on {os.cpu_count()} cores")
    print(f"  p95 / goal of 50 ms: {p95 / 50:.2f}")


if __name__ == "__main__":
    main()
