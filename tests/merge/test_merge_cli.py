"""`sitrep events --merged`, `sitrep export --what merged` and `sitrep eval merge` end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep import merge
from sitrep.cli import app
from sitrep.evaluate import merge_scores
from sitrep.models import Actor, Event, EventDate, Location, Report, ReportResult
from sitrep.store import Store

GAO = Location("Gao", 1, 16.27167, -0.04472, "Gao", None, "MLI", 1)
JNIM = Actor("JNIM fighters", "JNIM", "MLI", "INS")


def result(report_id: str, agency: str, killed: int) -> ReportResult:
    event = Event(f"e-{report_id}", report_id, "ASSAULT", "asserted", "ambush", 0, 6)
    event.actor1, event.location, event.fatalities = JNIM, GAO, killed
    event.date = EventDate(date(2023, 3, 8), "day")
    event.acled_event_type = "Battles"
    report = Report(report_id, "text", published=date(2023, 3, 9), agencies=(agency,))
    return ReportResult(report, [event], "en")


def test_merged_events_listed_and_exported(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    with Store(db) as store:
        store.add_results([result("r1", "AFP", 12), result("r2", "Reuters", 9)], "run")
        merge.update(store, ["r1", "r2"])
    runner = CliRunner()
    listed = runner.invoke(app, ["events", "--db", str(db), "--merged"])
    assert listed.exit_code == 0, listed.output
    assert "1 of 1 merged events" in listed.output
    out = runner.invoke(app, ["export", "--db", str(db), "--what", "merged"])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output)
    assert (record["reports"], record["sources"], record["fatalities"]) == (2, 2, 9)
    assert record["agencies"] == ["AFP", "Reuters"] and record["event_ids"] == ["e-r1", "e-r2"]
    events = runner.invoke(app, ["export", "--db", str(db)]).output.splitlines()
    assert {json.loads(line)["merged_id"] for line in events} == {record["merged_id"]}


def test_pairwise_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    predicted = {"a": "1", "b": "1", "c": "2", "d": "1"}
    scores = merge_scores(gold, predicted, {"d": "0"})
    assert (scores.gold_pairs, scores.predicted_pairs, scores.correct_pairs) == (3, 3, 1)
    assert scores.precision == scores.recall == 33.3
    assert scores.missed == [("a", "c"), ("b", "c")]
    assert scores.acled_rows == 1 and scores.acled_false_merges == 0


@pytest.mark.model
def test_eval_merge_on_a_small_cluster_set(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "cluster": "gao", "date": "2023-03-09", "source": "AFP",
         "text": "JNIM fighters ambushed an army convoy near Gao on Wednesday, killing 12 "
                 "soldiers, the army said."},
        {"id": "x2", "cluster": "gao", "date": "2023-03-09", "source": "Reuters",
         "text": "Militants from JNIM attacked a military convoy near the Malian town of Gao "
                 "on Wednesday, security sources said."},
        {"id": "x3", "cluster": "bamako", "date": "2023-03-09", "source": "AP",
         "text": "Hundreds of people marched in Bamako on Wednesday against rising prices."},
    ]  # fmt: skip
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    args = ["eval", "merge", str(path), "--no-background", "--json", str(tmp_path / "s.json")]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["reports"] == 3 and scores["gold_pairs"] == 1
    assert scores["precision"] == 100.0, out.output  # the Bamako march joins neither
    assert "pairwise F1 %" in out.output
