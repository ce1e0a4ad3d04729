"""Events and reports come back from the store exactly as they were written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_samples import bare_event, full_event, make_result

from sitrep.models import Actor, Event, EventDate, Evidence, Location, Report, ReportResult
from sitrep.store import SCHEMA_SQL, Store


def test_full_event_round_trips(store: Store, run_id: str) -> None:
    event = full_event()
    store.add_results([ReportResult(Report("r1", "text"), [event])], run_id)
    assert store.event(event.event_id) == event


def test_event_with_every_optional_field_empty_round_trips(store: Store, run_id: str) -> None:
    event = bare_event()
    store.add_results([ReportResult(Report("r1", "text"), [event])], run_id)
    back = store.event(event.event_id)
    assert back == event
    assert back is not None and back.location is None and back.date is None
    assert back.actor1 is None and back.evidence == []


def test_partial_location_and_one_actor_round_trip(store: Store, run_id: str) -> None:
    event = bare_event()
    event.location = Location("somewhere")
    event.date = EventDate(date(2020, 5, 1), "month")
    event.actor2 = Actor("police", "Police")
    store.add_results([ReportResult(Report("r1", "text"), [event])], run_id)
    assert store.event(event.event_id) == event


def test_evidence_keeps_the_order_given(store: Store, run_id: str) -> None:
    event = full_event()
    event.evidence = [Evidence(f"f{i}", f"sentence {i}", 100 - i, 200 - i) for i in range(12)]
    store.add_results([ReportResult(Report("r1", "text"), [event])], run_id)
    back = store.event(event.event_id)
    assert back is not None
    assert [ev.field for ev in back.evidence] == [f"f{i}" for i in range(12)]


def test_report_round_trips(store: Store, run_id: str) -> None:
    result = make_result("r9")
    store.add_results([result], run_id)
    assert store.report("r9") == result.report
    assert store.report("missing") is None
    assert store.event("missing") is None


text = st.text(max_size=20)
maybe_text = st.none() | text
maybe_int = st.none() | st.integers(0, 2**31 - 1)
coordinate = st.none() | st.floats(-180, 180, allow_nan=False)
actors = st.none() | st.builds(Actor, text, text, maybe_text, maybe_text, maybe_int, maybe_int)
locations = st.none() | st.builds(
    Location, text, st.none() | st.integers(0, 2**40), coordinate, coordinate,
    maybe_text, maybe_text, maybe_text, maybe_int, maybe_int, maybe_int,
)  # fmt: skip
dates = st.none() | st.builds(EventDate, st.dates(), st.sampled_from(["day", "week", "month"]))
evidence = st.lists(st.builds(Evidence, text, text, st.integers(0, 10**6), st.integers(0, 10**6)))


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    with Store(":memory:") as store:
        yield store


@settings(max_examples=40, deadline=None)
@given(
    actor1=actors, actor2=actors, location=locations, when=dates, evidence=evidence,
    fatalities=maybe_int, confidence=st.floats(0, 1), trigger=text,
)  # fmt: skip
def test_any_event_round_trips(
    shared_store: Store,
    actor1: Actor | None,
    actor2: Actor | None,
    location: Location | None,
    when: EventDate | None,
    evidence: list[Evidence],
    fatalities: int | None,
    confidence: float,
    trigger: str,
) -> None:
    event = Event(
        "e", "r", "PROTEST", "demonstrate", trigger, 0, 5, actor1=actor1, actor2=actor2,
        location=location, date=when, fatalities=fatalities, confidence=confidence,
        evidence=evidence,
    )  # fmt: skip
    shared_store.replace_results([ReportResult(Report("r", "text"), [event])], "run")
    assert shared_store.event("e") == event


def test_a_location_keeps_its_reason(store: Store, run_id: str) -> None:
    event = bare_event()
    event.location = Location("Zorbakistan", country_code="AFG", reason="not in gazetteer")
    store.add_results([ReportResult(Report("r1", "text"), [event])], run_id)
    back = store.event(event.event_id)
    assert back is not None and back.location == event.location


def test_a_database_from_before_the_reason_column_gains_it(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute(SCHEMA_SQL.replace("location_reason VARCHAR,", ""))
    old.close()
    with Store(path) as store:
        event = bare_event()
        event.location = Location("Paris", reason="ambiguous: 2 candidates in FRA, USA")
        run = store.start_run(["in/"], {"model": "en_core_web_sm", "model_version": "3.8.0"})
        store.add_results([ReportResult(Report("r1", "text"), [event])], run)
        assert store.event(event.event_id) == event


def test_an_older_database_opened_read_only_is_brought_up_to_date(tmp_path: Path) -> None:
    """A file from before the issue-6 tables still answers reads (they are created first)."""
    path = tmp_path / "older.duckdb"
    with Store(path) as store:
        run = store.start_run(["in/"], {})
        store.add_results([ReportResult(Report("r1", "text"), [bare_event()])], run)
    older = duckdb.connect(str(path))
    older.execute("DROP TABLE attributions")
    older.execute("DROP TABLE quotes")
    older.close()
    with Store(path, read_only=True) as store:
        (event,) = store.events()
        assert event.event_id == bare_event().event_id
        assert event.attribution == []
