"""Memory of `sitrep run` on a big JSONL file: it must stream, not load.

Generates a JSON-lines file of the size asked for in /tmp (4 KB reports, most of them repeats of
five with the same id so that the run stays short: every line is still read, decoded, parsed,
language-checked and looked up in the database; one line in 1,000 is a new short report that is
parsed and coded; one in 100 is broken JSON; now and then a line over the size limit), runs
`sitrep run` on it as a subprocess, and prints the peak resident memory of that process
(`ru_maxrss` of that child, from `os.wait4`) next to a run on the first 10% of the file, so that
memory that grows with the input shows as a difference.

    .venv/bin/python bench/big_jsonl.py --megabytes 1024
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from bench.malformed import SENTENCES


def generate(path: Path, megabytes: int, seed: int = 5) -> dict[str, int]:
    """Write the file; counts of each kind of line."""
    rng = random.Random(seed)
    prototypes = []
    for k in range(5):
        body = " ".join(rng.choice(SENTENCES) for _ in range(50))[:4000]
        prototypes.append(json.dumps({"id": f"repeat-{k}", "text": f"Report {k}. {body}"}))
    counts = {"lines": 0, "repeats": 0, "new": 0, "broken": 0, "oversized": 0}
    limit = megabytes * 1_000_000
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < limit:
            n = counts["lines"]
            if n % 1000 == 999:
                place = rng.choice(["Gao", "Kabul", "Goma", "Aden", "Idlib", "Maiduguri"])
                text = f"On day {n}, in {place}: {rng.choice(SENTENCES)}"
                line, kind = json.dumps({"id": f"new-{n}", "text": text}), "new"
            elif n % 100 == 12:
                line, kind = '{"id": "broken", "text": "cut off', "broken"
            elif n % 40_000 == 3_001:
                line, kind = json.dumps({"text": "x " * 1_500_000}), "oversized"
            else:
                line, kind = rng.choice(prototypes), "repeats"
            out.write(line + "\n")
            written += len(line) + 1
            counts["lines"] += 1
            counts[kind] += 1
    counts["bytes"] = path.stat().st_size
    return counts


def head(path: Path, share: float, out: Path) -> Path:
    """The first `share` of the file's lines, as another file."""
    size = path.stat().st_size * share
    with path.open("rb") as src, out.open("wb") as dst:
        for line in src:
            dst.write(line)
            if dst.tell() >= size:
                break
    return out


def measured_run(path: Path, db: Path) -> dict[str, float]:
    """`sitrep run` on one file; its seconds and peak RSS in MB (Linux: ru_maxrss is in KB),
    of that child alone (os.wait4)."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "sitrep.cli", "run", str(path), "--db", str(db), "-q"]
    command += ["--batch-size", "16"]  # full batches in both runs: parse memory is the same
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"sitrep run exited with {process.returncode}")
    peak = usage.ru_maxrss
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT reports_read, reports_stored, reports_duplicate, reports_skipped, "
            "reports_failed, events_stored FROM runs"
        ).fetchone()
    names = ["read", "stored", "duplicate", "skipped", "failed", "events"]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(peak / 1024),
        **dict(zip(names, row, strict=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1024)
    parser.add_argument("--path", type=Path, default=Path("/tmp/sitrep-big.jsonl"))
    parser.add_argument("--small-only", action="store_true", help="only the 10% run")
    parser.add_argument("--big-only", action="store_true", help="only the whole-file run")
    args = parser.parse_args()
    if not args.path.exists() or args.path.stat().st_size < args.megabytes * 1_000_000:
        print("generated:", generate(args.path, args.megabytes))
    if not args.big_only:
        small = head(args.path, 0.1, args.path.with_suffix(".head.jsonl"))
        print("10% of the file:", measured_run(small, Path("/tmp/sitrep-big-head.duckdb")))
    if not args.small_only:
        print("whole file:", measured_run(args.path, Path("/tmp/sitrep-big.duckdb")))


if __name__ == "__main__":
    main()
