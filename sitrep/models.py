"""Plain data classes passed between the pipeline stages.

Every stage reads and returns these; none of them holds a spaCy object, so they can be
pickled, sent to another process and stored as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Report:
    """One news report as read from its source, before any NLP."""

    report_id: str
    text: str
    title: str | None = None
    published: date | None = None
    agencies: tuple[str, ...] = ()
    dateline: str | None = None
    url: str | None = None
    source_path: str | None = None
    source_line: int | None = None
    source_format: str = "text"
    # Columns of a structured record that sitrep does not interpret (kept for provenance).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """An input that could not become a report, and why (reported, never raised)."""

    source_path: str
    source_line: int | None
    code: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    """Where a field's value came from: the sentence and the character span in the report."""

    field: str
    sentence: str
    start: int
    end: int


@dataclass
class Actor:
    """A participant in an event, as written and as resolved."""

    text: str
    name: str
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Location:
    """Where an event happened; geo fields stay empty until the gazetteer fills them.

    `reason` says why the place has no coordinates or only coarse ones ("not in gazetteer",
    "ambiguous: 2 candidates 1,400 km apart", "country only"); None when it resolved cleanly.
    """

    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country_code: str | None = None
    geo_precision: int | None = None
    start: int | None = None
    end: int | None = None
    reason: str | None = None


@dataclass
class EventDate:
    """When an event happened: an ISO date and how precise it is (day, week, month, year)."""

    value: date
    precision: str
    start: int | None = None
    end: int | None = None


@dataclass
class Attribution:
    """Who reports or claims an event ("officials said", "the Taliban claimed responsibility")."""

    source: str
    kind: str  # reported, claimed, confirmed or denied
    verb: str
    sector: str | None = None
    country: str | None = None
    quote_id: str | None = None
    evidence: Evidence | None = None


@dataclass
class Event:
    """One coded event with every field and the evidence for each."""

    event_id: str
    report_id: str
    plover_type: str
    mode: str
    trigger: str
    trigger_start: int
    trigger_end: int
    cameo_root: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Location | None = None
    date: EventDate | None = None
    fatalities: int | None = None
    injured: int | None = None
    arrested: int | None = None
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)


@dataclass
class Speaker:
    """Who is quoted: the fullest name in the report, the role and organisation it gives."""

    name: str
    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    sector: str | None = None
    text: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class Quote:
    """One statement in a report, direct (in quote marks) or indirect ("said that ...")."""

    quote_id: str
    report_id: str
    speaker: Speaker
    text: str
    direct: bool
    verb: str
    start: int
    end: int
    sentence: str
    event_ids: list[str] = field(default_factory=list)


@dataclass
class MergedEvent:
    """One real-world event told by one or more reports (sitrep/merge.py decides every field)."""

    merged_id: str
    plover_type: str
    mode: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    actor1: Actor | None
    actor2: Actor | None
    location: Location | None
    date: EventDate | None
    fatalities: int | None
    injured: int | None
    arrested: int | None
    reports: int = 1
    sources: int = 1
    event_ids: list[str] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


@dataclass
class ControlChange:
    """A town or district changing hands, from one event (sitrep/control.py)."""

    event_id: str
    report_id: str
    kind: str  # taken, regained, handed over, surrendered
    place: Location
    date: EventDate | None
    holder: Actor | None
    lost_by: Actor | None
    trigger: str
    evidence: Evidence
    place_borrowed: bool = False


@dataclass
class ReportResult:
    """What the pipeline made of one report."""

    report: Report
    events: list[Event]
    language: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    control: list[ControlChange] = field(default_factory=list)


@dataclass
class RunSummary:
    """What one `sitrep run` did, shown at the end and stored in the runs table."""

    run_id: str
    reports_read: int = 0
    reports_stored: int = 0
    reports_duplicate: int = 0
    reports_skipped: int = 0
    reports_failed: int = 0
    events_stored: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class EventFilter:
    """Which events a query returns; every field left empty matches everything."""

    date_from: date | None = None
    date_to: date | None = None
    plover_type: str | None = None
    acled_event_type: str | None = None
    country: str | None = None
    actor: str | None = None
    report_id: str | None = None
    mode: str | None = None
    # (min_lon, min_lat, max_lon, max_lat) in WGS84 degrees; min_lon > max_lon crosses 180°.
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class QuoteFilter:
    """Which quotes a query returns: speaker and organisation are case-insensitive substrings,
    dates bound the report's publication date; empty fields match everything."""

    speaker: str | None = None
    organisation: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    report_id: str | None = None
