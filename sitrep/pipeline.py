"""The whole job: read inputs, parse each report once, code its events, store them.

`analyse` is the library entry point for text already in memory; `run` is what `sitrep run`
calls. Bad reports are recorded and skipped; every batch of whole reports is stored in one
transaction, so a run that is killed loses nothing already stored and a re-run resumes.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

import duckdb
import pyarrow as pa
from spacy.language import Language

from sitrep import actors, classify, control, counts, events, geo, ingest, merge, nlp, quotes
from sitrep.errors import Skip, skip_message
from sitrep.models import Report, ReportResult, RunSummary, Skipped
from sitrep.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    """Settings of one run; defaults suit a laptop."""

    batch_size: int = 64
    n_process: int = 1
    force: bool = False
    max_bytes: int = 2_000_000
    check_language: bool = True
    model: str = nlp.DEFAULT_MODEL
    # A model file written by `sitrep train`: it decides the ACLED types (sitrep/classify.py).
    classifier: str | None = None


ProgressHook = Callable[[int, int, int], None]  # reports read, skipped, events stored


def analyse_doc(doc, report: Report) -> ReportResult:
    """Code the events of one parsed report."""
    ctx = actors.build_context(doc, geo.dateline_country(report.dateline))
    found = events.extract_events(doc, report, ctx)
    actors.complete_sides(doc, found, ctx)
    counts.attach_report_counts(doc, found)
    said = quotes.extract_quotes(doc, report, ctx, found)
    moved = control.changes(doc, found, ctx)
    return ReportResult(report, found, language="en", quotes=said, control=moved)


def analyse(
    text: str,
    *,
    published: date | None = None,
    report_id: str | None = None,
    language: Language | None = None,
) -> ReportResult:
    """Code the events of a text in memory (the Python API's one-call entry point)."""
    pipeline = language or nlp.load_pipeline()
    parsed = ingest.read_text_report(text)
    if isinstance(parsed, Skipped):
        parsed = Report(report_id or ingest.report_id_for(text, None), text)
    if published is not None or report_id is not None:
        parsed = Report(
            **{
                **parsed.__dict__,
                "published": published or parsed.published,
                "report_id": report_id or parsed.report_id,
            }
        )
    return analyse_doc(pipeline(nlp.parse_text(parsed.text)), parsed)


def analyse_reports(
    language: Language,
    reports: Iterable[Report],
    options: RunOptions,
    model: classify.Classifier | None = None,
) -> Iterator[ReportResult | Skipped]:
    """Parse reports in batches (one spaCy pass each) and code their events; with a trained
    model, the model decides the ACLED types."""
    pairs = ((nlp.parse_text(r.text), r) for r in reports)
    for doc, report in language.pipe(
        pairs, as_tuples=True, batch_size=options.batch_size, n_process=options.n_process
    ):
        try:
            result = analyse_doc(doc, report)
            yield model.relabel(result) if model else result
        except Exception as exc:  # one bad report must not abort the run: record it instead
            detail = f"{type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1]})"
            code, reason = skip_message(Skip.FAILED, detail=detail)
            log.warning("report %s failed: %s", report.report_id, detail)
            yield Skipped(report.source_path or "<input>", report.source_line, code, reason)


# Skipped inputs are kept in memory and stored this many at a time (and at the end of the run).
SKIPPED_CHUNK = 1000


def new_reports(
    items: Iterable[Report | Skipped],
    store: Store,
    summary: RunSummary,
    skipped: list[Skipped],
    options: RunOptions,
    chunk: int = 256,
) -> Iterator[Report]:
    """Reports not stored yet; bad inputs and already-stored reports are counted and set aside."""
    iterator = iter(items)
    while batch := list(islice(iterator, chunk)):
        reports = [item for item in batch if isinstance(item, Report)]
        for item in batch:
            if isinstance(item, Skipped):
                summary.reports_skipped += 1
                skipped.append(item)
        summary.reports_read += len(reports)
        if len(skipped) >= SKIPPED_CHUNK:  # a long run of bad input must not fill the memory
            store.add_skipped(skipped, summary.run_id)
            skipped.clear()
        known = set() if options.force else store.known_report_ids(r.report_id for r in reports)
        seen: set[str] = set()
        for report in reports:
            if report.report_id in known or report.report_id in seen:
                summary.reports_duplicate += 1
                continue
            seen.add(report.report_id)
            yield report


def parseable(
    reports: Iterable[Report], language: Language, summary: RunSummary, skipped: list[Skipped]
) -> Iterator[Report]:
    """Reports the parser accepts; one longer than its `max_length` (which raises inside
    `pipe`, where the report it came from is lost) is recorded as failed instead."""
    for report in reports:
        if len(report.text) <= language.max_length:
            yield report
            continue
        detail = (
            f"text of {len(report.text)} characters is longer than the parser's limit of "
            f"{language.max_length} (lower --max-bytes or split the report)"
        )
        code, reason = skip_message(Skip.FAILED, detail=detail)
        summary.reports_failed += 1
        skipped.append(Skipped(report.source_path or "<input>", report.source_line, code, reason))


def run(
    paths: Sequence[str | Path],
    db: str | Path,
    options: RunOptions = RunOptions(),
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Ingest inputs into the database and return what was done."""
    started = time.perf_counter()
    language = nlp.load_pipeline(options.model)
    model = classify.load(options.classifier) if options.classifier else None
    with Store(db) as store:
        run_id = store.start_run(
            [str(p) for p in paths], {**options.__dict__, "model": nlp.model_info(language)}
        )
        summary = RunSummary(run_id=run_id)
        skipped: list[Skipped] = []
        items = ingest.iter_inputs(
            paths, max_bytes=options.max_bytes, check_language=options.check_language
        )
        reports = parseable(
            new_reports(items, store, summary, skipped, options), language, summary, skipped
        )
        pending: list[ReportResult] = []
        cache = merge.Cache()  # what merging read, kept from batch to batch
        for result in analyse_reports(language, reports, options, model):
            if isinstance(result, Skipped):
                summary.reports_failed += 1
                skipped.append(result)
            else:
                pending.append(result)
            if len(pending) >= options.batch_size:
                flush(store, pending, run_id, summary, options, skipped, cache)
            if progress:
                progress(
                    summary.reports_read,
                    summary.reports_skipped + summary.reports_failed,
                    summary.events_stored + sum(len(r.events) for r in pending),
                )
        flush(store, pending, run_id, summary, options, skipped, cache)
        store.add_skipped(skipped, run_id)
        summary.seconds = round(time.perf_counter() - started, 3)
        store.finish_run(summary)
    return summary


# What a result the database cannot hold raises (a value out of range, a bad string); the batch
# was rolled back whole. Errors of the database itself (I/O, locks) are not in here: they stop
# the run, and a re-run resumes after the last stored batch.
UNSTORABLE = (ValueError, TypeError, OverflowError, pa.ArrowException, duckdb.ConversionException)


def flush(
    store: Store,
    pending: list[ReportResult],
    run_id: str,
    summary: RunSummary,
    options: RunOptions,
    skipped: list[Skipped] | None = None,
    cache: merge.Cache | None = None,
) -> None:
    """Store a batch of whole reports in one transaction and empty the batch.

    When the batch cannot be stored, its reports are stored one by one, and the one that cannot
    is recorded as failed (S012) instead of stopping the run.
    """
    if not pending:
        return
    write = store.replace_results if options.force else store.add_results
    report_ids = [r.report.report_id for r in pending]
    try:
        with store.transaction():  # readers see the reports with their merged events or neither
            stored, events_stored = write(pending, run_id)
            merge.update(store, report_ids, cache)
    except UNSTORABLE:
        stored = events_stored = 0
        for result in pending:
            try:
                one, events_one = write([result], run_id)
            except UNSTORABLE as exc:
                report = result.report
                detail = f"cannot store: {type(exc).__name__}: {exc}"[:300]
                code, reason = skip_message(Skip.FAILED, detail=detail)
                log.warning("report %s failed: %s", report.report_id, detail)
                summary.reports_failed += 1
                if skipped is not None:
                    skipped.append(
                        Skipped(report.source_path or "<input>", report.source_line, code, reason)
                    )
                continue
            stored += one
            events_stored += events_one
        merge.update(store, report_ids, cache)  # join them to other reports
    summary.reports_stored += stored
    summary.events_stored += events_stored
    pending.clear()
