"""The Ray engine: `pipeline.run`'s work spread over the workers of a Ray cluster.

`sitrep run --engine ray` (extra `sitrep[ray]`) codes the same events as the local engine, in
four steps:

1. The driver lists the input files in the order the local engine reads them, starts the run in
   the database and reads the ids of the reports already stored (they are not parsed again).
2. Ray Data turns the list into report rows: read tasks run `ingest.read_file` on each file
   (folders, JSONL, CSV, Parquet, ...; one file is one shard) and tag each row with `seq`, its
   position in that order.
3. An actor pool (`map_batches` with the callable class `Coder`) keeps the spaCy pipeline and
   the gazetteer loaded once per worker, parses each batch in one `nlp.pipe` pass through
   `pipeline.analyse_reports`, and writes the batch's rows as Parquet parts, one folder per
   database table (`<parts>/events/<part>.parquet`, ...).
4. `Store.merge_parquet` loads the parts into the DuckDB database in one transaction, keeping the
   first copy of each report as the local engine does; then `merge.update` joins the run's
   events to the events other reports tell (the local engine does it after every batch).

Without `--ray-address` a local Ray instance is started on this machine; with it the run joins an
existing cluster, whose nodes need sitrep installed and the parts folder on a shared file system.
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sitrep import classify, geo, ingest, merge, nlp, pipeline, store
from sitrep.errors import E_MODEL, E_NO_INPUT, E_NO_RAY, E_RAY_CONNECT, ModelNotFound
from sitrep.models import Report, ReportResult, RunSummary, Skipped
from sitrep.store import Store

log = logging.getLogger(__name__)

# The report rows that flow from the read tasks to the actors (a fixed schema, so blocks from
# different files always concatenate). kind: report, known (already stored) or skipped.
ROW_SCHEMA = pa.schema([
    ("seq", pa.int64()), ("kind", pa.string()), ("report_id", pa.string()),
    ("text", pa.string()), ("title", pa.string()), ("published", pa.date32()),
    ("agencies", pa.list_(pa.string())), ("dateline", pa.string()), ("url", pa.string()),
    ("source_path", pa.string()), ("source_line", pa.int64()),
    ("source_format", pa.string()), ("extra", pa.map_(pa.string(), pa.string())),
    ("code", pa.string()), ("reason", pa.string()),
])  # fmt: skip
REPORT_FIELDS = (
    "report_id", "text", "title", "published", "agencies", "dateline", "url", "source_path",
    "source_line", "source_format", "extra",
)  # fmt: skip
# seq = file index << FILE_SHIFT | item index: the local engine's reading order.
FILE_SHIFT = 32
# Read tasks do little but decode files: they hold no CPU (the parsing actors hold them all, and
# a read task waiting for a CPU an actor holds would wait for ever); a few run at a time.
READ_CPUS = 0
READ_TASKS = 2
# Ray Data blocks hold about a batch of reports of this size (see `code_files`).
BYTES_PER_REPORT = 1024


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a Ray run goes."""

    address: str | None = None  # None: start a local Ray instance
    workers: int | None = None  # parsing actors; None: one per CPU of the cluster
    parts: Path | None = None  # Parquet parts folder, kept; None: a temporary folder


@dataclass
class RayRun:
    """What a Ray run did, with what the benchmarks read: each worker's peak memory (MB), and
    when each batch was coded (seconds since the run started, by the worker's clock; reports in
    the batch)."""

    summary: RunSummary
    workers: int
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    batches: list[tuple[float, int]] = field(default_factory=list)


def report_row(seq: int, item: Report | Skipped, known: frozenset[str]) -> dict[str, Any]:
    """One row of ROW_SCHEMA; a report already stored travels without its text."""
    if isinstance(item, Skipped):
        return {
            "seq": seq, "kind": "skipped", "source_path": item.source_path,
            "source_line": item.source_line, "code": item.code, "reason": item.reason,
        }  # fmt: skip
    if item.report_id in known:
        return {"seq": seq, "kind": "known", "report_id": item.report_id}
    row = {name: getattr(item, name) for name in REPORT_FIELDS}
    row["extra"] = list(item.extra.items())
    return {**row, "seq": seq, "kind": "report"}


