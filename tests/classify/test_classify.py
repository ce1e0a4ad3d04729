"""The trained ACLED type classifier on a tiny ACLED-format export written for these tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sitrep import classify, ingest
from sitrep.cli import app
from sitrep.models import Event, Report, ReportResult

pytest.importorskip("sklearn", reason="training needs the train extra")

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "event_type",
    "sub_event_type",
    "inter1",
    "inter2",
    "country",
    "notes",
    "fatalities",
]
# (country, year, event type, sub-event type, notes): our own sentences, three kinds.
ROWS = [
    (
        "Arland",
        2018,
        "Protests",
        "Peaceful protest",
        "Teachers marched peacefully through the capital to demand unpaid salaries.",
    ),
    (
        "Arland",
        2018,
        "Protests",
        "Peaceful protest",
        "Nurses held a peaceful sit-in outside the ministry over unpaid wages.",
    ),
    (
        "Arland",
        2019,
        "Protests",
        "Protest with intervention",
        "Police dispersed students who marched against fee rises, using tear gas.",
    ),
    (
        "Arland",
        2019,
        "Battles",
        "Armed clash",
        "Soldiers clashed with rebels near the border post; gunfire lasted hours.",
    ),
    (
        "Arland",
        2020,
        "Battles",
        "Armed clash",
        "Rebels and the army exchanged gunfire in a clash outside the garrison town.",
    ),
    (
        "Arland",
        2020,
        "Explosions/Remote violence",
        "Air/drone strike",
        "A military drone strike hit a rebel camp in the hills.",
    ),
    (
        "Borrow",
        2018,
        "Explosions/Remote violence",
        "Air/drone strike",
        "Warplanes carried out an air strike on a rebel depot.",
    ),
    (
        "Borrow",
        2019,
        "Protests",
        "Peaceful protest",
        "Farmers marched peacefully in the town to demand fair crop prices.",
    ),
    (
        "Borrow",
        2019,
        "Battles",
        "Armed clash",
        "Militants clashed with soldiers at a checkpoint, exchanging gunfire.",
    ),
    (
        "Borrow",
        2020,
        "Explosions/Remote violence",
        "Air/drone strike",
        "An air strike by a drone destroyed a rebel vehicle.",
    ),
    (
        "Borrow",
        2020,
        "Protests",
        "Protest with intervention",
        "Police fired tear gas to disperse traders who marched over new taxes.",
    ),
    (
        "Borrow",
        2021,
        "Battles",
        "Armed clash",
        "The army clashed with rebels in a gunfire exchange near the river.",
    ),
]


def write_export(path: Path, rows=ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, (country, year, kind, sub, notes) in enumerate(rows, 1):
            writer.writerow(
                [f"T{i}", f"{year}-03-0{1 + i % 9}", year, kind, sub, "1", "2", country, notes, "0"]
            )
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "tiny.csv")


def rows_of(path: Path) -> list[classify.TrainingRow]:
    return classify.training_rows(ingest.iter_inputs([path], check_language=False))


def test_terms_fold_digits_and_case() -> None:
    assert classify.word_terms("Clashed 12 Times") == [
        "clashed",
        "00",
        "times",
        "clashed 00",
        "00 times",
    ]
    assert " cl" in classify.char_terms("Clash") and "ash " in classify.char_terms("Clash")


def test_rows_carry_gold_types_country_and_year(export: Path) -> None:
    rows = rows_of(export)
    assert len(rows) == len(ROWS)
    assert rows[0].event_type == "Protests" and rows[0].sub_event_type == "Peaceful protest"
    assert (rows[0].country, rows[0].year, rows[0].row_id) == ("Arland", 2018, "T1")


def test_split_by_country_and_by_year(export: Path) -> None:
    rows = rows_of(export)
    train, test, _ = classify.split_rows(rows, "country", ["borrow"])
    assert {r.country for r in test} == {"Borrow"} and {r.country for r in train} == {"Arland"}
    train, test, _ = classify.split_rows(rows, "year", ["2020"])
    assert all(r.year >= 2020 for r in test) and all(r.year < 2020 for r in train)
    train, test, _ = classify.split_rows(rows, "year", [])  # the latest fifth or so
    assert min(r.year for r in test) > max(r.year for r in train)
    assert 0 < len(test) < len(rows) / 2
    with pytest.raises(classify.ClassifierError, match="Atlantis"):
        classify.split_rows(rows, "country", ["Atlantis"])
    with pytest.raises(classify.ClassifierError, match="split-by"):
        classify.split_rows(rows, "region", ["x"])


def test_fitted_model_learns_saves_and_loads(export: Path, tmp_path: Path) -> None:
    rows = rows_of(export)
    model = classify.fit(rows)
    assert model.predict("Students marched peacefully to demand lower fees.") == (
        "Protests",
        "Peaceful protest",
    )
    assert model.predict("A drone strike hit the camp.")[0] == "Explosions/Remote violence"
    path = tmp_path / "m.npz"
    classify.save(model, path)
    again = classify.load(path)
    assert again.trained_rows == {r.row_id for r in rows}
    for row in rows:
        assert again.predict(row.text) == model.predict(row.text)
        kind, sub = again.predict(row.text)
        assert again.sub_event_types[sub] == kind  # a sub-event type under its own type


def test_features_match_scikit_learn(export: Path) -> None:
    """The numpy-only scoring gives the decisions scikit-learn's fitted pipeline gives."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    rows = rows_of(export)
    texts = [r.text for r in rows]
    model = classify.fit(rows)
    matrix = hstack(
        [
            TfidfVectorizer(analyzer=analyser, min_df=2, sublinear_tf=True).fit_transform(texts)
            for analyser in classify.ANALYSERS.values()
        ]
    ).tocsr()
    svm = LinearSVC(C=classify.SVM_C).fit(matrix, [r.event_type for r in rows])
    expected = svm.decision_function(matrix)
    ours = np.array([model.event_head.scores(model.features(t)) for t in texts])
    assert np.allclose(ours, expected, atol=1e-4)


