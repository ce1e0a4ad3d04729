"""Kill test: SIGKILL `sitrep run` at random moments, run it again, check nothing is lost.

Builds a corpus (the demo reports, generated JSON lines, a few bad inputs), codes it once
uninterrupted as the reference, then starts `sitrep run` on a second database again and again,
killing it with SIGKILL at a random moment each time, until a run gets to the end. Then checks:
the database opens cleanly (read-write and read-only, checkpoint), every report of the
reference is stored exactly once, no event is lost or doubled (every events, actors and evidence
row compared), and one more run stores nothing (a re-run skips what is done).

    .venv/bin/python bench/kill_test.py --kills 30 --reports 600
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parents[1]))
from bench.malformed import SENTENCES

PLACES = ["Gao", "Kidal", "Mopti", "Kabul", "Herat", "Maiduguri", "Goma", "Beni", "Aden", "Idlib"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_corpus(folder: Path, reports: int, seed: int = 1, demo: bool = True) -> Path:
    """The demo reports, `reports` generated JSON lines (distinct texts) and some bad input."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    if demo:
        bundled = Path(str(resources.files("sitrep").joinpath("data", "demo")))
        shutil.copytree(bundled, folder / "demo", dirs_exist_ok=True)
    lines = []
    for n in range(reports):
        place, day = rng.choice(PLACES), rng.choice(DAYS)
        body = " ".join(rng.sample(SENTENCES, 2))
        text = f"Report {n} from {place}: on {day}, {body}"
        lines.append(json.dumps({"id": f"gen-{n}", "text": text, "date": f"2023-04-0{n % 9 + 1}"}))
        if n % 50 == 7:
            lines.append('{"text": "broken')  # a bad line every so often
    (folder / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "junk.txt").write_bytes(b"\x00\x01binary" * 10)
    return folder


def run_command(corpus: Path, db: Path, batch_size: int) -> list[str]:
    return [
        sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--db", str(db), "-q",
        "--batch-size", str(batch_size),
    ]  # fmt: skip


def timed_run(corpus: Path, db: Path, batch_size: int) -> float:
    """One uninterrupted run; its seconds."""
    started = time.perf_counter()
    subprocess.run(run_command(corpus, db, batch_size), check=True, capture_output=True)
    return time.perf_counter() - started


def run_with_kills(
    corpus: Path, db: Path, batch_size: int, kills: int, window: tuple[float, float], seed: int
) -> dict[str, int]:
    """Start runs and SIGKILL each at a random moment in `window` seconds, `kills` times (or until
    a run finishes first), then one run to the end. Counts kills and runs."""
    rng = random.Random(seed)
    done = {"kills": 0, "runs": 0, "finished_before_kill": 0}
    while done["kills"] < kills:
        process = subprocess.Popen(
            run_command(corpus, db, batch_size), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        done["runs"] += 1
        try:
            process.wait(timeout=rng.uniform(*window))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            done["kills"] += 1
            continue
        stderr = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise RuntimeError(f"sitrep run failed after a kill:\n{stderr}")
        done["finished_before_kill"] += 1
        break  # the corpus is done: later kills would only hit runs with nothing to do
    subprocess.run(run_command(corpus, db, batch_size), check=True, capture_output=True)
    done["runs"] += 1
    return done


ROWS = {
    "reports": "SELECT report_id, text, title, published, source_path, source_line FROM reports",
    "events": "SELECT * EXCLUDE (run_id) FROM events",
    "actors": "SELECT * FROM actors",
    "evidence": "SELECT * FROM evidence",
}


def compare(reference: Path, db: Path, corpus: Path, batch_size: int) -> dict[str, int]:
    """Reports lost and doubled, events lost, doubled and extra, and whether a re-run adds."""
    figures: dict[str, int] = {}
    con = duckdb.connect(str(db))  # read-write: replays the WAL a killed run left
    con.execute("CHECKPOINT")
    con.close()
    ref = duckdb.connect(str(reference), read_only=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("SELECT report_id, count(*) FROM reports GROUP BY 1").fetchall()
        ref_ids = {row[0] for row in ref.execute("SELECT report_id FROM reports").fetchall()}
        figures["reports_reference"] = len(ref_ids)
        figures["reports_stored"] = len(stored)
        figures["reports_lost"] = len(ref_ids - {row[0] for row in stored})
        figures["reports_doubled"] = sum(1 for _, n in stored if n > 1)
        for table, sql in ROWS.items():
            want = _multiset(ref.execute(sql).fetchall())
            got = _multiset(con.execute(sql).fetchall())
            figures[f"{table}_lost"] = sum(max(n - got.get(row, 0), 0) for row, n in want.items())
            figures[f"{table}_doubled"] = sum(max(n - 1, 0) for n in got.values())
            figures[f"{table}_extra"] = sum(1 for row in got if row not in want)
        figures["events_reference"] = ref.execute("SELECT count(*) FROM events").fetchone()[0]
        figures["unfinished_runs"] = con.execute(
            "SELECT count(*) FROM runs WHERE finished_at IS NULL"
        ).fetchone()[0]
    finally:
        ref.close()
        con.close()
    subprocess.run(run_command(corpus, db, batch_size), check=True, capture_output=True)
    with duckdb.connect(str(db), read_only=True) as con:
        last = con.execute(
            "SELECT reports_stored, events_stored FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    figures["rerun_reports_stored"], figures["rerun_events_stored"] = last
    return figures


def _multiset(rows: list[tuple[object, ...]]) -> dict[tuple[object, ...], int]:
    counted: dict[tuple[object, ...], int] = {}
    for row in rows:
        key = tuple(json.dumps(v, default=str) if isinstance(v, list | dict) else v for v in row)
        counted[key] = counted.get(key, 0) + 1
    return counted


def failures(figures: dict[str, int]) -> list[str]:
    """The checks that failed."""
    keys = [k for k in figures if k.endswith(("_lost", "_doubled", "_extra"))]
    bad = [f"{k}={figures[k]}" for k in keys if figures[k]]
    bad += [f"{k}={figures[k]}" for k in ("rerun_reports_stored",) if figures[k]]
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--reports", type=int, default=600, help="generated reports")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitrep-kill-"))
    corpus = make_corpus(workdir / "corpus", args.reports, args.seed)
    reference = workdir / "reference.duckdb"
    reference.unlink(missing_ok=True)
    empty = workdir / "empty"
    empty.mkdir(exist_ok=True)
    startup = timed_run(empty, workdir / "empty.duckdb", args.batch_size)
    seconds = timed_run(corpus, reference, args.batch_size)
    print(f"start-up (model load): {startup:.1f} s, uninterrupted run: {seconds:.1f} s")
    # Rounds: each codes the corpus into a new database through killed runs until one gets to
    # the end, and is checked; rounds go on until enough kills were made.
    window = (startup * 0.8, seconds)
    totals: dict[str, int] = {}
    round_ = 0
    while totals.get("kills", 0) < args.kills:
        db = workdir / f"killed{round_}.duckdb"
        db.unlink(missing_ok=True)
        left = args.kills - totals.get("kills", 0)
        done = run_with_kills(corpus, db, args.batch_size, left, window, args.seed + round_)
        figures = {**done, **compare(reference, db, corpus, args.batch_size)}
        print(f"round {round_}: {figures}", flush=True)
        for key, value in figures.items():
            totals[key] = totals.get(key, 0) + value
        round_ += 1
    totals["rounds"] = round_
    for key, value in totals.items():
        print(f"{key}: {value}")
    bad = failures(totals)
    print("FAILED: " + ", ".join(bad) if bad else "all checks passed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