def row_report(row: dict[str, Any]) -> Report:
    """The Report a row of ROW_SCHEMA was made from."""
    values = {name: row[name] for name in REPORT_FIELDS}
    values["agencies"] = tuple(values["agencies"] or ())
    values["extra"] = dict(values["extra"] or [])
    return Report(**values)


def read_files(
    batch: pa.Table, *, max_bytes: int, check_language: bool, known: frozenset[str], rows: int
) -> Iterator[pa.Table]:
    """Ray Data read step: the reports of a batch of files, `rows` report rows per block."""
    pending: list[dict[str, Any]] = []
    for shard in batch.to_pylist():
        base = int(shard["index"]) << FILE_SHIFT
        items = ingest.read_file(
            Path(shard["path"]), max_bytes=max_bytes, check_language=check_language
        )
        for number, item in enumerate(items):
            pending.append(report_row(base | number, item, known))
            if len(pending) >= rows:
                yield pa.Table.from_pylist(pending, schema=ROW_SCHEMA)
                pending = []
    if pending:
        yield pa.Table.from_pylist(pending, schema=ROW_SCHEMA)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Coder:
    """A Ray actor: the pipeline and the gazetteer loaded once, then one batch per call."""

    def __init__(self, parts: str, run_id: str, options: pipeline.RunOptions) -> None:
        self.parts = Path(parts)
        self.run_id = run_id
        self.options = replace(options, n_process=1)  # the actor pool is the parallelism
        self.language = nlp.load_pipeline(options.model)
        self.classifier = classify.load(options.classifier) if options.classifier else None
        geo.dateline_country("Kabul")  # loads the gazetteer and city tables now, once
        self.worker = f"{os.uname().nodename}:{os.getpid()}"

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        known = sum(row["kind"] == "known" for row in rows)
        skipped = [row for row in rows if row["kind"] == "skipped"]
        reports, seqs, duplicates = self.unique_reports(rows)
        results: list[ReportResult] = []
        result_seqs: list[int] = []
        failed: list[Skipped] = []
        failed_seqs: list[int] = []
        outputs = pipeline.analyse_reports(
            self.language, reports, self.options, self.classifier
        )
        for seq, output in zip(seqs, outputs, strict=True):
            if isinstance(output, Skipped):
                failed.append(output)
                failed_seqs.append(seq)
            else:
                results.append(output)
                result_seqs.append(seq)
        tables = store.tagged_tables(results, self.run_id, result_seqs) if results else {}
        skips = [
            Skipped(r["source_path"], r["source_line"], r["code"], r["reason"]) for r in skipped
        ]
        if skips or failed:
            tables["skipped"] = store.skipped_table(
                [*skips, *failed], self.run_id, [r["seq"] for r in skipped] + failed_seqs
            )
        self.write(tables, min(row["seq"] for row in rows) if rows else 0)
        return pa.table({
            "read": [len(rows) - len(skipped)], "known": [known], "duplicate": [duplicates],
            "skipped": [len(skipped)], "failed": [len(failed)],
            "events": [sum(len(r.events) for r in results)],
            "worker": [self.worker], "peak_rss_mb": [peak_rss_mb()], "done_at": [time.time()],
        })  # fmt: skip

    @staticmethod
    def unique_reports(rows: list[dict[str, Any]]) -> tuple[list[Report], list[int], int]:
        """The batch's new reports, each id once (lowest seq first), their seqs, and the
        number of copies left out."""
        first: dict[str, dict[str, Any]] = {}
        fresh = sorted((row for row in rows if row["kind"] == "report"), key=lambda r: r["seq"])
        for row in fresh:
            first.setdefault(row["report_id"], row)
        kept = list(first.values())
        return (
            [row_report(row) for row in kept],
            [row["seq"] for row in kept],
            len(fresh) - len(kept),
        )

    def write(self, tables: dict[str, pa.Table], first_seq: int) -> None:
        """One Parquet part per table, named after the batch's first seq and written whole
        (temporary file, then rename): a batch Ray runs again after a lost worker replaces its
        own parts instead of adding a second copy."""
        name = f"{first_seq:016x}.parquet"
        for table, rows in tables.items():
            if rows.num_rows:
                folder = self.parts / table
                folder.mkdir(parents=True, exist_ok=True)
                partial = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
                pq.write_table(rows, partial)
                partial.replace(folder / name)


