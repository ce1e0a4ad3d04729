"""Filters, counts, order and paging of stored events; runs and stats; read-only opening."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from store_samples import bare_event, make_result

from sitrep.errors import ConfigError
from sitrep.models import Actor, EventDate, EventFilter, Location, ReportResult, RunSummary
from sitrep.store import Store


@pytest.fixture
def filled(store: Store, run_id: str) -> Store:
    """Three reports: r1 in Afghanistan (March 1), r2 a protest in Kenya (March 5), r3 undated."""
    r1 = make_result("r1", 2, day=1)
    r2 = make_result("r2", 1, day=5)
    protest = r2.events[0]
    protest.plover_type, protest.mode = "PROTEST", "demonstrate"
    protest.acled_event_type, protest.acled_sub_event_type = "Protests", "Peaceful protest"
    protest.location = Location("Nairobi", country_code="KEN")
    protest.actor1 = Actor("teachers", "Teachers (Kenya)", "KEN", "EDU")
    protest.actor2 = Actor("Pakistani envoy", "Government of Pakistan", "PAK", "GOV")
    r3 = ReportResult(make_result("r3", 0).report, [bare_event("r3-a", "r3")])
    store.add_results([r1, r2, r3], run_id)
    return store


def ids(store: Store, **kwargs: object) -> list[str]:
    return [e.event_id for e in store.events(EventFilter(**kwargs))]  # type: ignore[arg-type]


def test_events_are_ordered_by_date_then_id_with_undated_last(filled: Store) -> None:
    assert ids(filled) == ["r1-e0", "r1-e1", "r2-e0", "r3-a"]
    assert filled.count_events() == 4


def test_limit_and_offset_page_through_the_order(filled: Store) -> None:
    pages = [filled.events(limit=2, offset=o) for o in (0, 2, 4)]
    assert [[e.event_id for e in page] for page in pages] == [
        ["r1-e0", "r1-e1"], ["r2-e0", "r3-a"], [],
    ]  # fmt: skip


def test_iter_events_gives_the_same_events_in_small_pages(filled: Store) -> None:
    assert list(filled.iter_events(page_size=1)) == filled.events()
    assert list(filled.iter_events(EventFilter(plover_type="ASSAULT"), page_size=2)) == (
        filled.events(EventFilter(plover_type="ASSAULT"))
    )


def test_iter_events_pages_over_equal_dates(store: Store, run_id: str) -> None:
    store.add_results([make_result(f"r{i}", 3, day=2) for i in range(7)], run_id)
    assert [e.event_id for e in store.iter_events(page_size=4)] == ids(store)
    assert len(ids(store)) == 21


def test_date_range_is_inclusive_and_skips_undated(filled: Store) -> None:
    assert ids(filled, date_from=date(2021, 3, 5)) == ["r2-e0"]
    assert ids(filled, date_to=date(2021, 3, 1)) == ["r1-e0", "r1-e1"]
    assert ids(filled, date_from=date(2021, 3, 2), date_to=date(2021, 3, 4)) == []


def test_type_filters_ignore_case(filled: Store) -> None:
    assert ids(filled, plover_type="protest") == ["r2-e0"]
    assert ids(filled, acled_event_type="explosions/REMOTE violence") == ["r1-e0", "r1-e1"]
    assert ids(filled, mode="Demonstrate") == ["r2-e0"]


def test_country_matches_the_place_or_either_actor(filled: Store) -> None:
    assert ids(filled, country="KEN") == ["r2-e0"]
    assert ids(filled, country="pak") == ["r2-e0"]
    assert ids(filled, country="AFG") == ["r1-e0", "r1-e1"]
    assert filled.count_events(EventFilter(country="USA")) == 0


@pytest.mark.parametrize("bad", ["KE", "Kenya", "K3N", ""])
def test_country_must_be_iso3(filled: Store, bad: str) -> None:
    with pytest.raises(ConfigError, match="E001"):
        filled.events(EventFilter(country=bad))


def test_actor_is_a_case_insensitive_substring_of_text_or_name(filled: Store) -> None:
    assert ids(filled, actor="TEACH") == ["r2-e0"]
    assert ids(filled, actor="(kenya)") == ["r2-e0"]
    assert ids(filled, actor="air force") == ["r1-e0", "r1-e1"]
    assert ids(filled, actor="%") == []  # no LIKE wildcards


def test_report_id_and_combined_filters(filled: Store) -> None:
    assert ids(filled, report_id="r3") == ["r3-a"]
    assert ids(filled, report_id="r1", actor="villagers", country="AFG") == ["r1-e0", "r1-e1"]
    assert filled.count_events(EventFilter(report_id="r1", plover_type="PROTEST")) == 0


def test_runs_record_options_and_summary(store: Store) -> None:
    run_id = store.start_run(["a.txt", "dir/"], {"model": "en_core_web_sm", "workers": 2})
    store.finish_run(
        RunSummary(run_id, reports_read=3, reports_stored=2, events_stored=5, seconds=1.5)
    )
    (run,) = store.runs()
    assert run["run_id"] == run_id and len(run_id) == 32
    assert run["inputs"] == ["a.txt", "dir/"]
    assert run["options"] == {"model": "en_core_web_sm", "workers": 2}
    assert run["model"] == "en_core_web_sm" and run["sitrep_version"]
    assert (run["reports_read"], run["events_stored"], run["seconds"]) == (3, 5, 1.5)
    assert run["finished_at"] is not None


def test_finishing_an_unknown_run_fails(store: Store) -> None:
    with pytest.raises(LookupError, match="E008"):
        store.finish_run(RunSummary("nope"))


def test_stats_counts_every_table(filled: Store) -> None:
    assert filled.stats() == {"reports": 3, "events": 4, "skipped": 0, "runs": 1}


def test_read_only_on_a_missing_file_fails(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    with pytest.raises(FileNotFoundError, match="E003"):
        Store(missing, read_only=True)
    assert not missing.exists()


def test_read_only_reads_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    result = make_result("r1", 2)
    result.events[1].date = EventDate(date(2021, 3, 1), "week", 5, 9)
    with Store(path) as store:
        store.add_results([result], store.start_run([], {}))
    with Store(path, read_only=True) as store:
        assert store.events() == result.events
        assert store.stats()["runs"] == 1


def test_duckdb_never_fetches_extensions(store: Store) -> None:
    row = store._con.execute(
        "SELECT current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions')"
    ).fetchone()
    assert row == (False, False)
