"""What the soak run found, kept fixed: odd text reaches the parser and the store without
stopping a run, and a small soak through `sitrep run` has no crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import soak
from sitrep import nlp, pipeline
from sitrep.models import Event, Report, ReportResult, RunSummary
from sitrep.store import Store


def test_long_runs_without_a_space_are_blanked_with_their_length() -> None:
    text = "Gunmen attacked Gao. " + '"' * 5000 + " Police arrived." + " x" * 200
    parsed = nlp.parse_text(text)
    assert len(parsed) == len(text)
    assert '"' not in parsed and parsed.startswith("Gunmen attacked Gao. ")
    assert parsed.endswith(" Police arrived." + " x" * 200)
    url = "https://example.org/" + "a" * 200
    assert nlp.parse_text(url) == url  # a long URL is still a word


def _result(report_id: str, fatalities: int | None) -> ReportResult:
    report = Report(report_id, f"Text {report_id}.", source_path="in.jsonl", source_line=1)
    event = Event(
        event_id=f"{report_id}-e", report_id=report_id, plover_type="ASSAULT",
        mode="asserted", trigger="attack", trigger_start=0, trigger_end=6,
        fatalities=fatalities,
    )  # fmt: skip
    return ReportResult(report, [event], language="en")


def test_a_result_the_store_refuses_fails_alone(tmp_path: Path) -> None:
    pending = [_result("a", 3), _result("b", 2**40), _result("c", None)]
    summary, skipped = RunSummary(run_id="run"), []
    with Store(tmp_path / "s.duckdb") as store:
        pipeline.flush(store, pending, "run", summary, pipeline.RunOptions(), skipped)
        assert store.known_report_ids(["a", "b", "c"]) == {"a", "c"}
    assert (summary.reports_stored, summary.events_stored, summary.reports_failed) == (2, 2, 1)
    assert [s.code for s in skipped] == ["S012"] and "cannot store" in skipped[0].reason
    assert pending == []


@pytest.mark.model
def test_absurd_figures_are_not_counts(nlp) -> None:
    result = pipeline.analyse(
        "Gunmen killed 99999999999999999999 people in a village near Gao on Sunday.",
        language=nlp,
    )
    assert all(e.fatalities is None or e.fatalities <= 1_000_000 for e in result.events)


@pytest.mark.model
def test_a_text_over_the_parsers_limit_is_failed_not_raised(tmp_path: Path, nlp, monkeypatch):
    path = tmp_path / "long.txt"
    path.write_text("Gunmen attacked a market near Gao. " * 40, encoding="utf-8")
    monkeypatch.setattr(nlp, "max_length", 500)
    monkeypatch.setattr(pipeline.nlp, "load_pipeline", lambda *_: nlp)
    summary = pipeline.run([path], tmp_path / "s.duckdb")
    assert (summary.reports_stored, summary.reports_failed) == (0, 1)


@pytest.mark.model
def test_small_soak_has_no_crash(tmp_path: Path, nlp, monkeypatch) -> None:
    monkeypatch.setattr(pipeline.nlp, "load_pipeline", lambda *_: nlp)
    figures = soak(total=300, per_run=150, seed=11, workdir=tmp_path,
                   log=lambda _: None)  # fmt: skip
    assert figures["inputs"] >= 300
    assert figures["crashes"] == 0, figures["crash_logs"]
    assert figures["rerun_stored_again"] == 0