def require_ray() -> Any:
    """The ray module, or a clear error naming the extra to install."""
    try:
        import ray
        import ray.data  # Ray Data: the `data` extra of ray
    except ImportError as exc:
        raise ModuleNotFoundError(E_NO_RAY.format(detail=exc)) from None
    return ray


def check_model(model: str) -> None:
    """Fail before starting Ray when the spaCy pipeline is not installed (checked without
    loading it: every worker loads its own)."""
    import spacy.util

    if not (spacy.util.is_package(model) or Path(model).exists()):
        raise ModelNotFound(E_MODEL.format(name=model))


def start_ray(ray: Any, address: str | None) -> bool:
    """Connect to the cluster at `address`, or start a local instance; True when we started it
    (and so must shut it down)."""
    if ray.is_initialized():
        return False
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=log.isEnabledFor(logging.DEBUG),
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise ConnectionError(E_RAY_CONNECT.format(address=address, detail=detail)) from None
    return True


def run(
    paths: Sequence[str | Path],
    db: str | Path,
    options: pipeline.RunOptions | None = None,
    ray_options: RayOptions | None = None,
    progress: pipeline.ProgressHook | None = None,
) -> RunSummary:
    """`pipeline.run` on Ray: the same reports, events and skips in the same database."""
    return run_engine(paths, db, options, ray_options, progress).summary


def run_engine(
    paths: Sequence[str | Path],
    db: str | Path,
    options: pipeline.RunOptions | None = None,
    ray_options: RayOptions | None = None,
    progress: pipeline.ProgressHook | None = None,
) -> RayRun:
    """Run on Ray and return the summary with each worker's peak memory."""
    started, wall = time.perf_counter(), time.time()
    options = options or pipeline.RunOptions()
    ray_options = ray_options or RayOptions()
    ray = require_ray()
    check_model(options.model)
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(E_NO_INPUT.format(path=root))
    found = list(ingest.iter_files(roots))
    files = [(i, str(p)) for i, p in enumerate(found) if not isinstance(p, Skipped)]
    walk_skips = [s for s in found if isinstance(s, Skipped)]
    started_ray = start_ray(ray, ray_options.address)
    try:
        workers = ray_options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        with Store(db) as db_store:
            run_options = {
                **options.__dict__, "engine": "ray", "workers": workers,
                "ray_address": ray_options.address,
            }  # fmt: skip
            run_id = db_store.start_run([str(p) for p in paths], run_options)
            summary = RunSummary(run_id=run_id)
            known = frozenset() if options.force else frozenset(db_store.report_ids())
            parts = Path(
                ray_options.parts / run_id
                if ray_options.parts
                else tempfile.mkdtemp(prefix=".sitrep-parts-", dir=Path(db).resolve().parent)
            )
            parts.mkdir(parents=True, exist_ok=True)
            try:
                coded = RayRun(summary, workers)
                code_files(ray, files, known, parts, run_id, options, coded, progress, wall)
                if walk_skips:
                    db_store.add_skipped(walk_skips, run_id)
                    summary.reports_skipped += len(walk_skips)
                stored, events, duplicates = db_store.merge_parquet(parts, replace=options.force)
                # One event told by many reports: joined as the local engine does per batch.
                merge.update(db_store, db_store.report_ids_of_run(run_id))
            finally:
                if ray_options.parts is None:  # a temporary folder: the database has it all
                    shutil.rmtree(parts, ignore_errors=True)
            summary.reports_stored = stored
            summary.events_stored = events
            summary.reports_duplicate += duplicates
            summary.seconds = round(time.perf_counter() - started, 3)
            db_store.finish_run(summary)
    finally:
        if started_ray:
            ray.shutdown()
    return coded


