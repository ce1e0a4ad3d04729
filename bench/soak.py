"""Soak: feed generated bad input through `sitrep run` and count crashes.

Writes batches of files from `bench/malformed.py` (malformed headers and dates, every encoding,
binary, huge lines, CSV quoting, HTML, compressed junk) into a folder and runs the real
`sitrep run` command on it, in this process (typer's test runner; the spaCy pipeline is loaded
once and reused, nothing else is changed). A crash is any exception that escapes the command;
its folder is kept for replay. Every tenth run is repeated on the same folder and must store
nothing new (resumability). Prints inputs, files, runs, crashes and the skip codes met.

    .venv/bin/python bench/soak.py --inputs 100000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from functools import cache
from pathlib import Path

from typer.testing import CliRunner

from sitrep import nlp
from sitrep.cli import app
from sitrep.store import Store

sys.path.insert(0, str(Path(__file__).parents[1]))
from bench.malformed import inputs

nlp.load_pipeline = cache(nlp.load_pipeline)  # one model load for the whole soak


def write_batch(rng: random.Random, folder: Path, budget: int) -> tuple[int, int]:
    """Write files holding about `budget` inputs; (inputs, files) written."""
    folder.mkdir(parents=True)
    count = files = 0
    stream = inputs(rng)
    while count < budget:
        suffix, data, n = next(stream)
        sub = folder / f"d{files // 50}"
        sub.mkdir(exist_ok=True)
        (sub / f"f{files:05d}{suffix}").write_bytes(data)
        count += n
        files += 1
    return count, files


def sitrep_run(folder: Path, db: Path, max_bytes: int) -> BaseException | None:
    """One `sitrep run`; the exception that escaped it, or None."""
    args = ["run", str(folder), "--db", str(db), "-q", "--max-bytes", str(max_bytes)]
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not (
        isinstance(result.exception, SystemExit) and result.exception.code == 0
    ):
        return result.exception
    return None


def last_run(db: Path) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        return store.runs()[-1]


def soak(total: int, per_run: int, seed: int, workdir: Path, log=print) -> dict[str, object]:
    """Run until `total` inputs went through; the figures."""
    rng = random.Random(seed)
    figures: Counter[str] = Counter(dict.fromkeys(["inputs", "crashes", "rerun_stored_again"], 0))
    codes: Counter[str] = Counter()
    crashes: list[str] = []
    db = workdir / "soak.duckdb"
    started = time.perf_counter()
    while figures["inputs"] < total:
        run = figures["runs"]
        folder = workdir / f"batch{run:04d}"
        count, files = write_batch(rng, folder, min(per_run, total - figures["inputs"]))
        max_bytes = 2_000_000 if run % 5 == 4 else 65_536  # huge lines pass now and then
        figures["inputs"] += count
        figures["files"] += files
        figures["runs"] += 1
        error = sitrep_run(folder, db, max_bytes)
        if error is None and run % 10 == 0:
            again = sitrep_run(folder, db, max_bytes)
            figures["reruns"] += 1
            if again is None and last_run(db)["reports_stored"] != 0:
                figures["rerun_stored_again"] += 1
            error = error or again
        if error is not None:
            figures["crashes"] += 1
            text = "".join(traceback.format_exception(error))
            crashes.append(f"{folder}: {text}")
            log(f"CRASH in {folder}:\n{text}")
            (workdir / f"crash{run:04d}.txt").write_text(text, encoding="utf-8")
            if db.exists():
                db.rename(workdir / f"crash{run:04d}.duckdb")
            continue  # keep the folder for replay
        summary = last_run(db)
        for key in ("reports_stored", "reports_skipped", "reports_failed", "reports_duplicate"):
            figures[key] += int(summary[key] or 0)
        with Store(db, read_only=True) as store:
            for row in store.skipped_for_run(str(summary["run_id"])):
                codes[str(row["code"])] += 1
        shutil.rmtree(folder)
        if run % 20 == 19:
            db.unlink()  # a fresh database now and then keeps the duplicate checks cheap
        rate = figures["inputs"] / (time.perf_counter() - started)
        log(f"run {run}: {figures['inputs']} inputs, {figures['crashes']} crashes, {rate:.0f}/s")
    figures["seconds"] = round(time.perf_counter() - started)
    return {**figures, "skip_codes": dict(sorted(codes.items())), "crash_logs": crashes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs to feed in all")
    parser.add_argument("--per-run", type=int, default=2_000, help="inputs per `sitrep run`")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitrep-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    figures = soak(args.inputs, args.per_run, args.seed, workdir)
    for key, value in figures.items():
        if key != "crash_logs":
            print(f"{key}: {value}")
    sys.exit(1 if figures["crashes"] else 0)


if __name__ == "__main__":
    main()
