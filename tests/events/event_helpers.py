"""Helpers of the event tests."""

from __future__ import annotations

from collections.abc import Callable

from sitrep.models import Event, ReportResult

Coder = Callable[[str], ReportResult]


def only(events: list[Event], plover_type: str) -> Event:
    """The one event of a PLOVER type, failing with what was found instead."""
    found = [e for e in events if e.plover_type == plover_type]
    summary = [(e.plover_type, e.trigger, e.mode) for e in events]
    assert len(found) == 1, f"expected one {plover_type}, got {summary}"
    return found[0]
