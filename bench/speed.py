"""How much sitrep's event coding costs on top of the spaCy parse that bounds it.

Runs, in one process and on the same texts: (a) bare `nlp.pipe` of the stock English pipeline,
(b) the full sitrep analysis (sitrep's components, events, actors, places, counts). Prints both
rates and their ratio; a ratio near 1 means sitrep adds little to the parse.

    .venv/bin/python bench/speed.py --repeat 20
"""

from __future__ import annotations

import argparse
import time
from importlib import resources
from pathlib import Path

import spacy

from sitrep import ingest, nlp, pipeline
from sitrep.models import Report


def demo_reports(repeat: int) -> list[Report]:
    """The bundled demo corpus, repeated to a measurable size."""
    folder = Path(str(resources.files("sitrep").joinpath("data", "demo")))
    reports = [r for r in ingest.iter_inputs([folder]) if isinstance(r, Report)]
    return reports * repeat


def rate(count: int, seconds: float) -> float:
    """Reports per second."""
    return count / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="copies of the demo corpus")
    args = parser.parse_args()
    reports = demo_reports(args.repeat)
    texts = [r.text for r in reports]
    size = sum(len(t.encode("utf-8")) for t in texts)

    bare = spacy.load(nlp.DEFAULT_MODEL)
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64):
        pass
    bare_seconds = time.perf_counter() - start

    full = nlp.load_pipeline()
    start = time.perf_counter()
    events = 0
    for result in pipeline.analyse_reports(full, reports, pipeline.RunOptions()):
        events += len(getattr(result, "events", []))
    full_seconds = time.perf_counter() - start

    print(f"reports: {len(reports)} ({size / 1e6:.2f} MB), events coded: {events}")
    print(f"bare spaCy parse : {rate(len(reports), bare_seconds):8.1f} reports/s")
    print(f"sitrep analysis  : {rate(len(reports), full_seconds):8.1f} reports/s")
    print(f"ratio sitrep/bare: {bare_seconds / full_seconds:.2f} (1.0 = no cost over the parse)")


if __name__ == "__main__":
    main()
