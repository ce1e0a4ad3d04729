"""What sitrep costs on top of the spaCy parse that bounds it, stage by stage.

Runs, in one process and on the same texts: (a) bare `nlp.pipe` of the stock English pipeline;
(b) `nlp.pipe` of sitrep's pipeline (the model plus sitrep's three components); (c) sitrep's
analysis of the parsed documents, with the time of each stage (actors' context, places, dates,
counts, the rest of event coding) measured by wrapping the stage's entry functions. Prints rates
and every cost as a ratio to the bare parse; no figure here is a timed test.

    .venv/bin/python bench/speed.py --repeat 10
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import spacy

from sitrep import actors, control, counts, events, geo, ingest, merge, nlp, quotes, temporal
from sitrep.models import Report, ReportResult
from sitrep.store import MEMORY, Store

STAGES: dict[str, list[tuple[Any, str]]] = {
    "actors (report context)": [(actors, "build_context")],
    "geo (places, gazetteer)": [(geo, "places_in"), (geo, "event_location")],
    "time (timexes, event dates)": [(temporal, "report_timexes"), (temporal, "event_date")],
    "counts": [(counts, "counts_in")],
    "quotes (speakers, claims)": [(quotes, "extract_quotes")],
    "control (changes of hands)": [(control, "changes")],
}


def demo_reports(repeat: int) -> list[Report]:
    """The bundled demo corpus, repeated to a measurable size."""
    folder = Path(str(resources.files("sitrep").joinpath("data", "demo")))
    reports = [r for r in ingest.iter_inputs([folder]) if isinstance(r, Report)]
    return reports * repeat


def timed(function: Callable[..., Any], spent: dict[str, float], stage: str) -> Callable[..., Any]:
    """The function, adding the time of each call to its stage."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - start

    return wrapper


def instrument(spent: dict[str, float]) -> None:
    """Wrap every stage's entry functions (this process only)."""
    for stage, targets in STAGES.items():
        for module, name in targets:
            setattr(module, name, timed(getattr(module, name), spent, stage))


def parse_time(language: Any, texts: list[str]) -> float:
    """Seconds to parse every text once."""
    start = time.perf_counter()
    for _ in language.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="copies of the demo corpus")
    args = parser.parse_args()
    reports = demo_reports(args.repeat)
    texts = [r.text for r in reports]
    size = sum(len(t.encode("utf-8")) for t in texts)

    bare = spacy.load(nlp.DEFAULT_MODEL)
    full = nlp.load_pipeline()
    for warm in (bare, full):  # first batches allocate; keep them out of the timing
        list(warm.pipe(texts[:32], batch_size=32))
    geo.dateline_country("Kabul")  # load the gazetteer and city tables before timing
    bare_seconds = min(parse_time(bare, texts) for _ in range(2))
    parse_seconds = parse_time(full, texts)
    docs = list(full.pipe(texts, batch_size=64))

    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    start = time.perf_counter()
    coded = 0
    results = []
    for number, (doc, report) in enumerate(zip(docs, reports, strict=True)):
        ctx = actors.build_context(doc, geo.dateline_country(report.dateline))
        found = events.extract_events(doc, report, ctx)
        said = quotes.extract_quotes(doc, report, ctx, found)
        moved = control.changes(doc, found, ctx)
        coded += len(found)
        copy = Report(**{**report.__dict__, "report_id": f"{report.report_id}-{number}"})
        for event in found:
            event.report_id = copy.report_id
            event.event_id = f"{event.event_id}-{number}"
        results.append(ReportResult(copy, found, "en"))  # quotes and control: not merged
        del said, moved
    analysis_seconds = time.perf_counter() - start
    spent["events (triggers, roles, rules)"] = analysis_seconds - sum(spent.values())
    merge_seconds = merge_time(results)

    total = parse_seconds + analysis_seconds
    print(f"reports: {len(reports)} ({size / 1e6:.2f} MB), events coded: {coded}")
    print(f"bare spaCy parse       : {len(reports) / bare_seconds:8.1f} reports/s")
    print(f"sitrep end to end      : {len(reports) / total:8.1f} reports/s")
    print(f"ratio bare/sitrep      : {bare_seconds / total:.2f} (1.0 = no cost over the parse)")
    print("cost of each part, as a share of the bare parse time:")
    print(f"  parse with sitrep's components : {parse_seconds / bare_seconds:.2f}")
    for stage, seconds in spent.items():
        print(f"  {stage:31}: {seconds / bare_seconds:.2f}")
    print(f"  {'merge (store, after a run)':31}: {merge_seconds / bare_seconds:.2f}")


def merge_time(results: list[ReportResult]) -> float:
    """Seconds to merge every report's events across reports in a database in memory (each
    copy of the corpus repeats every event, so this is the worst case of many duplicates)."""
    with Store(MEMORY) as store:
        store.add_results(results, "bench")
        start = time.perf_counter()
        merge.update(store, [r.report.report_id for r in results])
        return time.perf_counter() - start


if __name__ == "__main__":
    main()
