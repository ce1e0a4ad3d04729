"""Every export format, parsed back; the jsonl contract; ACLED's columns and codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from export_samples import meeting, protest, strike

from sitrep import export
from sitrep.export import ACLED_COLUMNS, EXPORT_FORMATS, FLAT_COLUMNS, export_events
from sitrep.models import EventFilter
from sitrep.store import ALL_EVENTS, Store

JSONL_KEYS = [
    "event_id", "report_id", "plover_type", "mode", "cameo_root", "acled_event_type",
    "acled_sub_event_type", "actor1", "actor2", "location", "date", "fatalities", "injured",
    "arrested", "confidence", "evidence", "attribution", "merged_id",
]  # fmt: skip


def exported(store: Store, fmt: str, flt: EventFilter = ALL_EVENTS) -> tuple[int, str]:
    out = io.StringIO()
    count = export_events(store, fmt, out, flt)
    return count, out.getvalue()


def test_the_built_in_formats_are_registered() -> None:
    assert set(EXPORT_FORMATS) >= {"jsonl", "csv", "parquet", "geojson", "acled"}


def test_jsonl_follows_the_contract(store: Store) -> None:
    count, text = exported(store, "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert count == 3 and len(records) == 3
    assert all(list(record) == JSONL_KEYS for record in records)
    first = records[1]  # ordered by date: the protest (July 1) first, the strike, then undated
    assert first["event_id"] == "r1-e1"
    assert list(first["actor1"]) == ["text", "name", "country", "sector"]
    assert list(first["location"]) == [
        "name", "geonameid", "lat", "lon", "admin1", "admin2", "country_code", "geo_precision",
        "reason",
    ]  # fmt: skip
    assert first["date"] == {"value": "2021-07-08", "precision": "day"}
    assert first["evidence"][1] == {
        "field": "trigger", "sentence": "An airstrike hit Qala-i-Naw, killing 12.",
        "start": 39, "end": 80,
    }  # fmt: skip
    assert records[0]["actor2"] is None
    assert records[2]["location"] is None and records[2]["date"] is None
    assert "—" in text  # UTF-8 as is, not \\u escapes


def test_event_record_matches_the_jsonl_line(store: Store) -> None:
    _, text = exported(store, "jsonl", EventFilter(report_id="r1"))
    assert json.loads(text) == json.loads(json.dumps(export.event_record(strike())))


def test_csv_has_the_flat_columns(store: Store) -> None:
    count, text = exported(store, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == len(rows) == 3
    assert tuple(rows[0]) == FLAT_COLUMNS
    row = rows[1]
    assert row["actor1_name"] == "Military Forces of Afghanistan" and row["actor2_sector"] == "CVL"
    assert row["date_value"] == "2021-07-08" and row["lat"] == "34.98735"
    assert row["trigger_sentence"] == "An airstrike hit Qala-i-Naw, killing 12."
    assert rows[0]["actor2_name"] == "" and rows[0]["fatalities"] == ""
    assert rows[0]["trigger_sentence"] == "Teachers protested in Nairobi."  # first evidence


def test_parquet_is_typed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert export_events(store, "parquet", path) == 3
    table = pq.read_table(path)
    assert tuple(table.column_names) == FLAT_COLUMNS
    assert table.schema.field("date_value").type == pa.date32()
    assert table.schema.field("fatalities").type == pa.int32()
    assert table.schema.field("lat").type == pa.float64()
    assert table.column("event_id").to_pylist() == ["r2-e1", "r1-e1", "r2-e2"]
    assert table.column("fatalities").to_pylist() == [None, 12, None]
    assert not list(tmp_path.glob("*.part"))


def test_parquet_of_nothing_has_the_columns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "none.parquet"
    assert export_events(store, "parquet", path, EventFilter(report_id="nope")) == 0
    assert tuple(pq.read_table(path).column_names) == FLAT_COLUMNS


def test_parquet_needs_a_path_or_binary_file(store: Store) -> None:
    with pytest.raises(ValueError, match="E009"):
        export_events(store, "parquet", None)
    with pytest.raises(ValueError, match="E009"):
        export_events(store, "parquet", io.StringIO())
    buffer = io.BytesIO()
    assert export_events(store, "parquet", buffer) == 3
    assert pq.read_table(io.BytesIO(buffer.getvalue())).num_rows == 3


def test_geojson_points_and_null_geometry(store: Store) -> None:
    count, text = exported(store, "geojson")
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection" and count == 3
    by_id = {f["properties"]["event_id"]: f for f in collection["features"]}
    assert by_id["r1-e1"]["geometry"] == {"type": "Point", "coordinates": [63.12891, 34.98735]}
    assert by_id["r2-e1"]["geometry"] is None  # a place without coordinates
    assert by_id["r2-e2"]["geometry"] is None
    assert tuple(by_id["r1-e1"]["properties"]) == FLAT_COLUMNS
    assert by_id["r1-e1"]["properties"]["date_value"] == "2021-07-08"


def test_geojson_of_nothing_is_valid(store: Store) -> None:
    _, text = exported(store, "geojson", EventFilter(report_id="nope"))
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


@pytest.fixture
def countries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiny countries table, independent of the shipped one."""
    rows = ({"iso3": "AFG", "iso2": "AF", "name": "Afghanistan", "aliases": "", "demonyms": ""},)
    monkeypatch.setattr(export, "csv_rows", lambda name: rows)
    export.country_names.cache_clear()
    yield
    export.country_names.cache_clear()


