"""Batches are stored once, whole or not at all; --force replaces them."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from store_samples import bare_event, make_result

from sitrep.models import EventFilter, ReportResult, Skipped
from sitrep.store import Store


def test_adding_the_same_result_twice_stores_it_once(store: Store, run_id: str) -> None:
    result = make_result("r1", 3)
    assert store.add_results([result], run_id) == (1, 3)
    assert store.add_results([result], run_id) == (0, 0)
    assert store.stats()["reports"] == 1
    assert store.count_events() == 3


def test_a_report_twice_in_one_batch_is_stored_once(store: Store, run_id: str) -> None:
    assert store.add_results([make_result("r1", 2), make_result("r1", 2)], run_id) == (1, 2)


def test_stored_reports_are_left_alone(store: Store, run_id: str) -> None:
    store.add_results([make_result("r1", 2)], run_id)
    changed = make_result("r1", 5)
    assert store.add_results([changed, make_result("r2", 1)], run_id) == (1, 1)
    assert store.count_events() == 3


def test_known_report_ids(store: Store, run_id: str) -> None:
    store.add_results([make_result("a"), make_result("b")], run_id)
    assert store.known_report_ids(["a", "c", "b", "a"]) == {"a", "b"}
    assert store.known_report_ids([]) == set()


def test_a_failing_insert_leaves_nothing_of_the_batch(
    store: Store, run_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_results([make_result("before", 1)], run_id)
    real_insert = Store._insert

    def failing_insert(self: Store, table: str, rows: pa.Table) -> None:
        if table == "events":
            raise RuntimeError("disk full")
        real_insert(self, table, rows)

    monkeypatch.setattr(Store, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        store.add_results([make_result("r1"), make_result("r2")], run_id)
    assert store.known_report_ids(["r1", "r2"]) == set()
    assert store.stats()["reports"] == 1
    monkeypatch.undo()
    assert store.add_results([make_result("r1")], run_id) == (1, 2)  # the store still works


def test_a_duplicate_event_id_rolls_the_batch_back(store: Store, run_id: str) -> None:
    clash = ReportResult(make_result("r2").report, [bare_event("r1-e0", "r2")])
    store.add_results([make_result("r1")], run_id)
    with pytest.raises(Exception, match=r"(?i)constraint|duplicate"):
        store.add_results([make_result("r3"), clash], run_id)
    assert store.known_report_ids(["r2", "r3"]) == set()


def test_replace_results_swaps_the_old_rows(store: Store, run_id: str) -> None:
    store.add_results([make_result("r1", 3), make_result("r2", 1)], run_id)
    new = make_result("r1", 1)
    new.events[0].actor2 = None
    assert store.replace_results([new], run_id) == (1, 1)
    assert [e.event_id for e in store.events(EventFilter(report_id="r1"))] == ["r1-e0"]
    assert store.event("r1-e0") == new.events[0]
    assert store.event("r1-e2") is None
    assert store.count_events() == 2
    assert store.replace_results([make_result("r3", 2)], run_id) == (1, 2)  # new ones are added


def test_replace_results_failing_keeps_the_old_rows(
    store: Store, run_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_results([make_result("r1", 3)], run_id)
    monkeypatch.setattr(Store, "_insert", lambda *args: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError, match="boom"):
        store.replace_results([make_result("r1", 1)], run_id)
    assert store.count_events() == 3


def test_a_large_batch_is_one_insert_per_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes are batched: 500 reports cost as many inserts as one, not one per event."""
    inserted: list[str] = []
    original = Store._insert

    def counting_insert(self: Store, table: str, rows) -> None:
        inserted.append(table)
        original(self, table, rows)

    monkeypatch.setattr(Store, "_insert", counting_insert)
    results = [make_result(f"r{i}", 10, day=1 + i % 28) for i in range(500)]
    with Store(tmp_path / "big.duckdb") as store:
        assert store.add_results(results, "run") == (500, 5000)
        per_batch = len(inserted)
        inserted.clear()
        assert store.add_results([make_result("single", 10, day=1)], "run") == (1, 10)
    assert per_batch == len(inserted)
    assert len(set(inserted)) == len(inserted)


def test_skipped_inputs_are_recorded(store: Store, run_id: str) -> None:
    store.add_skipped(
        [Skipped("a.txt", None, "S002", "empty"), Skipped("b.jsonl", 7, "S008", "x")], run_id
    )
    store.add_skipped([], run_id)
    assert store.stats()["skipped"] == 2
