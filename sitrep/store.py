"""STORE stage: reports, events and run records in one DuckDB file.

Writes go in bulk (one Arrow table per SQL table per batch) inside one transaction, so a batch is
either stored whole or not at all. Reads rebuild the exact model objects that were written, so
`Store.event(e.event_id) == e`. The schema is documented column by column in docs/schema.md.
"""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from sitrep import errors
from sitrep.models import (
    Actor,
    Attribution,
    ControlChange,
    Event,
    EventDate,
    EventFilter,
    Evidence,
    Location,
    MergedEvent,
    Quote,
    QuoteFilter,
    Report,
    ReportResult,
    RunSummary,
    Skipped,
    Speaker,
)

log = logging.getLogger(__name__)

DEFAULT_DB = Path("sitrep.duckdb")
MEMORY = ":memory:"
SCHEMA_VERSION = 1
ALL_EVENTS = EventFilter()
ISO3_LENGTH = 3

# `start` and `end` are the names the model uses; `end` is an SQL keyword, so quote it ("end").
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    inputs VARCHAR[] NOT NULL,
    options JSON NOT NULL,
    sitrep_version VARCHAR NOT NULL,
    model VARCHAR,
    model_version VARCHAR,
    reports_read INTEGER,
    reports_stored INTEGER,
    reports_duplicate INTEGER,
    reports_skipped INTEGER,
    reports_failed INTEGER,
    events_stored INTEGER,
    seconds DOUBLE
);
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    published DATE,
    agencies VARCHAR[] NOT NULL,
    dateline VARCHAR,
    url VARCHAR,
    source_path VARCHAR,
    source_line INTEGER,
    source_format VARCHAR NOT NULL,
    language VARCHAR,
    text VARCHAR NOT NULL,
    extra JSON NOT NULL,
    run_id VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    report_id VARCHAR NOT NULL,
    plover_type VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    cameo_root VARCHAR,
    acled_event_type VARCHAR,
    acled_sub_event_type VARCHAR,
    trigger VARCHAR NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    location_name VARCHAR,
    geonameid BIGINT,
    lat DOUBLE,
    lon DOUBLE,
    admin1 VARCHAR,
    admin2 VARCHAR,
    country_code VARCHAR,
    geo_precision INTEGER,
    location_start INTEGER,
    location_end INTEGER,
    location_reason VARCHAR,
    date_value DATE,
    date_precision VARCHAR,
    date_start INTEGER,
    date_end INTEGER,
    fatalities INTEGER,
    injured INTEGER,
    arrested INTEGER,
    confidence DOUBLE NOT NULL,
    run_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS actors (
    event_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('actor1', 'actor2')),
    text VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    country VARCHAR,
    sector VARCHAR,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (event_id, role)
);
CREATE TABLE IF NOT EXISTS evidence (
    event_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    sentence VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE TABLE IF NOT EXISTS skipped (
    run_id VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    source_line INTEGER,
    code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    seen_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR PRIMARY KEY,
    report_id VARCHAR NOT NULL,
    published DATE,
    speaker_name VARCHAR NOT NULL,
    speaker_role VARCHAR,
    speaker_organisation VARCHAR,
    speaker_country VARCHAR,
    speaker_sector VARCHAR,
    speaker_text VARCHAR NOT NULL,
    speaker_start INTEGER,
    speaker_end INTEGER,
    text VARCHAR NOT NULL,
    direct BOOLEAN NOT NULL,
    verb VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    event_ids VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS attributions (
    event_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    verb VARCHAR NOT NULL,
    sector VARCHAR,
    country VARCHAR,
    quote_id VARCHAR,
    sentence VARCHAR,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (event_id, seq)
);
CREATE TABLE IF NOT EXISTS merged_events (
    merged_id VARCHAR PRIMARY KEY,
    plover_type VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    acled_event_type VARCHAR,
    acled_sub_event_type VARCHAR,
    actor1_name VARCHAR,
    actor1_country VARCHAR,
    actor1_sector VARCHAR,
    actor2_name VARCHAR,
    actor2_country VARCHAR,
    actor2_sector VARCHAR,
    location_name VARCHAR,
    geonameid BIGINT,
    lat DOUBLE,
    lon DOUBLE,
    admin1 VARCHAR,
    admin2 VARCHAR,
    country_code VARCHAR,
    geo_precision INTEGER,
    date_value DATE,
    date_precision VARCHAR,
    fatalities INTEGER,
    injured INTEGER,
    arrested INTEGER,
    reports INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    event_ids VARCHAR[] NOT NULL,
    report_ids VARCHAR[] NOT NULL,
    agencies VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS merged_members (
    event_id VARCHAR PRIMARY KEY,
    merged_id VARCHAR NOT NULL,
    report_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS control_changes (
    event_id VARCHAR PRIMARY KEY,
    report_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    place_name VARCHAR NOT NULL,
    geonameid BIGINT,
    lat DOUBLE,
    lon DOUBLE,
    admin1 VARCHAR,
    admin2 VARCHAR,
    country_code VARCHAR,
    geo_precision INTEGER,
    date_value DATE,
    date_precision VARCHAR,
    holder_name VARCHAR,
    holder_country VARCHAR,
    holder_sector VARCHAR,
    lost_by_name VARCHAR,
    lost_by_country VARCHAR,
    lost_by_sector VARCHAR,
    trigger VARCHAR NOT NULL,
    sentence VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    place_borrowed BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS events_date_value ON events (date_value);
CREATE INDEX IF NOT EXISTS events_plover_type ON events (plover_type);
CREATE INDEX IF NOT EXISTS events_country_code ON events (country_code);
CREATE INDEX IF NOT EXISTS events_report_id ON events (report_id);
CREATE INDEX IF NOT EXISTS actors_name ON actors (name);
CREATE INDEX IF NOT EXISTS actors_event_id ON actors (event_id);
CREATE INDEX IF NOT EXISTS evidence_event_id ON evidence (event_id);
CREATE INDEX IF NOT EXISTS quotes_report_id ON quotes (report_id);
CREATE INDEX IF NOT EXISTS merged_members_report_id ON merged_members (report_id);
CREATE INDEX IF NOT EXISTS merged_members_merged_id ON merged_members (merged_id);
"""

# Every table of the schema; a read-only open of a file missing one upgrades it first.
TABLES = (
    "meta", "runs", "reports", "events", "actors", "evidence", "skipped", "quotes",
    "attributions", "merged_events", "merged_members", "control_changes",
)  # fmt: skip
# Columns added after schema version 1 shipped: databases written before them gain them.
ADD_COLUMNS_SQL = "ALTER TABLE events ADD COLUMN IF NOT EXISTS location_reason VARCHAR"


# Arrow shapes of the bulk inserts; inserted BY NAME, so only the names must match the tables.
REPORT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("title", pa.string()), ("published", pa.date32()),
    ("agencies", pa.list_(pa.string())), ("dateline", pa.string()), ("url", pa.string()),
    ("source_path", pa.string()), ("source_line", pa.int32()), ("source_format", pa.string()),
    ("language", pa.string()), ("text", pa.string()), ("extra", pa.string()),
    ("run_id", pa.string()), ("ingested_at", pa.timestamp("us")),
])  # fmt: skip
EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("report_id", pa.string()), ("plover_type", pa.string()),
    ("mode", pa.string()), ("cameo_root", pa.string()), ("acled_event_type", pa.string()),
    ("acled_sub_event_type", pa.string()), ("trigger", pa.string()),
    ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
    ("location_name", pa.string()), ("geonameid", pa.int64()), ("lat", pa.float64()),
    ("lon", pa.float64()), ("admin1", pa.string()), ("admin2", pa.string()),
    ("country_code", pa.string()), ("geo_precision", pa.int32()),
    ("location_start", pa.int32()), ("location_end", pa.int32()),
    ("location_reason", pa.string()),
    ("date_value", pa.date32()), ("date_precision", pa.string()),
    ("date_start", pa.int32()), ("date_end", pa.int32()),
    ("fatalities", pa.int32()), ("injured", pa.int32()), ("arrested", pa.int32()),
    ("confidence", pa.float64()), ("run_id", pa.string()),
])  # fmt: skip
ACTOR_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("role", pa.string()), ("text", pa.string()),
    ("name", pa.string()), ("country", pa.string()), ("sector", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])  # fmt: skip
EVIDENCE_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("seq", pa.int32()), ("field", pa.string()),
    ("sentence", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
])  # fmt: skip
SKIPPED_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_path", pa.string()), ("source_line", pa.int32()),
    ("code", pa.string()), ("reason", pa.string()), ("seen_at", pa.timestamp("us")),
])  # fmt: skip

QUOTE_SCHEMA = pa.schema([
    ("quote_id", pa.string()), ("report_id", pa.string()), ("published", pa.date32()),
    ("speaker_name", pa.string()), ("speaker_role", pa.string()),
    ("speaker_organisation", pa.string()), ("speaker_country", pa.string()),
    ("speaker_sector", pa.string()), ("speaker_text", pa.string()),
    ("speaker_start", pa.int32()), ("speaker_end", pa.int32()), ("text", pa.string()),
    ("direct", pa.bool_()), ("verb", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("sentence", pa.string()), ("event_ids", pa.list_(pa.string())),
])  # fmt: skip
ATTRIBUTION_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("seq", pa.int32()), ("source", pa.string()),
    ("kind", pa.string()), ("verb", pa.string()), ("sector", pa.string()),
    ("country", pa.string()), ("quote_id", pa.string()), ("sentence", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])  # fmt: skip
CONTROL_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("report_id", pa.string()), ("kind", pa.string()),
    ("place_name", pa.string()), ("geonameid", pa.int64()), ("lat", pa.float64()),
    ("lon", pa.float64()), ("admin1", pa.string()), ("admin2", pa.string()),
    ("country_code", pa.string()), ("geo_precision", pa.int32()), ("date_value", pa.date32()),
    ("date_precision", pa.string()), ("holder_name", pa.string()),
    ("holder_country", pa.string()), ("holder_sector", pa.string()),
    ("lost_by_name", pa.string()), ("lost_by_country", pa.string()),
    ("lost_by_sector", pa.string()), ("trigger", pa.string()), ("sentence", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()), ("place_borrowed", pa.bool_()),
])  # fmt: skip
CONTROL_COLUMNS = ", ".join(f'c."{name}"' for name in CONTROL_SCHEMA.names)
MERGED_SCHEMA = pa.schema([
    ("merged_id", pa.string()), ("plover_type", pa.string()), ("mode", pa.string()),
    ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()),
    ("actor1_name", pa.string()), ("actor1_country", pa.string()), ("actor1_sector", pa.string()),
    ("actor2_name", pa.string()), ("actor2_country", pa.string()), ("actor2_sector", pa.string()),
    ("location_name", pa.string()), ("geonameid", pa.int64()), ("lat", pa.float64()),
    ("lon", pa.float64()), ("admin1", pa.string()), ("admin2", pa.string()),
    ("country_code", pa.string()), ("geo_precision", pa.int32()),
    ("date_value", pa.date32()), ("date_precision", pa.string()),
    ("fatalities", pa.int32()), ("injured", pa.int32()), ("arrested", pa.int32()),
    ("reports", pa.int32()), ("sources", pa.int32()), ("event_ids", pa.list_(pa.string())),
    ("report_ids", pa.list_(pa.string())), ("agencies", pa.list_(pa.string())),
])  # fmt: skip
MEMBER_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("merged_id", pa.string()), ("report_id", pa.string()),
])  # fmt: skip
MERGED_COLUMNS = ", ".join(f"m.{name}" for name in MERGED_SCHEMA.names)
MERGED_ORDER = "m.date_value IS NULL, coalesce(m.date_value, DATE '0001-01-01'), m.merged_id"
QUOTE_COLUMNS = ", ".join(f'q."{name}"' for name in QUOTE_SCHEMA.names)

# Read side: the events columns in the order _event_from_row unpacks them.
EVENT_COLUMNS = ", ".join(f"e.{name}" for name in EVENT_SCHEMA.names if name != "run_id")
# Date order with undated events last, then event_id: a total order, so pages never overlap.
ORDER_KEY = "e.date_value IS NULL, coalesce(e.date_value, DATE '0001-01-01'), e.event_id"
# Pages up to this many events look their actors and evidence up by index (DuckDB's own limit
# for index scans, `index_scan_max_count`, is 2048 rows).
INDEX_LOOKUP_MAX = 1000


def _now() -> datetime:
    """The current UTC time without a zone: every TIMESTAMP column holds UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _sitrep_version() -> str:
    """sitrep's version for the runs table; "0" while the package declares none."""
    return str(getattr(importlib.import_module("sitrep"), "__version__", "0"))


def _to_arrow(rows: Sequence[tuple[Any, ...]], schema: pa.Schema) -> pa.Table:
    """Column-wise Arrow table from row tuples given in the schema's order."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [pa.array(col, type=fld.type) for col, fld in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _unique(results: Iterable[ReportResult]) -> list[ReportResult]:
    """The results with each report once (the first one given wins)."""
    seen: dict[str, ReportResult] = {}
    for result in results:
        seen.setdefault(result.report.report_id, result)
    return list(seen.values())


def _report_row(result: ReportResult, run_id: str, now: datetime) -> tuple[Any, ...]:
    r = result.report
    return (
        r.report_id, r.title, r.published, list(r.agencies), r.dateline, r.url, r.source_path,
        r.source_line, r.source_format, result.language, r.text,
        json.dumps(r.extra, ensure_ascii=False, sort_keys=True), run_id, now,
    )  # fmt: skip


def _event_row(e: Event, run_id: str) -> tuple[Any, ...]:
    loc, when = e.location, e.date
    place = (
        (loc.name, loc.geonameid, loc.lat, loc.lon, loc.admin1, loc.admin2, loc.country_code,
         loc.geo_precision, loc.start, loc.end, loc.reason)
        if loc else (None,) * 11
    )  # fmt: skip
    timing = (when.value, when.precision, when.start, when.end) if when else (None,) * 4
    return (
        e.event_id, e.report_id, e.plover_type, e.mode, e.cameo_root, e.acled_event_type,
        e.acled_sub_event_type, e.trigger, e.trigger_start, e.trigger_end, *place, *timing,
        e.fatalities, e.injured, e.arrested, e.confidence, run_id,
    )  # fmt: skip


def _actor_rows(e: Event) -> list[tuple[Any, ...]]:
    pairs = (("actor1", e.actor1), ("actor2", e.actor2))
    return [
        (e.event_id, role, a.text, a.name, a.country, a.sector, a.start, a.end)
        for role, a in pairs
        if a is not None
    ]


def _evidence_rows(e: Event) -> list[tuple[Any, ...]]:
    return [
        (e.event_id, seq, ev.field, ev.sentence, ev.start, ev.end)
        for seq, ev in enumerate(e.evidence)
    ]


def _quote_row(q: Quote, published: date | None) -> tuple[Any, ...]:
    s = q.speaker
    return (
        q.quote_id, q.report_id, published, s.name, s.role, s.organisation, s.country, s.sector,
        s.text, s.start, s.end, q.text, q.direct, q.verb, q.start, q.end, q.sentence,
        list(q.event_ids),
    )  # fmt: skip


def _attribution_rows(e: Event) -> list[tuple[Any, ...]]:
    rows = []
    for seq, a in enumerate(e.attribution):
        ev = a.evidence
        rows.append((e.event_id, seq, a.source, a.kind, a.verb, a.sector, a.country, a.quote_id,
                     ev.sentence if ev else None, ev.start if ev else None,
                     ev.end if ev else None))  # fmt: skip
    return rows


def _batch_tables(results: Sequence[ReportResult], run_id: str) -> dict[str, pa.Table]:
    """One Arrow table per SQL table for the whole batch, in insert order."""
    now = _now()
    events = [e for result in results for e in result.events]
    quotes = [_quote_row(q, r.report.published) for r in results for q in r.quotes]
    return {
        "reports": _to_arrow([_report_row(r, run_id, now) for r in results], REPORT_SCHEMA),
        "events": _to_arrow([_event_row(e, run_id) for e in events], EVENT_SCHEMA),
        "actors": _to_arrow([row for e in events for row in _actor_rows(e)], ACTOR_SCHEMA),
        "evidence": _to_arrow([row for e in events for row in _evidence_rows(e)], EVIDENCE_SCHEMA),
        "attributions": _to_arrow(
            [row for e in events for row in _attribution_rows(e)], ATTRIBUTION_SCHEMA
        ),
        "quotes": _to_arrow(quotes, QUOTE_SCHEMA),
        "control_changes": _to_arrow(
            [_control_row(c) for r in results for c in r.control], CONTROL_SCHEMA
        ),
    }


def tagged_tables(
    results: Sequence[ReportResult], run_id: str, seqs: Sequence[int]
) -> dict[str, pa.Table]:
    """The batch's tables with a `read_seq` column: the position its report was read at.

    The Ray engine writes these as Parquet parts; `Store.merge_parquet` keeps, for each report,
    the rows of its first copy (lowest read_seq), as the local engine does. Report ids must be
    unique within the batch. Rows are tied to their report by `report_id`, or by `event_id` for
    tables without one (actors, evidence).
    """
    tables = _batch_tables(results, run_id)
    by_report = {r.report.report_id: seq for r, seq in zip(results, seqs, strict=True)}
    by_event = {e.event_id: by_report[e.report_id] for r in results for e in r.events}
    tagged: dict[str, pa.Table] = {}
    for name, table in tables.items():
        by_id = "report_id" in table.column_names
        key, index = ("report_id", by_report) if by_id else ("event_id", by_event)
        seq = pa.array([index[v] for v in table.column(key).to_pylist()], type=pa.int64())
        tagged[name] = table.append_column("read_seq", seq)
    return tagged


def skipped_table(skipped: Sequence[Skipped], run_id: str, seqs: Sequence[int]) -> pa.Table:
    """Skipped inputs as rows of the skipped table, with the `read_seq` they were met at."""
    now = _now()
    rows = [(run_id, s.source_path, s.source_line, s.code, s.reason, now) for s in skipped]
    seq = pa.array(seqs, type=pa.int64())
    return _to_arrow(rows, SKIPPED_SCHEMA).append_column("read_seq", seq)


def _event_from_row(row: tuple[Any, ...]) -> Event:
    """An Event without actors and evidence from one row of EVENT_COLUMNS."""
    (event_id, report_id, plover_type, mode, cameo_root, acled_type, acled_sub, trigger,
     trigger_start, trigger_end, loc_name, geonameid, lat, lon, admin1, admin2, country_code,
     geo_precision, loc_start, loc_end, loc_reason, date_value, date_precision, date_start,
     date_end, fatalities, injured, arrested, confidence) = row  # fmt: skip
    location = None
    if loc_name is not None:
        location = Location(loc_name, geonameid, lat, lon, admin1, admin2, country_code,
                            geo_precision, loc_start, loc_end, loc_reason)  # fmt: skip
    when = (
        None if date_value is None else EventDate(date_value, date_precision, date_start, date_end)
    )
    return Event(
        event_id=event_id, report_id=report_id, plover_type=plover_type, mode=mode,
        trigger=trigger, trigger_start=trigger_start, trigger_end=trigger_end,
        cameo_root=cameo_root, acled_event_type=acled_type, acled_sub_event_type=acled_sub,
        location=location, date=when, fatalities=fatalities, injured=injured,
        arrested=arrested, confidence=confidence,
    )  # fmt: skip


def _country_code(value: str) -> str:
    """The filter's country as upper-case ISO3; anything else is a configuration error."""
    code = value.strip().upper()
    if len(code) != ISO3_LENGTH or not code.isalpha():
        raise errors.ConfigError("country", value, "an ISO 3166-1 alpha-3 code such as AFG")
    return code


# Filter conditions on `events e` that look into the actors table.
COUNTRY_SQL = (
    "(upper(e.country_code) = ? OR EXISTS (SELECT 1 FROM actors a "
    "WHERE a.event_id = e.event_id AND upper(a.country) = ?))"
)
ACTOR_SQL = (
    "EXISTS (SELECT 1 FROM actors a WHERE a.event_id = e.event_id AND "
    "(contains(lower(a.text), lower(?)) OR contains(lower(a.name), lower(?))))"
)


def _shared_conditions(flt: EventFilter, alias: str) -> list[tuple[str, list[object]]]:
    """The filter's conditions that read the same on `events e` and `merged_events m`: types,
    mode, dates and the bounding box (report, country and actor differ between the tables)."""
    conditions: list[tuple[str, list[object]]] = [("TRUE", [])]
    for column in ("plover_type", "acled_event_type", "mode"):
        value = getattr(flt, column)
        if value is not None:
            conditions.append((f"lower({alias}.{column}) = lower(?)", [value]))
    if flt.date_from is not None:
        conditions.append((f"{alias}.date_value >= ?", [flt.date_from]))
    if flt.date_to is not None:
        conditions.append((f"{alias}.date_value <= ?", [flt.date_to]))
    if flt.bbox is not None:
        conditions.append(_bbox_condition(flt.bbox, alias))
    return conditions


def _joined(conditions: list[tuple[str, list[object]]]) -> tuple[str, list[object]]:
    return " AND ".join(c for c, _ in conditions), [v for _, values in conditions for v in values]


def filter_sql(flt: EventFilter) -> tuple[str, list[object]]:
    """A WHERE condition on `events e` and its parameters; user values only ever as parameters."""
    conditions = _shared_conditions(flt, "e")
    if flt.report_id is not None:
        conditions.append(("e.report_id = ?", [flt.report_id]))
    if flt.country is not None:
        code = _country_code(flt.country)
        conditions.append((COUNTRY_SQL, [code, code]))
    if flt.actor is not None:
        conditions.append((ACTOR_SQL, [flt.actor, flt.actor]))
    return _joined(conditions)


def _bbox_condition(
    bbox: tuple[float, float, float, float], alias: str
) -> tuple[str, list[object]]:
    """Points that lie in the box; a box with min_lon > max_lon wraps across 180°."""
    min_lon, min_lat, max_lon, max_lat = bbox
    lat = f"{alias}.lat BETWEEN ? AND ?"
    if min_lon <= max_lon:
        return f"{lat} AND {alias}.lon BETWEEN ? AND ?", [min_lat, max_lat, min_lon, max_lon]
    return f"{lat} AND ({alias}.lon >= ? OR {alias}.lon <= ?)", [min_lat, max_lat, min_lon, max_lon]


def _in_list(count: int) -> str:
    """`(?, ?, ...)` with `count` placeholders."""
    return "(" + ", ".join("?" * count) + ")"


def page_key(event: Event) -> tuple[bool, date, str]:
    """An event's place in the read order (ORDER_KEY): where the next page starts after it."""
    undated = event.date is None
    return undated, date(1, 1, 1) if event.date is None else event.date.value, event.event_id


class Store:
    """The sitrep database: one DuckDB file holding runs, reports, events and skipped inputs."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and (self.path == MEMORY or not Path(path).exists()):
            raise FileNotFoundError(errors.E_NO_DB.format(path=self.path))
        # Never fetch extensions at run time: parquet and json are built into the wheel.
        config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        self._con = duckdb.connect(self.path, read_only=read_only, config=config)
        if not read_only:
            self._create_schema()
        elif self._missing_schema():
            # A database written by an older sitrep: bring it up to date once, then read it.
            self._con.close()
            try:
                with duckdb.connect(self.path, config=config) as writable:
                    writable.execute(SCHEMA_SQL)
                    writable.execute(ADD_COLUMNS_SQL)
            except duckdb.Error as exc:
                raise OSError(errors.E_OLD_DB.format(path=self.path, detail=exc)) from exc
            self._con = duckdb.connect(self.path, read_only=True, config=config)

    def _missing_schema(self) -> bool:
        """Whether tables or columns that this version reads are missing from the file."""
        tables = {row[0] for row in self._con.execute("SHOW TABLES").fetchall()}
        if not set(TABLES) <= tables:
            return True
        columns = {row[0] for row in self._con.execute("DESCRIBE events").fetchall()}
        return "location_reason" not in columns

    def _create_schema(self) -> None:
        """Create whatever tables and indexes are missing (a no-op on an existing database)."""
        self._con.execute(SCHEMA_SQL)
        self._con.execute(ADD_COLUMNS_SQL)
        self._con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            [str(SCHEMA_VERSION)],
        )

    def close(self) -> None:
        """Close the connection, releasing DuckDB's lock on the file for other processes."""
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    _joined = False  # inside `transaction()`: inner writes join it instead of committing

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes committed together (a batch and its merged events), so that readers
        on other cursors see all of them or none."""
        with self._transaction():
            self._joined = True
            try:
                yield
            finally:
                self._joined = False

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Everything inside is committed together or rolled back together."""
        if self._joined:  # the outer transaction commits or rolls back
            yield
            return
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
            self._con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            self._con.execute("ROLLBACK")
        except duckdb.TransactionException:
            log.debug("no transaction left to roll back (DuckDB already aborted it)")

    def _insert(self, table: str, rows: pa.Table) -> None:
        """Insert an Arrow table in one statement, matched to the columns by name.

        Call it inside `_transaction`: the registered view is transactional, so when the insert
        fails the rollback drops it (unregistering in an aborted transaction would itself fail
        and hide the real error).
        """
        if rows.num_rows == 0:
            return
        view = f"_sitrep_new_{table}"
        self._con.register(view, rows)
        self._con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
        self._con.unregister(view)

    def _insert_results(self, results: Sequence[ReportResult], run_id: str) -> tuple[int, int]:
        """Insert a batch table by table (reports first); returns (reports, events) written."""
        tables = _batch_tables(results, run_id)
        for table, rows in tables.items():
            self._insert(table, rows)
        return len(results), tables["events"].num_rows

    def start_run(self, inputs: Sequence[str], options: Mapping[str, object]) -> str:
        """Record the start of a run and return its id (uuid4 hex)."""
        run_id = uuid.uuid4().hex
        model, version = options.get("model"), options.get("model_version")
        self._con.execute(
            "INSERT INTO runs (run_id, started_at, inputs, options, sitrep_version, model, "
            "model_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [run_id, _now(), [str(i) for i in inputs],
             json.dumps(dict(options), ensure_ascii=False, sort_keys=True, default=str),
             _sitrep_version(), None if model is None else str(model),
             None if version is None else str(version)],
        )  # fmt: skip
        return run_id

    def finish_run(self, summary: RunSummary) -> None:
        """Store the counts of a finished run; an unknown run_id is an error, not a no-op."""
        counted = self._con.execute(
            "UPDATE runs SET finished_at = ?, reports_read = ?, reports_stored = ?, "
            "reports_duplicate = ?, reports_skipped = ?, reports_failed = ?, events_stored = ?, "
            "seconds = ? WHERE run_id = ?",
            [_now(), summary.reports_read, summary.reports_stored, summary.reports_duplicate,
             summary.reports_skipped, summary.reports_failed, summary.events_stored,
             summary.seconds, summary.run_id],
        ).fetchone()  # fmt: skip
        if not counted or counted[0] == 0:
            raise LookupError(errors.E_NO_RUN.format(run_id=summary.run_id, path=self.path))

    def known_report_ids(self, report_ids: Iterable[str]) -> set[str]:
        """Which of these reports are stored already, in one query."""
        ids = list(dict.fromkeys(report_ids))
        if not ids:
            return set()
        rows = self._con.execute(
            "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {row[0] for row in rows}

    def add_results(self, results: Sequence[ReportResult], run_id: str) -> tuple[int, int]:
        """Store new reports and their events in one transaction; stored reports are left alone.

        Returns (reports stored, events stored). On any error nothing of the batch remains.
        """
        with self._transaction():
            batch = _unique(results)
            known = self.known_report_ids(r.report.report_id for r in batch)
            fresh = [r for r in batch if r.report.report_id not in known]
            stored = self._insert_results(fresh, run_id)
        log.debug("stored %d reports, %d events (run %s)", *stored, run_id)
        return stored

    def replace_results(self, results: Sequence[ReportResult], run_id: str) -> tuple[int, int]:
        """Like add_results, but first delete what is stored for these reports (`--force`)."""
        with self._transaction():
            batch = _unique(results)
            self._delete_reports([r.report.report_id for r in batch])
            stored = self._insert_results(batch, run_id)
        log.debug("replaced %d reports, %d events (run %s)", *stored, run_id)
        return stored

    def _delete_reports(self, report_ids: list[str]) -> None:
        """Delete reports with their events, actors and evidence, in the caller's transaction."""
        if not report_ids:
            return
        ids = "(SELECT unnest(?::VARCHAR[]))"
        of_events = f"(SELECT event_id FROM events WHERE report_id IN {ids})"
        for table in ("evidence", "actors", "attributions"):
            self._con.execute(f"DELETE FROM {table} WHERE event_id IN {of_events}", [report_ids])
        self._con.execute(f"DELETE FROM quotes WHERE report_id IN {ids}", [report_ids])
        self._con.execute(f"DELETE FROM control_changes WHERE report_id IN {ids}", [report_ids])
        self._con.execute(f"DELETE FROM events WHERE report_id IN {ids}", [report_ids])
        self._con.execute(f"DELETE FROM reports WHERE report_id IN {ids}", [report_ids])

    def add_skipped(self, skipped: Sequence[Skipped], run_id: str) -> None:
        """Record inputs that did not become reports, with their code and reason."""
        now = _now()
        rows = [(run_id, s.source_path, s.source_line, s.code, s.reason, now) for s in skipped]
        with self._transaction():
            self._insert("skipped", _to_arrow(rows, SKIPPED_SCHEMA))

    def merge_parquet(self, folder: Path, *, replace: bool = False) -> tuple[int, int, int]:
        """Load the Parquet parts of a Ray run (one sub-folder per table) in one transaction.

        Each report is stored once, from its first copy (lowest `read_seq`); reports already stored
        are left alone, or replaced with `replace` (`--force`). Skipped inputs are added in the
        order they were met. Returns (reports stored, events stored, duplicate copies left out).
        """
        parts = {
            sub.name: sorted(str(p) for p in sub.glob("*.parquet"))
            for sub in sorted(folder.iterdir())
            if sub.is_dir()
        }
        parts = {name: files for name, files in parts.items() if files}
        if "reports" not in parts:
            if "skipped" in parts:
                with self._transaction():
                    self._insert_parts("skipped", parts["skipped"], "TRUE ORDER BY read_seq")
            return 0, 0, 0
        chosen = "_sitrep_chosen"
        inserted: dict[str, int] = {}
        with self._transaction():
            self._con.execute(
                f"CREATE OR REPLACE TEMP TABLE {chosen} AS SELECT report_id, "
                "min(read_seq) AS read_seq FROM read_parquet(?) GROUP BY report_id",
                [parts["reports"]],
            )
            row = self._con.execute("SELECT count(*) FROM read_parquet(?)", [parts["reports"]])
            copies = int((row.fetchone() or (0,))[0])
            if replace:
                rows = self._con.execute(f"SELECT report_id FROM {chosen}").fetchall()
                self._delete_reports([r[0] for r in rows])
            else:
                self._con.execute(
                    f"DELETE FROM {chosen} WHERE report_id IN (SELECT report_id FROM reports)"
                )
            keep = f"read_seq IN (SELECT read_seq FROM {chosen})"
            order = ["reports", "events", *(t for t in parts if t not in ("reports", "events"))]
            for table in order:
                where = "TRUE ORDER BY read_seq" if table == "skipped" else keep
                inserted[table] = self._insert_parts(table, parts[table], where)
            self._con.execute(f"DROP TABLE {chosen}")
        return inserted["reports"], inserted.get("events", 0), copies - inserted["reports"]

    def report_ids_of_run(self, run_id: str) -> list[str]:
        """The reports a run stored, in id order (the Ray engine merges them after loading)."""
        rows = self._con.execute(
            "SELECT report_id FROM reports WHERE run_id = ? ORDER BY report_id", [run_id]
        ).fetchall()
        return [row[0] for row in rows]

    def _insert_parts(self, table: str, files: list[str], where: str) -> int:
        """Insert the rows of Parquet files that match `where`, without read_seq; the count."""
        row = self._con.execute(
            f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (read_seq) FROM read_parquet(?) "
            f"WHERE {where}",
            [files],
        ).fetchone()
        return int(row[0]) if row else 0

    def report_ids(self) -> set[str]:
        """Every stored report id (the Ray engine leaves these out before parsing)."""
        return {row[0] for row in self._con.execute("SELECT report_id FROM reports").fetchall()}

    # -- reading -----------------------------------------------------------------------------

    def events(
        self, flt: EventFilter = ALL_EVENTS, *, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """Events matching the filter, complete, ordered by date (undated last), then event_id."""
        where, params = filter_sql(flt)
        sql = f"SELECT {EVENT_COLUMNS} FROM events e WHERE {where} ORDER BY {ORDER_KEY}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        if offset:
            sql += " OFFSET ?"
            params.append(offset)
        return self._complete(self._con.execute(sql, params).fetchall())

    def events_in_windows(self, windows: Sequence[tuple[str, date, date]]) -> list[Event]:
        """Events of each (PLOVER type, first day, last day) window, without their evidence, in
        one query: what merging reads to find the events a batch could join."""
        if not windows:
            return []
        where = " OR ".join(["(e.plover_type = ? AND e.date_value BETWEEN ? AND ?)"] * len(windows))
        params = [value for window in windows for value in window]
        sql = f"SELECT {EVENT_COLUMNS} FROM events e WHERE {where} ORDER BY {ORDER_KEY}"
        return self._complete(self._con.execute(sql, params).fetchall(), evidence=False)

    def iter_events(
        self, flt: EventFilter = ALL_EVENTS, *, page_size: int = 5000
    ) -> Iterator[Event]:
        """Every matching event in the order of `events`, read a page at a time (keyset paging)."""
        where, params = filter_sql(flt)
        after: list[object] = []
        while True:
            cond = where + (f" AND ({ORDER_KEY}) > (?, ?, ?)" if after else "")
            sql = f"SELECT {EVENT_COLUMNS} FROM events e WHERE {cond} ORDER BY {ORDER_KEY} LIMIT ?"
            page = self._complete(self._con.execute(sql, [*params, *after, page_size]).fetchall())
            yield from page
            if len(page) < page_size:
                return
            last = page[-1]
            undated = last.date is None
            after = [undated, date(1, 1, 1) if undated else last.date.value, last.event_id]  # type: ignore[union-attr]

    def events_page(
        self, flt: EventFilter, *, after: tuple[bool, date, str] | None, limit: int
    ) -> list[Event]:
        """Up to `limit` events following the key `after` (page_key of the last one seen).

        Keyset paging: each page costs the same however deep it is, unlike OFFSET.
        """
        where, params = filter_sql(flt)
        if after is not None:
            where += f" AND ({ORDER_KEY}) > (?, ?, ?)"
            params.extend(after)
        sql = f"SELECT {EVENT_COLUMNS} FROM events e WHERE {where} ORDER BY {ORDER_KEY} LIMIT ?"
        return self._complete(self._con.execute(sql, [*params, limit]).fetchall())

    def for_thread(self) -> Store:
        """This database on a new cursor: DuckDB connections must not be shared by threads."""
        view = object.__new__(Store)
        view.path = self.path
        view._con = self._con.cursor()
        return view

    def query(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query as dicts (for tables other stages add, such as quotes)."""
        cursor = self._con.execute(sql, list(params))
        names = [col[0] for col in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def columns(self, table: str) -> list[str]:
        """The columns of a table in the main schema; empty when the table does not exist."""
        rows = self._con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [row[0] for row in rows]

    def count_events(self, flt: EventFilter = ALL_EVENTS) -> int:
        """How many events match, without reading them."""
        where, params = filter_sql(flt)
        row = self._con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def event(self, event_id: str) -> Event | None:
        """One complete event, or None when the id is unknown."""
        rows = self._con.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.event_id = ?", [event_id]
        ).fetchall()
        found = self._complete(rows)
        return found[0] if found else None

    def event_by_prefix(self, prefix: str) -> Event | None:
        """The one event whose id starts with a prefix (as `sitrep events` shows them)."""
        rows = self._con.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e WHERE starts_with(e.event_id, ?) LIMIT 2",
            [prefix],
        ).fetchall()
        return self._complete(rows)[0] if len(rows) == 1 else None

    def skipped_for_run(self, run_id: str) -> list[dict[str, object]]:
        """The inputs one run skipped, in the order they were met."""
        cursor = self._con.execute(
            "SELECT source_path, source_line, code, reason FROM skipped WHERE run_id = ? "
            "ORDER BY rowid",
            [run_id],
        )
        names = [col[0] for col in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _complete(self, rows: list[tuple[Any, ...]], *, evidence: bool = True) -> list[Event]:
        """Events from event rows, with their actors, evidence and attributions."""
        events = [_event_from_row(row) for row in rows]
        if not events:
            return events
        by_id = {e.event_id: e for e in events}
        ids = list(by_id)
        # A short page: a literal IN list lets DuckDB look the ids up in the event_id indexes (a
        # join on an unnested list scans the whole table, which pays off for long pages only).
        if len(ids) <= INDEX_LOOKUP_MAX:
            in_ids, params = _in_list(len(ids)), list(ids)
        else:
            in_ids, params = "(SELECT unnest(?::VARCHAR[]))", [ids]
        for event_id, role, *fields in self._con.execute(
            'SELECT event_id, role, text, name, country, sector, start, "end" FROM actors '
            f"WHERE event_id IN {in_ids}",
            params,
        ).fetchall():
            setattr(by_id[event_id], role, Actor(*fields))
        for event_id, *fields in self._con.execute(
            'SELECT event_id, field, sentence, start, "end" FROM evidence '
            f"WHERE event_id IN {in_ids} ORDER BY event_id, seq",
            params,
        ).fetchall() if evidence else ():
            by_id[event_id].evidence.append(Evidence(*fields))
        for event_id, source, kind, verb, sector, country, quote_id, *where in self._con.execute(
            "SELECT event_id, source, kind, verb, sector, country, quote_id, sentence, start, "
            '"end" FROM attributions WHERE event_id IN (SELECT unnest(?::VARCHAR[])) '
            "ORDER BY event_id, seq",
            [ids],
        ).fetchall():
            evidence = Evidence("attribution", *where) if where[0] is not None else None
            by_id[event_id].attribution.append(
                Attribution(source, kind, verb, sector, country, quote_id, evidence)
            )
        return events

    # -- quotes (issue 6) ---------------------------------------------------------------------

    def quotes(self, flt: QuoteFilter | None = None, *, limit: int | None = None) -> list[Quote]:
        """Quotes matching the filter, by publication date, report and position."""
        flt = flt or QuoteFilter()
        conditions, params = ["TRUE"], []
        if flt.speaker:
            conditions.append("(contains(lower(q.speaker_name), lower(?)) OR "
                              "contains(lower(q.speaker_text), lower(?)))")  # fmt: skip
            params += [flt.speaker, flt.speaker]
        if flt.organisation:
            conditions.append("contains(lower(coalesce(q.speaker_organisation, '')), lower(?))")
            params.append(flt.organisation)
        if flt.date_from is not None:
            conditions.append("q.published >= ?")
            params.append(flt.date_from)
        if flt.date_to is not None:
            conditions.append("q.published <= ?")
            params.append(flt.date_to)
        if flt.report_id is not None:
            conditions.append("q.report_id = ?")
            params.append(flt.report_id)
        sql = (f"SELECT {QUOTE_COLUMNS} FROM quotes q WHERE {' AND '.join(conditions)} "
               "ORDER BY q.published NULLS LAST, q.report_id, q.start")  # fmt: skip
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_quote_from_row(row) for row in self._con.execute(sql, params).fetchall()]

    # -- territorial control (issue 6) --------------------------------------------------------

    def control_changes(
        self, country: str | None = None, until: date | None = None
    ) -> list[ControlChange]:
        """Changes of control, optionally in one country (ISO3) and up to a day, by date."""
        conditions, params = ["TRUE"], []
        if country is not None:
            conditions.append("upper(c.country_code) = ?")
            params.append(_country_code(country))
        if until is not None:
            conditions.append("c.date_value <= ?")
            params.append(until)
        sql = (f"SELECT {CONTROL_COLUMNS} FROM control_changes c WHERE {' AND '.join(conditions)} "
               "ORDER BY c.date_value NULLS LAST, c.event_id")  # fmt: skip
        return [_control_from_row(row) for row in self._con.execute(sql, params).fetchall()]

    # -- merged events (issue 6) --------------------------------------------------------------

    def published_dates(self, report_ids: Iterable[str]) -> dict[str, date | None]:
        """report_id -> publication date for these reports, in one query."""
        rows = self._con.execute(
            "SELECT report_id, published FROM reports WHERE report_id IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [list(report_ids)],
        ).fetchall()
        return dict(rows)

    def events_of_reports(self, report_ids: Sequence[str]) -> list[Event]:
        """Every event of these reports, complete, in one query."""
        rows = self._con.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.report_id IN "
            f"(SELECT unnest(?::VARCHAR[])) ORDER BY {ORDER_KEY}",
            [list(report_ids)],
        ).fetchall()
        return self._complete(rows)

    def merged_members_of_reports(self, report_ids: Sequence[str]) -> list[str]:
        """Event ids of every merged event that has a member from these reports."""
        rows = self._con.execute(
            "SELECT DISTINCT b.event_id FROM merged_members a JOIN merged_members b "
            "USING (merged_id) WHERE a.report_id IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY b.event_id",
            [list(report_ids)],
        ).fetchall()
        return [row[0] for row in rows]

    def replace_merged(self, merged: Sequence[MergedEvent], event_ids: Sequence[str]) -> None:
        """Delete the merged events of these events (and of the new groups' members) and store
        the new ones, in one transaction."""
        ids = list(dict.fromkeys([*event_ids, *(e for m in merged for e in m.event_ids)]))
        member_rows, merged_rows = [], []
        for m in merged:
            merged_rows.append(_merged_row(m))
            member_rows += [(e, m.merged_id, None) for e in m.event_ids]
        with self._transaction():
            old = "(SELECT merged_id FROM merged_members WHERE event_id IN " \
                  "(SELECT unnest(?::VARCHAR[])))"  # fmt: skip
            self._con.execute(f"DELETE FROM merged_events WHERE merged_id IN {old}", [ids])
            self._con.execute(
                f"DELETE FROM merged_members WHERE merged_id IN {old} "
                "OR event_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids, ids],
            )
            self._con.execute(
                "DELETE FROM merged_events WHERE merged_id IN (SELECT unnest(?::VARCHAR[]))",
                [[m.merged_id for m in merged]],
            )
            self._insert("merged_events", _to_arrow(merged_rows, MERGED_SCHEMA))
            self._insert("merged_members", self._member_table(member_rows))

    def _member_table(self, rows: list[tuple[Any, ...]]) -> pa.Table:
        """Member rows with each event's report id looked up."""
        ids = [row[0] for row in rows]
        reports = dict(self._con.execute(
            "SELECT event_id, report_id FROM events WHERE event_id IN "
            "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())  # fmt: skip
        return _to_arrow([(e, m, reports.get(e, "")) for e, m, _ in rows], MEMBER_SCHEMA)

    def clear_merged(self) -> None:
        """Forget every merged event (before `merge.rebuild`)."""
        with self._transaction():
            self._con.execute("DELETE FROM merged_members")
            self._con.execute("DELETE FROM merged_events")

    def merged_events(
        self, flt: EventFilter = ALL_EVENTS, *, limit: int | None = None
    ) -> list[MergedEvent]:
        """Merged events matching the filter (on their chosen fields), by date then id."""
        where, params = merged_filter_sql(flt)
        sql = f"SELECT {MERGED_COLUMNS} FROM merged_events m WHERE {where} ORDER BY {MERGED_ORDER}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_merged_from_row(row) for row in self._con.execute(sql, params).fetchall()]

    def count_merged(self, flt: EventFilter = ALL_EVENTS) -> int:
        """How many merged events match."""
        where, params = merged_filter_sql(flt)
        row = self._con.execute(
            f"SELECT count(*) FROM merged_events m WHERE {where}", params
        ).fetchone()
        return int(row[0]) if row else 0

    def merged_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        """event_id -> merged_id for these events."""
        rows = self._con.execute(
            "SELECT event_id, merged_id FROM merged_members WHERE event_id IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [list(event_ids)],
        ).fetchall()
        return dict(rows)

    def report(self, report_id: str) -> Report | None:
        """One report as it was read, or None when the id is unknown."""
        return self.reports([report_id]).get(report_id)

    def reports(self, report_ids: Iterable[str]) -> dict[str, Report]:
        """The stored reports among these ids, by id, in one query."""
        ids = list(dict.fromkeys(report_ids))
        if not ids:
            return {}
        rows = self._con.execute(
            "SELECT report_id, text, title, published, agencies, dateline, url, source_path, "
            "source_line, source_format, extra FROM reports "
            "WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {row[0]: _report_from_row(row) for row in rows}

    def stats(self) -> dict[str, int]:
        """How many reports, events, skipped inputs and runs the database holds."""
        tables = ("reports", "events", "skipped", "runs")
        counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
        row = self._con.execute(f"SELECT {counts}").fetchone() or (0,) * len(tables)
        return dict(zip(tables, (int(n) for n in row), strict=True))

    def runs(self) -> list[dict[str, object]]:
        """Every run, oldest first, as plain dicts (options parsed back from JSON)."""
        cursor = self._con.execute("SELECT * FROM runs ORDER BY started_at, run_id")
        names = [col[0] for col in cursor.description or ()]
        runs = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for run in runs:
            run["options"] = json.loads(str(run["options"]))
        return runs


def _report_from_row(row: tuple[Any, ...]) -> Report:
    (report_id, text, title, published, agencies, dateline, url, source_path, source_line,
     source_format, extra) = row  # fmt: skip
    return Report(
        report_id=report_id, text=text, title=title, published=published,
        agencies=tuple(agencies), dateline=dateline, url=url, source_path=source_path,
        source_line=source_line, source_format=source_format, extra=json.loads(extra),
    )  # fmt: skip


def _control_row(c: ControlChange) -> tuple[Any, ...]:
    loc, when, ev = c.place, c.date, c.evidence
    actor = lambda a: (a.name, a.country, a.sector) if a else (None, None, None)  # noqa: E731
    return (
        c.event_id, c.report_id, c.kind, loc.name, loc.geonameid, loc.lat, loc.lon, loc.admin1,
        loc.admin2, loc.country_code, loc.geo_precision, when.value if when else None,
        when.precision if when else None, *actor(c.holder), *actor(c.lost_by), c.trigger,
        ev.sentence, ev.start, ev.end, c.place_borrowed,
    )  # fmt: skip


def _control_from_row(row: tuple[Any, ...]) -> ControlChange:
    (event_id, report_id, kind, name, geonameid, lat, lon, admin1, admin2, country,
     geo_precision, date_value, date_precision, h_name, h_country, h_sector, l_name, l_country,
     l_sector, trigger, sentence, start, end, borrowed) = row  # fmt: skip
    place = Location(name, geonameid, lat, lon, admin1, admin2, country, geo_precision)
    when = EventDate(date_value, date_precision) if date_value is not None else None
    holder = Actor(h_name, h_name, h_country, h_sector) if h_name is not None else None
    lost_by = Actor(l_name, l_name, l_country, l_sector) if l_name is not None else None
    return ControlChange(event_id, report_id, kind, place, when, holder, lost_by, trigger,
                         Evidence("control", sentence, start, end), borrowed)  # fmt: skip


def _merged_row(m: MergedEvent) -> tuple[Any, ...]:
    a1, a2, loc, when = m.actor1, m.actor2, m.location, m.date
    actor = lambda a: (a.name, a.country, a.sector) if a else (None, None, None)  # noqa: E731
    place = (
        (loc.name, loc.geonameid, loc.lat, loc.lon, loc.admin1, loc.admin2, loc.country_code,
         loc.geo_precision) if loc else (None,) * 8
    )  # fmt: skip
    return (
        m.merged_id, m.plover_type, m.mode, m.acled_event_type, m.acled_sub_event_type,
        *actor(a1), *actor(a2), *place, when.value if when else None,
        when.precision if when else None, m.fatalities, m.injured, m.arrested, m.reports,
        m.sources, list(m.event_ids), list(m.report_ids), list(m.agencies),
    )  # fmt: skip


def _merged_from_row(row: tuple[Any, ...]) -> MergedEvent:
    (merged_id, plover, mode, acled, acled_sub, a1n, a1c, a1s, a2n, a2c, a2s, loc_name,
     geonameid, lat, lon, admin1, admin2, country, geo_precision, date_value, date_precision,
     fatalities, injured, arrested, reports, sources, event_ids, report_ids,
     agencies) = row  # fmt: skip
    actor1 = Actor(a1n, a1n, a1c, a1s) if a1n is not None else None
    actor2 = Actor(a2n, a2n, a2c, a2s) if a2n is not None else None
    location = None
    if loc_name is not None:
        location = Location(loc_name, geonameid, lat, lon, admin1, admin2, country,
                            geo_precision)  # fmt: skip
    when = EventDate(date_value, date_precision) if date_value is not None else None
    return MergedEvent(merged_id, plover, mode, acled, acled_sub, actor1, actor2, location, when,
                       fatalities, injured, arrested, reports, sources, list(event_ids),
                       list(report_ids), list(agencies))  # fmt: skip


MERGED_COUNTRY_SQL = (
    "(upper(m.country_code) = ? OR upper(m.actor1_country) = ? OR upper(m.actor2_country) = ?)"
)
MERGED_ACTOR_SQL = (
    "(contains(lower(coalesce(m.actor1_name, '')), lower(?)) OR "
    "contains(lower(coalesce(m.actor2_name, '')), lower(?)))"
)


def merged_filter_sql(flt: EventFilter) -> tuple[str, list[object]]:
    """A WHERE condition on `merged_events m`: the event filter applied to the merged fields."""
    conditions = _shared_conditions(flt, "m")
    if flt.report_id is not None:
        conditions.append(("list_contains(m.report_ids, ?)", [flt.report_id]))
    if flt.country is not None:
        code = _country_code(flt.country)
        conditions.append((MERGED_COUNTRY_SQL, [code, code, code]))
    if flt.actor is not None:
        conditions.append((MERGED_ACTOR_SQL, [flt.actor, flt.actor]))
    return _joined(conditions)


def _quote_from_row(row: tuple[Any, ...]) -> Quote:
    (quote_id, report_id, _published, name, role, organisation, country, sector, text_,
     s_start, s_end, text, direct, verb, start, end, sentence, event_ids) = row  # fmt: skip
    speaker = Speaker(name, role, organisation, country, sector, text_, s_start, s_end)
    return Quote(quote_id, report_id, speaker, text, direct, verb, start, end, sentence,
                 list(event_ids))  # fmt: skip
