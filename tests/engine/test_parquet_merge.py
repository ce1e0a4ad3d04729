"""The Ray engine's data path without Ray: report rows, Parquet parts, and their merge."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sitrep.engine_ray import ROW_SCHEMA, Coder, report_row, row_report
from sitrep.models import Actor, Event, Evidence, Report, ReportResult, Skipped
from sitrep.store import Store, skipped_table, tagged_tables


def report(report_id: str, text: str = "Gunmen attacked a police post.") -> Report:
    return Report(
        report_id=report_id, text=text, title="Attack", published=date(2023, 4, 12),
        agencies=("AFP", "Reuters"), dateline="MAIDUGURI", source_path="in/a.jsonl",
        source_line=3, source_format="jsonl", extra={"lang": "en", "desk": "africa"},
    )  # fmt: skip


def result(report_id: str, trigger: str = "attacked") -> ReportResult:
    event = Event(
        event_id=f"{report_id}-e1", report_id=report_id, plover_type="ASSAULT",
        mode="asserted", trigger=trigger, trigger_start=7, trigger_end=15,
        actor1=Actor("Gunmen", "Unidentified Armed Group"),
        evidence=[Evidence("trigger", "Gunmen attacked a police post.", 7, 15)],
    )  # fmt: skip
    return ReportResult(report(report_id), [event], language="en")


def write_parts(folder: Path, part: str, results: list[ReportResult], seqs: list[int]) -> None:
    for table, rows in tagged_tables(results, "run1", seqs).items():
        (folder / table).mkdir(parents=True, exist_ok=True)
        pq.write_table(rows, folder / table / f"{part}.parquet")


def test_a_report_row_gives_back_the_same_report() -> None:
    original = report("r1")
    row = report_row(5, original, frozenset())
    assert row["kind"] == "report"
    through_arrow = pa.Table.from_pylist([row], schema=ROW_SCHEMA).to_pylist()[0]
    assert row_report(through_arrow) == original


def test_known_reports_travel_without_text_and_skips_keep_their_reason() -> None:
    assert report_row(1, report("r1"), frozenset({"r1"})) == {
        "seq": 1, "kind": "known", "report_id": "r1"
    }  # fmt: skip
    skipped = report_row(2, Skipped("in/x.bin", None, "S001", "binary"), frozenset())
    assert (skipped["kind"], skipped["code"], skipped["reason"]) == ("skipped", "S001", "binary")


def test_a_batch_keeps_the_first_copy_of_each_report() -> None:
    rows = [
        report_row(9, report("r1", "Second copy."), frozenset()),
        report_row(4, report("r1", "First copy."), frozenset()),
        report_row(6, report("r2"), frozenset()),
    ]
    reports, seqs, duplicates = Coder.unique_reports(rows)
    assert [(r.report_id, r.text, s) for r, s in zip(reports, seqs, strict=True)] == [
        ("r1", "First copy.", 4), ("r2", "Gunmen attacked a police post.", 6)
    ]  # fmt: skip
    assert duplicates == 1


def test_merge_stores_each_report_once_from_its_first_copy(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    # The same report id in two parts, with different events: the lower seq must win.
    write_parts(parts, "b", [result("r1", "stormed"), result("r3")], [7, 8])
    write_parts(parts, "a", [result("r1", "attacked"), result("r2")], [1, 2])
    with Store(tmp_path / "db.duckdb") as db:
        db.start_run(["in"], {})
        assert db.merge_parquet(parts) == (3, 3, 1)
        events = {e.event_id: e for e in db.events()}
        assert events["r1-e1"].trigger == "attacked"
        assert events["r1-e1"].actor1 == Actor("Gunmen", "Unidentified Armed Group")
        assert len(events["r1-e1"].evidence) == 1
        assert db.report("r1") == report("r1")
        # A second merge of the same parts adds nothing; with replace it stores them again.
        assert db.merge_parquet(parts) == (0, 0, 4)
        assert db.merge_parquet(parts, replace=True) == (3, 3, 1)
        assert db.stats()["events"] == 3


def test_merge_adds_skipped_inputs_in_the_order_they_were_met(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    (parts / "skipped").mkdir(parents=True)
    later = skipped_table([Skipped("in/b.txt", None, "S002", "empty")], "run1", [20])
    first = skipped_table([Skipped("in/a.txt", None, "S001", "binary")], "run1", [10])
    pq.write_table(later, parts / "skipped" / "b.parquet")
    pq.write_table(first, parts / "skipped" / "a.parquet")
    with Store(tmp_path / "db.duckdb") as db:
        run_id = db.start_run(["in"], {})
        assert db.merge_parquet(parts) == (0, 0, 0)
        assert [row["source_path"] for row in db.skipped_for_run("run1")] == [
            "in/a.txt", "in/b.txt"
        ]  # fmt: skip
        assert db.skipped_for_run(run_id) == []


@pytest.mark.parametrize("seqs", [[1], [2, 3]])
def test_every_table_row_is_tagged_with_its_report_seq(seqs: list[int]) -> None:
    results = [result(f"r{i}") for i in range(len(seqs))]
    tables = tagged_tables(results, "run1", seqs)
    assert {"reports", "events", "actors", "evidence"} <= set(tables)
    for table in tables.values():
        assert "read_seq" in table.column_names
        if table.num_rows:
            assert set(table.column("read_seq").to_pylist()) == set(seqs)


def test_a_batch_written_again_replaces_its_parts(tmp_path: Path) -> None:
    coder = Coder.__new__(Coder)  # only its writer: no model needed
    coder.parts = tmp_path / "parts"
    tables = tagged_tables([result("r1")], "run1", [5])
    coder.write(tables, 5)
    coder.write(tables, 5)  # Ray ran the batch again after losing a worker
    assert [p.name for p in (coder.parts / "events").iterdir()] == ["0000000000000005.parquet"]
    with Store(tmp_path / "db.duckdb") as db:
        db.start_run(["in"], {})
        assert db.merge_parquet(coder.parts) == (1, 1, 0)
