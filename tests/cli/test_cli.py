"""The `sitrep` command end to end on a small corpus written for these tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sitrep.cli import app

pytestmark = pytest.mark.model

REPORT = """date 2023-04-12 Gunmen attack police post in northern town

Reuters, MAIDUGURI

Suspected Boko Haram fighters attacked a police post in Konduga on Tuesday, killing three
policemen, a local official said.

The militants set fire to two patrol vehicles before withdrawing, the official added.
"""

PROTEST = {"id": "p-1", "text": "Hundreds of students marched through Dhaka on Monday to "
           "demand lower fees. Police fired tear gas to disperse them and arrested 14 protesters.",
           "date": "2023-05-02", "source": "AFP"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "konduga.txt").write_text(REPORT, encoding="utf-8")
    lines = [json.dumps(PROTEST), "{not json", ""]
    (folder / "wire.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    return folder


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_run_reports_bad_input_and_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    first = invoke("run", str(corpus), "--db", db, "--quiet")
    assert "reports stored" in first
    assert "S001" in first  # the binary file, with its path
    assert "wire.jsonl:2" in first  # the broken JSON line, with its line number
    events_once = json.loads(invoke("export", "--db", db, "--format", "jsonl").splitlines()[0])
    count = len(invoke("export", "--db", db, "--format", "jsonl").splitlines())
    invoke("run", str(corpus), "--db", db, "--quiet")
    again = invoke("export", "--db", db, "--format", "jsonl").splitlines()
    assert len(again) == count
    assert json.loads(again[0]) == events_once


def test_events_show_and_exports(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    invoke("run", str(corpus), "--db", db, "--quiet")
    listing = invoke("events", "--db", db, "--type", "ASSAULT")
    assert "ASSAULT" in listing
    records = [json.loads(x) for x in invoke("export", "--db", db).splitlines()]
    assault = next(r for r in records if r["plover_type"] == "ASSAULT")
    assert assault["actor1"]["name"] == "Boko Haram"
    assert assault["fatalities"] == 3
    shown = invoke("show", assault["event_id"][:12], "--db", db)
    assert "Konduga" in shown and "evidence" in shown
    for fmt, suffix in (("csv", "csv"), ("parquet", "parquet"), ("geojson", "geojson"),
                        ("acled", "csv")):
        out = tmp_path / f"events.{fmt}.{suffix}"
        invoke("export", "--db", db, "--format", fmt, "-o", str(out))
        assert out.stat().st_size > 0
    assert pq.read_table(tmp_path / "events.parquet.parquet").num_rows == len(records)
    with (tmp_path / "events.acled.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["event_id_cnty"] for r in rows} <= {r["report_id"] for r in records}
    geo = json.loads((tmp_path / "events.geojson.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"


def test_errors_are_reported_not_raised(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code != 0 and "Error:" in missing.output
    no_input = runner.invoke(app, ["run", str(tmp_path / "nowhere"), "--db",
                                   str(tmp_path / "x.duckdb")])
    assert no_input.exit_code != 0 and "nowhere" in no_input.output
    bad_date = runner.invoke(app, ["events", "--db", str(tmp_path / "x.duckdb"), "--since",
                                   "yesterday"])
    assert bad_date.exit_code != 0
