"""EXPORT stage: stored events written as JSON lines, CSV, Parquet, GeoJSON or ACLED-style CSV.

Formats are a registry (`EXPORT_FORMATS`): an exporter is a function that writes an iterable of
events to an open file and returns how many it wrote. The built-in formats register themselves
with `register_exporter` like any other would. Events are read from the store a page at a time.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from sitrep import errors
from sitrep.lexicon import csv_rows
from sitrep.models import (
    Actor,
    Attribution,
    Event,
    EventDate,
    EventFilter,
    Location,
    MergedEvent,
    Quote,
    QuoteFilter,
    Report,
)
from sitrep.store import ALL_EVENTS, Store

log = logging.getLogger(__name__)

PAGE_SIZE = 5000
COUNTRIES_FILE = "countries.csv"

WriteEvents = Callable[[Iterable[Event], Any, Store], int]


@dataclass(frozen=True)
class Exporter:
    """One output format: the function that writes it and whether its output is binary."""

    write: WriteEvents
    binary: bool = False

    def __call__(self, events: Iterable[Event], out: Any, store: Store) -> int:
        return self.write(events, out, store)


EXPORT_FORMATS: dict[str, Exporter] = {}


def register_exporter(name: str, *, binary: bool = False) -> Callable[[WriteEvents], WriteEvents]:
    """Decorator adding a format to EXPORT_FORMATS (text formats get a str file, binary a path)."""

    def add(write: WriteEvents) -> WriteEvents:
        EXPORT_FORMATS[name] = Exporter(write, binary)
        return write

    return add


# -- records -----------------------------------------------------------------------------------


def _actor_record(actor: Actor | None) -> dict[str, object] | None:
    if actor is None:
        return None
    return {
        "text": actor.text,
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
    }


def _place_record(loc: Location) -> dict[str, object]:
    """A place's GeoNames fields, as event and merged-event records both write them."""
    return {
        "name": loc.name, "geonameid": loc.geonameid, "lat": loc.lat, "lon": loc.lon,
        "admin1": loc.admin1, "admin2": loc.admin2, "country_code": loc.country_code,
        "geo_precision": loc.geo_precision,
    }  # fmt: skip


def _date_record(when: EventDate | None) -> dict[str, str] | None:
    """An event date as its ISO day and precision."""
    return None if when is None else {"value": when.value.isoformat(), "precision": when.precision}


def event_record(event: Event, merged_id: str | None = None) -> dict[str, object]:
    """The JSON-lines contract: these keys in this order (docs/schema.md); changes break users."""
    loc = event.location
    location = None if loc is None else {**_place_record(loc), "reason": loc.reason}
    return {
        "event_id": event.event_id,
        "report_id": event.report_id,
        "plover_type": event.plover_type,
        "mode": event.mode,
        "cameo_root": event.cameo_root,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "actor1": _actor_record(event.actor1),
        "actor2": _actor_record(event.actor2),
        "location": location,
        "date": _date_record(event.date),
        "fatalities": event.fatalities,
        "injured": event.injured,
        "arrested": event.arrested,
        "confidence": event.confidence,
        "evidence": [
            {"field": ev.field, "sentence": ev.sentence, "start": ev.start, "end": ev.end}
            for ev in event.evidence
        ],
        "attribution": [attribution_record(a) for a in event.attribution],
        "merged_id": merged_id,
    }


def attribution_record(a: Attribution) -> dict[str, object]:
    """Who reports or claims an event, with the sentence that says so."""
    ev = a.evidence
    return {
        "source": a.source,
        "kind": a.kind,
        "verb": a.verb,
        "sector": a.sector,
        "country": a.country,
        "quote_id": a.quote_id,
        "evidence": None
        if ev is None
        else {"sentence": ev.sentence, "start": ev.start, "end": ev.end},
    }


