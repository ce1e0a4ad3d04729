"""What the whole pipeline costs against the spaCy parse, stage by stage, and how it scales.

Every figure is a ratio of two runs made in this one invocation, on the same reports (taken
from a corpus made by bench/make_corpus.py). Three parts, run in this order when named:

- `ratio` (always run with `stages`): bare `nlp.pipe` of the stock English pipeline on the
  texts, against `pipeline.run` end to end on the same reports (ingest, the one parse with
  sitrep's components, analysis, DuckDB store), alternated twice, best of each. Goal: bare /
  sitrep >= 0.7. Models, gazetteer and rule tables are loaded (one warm-up run) before timing.
- `stages`: the same run again with every stage's exclusive time measured (a stage's time
  excludes the stages it calls), as a share of the bare parse: ingest, parse, actors, events,
  geo, time, counts, quotes, merge, store. quotes and merge are measured when their modules
  exist in this build. Also checks the hot path: one model load, no second parse, the gazetteer
  loaded once, batched writes.
- `workers`: reports per second of the local engine (1 and 2 processes), of Ray with 1 worker and
  with 2 workers (one local Ray instance, started once), each worker's peak memory, and the
  ratio of Ray 2 workers to 1 worker (goal >= 1.7), both end to end and in the steady state
  (from the first batch coded to the last, leaving out Ray's and the actors' start-up).

    .venv/bin/python bench/make_corpus.py --reports 100000 --shards 16 --out /tmp/corpus100k
    .venv/bin/python bench/scale.py --corpus /tmp/corpus100k --mb 2 ratio stages
    .venv/bin/python bench/scale.py --corpus /tmp/corpus100k --reports 20000 workers
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from sitrep import gazetteer, geo, ingest, nlp, pipeline
from sitrep.models import Report
from sitrep.store import Store

# Stage -> (module, function names); None: every function defined in the module.
STAGES: dict[str, list[tuple[str, list[str] | None]]] = {
    "ingest": [("sitrep.ingest", ["iter_inputs"])],
    "parse": [("sitrep.pipeline", ["analyse_reports"])],
    "events": [("sitrep.pipeline", ["analyse_doc"])],
    "actors": [("sitrep.actors", ["build_context"])],
    "geo": [("sitrep.geo", ["places_in", "event_location", "dateline_country"])],
    "time": [("sitrep.temporal", ["report_timexes", "event_date"])],
    "counts": [("sitrep.counts", ["counts_in"])],
    "quotes": [("sitrep.quotes", None)],
    "merge": [("sitrep.merge", None)],
}
# Generator functions: their time is what each step of the iteration takes.
ITERATED = {"iter_inputs", "analyse_reports"}
STORE_METHODS = ["add_results", "replace_results", "known_report_ids", "add_skipped",
                 "start_run", "finish_run", "merge_parquet"]  # fmt: skip


class Clock:
    """Exclusive time per stage: a call's time minus the time of the stages it calls."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.stack: list[list[Any]] = []

    def enter(self, stage: str) -> None:
        self.stack.append([stage, time.perf_counter(), 0.0])

    def leave(self) -> None:
        stage, start, inner = self.stack.pop()
        elapsed = time.perf_counter() - start
        self.spent[stage] += elapsed - inner
        if self.stack:
            self.stack[-1][2] += elapsed

    def wrap(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        # Counted by module and name: merge.load and spacy.load are different functions.
        key = f"{function.__module__}.{function.__qualname__}"

        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls[function.__qualname__] += 1
            self.calls[key] += 1
            self.enter(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def wrap_iter(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            self.calls[function.__qualname__] += 1
            self.enter(stage)
            try:
                iterator = iter(function(*args, **kwargs))
            finally:
                self.leave()
            while True:
                self.enter(stage)
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.leave()
                yield item

        return timed


def instrument(clock: Clock) -> dict[str, bool]:
    """Wrap every stage's functions (this process only); which optional stages exist."""
    present: dict[str, bool] = {}
    for stage, targets in STAGES.items():
        present[stage] = False
        for module_name, names in targets:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            present[stage] = True
            chosen = names or [
                name
                for name, value in vars(module).items()
                if inspect.isfunction(value) and value.__module__ == module.__name__
            ]
            for name in chosen:
                original = getattr(module, name)
                wrap = clock.wrap_iter if name in ITERATED else clock.wrap
                setattr(module, name, wrap(original, stage))
    for method in STORE_METHODS:
        if hasattr(Store, method):
            setattr(Store, method, clock.wrap(getattr(Store, method), "store"))
    present["store"] = True
    return present


def hot_path_counters(clock: Clock) -> None:
    """Count model loads, parses outside `nlp.pipe`, and gazetteer loads."""
    Language.__call__ = clock.wrap(Language.__call__, "parse")  # type: ignore[method-assign]
    spacy.load = clock.wrap(spacy.load, "parse")
    gazetteer.load_index = clock.wrap(gazetteer.load_index, "geo")


def sample(corpus: Path, *, mb: float | None, reports: int | None, out: Path) -> list[Report]:
    """The first reports of the corpus up to `mb` MB of text or `reports` reports, written to
    one JSONL file so that every run reads the very same input."""
    chosen: list[Report] = []
    size = 0
    for item in ingest.iter_inputs([corpus]):
        if not isinstance(item, Report):
            continue
        chosen.append(item)
        size += len(item.text.encode("utf-8"))
        if (mb and size >= mb * 1e6) or (reports and len(chosen) >= reports):
            break
    with out.open("w", encoding="utf-8") as fh:
        for r in chosen:
            record = {"id": r.report_id, "title": r.title, "text": r.text,
                      "date": r.published.isoformat() if r.published else None,
                      "source": list(r.agencies), **r.extra}  # fmt: skip
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [r for r in ingest.iter_inputs([out]) if isinstance(r, Report)]


def bare_parse(bare: Language, texts: list[str]) -> float:
    """Seconds of the stock pipeline's `nlp.pipe` over the texts."""
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def full_run(path: Path, workdir: Path, name: str) -> tuple[float, Any]:
    """Seconds of `pipeline.run` on the file into a new database."""
    db = workdir / f"{name}.duckdb"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    summary = pipeline.run([path], db)
    return time.perf_counter() - start, summary


def preload(reports: list[Report], workdir: Path) -> Language:
    """Load sitrep's pipeline and the gazetteer once, and run the whole pipeline once on a few
    reports (rule tables, language identifier, first allocations); later runs reuse them all:
    what is timed is the steady state of a long run."""
    language = nlp.load_pipeline()
    geo.dateline_country("Kabul")
    pipeline.nlp.load_pipeline = lambda *_a, **_k: language  # type: ignore[attr-defined]
    warm = workdir / "warm.jsonl"
    with warm.open("w", encoding="utf-8") as fh:
        for r in reports[:64]:
            fh.write(json.dumps({"id": f"warm-{r.report_id}", "text": r.text}) + "\n")
    full_run(warm, workdir, "warm")
    return language


def part_ratio(path: Path, reports: list[Report], workdir: Path) -> float:
    """Bare parse and the whole pipeline, alternated twice; the best of each. The bare time."""
    texts = [r.text for r in reports]
    bare_language = spacy.load(nlp.DEFAULT_MODEL)
    list(bare_language.pipe(texts[:64], batch_size=64))  # first batches allocate: not timed
    bare, seconds = float("inf"), float("inf")
    for _ in range(2):
        bare = min(bare, bare_parse(bare_language, texts))
        took, summary = full_run(path, workdir, "ratio")
        seconds = min(seconds, took)
    size = sum(len(r.text.encode("utf-8")) for r in reports)
    print(f"\n== ratio: {len(reports)} reports, {size / 1e6:.2f} MB, "
          f"{summary.events_stored} events ==")  # fmt: skip
    print(f"bare nlp.pipe (stock model) : {len(reports) / bare:8.1f} reports/s")
    print(f"sitrep pipeline.run         : {len(reports) / seconds:8.1f} reports/s")
    print(f"ratio bare / sitrep         : {bare / seconds:.2f}   (goal >= 0.7)")
    return bare


def part_stages(path: Path, reports: list[Report], workdir: Path, bare: float) -> None:
    clock = Clock()
    present = instrument(clock)
    hot_path_counters(clock)
    clock.enter("other (run loop)")
    _, summary = full_run(path, workdir, "stages")
    clock.leave()
    print(f"\n== stages: exclusive time as a share of the bare parse ({bare:.1f} s) ==")
    for stage in [*STAGES, "store", "other (run loop)"]:
        if not present.get(stage, True):
            print(f"  {stage:17}:  --   (no sitrep.{stage} module in this build)")
            continue
        print(f"  {stage:17}: {clock.spent.get(stage, 0.0) / bare:5.2f}")
    print(f"  {'all':17}: {sum(clock.spent.values()) / bare:5.2f}  (= sitrep end to end)")
    print("hot path checks (this run):")
    loads = clock.calls['spacy.load']
    print(f"  spacy.load calls      : {loads}   (0: loaded once, before the run)")
    print(f"  Language.__call__     : {clock.calls['Language.__call__']}   (0: no second parse)")
    print(f"  nlp.pipe passes       : {clock.calls['analyse_reports']}   (1 pass)")
    print(f"  gazetteer index loads : {clock.calls['load_index']}   (0: loaded once, before)")
    writes = clock.calls["Store.add_results"] + clock.calls["Store.replace_results"]
    print(f"  store transactions    : {writes} for {summary.reports_stored} reports")


def peak_mb_of_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def steady_rate(batches: list[tuple[float, int]]) -> float:
    """Reports per second from the first batch coded to the last (workers' clocks)."""
    batches = sorted(batches)
    if len(batches) < 2:
        return float("nan")
    first, last = batches[0][0], batches[-1][0]
    return sum(n for _, n in batches[1:]) / (last - first) if last > first else float("nan")


def part_workers(path: Path, reports: list[Report], workdir: Path) -> None:
    import ray

    from sitrep.engine_ray import RayOptions, run_engine

    n = len(reports)
    print(f"\n== workers: {n} reports ==")
    for processes in (1, 2):
        db = workdir / f"local{processes}.duckdb"
        start = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "sitrep"), "run", str(path), "--db", str(db),
             "-q", "--processes", str(processes)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        local = time.perf_counter() - start
        peak = f", peak {peak_mb_of_children():.0f} MB" if processes == 1 else ""
        print(f"local engine, {processes} process(es): {n / local:7.1f} reports/s end to end "
              f"(with model load){peak}")  # fmt: skip
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    merge_clock = Clock()
    Store.merge_parquet = merge_clock.wrap(Store.merge_parquet, "merge")  # type: ignore[method-assign]
    rates: dict[int, tuple[float, float]] = {}
    for workers in (1, 2):
        db = workdir / f"ray{workers}.duckdb"
        db.unlink(missing_ok=True)
        start = time.perf_counter()
        run = run_engine([path], db, ray_options=RayOptions(workers=workers))
        seconds = time.perf_counter() - start
        rates[workers] = (n / seconds, steady_rate(run.batches))
        merged = merge_clock.spent.pop("merge", 0.0)
        peaks = ", ".join(f"{mb:.0f}" for mb in sorted(run.worker_peak_mb.values()))
        end_to_end, steady = rates[workers]
        print(f"ray, {workers} worker(s)        : {end_to_end:7.1f} reports/s end to end, "
              f"{steady:7.1f} steady; peak MB per worker: {peaks} (goal <= 1024); "
              f"Parquet merge into DuckDB {merged:.2f} s of {seconds:.1f} s")  # fmt: skip
    ray.shutdown()
    print(f"ray 2 workers / 1 worker: {rates[2][0] / rates[1][0]:.2f} end to end, "
          f"{rates[2][1] / rates[1][1]:.2f} steady   (goal >= 1.7)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", choices=("ratio", "stages", "workers"))
    parser.add_argument("--corpus", type=Path, required=True, help="bench/make_corpus.py output")
    parser.add_argument("--mb", type=float, help="take reports up to this many MB of text")
    parser.add_argument("--reports", type=int, help="take this many reports")
    args = parser.parse_args()
    if not (args.mb or args.reports):
        parser.error("give --mb or --reports")
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        workdir = Path(tmp)
        path = workdir / "sample.jsonl"
        reports = sample(args.corpus, mb=args.mb, reports=args.reports, out=path)
        if "workers" in args.parts:  # first: its subprocess's peak memory must be its own
            part_workers(path, reports, workdir)
        if {"ratio", "stages"} & set(args.parts):
            preload(reports, workdir)
            bare = part_ratio(path, reports, workdir)  # stages are shares of this bare time
            if "stages" in args.parts:
                part_stages(path, reports, workdir, bare)


if __name__ == "__main__":
    main()
