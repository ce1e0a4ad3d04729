"""`sitrep timex` and `sitrep eval timex` on a tiny corpus written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli import app

DOCS = [
    {"id": "a", "dct": "2021-07-08", "text": "Rebels shelled the town yesterday for two hours."},
    {"id": "b", "dct": "2021-07-08", "text": "The army said it would leave in August 2022."},
]


def gold(doc: dict, *timexes: tuple[str, str, str]) -> dict:
    """A gold line: each expression located by its text."""
    spans = []
    for text, kind, value in timexes:
        start = doc["text"].index(text)
        spans.append(
            {"start": start, "end": start + len(text), "text": text, "type": kind, "value": value}
        )
    return {**doc, "timexes": spans}


GOLD = [
    gold(DOCS[0], ("yesterday", "DATE", "2021-07-07"), ("two hours", "DURATION", "PT2H")),
    # The second gold expression is one the tagger cannot find: recall 3 of 4.
    gold(DOCS[1], ("August 2022", "DATE", "2022-08"), ("The", "DATE", "PRESENT_REF")),
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_timex_writes_one_line_per_document(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", DOCS)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["timex", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    first = lines[0]["timexes"]
    assert [(t["text"], t["type"], t["value"]) for t in first] == [
        ("yesterday", "DATE", "2021-07-07"),
        ("two hours", "DURATION", "PT2H"),
    ]
    assert all(DOCS[0]["text"][t["start"] : t["end"]] == t["text"] for t in first)


def test_timex_to_standard_output(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", DOCS[1:])
    result = CliRunner().invoke(app, ["timex", str(source)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["timexes"][0]["value"] == "2022-08"


def test_timex_reports_a_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "x", "text": "today"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["timex", str(source)])
    assert result.exit_code == 1
    assert "line 2" in result.output


def test_eval_timex_scores(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    figures = tmp_path / "scores.json"
    result = CliRunner().invoke(app, ["eval", "timex", str(gold), "--json", str(figures)])
    assert result.exit_code == 0, result.output
    scores = json.loads(figures.read_text(encoding="utf-8"))
    assert (scores["gold"], scores["system"]) == (4, 3)
    assert scores["strict_precision"] == 100.0 and scores["strict_recall"] == 75.0
    assert scores["value_f1"] == scores["strict_f1"] == round(100 * 2 * 0.75 / 1.75, 1)


def test_eval_timex_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "timex", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