def acled_rows(store: Store) -> tuple[int, list[str], list[dict[str, str]]]:
    count, text = exported(store, "acled")
    reader = csv.DictReader(io.StringIO(text))
    return count, list(reader.fieldnames or ()), list(reader)


def test_acled_columns_are_in_acled_order(store: Store, countries: None) -> None:
    count, header, rows = acled_rows(store)
    assert header == list(ACLED_COLUMNS)
    assert header[:3] == ["event_id_cnty", "event_date", "year"] and header[-1] == "sitrep_event_id"
    assert count == len(rows) == 2  # the meeting has no ACLED type
    assert [r["sitrep_event_id"] for r in rows] == ["r2-e1", "r1-e1"]


def test_acled_row_for_a_strike_on_civilians(store: Store, countries: None) -> None:
    row = acled_rows(store)[2][1]
    assert row["event_id_cnty"] == "r1"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2021-07-08", "2021", "1")
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "7", "17")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["country"], row["admin1"], row["location"]) == (
        "Afghanistan",
        "Badghis",
        "Qala-i-Naw",
    )
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (
        "34.98735",
        "63.12891",
        "1",
    )
    assert row["source"] == "AFP; Reuters"
    assert row["notes"] == "An airstrike hit Qala-i-Naw, killing 12."
    assert row["fatalities"] == "12"
    assert row["iso"] == row["region"] == row["admin3"] == row["tags"] == ""


def test_acled_row_for_a_protest(store: Store, countries: None) -> None:
    row = acled_rows(store)[2][0]
    assert row["disorder_type"] == "Demonstrations" and row["time_precision"] == "3"
    # ACLED codes whoever demonstrates as protesters (6), with no second side unless force met them
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("6", "", "60")
    assert row["civilian_targeting"] == ""
    assert row["country"] == "KEN"  # not in the tiny table: the ISO3 code
    assert row["fatalities"] == "0"  # ACLED's convention for unknown
    assert row["source"] == "Nation"


def test_acled_foreign_state_forces_are_external() -> None:
    event = strike()
    assert event.actor1 is not None and event.location is not None
    event.actor1.country, event.event_id = "USA", "r1-e9"
    row = export.acled_row(event, None)
    assert (row["inter1"], row["interaction"]) == (8, 78)
    assert row["source"] is None


def test_acled_without_countries_file_uses_iso3(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise FileNotFoundError(name)

    monkeypatch.setattr(export, "csv_rows", missing)
    export.country_names.cache_clear()
    try:
        assert export.acled_row(strike(), None)["country"] == "AFG"
    finally:
        export.country_names.cache_clear()


def test_unknown_format_is_an_error(store: Store) -> None:
    with pytest.raises(ValueError, match=r"E005.*xml.*acled, csv, geojson, jsonl, parquet"):
        export_events(store, "xml", None)


def test_text_formats_write_to_a_path_and_to_stdout(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    assert export_events(store, "jsonl", path) == 3
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3
    assert export_events(store, "csv", None, EventFilter(plover_type="PROTEST")) == 1
    assert capsys.readouterr().out.startswith("event_id,report_id,")


def test_a_custom_exporter_registers_like_the_built_ins(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "EXPORT_FORMATS", dict(EXPORT_FORMATS))

    @export.register_exporter("ids")
    def write_ids(events, out, store):  # type: ignore[no-untyped-def]
        ids = [e.event_id for e in events]
        out.write(" ".join(ids))
        return len(ids)

    assert exported(store, "ids") == (3, "r2-e1 r1-e1 r2-e2")


def test_export_reads_in_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "PAGE_SIZE", 1)
    count, text = exported(store, "acled")
    assert count == 2 and "AFP; Reuters" in text
    assert exported(store, "jsonl")[0] == 3


def test_a_bare_event_has_no_sentence_and_no_geometry() -> None:
    assert export.flat_record(meeting())["trigger_sentence"] is None
    assert export.geojson_feature(protest())["geometry"] is None