def quote_record(q: Quote) -> dict[str, object]:
    """One quote as `sitrep export --what quotes` writes it (docs/schema.md)."""
    s = q.speaker
    return {
        "quote_id": q.quote_id,
        "report_id": q.report_id,
        "speaker": {
            "name": s.name,
            "role": s.role,
            "organisation": s.organisation,
            "country": s.country,
        },
        "text": q.text,
        "direct": q.direct,
        "event_ids": list(q.event_ids),
        "evidence": {"sentence": q.sentence, "start": q.start, "end": q.end},
    }


def merged_record(m: MergedEvent) -> dict[str, object]:
    """One merged event as `sitrep export --what merged` writes it (docs/schema.md)."""
    location = None if m.location is None else _place_record(m.location)
    return {
        "merged_id": m.merged_id,
        "plover_type": m.plover_type,
        "mode": m.mode,
        "acled_event_type": m.acled_event_type,
        "acled_sub_event_type": m.acled_sub_event_type,
        "actor1": _merged_actor(m.actor1),
        "actor2": _merged_actor(m.actor2),
        "location": location,
        "date": _date_record(m.date),
        "fatalities": m.fatalities,
        "injured": m.injured,
        "arrested": m.arrested,
        "reports": m.reports,
        "sources": m.sources,
        "agencies": list(m.agencies),
        "report_ids": list(m.report_ids),
        "event_ids": list(m.event_ids),
    }


def _merged_actor(actor: Actor | None) -> dict[str, object] | None:
    if actor is None:
        return None
    return {"name": actor.name, "country": actor.country, "sector": actor.sector}


def export_merged(
    store: Store, out: Path | str | IO[str] | None, flt: EventFilter = ALL_EVENTS
) -> int:
    """Write the merged events matching `flt` as JSON lines; returns how many were written."""
    count = 0
    with _text_output(out) as f:
        for merged in store.merged_events(flt):
            f.write(json.dumps(merged_record(merged), ensure_ascii=False) + "\n")
            count += 1
    log.info("exported %d merged events", count)
    return count


def export_quotes(
    store: Store, out: Path | str | IO[str] | None, flt: QuoteFilter | None = None
) -> int:
    """Write the quotes matching `flt` as JSON lines; returns how many were written."""
    count = 0
    with _text_output(out) as f:
        for quote in store.quotes(flt):
            f.write(json.dumps(quote_record(quote), ensure_ascii=False) + "\n")
            count += 1
    log.info("exported %d quotes", count)
    return count


def trigger_sentence(event: Event) -> str | None:
    """The sentence the event was found in: the trigger's evidence, else the first evidence."""
    for ev in event.evidence:
        if ev.field == "trigger":
            return ev.sentence
    return event.evidence[0].sentence if event.evidence else None


# The flat columns of csv, parquet and the GeoJSON properties, with their Parquet types.
FLAT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("report_id", pa.string()), ("plover_type", pa.string()),
    ("mode", pa.string()), ("cameo_root", pa.string()), ("acled_event_type", pa.string()),
    ("acled_sub_event_type", pa.string()), ("trigger", pa.string()),
    ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
    ("actor1_text", pa.string()), ("actor1_name", pa.string()),
    ("actor1_country", pa.string()), ("actor1_sector", pa.string()),
    ("actor2_text", pa.string()), ("actor2_name", pa.string()),
    ("actor2_country", pa.string()), ("actor2_sector", pa.string()),
    ("location_name", pa.string()), ("geonameid", pa.int64()), ("lat", pa.float64()),
    ("lon", pa.float64()), ("admin1", pa.string()), ("admin2", pa.string()),
    ("country_code", pa.string()), ("geo_precision", pa.int32()),
    ("location_reason", pa.string()),
    ("date_value", pa.date32()), ("date_precision", pa.string()),
    ("fatalities", pa.int32()), ("injured", pa.int32()), ("arrested", pa.int32()),
    ("confidence", pa.float64()), ("trigger_sentence", pa.string()),
])  # fmt: skip
FLAT_COLUMNS = tuple(FLAT_SCHEMA.names)
EVENT_FIELDS = FLAT_COLUMNS[: FLAT_COLUMNS.index("trigger_end") + 1]  # Event's own fields