def code_files(
    ray: Any,
    files: list[tuple[int, str]],
    known: frozenset[str],
    parts: Path,
    run_id: str,
    options: pipeline.RunOptions,
    coded: RayRun,
    progress: pipeline.ProgressHook | None,
    started: float,
) -> None:
    """The Ray Data job: read the files, code them on the actor pool, count what was done."""
    if not files:
        return
    with data_context(
        ray,
        enable_progress_bars=False,
        print_on_execution_start=False,
        # Ray Data joins what a task yields into blocks of this size, and hands whole blocks to
        # the workers: small blocks (about a batch of reports) spread each shard over them all.
        target_max_block_size=options.batch_size * BYTES_PER_REPORT,
    ):
        run_dataset(ray, files, known, parts, run_id, options, coded, progress, started)


@contextmanager
def data_context(ray: Any, **settings: Any) -> Iterator[None]:
    """Ray Data settings for this run only (the context is shared by the driver process), and
    Ray Data's own progress lines and tuning hints kept out of sitrep's output unless -v."""
    context = ray.data.DataContext.get_current()
    saved = {name: getattr(context, name) for name in settings}
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    for name, value in settings.items():
        setattr(context, name, value)
    if not log.isEnabledFor(logging.DEBUG):
        data_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            if not log.isEnabledFor(logging.DEBUG):
                warnings.filterwarnings("ignore", module=r"ray\.data")
            yield
    finally:
        data_log.setLevel(level)
        for name, value in saved.items():
            setattr(context, name, value)


def run_dataset(
    ray: Any,
    files: list[tuple[int, str]],
    known: frozenset[str],
    parts: Path,
    run_id: str,
    options: pipeline.RunOptions,
    coded: RayRun,
    progress: pipeline.ProgressHook | None,
    started: float,
) -> None:
    """Build and run the dataset: shards -> report rows -> coded batches -> counts."""
    summary, workers, peaks = coded.summary, coded.workers, coded.worker_peak_mb
    shards = ray.data.from_items(
        [{"index": index, "path": path} for index, path in files],
        override_num_blocks=min(len(files), 4 * workers),
    )
    rows = shards.map_batches(
        read_files,
        batch_size=1,
        batch_format="pyarrow",
        num_cpus=READ_CPUS,
        compute=ray.data.TaskPoolStrategy(size=READ_TASKS),
        fn_kwargs={
            "max_bytes": options.max_bytes,
            "check_language": options.check_language,
            "known": known,
            "rows": options.batch_size,
        },
    )
    batches = rows.map_batches(
        Coder,
        batch_size=options.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
        fn_constructor_kwargs={"parts": str(parts), "run_id": run_id, "options": options},
    )
    events = 0
    for stats in batches.iter_rows():
        coded.batches.append((stats["done_at"] - started, stats["read"]))
        summary.reports_read += stats["read"]
        summary.reports_duplicate += stats["known"] + stats["duplicate"]
        summary.reports_skipped += stats["skipped"]
        summary.reports_failed += stats["failed"]
        events += stats["events"]
        peaks[stats["worker"]] = max(peaks.get(stats["worker"], 0.0), stats["peak_rss_mb"])
        if progress:
            progress(summary.reports_read, summary.reports_skipped + summary.reports_failed, events)
