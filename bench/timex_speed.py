"""How fast the temporal-expression tagger runs on one core, on the gold news corpora.

Tags every document of the TimeML corpora in ../shared/eval/timex (plain text, no spaCy), several
times over, in this one process, and prints documents per second for each corpus and overall: per
second of wall-clock time, and per second of this process's CPU time (which other jobs on a shared
machine disturb much less).

    .venv/bin/python bench/timex_speed.py --repeat 5
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sitrep.evaluate import read_timex_docs
from sitrep.temporal import parse_dct, tag

CORPORA = Path(__file__).parents[1] / ".." / "shared" / "eval" / "timex"
NAMES = ("te3_timebank.jsonl", "te3_aquaint.jsonl", "meantime_en.jsonl")


def rate(folder: Path, name: str, repeat: int) -> tuple[int, int, float, float]:
    """Documents, characters, wall-clock seconds and CPU seconds to tag one corpus `repeat`
    times."""
    docs = [(d.text, parse_dct(d.dct)) for d in read_timex_docs(folder / name)]
    tag(*docs[0])  # compile the rules before timing
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for text, dct in docs:
            tag(text, dct)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return len(docs) * repeat, sum(len(t) for t, _ in docs) * repeat, seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over each corpus")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder of the JSONL files")
    args = parser.parse_args()
    total_docs, total_seconds, total_cpu = 0, 0.0, 0.0
    for name in NAMES:
        if not (args.corpora / name).exists():
            print(f"{name}: not found in {args.corpora}, skipped")
            continue
        docs, chars, seconds, cpu = rate(args.corpora, name, args.repeat)
        total_docs, total_seconds, total_cpu = (
            total_docs + docs,
            total_seconds + seconds,
            total_cpu + cpu,
        )
        print(
            f"{name:20} {docs / seconds:8.1f} documents/s, {docs / cpu:8.1f} per CPU second "
            f"({chars / docs:,.0f} characters a document)"
        )
    if total_seconds:
        print(
            f"{'all':20} {total_docs / total_seconds:8.1f} documents/s on one core, "
            f"{total_docs / total_cpu:8.1f} per CPU second"
        )


if __name__ == "__main__":
    main()