def test_rule_readings_are_features(export: Path) -> None:
    rows = [
        classify.dataclasses.replace(r, rules=(f"type={r.event_type}",)) for r in rows_of(export)
    ]
    model = classify.fit(rows)
    assert classify.RULES_BLOCK in model.blocks
    assert model.predict("", ["type=Battles"])[0] == "Battles"


def test_relabel_changes_only_acled_typed_events(export: Path) -> None:
    model = classify.fit(rows_of(export))
    text = "Police fired tear gas to disperse farmers who marched over crop prices."
    typed = Event(
        "e1",
        "r",
        "PROTEST",
        "asserted",
        "marched",
        50,
        57,
        acled_event_type="Battles",
        acled_sub_event_type="Armed clash",
    )
    threat = Event("e2", "r", "ASSAULT", "threatened", "attack", 0, 6)
    result = model.relabel(ReportResult(Report("r", text), [typed, threat]))
    assert result.events[0].acled_event_type == "Protests"
    assert result.events[1].acled_event_type is None  # a threat stays untyped
    assert typed.acled_event_type == "Battles"  # the rules' result is left as it was


def test_paragraph_of_an_offset() -> None:
    text = "First paragraph.\n\nSecond one, with the event.\nStill second.\n\n  Third."
    assert classify.paragraph_at(text, text.index("event")) == (
        "Second one, with the event.\nStill second."
    )
    assert classify.paragraph_at(text, 0) == "First paragraph."


def test_a_file_that_is_no_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.npz"
    path.write_text("not a model", encoding="utf-8")
    with pytest.raises(classify.ClassifierError, match="E030"):
        classify.load(path)


def test_train_command_writes_a_model_and_reports_held_out_rows(
    export: Path, tmp_path: Path
) -> None:
    model = tmp_path / "m.npz"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--acled",
            str(export),
            "-o",
            str(model),
            "--no-rules",
            "--split-by",
            "year",
            "--hold-out",
            "2020",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "rows held out" in result.output and model.exists()
    assert classify.load(model).trained_rows == {"T1", "T2", "T3", "T4", "T7", "T8", "T9"}
    refused = CliRunner().invoke(app, ["train", str(export), "-o", str(model)])
    assert refused.exit_code != 0 and "--acled" in refused.output


@pytest.mark.model
def test_eval_with_a_model_scores_rules_and_model_on_unseen_rows(
    export: Path, tmp_path: Path
) -> None:
    model = tmp_path / "m.npz"
    args = [
        "train",
        "--acled",
        str(export),
        "-o",
        str(model),
        "--split-by",
        "country",
        "--hold-out",
        "Borrow",
    ]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert classify.load(model).info["rows"] == 6
    result = CliRunner().invoke(app, ["eval", "acled", str(export), "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert "ACLED agreement on 6 rows" in result.output
    assert "rules only" in result.output and "trained" in result.output
    assert "6 rows the model was trained on were left out" in result.output


@pytest.mark.model
def test_run_with_a_model_stores_the_models_types(export: Path, tmp_path: Path) -> None:
    model = tmp_path / "m.npz"
    trained = CliRunner().invoke(
        app, ["train", "--acled", str(export), "-o", str(model), "--no-rules"]
    )
    assert trained.exit_code == 0, trained.output
    reports = tmp_path / "r.txt"
    reports.write_text(
        "Soldiers clashed with rebels near the border post on Monday; gunfire lasted for hours.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "t.duckdb")
    ran = CliRunner().invoke(
        app, ["run", str(reports), "--db", db, "--quiet", "--model", str(model)]
    )
    assert ran.exit_code == 0, ran.output
    exported = CliRunner().invoke(app, ["export", "--db", db, "--format", "jsonl"])
    types = {json.loads(line)["acled_event_type"] for line in exported.output.splitlines()}
    assert "Battles" in types
    bad = CliRunner().invoke(app, ["run", str(reports), "--db", db, "--model", str(reports)])
    assert bad.exit_code != 0 and "E030" in bad.output
