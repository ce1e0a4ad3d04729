"""Hand-built events for the export tests (no spaCy model); imported by name, see conftest.py."""

from __future__ import annotations

from datetime import date

from sitrep.models import Actor, Event, EventDate, Evidence, Location


def strike() -> Event:
    """An air strike on civilians, every field filled, non-ASCII text included."""
    return Event(
        event_id="r1-e1",
        report_id="r1",
        plover_type="ASSAULT",
        mode="aerial",
        trigger="airstrike",
        trigger_start=40,
        trigger_end=49,
        cameo_root="19",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        actor1=Actor("Afghan air force", "Military Forces of Afghanistan", "AFG", "MIL", 10, 26),
        actor2=Actor("villagers", "Civilians (Afghanistan)", "AFG", "CVL", 60, 69),
        location=Location("Qala-i-Naw", 1131316, 34.98735, 63.12891, "Badghis", None, "AFG", 1),
        date=EventDate(date(2021, 7, 8), "day"),
        fatalities=12,
        injured=3,
        confidence=0.875,
        evidence=[
            Evidence("actor1", "The Afghan air force — officials said…", 0, 38),
            Evidence("trigger", "An airstrike hit Qala-i-Naw, killing 12.", 39, 80),
        ],
    )


def protest() -> Event:
    """A protest with a place but no coordinates, no actor2 and unknown fatalities."""
    return Event(
        event_id="r2-e1",
        report_id="r2",
        plover_type="PROTEST",
        mode="demonstrate",
        trigger="protested",
        trigger_start=9,
        trigger_end=18,
        acled_event_type="Protests",
        acled_sub_event_type="Peaceful protest",
        actor1=Actor("teachers", "Teachers (Kenya)", "KEN", "EDU"),
        location=Location("Nairobi", country_code="KEN", geo_precision=3),
        date=EventDate(date(2021, 7, 1), "month"),
        confidence=0.5,
        evidence=[Evidence("location", "Teachers protested in Nairobi.", 0, 30)],
    )


def meeting() -> Event:
    """A meeting: no ACLED type (left out of the acled export), no place, no date."""
    return Event("r2-e2", "r2", "CONSULT", "visit", "met", 50, 53)
