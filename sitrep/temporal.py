"""When: the date each event happened.

This stage dates an event by its report's publication date, at week precision because the
event may have happened days before; the temporal-expression stage replaces it with dates read
from the text. A report with no publication date gives no event date rather than a guess.
"""

from __future__ import annotations

from sitrep.models import EventDate, Evidence, Report

PUBLICATION_PRECISION = "week"


def event_date(report: Report) -> tuple[EventDate, Evidence] | None:
    """The event's date with the evidence it rests on, or None when nothing dates it."""
    if report.published is None:
        return None
    value = EventDate(report.published, PUBLICATION_PRECISION)
    evidence = Evidence("date", f"published {report.published.isoformat()}", 0, 0)
    return value, evidence


ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def acled_time_precision(precision: str | None) -> int | None:
    """ACLED's time_precision code: 1 day, 2 week, 3 month or coarser."""
    return ACLED_TIME_PRECISION.get(precision or "")
