"""Parquet inputs: one record per row under the JSONL field names, bad rows skipped."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sitrep.errors import Skip

from .helpers import read_all, report, skipped

NOTE = "On 3 May 2020, police arrested 12 protesters outside the court in Riverside town."


def write_parquet(path: Path, rows: list[dict[str, object]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_parquet_rows_are_records_with_aliases_dates_and_row_numbers(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "wire.parquet", [
        {"id": "p1", "body": NOTE, "published": date(2020, 5, 4), "source": "AFP", "desk": "x"},
        {"id": "p2", "body": NOTE + " Two more.", "published": datetime(2020, 5, 5, 10, 30),
         "source": "Reuters", "desk": None},
    ])  # fmt: skip
    first, second = (report(item) for item in read_all(path))
    assert (first.report_id, first.published, first.agencies) == ("p1", date(2020, 5, 4), ("AFP",))
    assert (first.source_format, first.source_line, first.extra) == ("parquet", 1, {"desk": "x"})
    assert (second.source_line, second.published) == (2, date(2020, 5, 5))


def test_bad_rows_are_skipped_with_their_row_number(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "wire.parquet", [
        {"text": NOTE, "date": "not a date"},
        {"text": "", "date": "2020-05-04"},
        {"text": NOTE + " " + "x" * 300, "date": "2020-05-04"},
        {"text": NOTE, "date": "2020-05-04"},
    ])  # fmt: skip
    items = read_all(path, max_bytes=200)
    assert skipped(items[0], Skip.BAD_DATE[0]).source_line == 1
    assert skipped(items[1], Skip.EMPTY[0]).source_line == 2
    assert skipped(items[2], Skip.OVERSIZED[0]).source_line == 3
    assert report(items[3]).source_line == 4


def test_a_file_that_is_not_parquet_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not a parquet file")
    (item,) = read_all(path)
    assert "broken.parquet" in skipped(item, Skip.UNREADABLE[0]).source_path
