"""Events and results built by hand for the store tests (no spaCy model).

A module of its own, not conftest.py: test files import it by name, and two conftest modules
would clash in sys.modules when tests/store and tests/export run together.
"""

from __future__ import annotations

from datetime import date

from sitrep.models import Actor, Event, EventDate, Evidence, Location, Report, ReportResult


def full_event(event_id: str = "r1-e1", report_id: str = "r1") -> Event:
    """An event with every field filled, evidence in a deliberately unsorted order."""
    return Event(
        event_id=event_id,
        report_id=report_id,
        plover_type="ASSAULT",
        mode="aerial",
        trigger="airstrike",
        trigger_start=40,
        trigger_end=49,
        cameo_root="19",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        actor1=Actor("Afghan air force", "Afghan Air Force", "AFG", "MIL", 10, 26),
        actor2=Actor("villagers", "Civilians (Afghanistan)", "AFG", "CVL", 60, 69),
        location=Location(
            "Qala-i-Naw", 1131316, 34.98735, 63.12891, "Badghis", None, "AFG", 1, 80, 90
        ),
        date=EventDate(date(2021, 7, 8), "day", 0, 7),
        fatalities=12,
        injured=0,
        arrested=None,
        confidence=0.875,
        evidence=[
            Evidence("trigger", "An airstrike hit the town.", 30, 56),
            Evidence("actor1", "The Afghan air force said…", 0, 27),
            Evidence("fatalities", "Twelve people were killed.", 57, 83),
        ],
    )


def bare_event(event_id: str = "r1-e2", report_id: str = "r1") -> Event:
    """An event with every optional field left empty."""
    return Event(event_id, report_id, "CONSULT", "visit", "met", 3, 6)


def make_result(report_id: str, n_events: int = 2, *, day: int = 1) -> ReportResult:
    """A report with n events, dated `day` of March 2021 and alternating countries."""
    events = []
    for i in range(n_events):
        event = full_event(f"{report_id}-e{i}", report_id)
        event.date = EventDate(date(2021, 3, day), "day")
        events.append(event)
    report = Report(
        report_id=report_id,
        text=f"Text of {report_id}.",
        title=f"Title {report_id}",
        published=date(2021, 3, day),
        agencies=("AFP", "Reuters"),
        source_path="in/reports.txt",
        source_line=day,
        extra={"section": "world"},
    )
    return ReportResult(report, events, language="en")