def flat_record(event: Event) -> dict[str, Any]:
    """One event as the flat columns (typed Python values; dates stay `date`)."""
    record: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
    for role in ("actor1", "actor2"):
        actor = getattr(event, role)
        for key in ("text", "name", "country", "sector"):
            record[f"{role}_{key}"] = getattr(actor, key) if actor else None
    loc, when = event.location, event.date
    record["location_name"] = loc.name if loc else None
    for key in ("geonameid", "lat", "lon", "admin1", "admin2", "country_code", "geo_precision"):
        record[key] = getattr(loc, key) if loc else None
    record["location_reason"] = loc.reason if loc else None
    record["date_value"] = when.value if when else None
    record["date_precision"] = when.precision if when else None
    for key in ("fatalities", "injured", "arrested", "confidence"):
        record[key] = getattr(event, key)
    record["trigger_sentence"] = trigger_sentence(event)
    return record


def _text(value: object) -> str:
    """A CSV cell: empty for None, ISO for dates."""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _chunks(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    chunk: list[Event] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the built-in formats ------------------------------------------------------------------------


@register_exporter("jsonl")
def write_jsonl(events: Iterable[Event], out: IO[str], store: Store) -> int:
    """One JSON object per line (event_record and the merged event it belongs to), UTF-8 as is."""
    count = 0
    for chunk in _chunks(events, PAGE_SIZE):
        merged = store.merged_ids([e.event_id for e in chunk])
        for event in chunk:
            record = event_record(event, merged.get(event.event_id))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += len(chunk)
    return count


@register_exporter("csv")
def write_csv(events: Iterable[Event], out: IO[str], store: Store) -> int:
    """One row per event with the flat columns; evidence only as trigger_sentence."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    count = 0
    for event in events:
        writer.writerow([_text(value) for value in flat_record(event).values()])
        count += 1
    return count


@register_exporter("parquet", binary=True)
def write_parquet(events: Iterable[Event], out: Any, store: Store) -> int:
    """The flat columns, typed, one row group per page of events."""
    count = 0
    with pq.ParquetWriter(out, FLAT_SCHEMA) as writer:
        for chunk in _chunks(events, PAGE_SIZE):
            writer.write_table(pa.Table.from_pylist([flat_record(e) for e in chunk], FLAT_SCHEMA))
            count += len(chunk)
        if count == 0:
            writer.write_table(FLAT_SCHEMA.empty_table())
    return count


def geojson_feature(event: Event) -> dict[str, object]:
    """A Feature: a Point at [lon, lat] when the place has coordinates, else no geometry."""
    loc = event.location
    geometry = None
    if loc is not None and loc.lat is not None and loc.lon is not None:
        geometry = {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    properties = {key: _json_value(value) for key, value in flat_record(event).items()}
    return {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": properties}


def _json_value(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


@register_exporter("geojson")
def write_geojson(events: Iterable[Event], out: IO[str], store: Store) -> int:
    """A FeatureCollection, written feature by feature so it never sits in memory whole."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for event in events:
        out.write(",\n" if count else "")
        out.write(json.dumps(geojson_feature(event), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


# -- ACLED ---------------------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp", "sitrep_event_id",
)  # fmt: skip
DISORDER_TYPES = {
    "battles": "Political violence",
    "explosions/remote violence": "Political violence",
    "violence against civilians": "Political violence",
    "protests": "Demonstrations",
    "riots": "Demonstrations",
    "strategic developments": "Strategic developments",
}
TIME_PRECISION = {"day": 1, "week": 2}  # month, year and anything coarser: 3
COARSE_TIME = 3
CIVILIANS_INTER = 7


@cache
def country_names() -> dict[str, str]:
    """ISO3 → country name from countries.csv; empty (ISO3 used as the name) when it is missing."""
    try:
        rows = csv_rows(COUNTRIES_FILE)
    except FileNotFoundError:
        log.warning("%s is missing: ACLED exports give the ISO3 code as country", COUNTRIES_FILE)
        return {}
    return {row["iso3"].upper(): row["name"] for row in rows if row.get("iso3")}


def _acled_actors(event: Event) -> dict[str, object]:
    # Imported here: sitrep.acled loads sitrep.actors and spaCy, which other exports never need.
    from sitrep.acled import acled_actors

    coded = acled_actors(event)
    return {
        "actor1": coded.actor1,
        "assoc_actor_1": coded.assoc1,
        "inter1": coded.inter1,
        "actor2": coded.actor2,
        "assoc_actor_2": coded.assoc2,
        "inter2": coded.inter2,
        "interaction": coded.interaction,
        "civilian_targeting": "Civilian targeting" if coded.civilian_targeting else None,
    }


def _acled_place(event: Event) -> dict[str, object]:
    loc = event.location
    if loc is None:
        return {}
    code = (loc.country_code or "").upper()
    return {
        "country": country_names().get(code, code) or None,
        "admin1": loc.admin1,
        "admin2": loc.admin2,
        "location": loc.name,
        "latitude": loc.lat,
        "longitude": loc.lon,
        "geo_precision": loc.geo_precision,
    }


def acled_row(event: Event, report: Report | None) -> dict[str, object]:
    """One event in ACLED's columns; what sitrep cannot know (iso, region, tags…) stays None."""
    when, event_type = event.date, event.acled_event_type or ""
    row: dict[str, object] = dict.fromkeys(ACLED_COLUMNS)
    row.update(
        event_id_cnty=event.report_id,
        event_date=when.value.isoformat() if when else None,
        year=when.value.year if when else None,
        time_precision=TIME_PRECISION.get(when.precision, COARSE_TIME) if when else None,
        disorder_type=DISORDER_TYPES.get(event_type.lower()),
        event_type=event.acled_event_type,
        sub_event_type=event.acled_sub_event_type,
        source="; ".join(report.agencies) if report else None,
        notes=trigger_sentence(event),
        fatalities=event.fatalities or 0,
        sitrep_event_id=event.event_id,
    )
    row.update(_acled_actors(event))
    row.update(_acled_place(event))
    return row


@register_exporter("acled")
def write_acled(events: Iterable[Event], out: IO[str], store: Store) -> int:
    """ACLED's columns, one row per event with an ACLED event type (others are left out)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for chunk in _chunks(events, PAGE_SIZE):
        in_scope = [e for e in chunk if e.acled_event_type]
        reports = store.reports(e.report_id for e in in_scope)
        for event in in_scope:
            row = acled_row(event, reports.get(event.report_id))
            writer.writerow([_text(value) for value in row.values()])
        count += len(in_scope)
    return count


# -- entry point ---------------------------------------------------------------------------------


@contextmanager
def _output_path(path: Path) -> Iterator[Path]:
    """A temporary sibling that replaces `path` only when writing succeeded."""
    part = path.with_name(path.name + ".part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


@contextmanager
def _text_output(out: Path | str | IO[str] | None) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
    elif isinstance(out, str | Path):
        with _output_path(Path(out)) as part, part.open("w", encoding="utf-8", newline="") as f:
            yield f
    else:
        yield out


def export_events(
    store: Store, fmt: str, out: Path | str | IO[Any] | None, flt: EventFilter = ALL_EVENTS
) -> int:
    """Write the events matching `flt` in format `fmt`; returns how many were written.

    `out` is a path, an open file (text, or binary for parquet) or None for standard output.
    """
    if fmt not in EXPORT_FORMATS:
        allowed = ", ".join(sorted(EXPORT_FORMATS))
        raise ValueError(errors.E_FORMAT.format(fmt=fmt, allowed=allowed))
    exporter = EXPORT_FORMATS[fmt]
    events = store.iter_events(flt, page_size=PAGE_SIZE)
    if not exporter.binary:
        with _text_output(out) as f:
            count = exporter(events, f, store)
    elif isinstance(out, str | Path):
        with _output_path(Path(out)) as part:
            count = exporter(events, str(part), store)
    elif out is None or isinstance(out, io.TextIOBase):
        raise ValueError(errors.E_BINARY_OUT.format(fmt=fmt))
    else:
        count = exporter(events, out, store)
    log.info("exported %d events as %s", count, fmt)
    return count
