"""Scoring against other event gold: the PLOVER gold standard and IndiaPoliceEvents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.evaluate import (
    actor_codes,
    gold_actor_codes,
    plover_gsr_type,
    police_classes,
    run_plover,
    run_police,
)
from sitrep.models import Actor, Event


def event(plover: str, mode: str = "asserted", **fields) -> Event:
    return Event("e", "r", plover, mode, "t", 0, 1, **fields)


def test_sitrep_types_under_plover_05_names() -> None:
    assert plover_gsr_type(event("REQUEST")) == "DEMAND"
    assert plover_gsr_type(event("ACCUSE")) == "DISAPPROVE"
    assert plover_gsr_type(event("ASSAULT", cameo_root="19")) == "FIGHT"
    assert plover_gsr_type(event("ASSAULT", cameo_root="18")) == "ASSAULT"
    assert plover_gsr_type(event("PROTEST")) == "PROTEST"


def test_actor_codes_on_both_sides() -> None:
    assert actor_codes(Actor("police", "Police Forces of Kenya", "KEN", "POL")) == ("KEN", "COP")
    assert actor_codes(Actor("the UN", "United Nations", None, "IGO")) == ("IGO", "IGO")
    gold = [{"code": "KEN", "sector": "CVLkik"}, {"code": "UGA", "sector": "***"}, "junk"]
    assert gold_actor_codes(gold) == ({"KEN", "UGA"}, {"CVL"})
    assert gold_actor_codes(None) == (set(), set())


def test_police_classes_from_events() -> None:
    police = Actor("police", "Police Forces of India", "IND", "POL")
    shooting = event("ASSAULT", actor1=police, fatalities=2)
    assert police_classes([shooting]) == {"KILL", "FORCE"}
    assert police_classes([event("COERCE", acled_sub_event_type="Arrests")]) == {"ARREST"}
    assert police_classes([event("ASSAULT", "threatened", actor1=police)]) == set()
    mob = Actor("a mob", "Rioters (India)", "IND", "RIO")
    assert police_classes([event("ASSAULT", actor1=mob, fatalities=3)]) == set()


PLOVER_RECORDS = [
    {
        "id": "g1",
        "text": "Kenyan police arrested twelve students in Nairobi on Monday.",
        "events": [
            {
                "type": "COERCE",
                "source_actor": [{"code": "KEN", "sector": "COP"}],
                "target_actor": [{"code": "KEN", "sector": "EDU"}],
            }
        ],
    },
    {
        "id": "g2",
        "text": "Hundreds of farmers protested in Lagos on Friday against fuel prices.",
        "events": [
            {
                "type": "PROTEST",
                "source_actor": [{"code": "NGA", "sector": "CVL"}],
                "target_actor": None,
            }
        ],
    },
    {"id": "g3", "text": "The weather was mild.", "events": []},
]
POLICE_DOCS = [
    {
        "id": "d1",
        "date": "2002-03-04",
        "text": "Police arrested 14 men in Surat on Sunday after "
        "a clash over a land dispute, officials said.",
        "events": [{"type": "ARREST"}],
    },
    {
        "id": "d2",
        "date": "2002-03-05",
        "text": "The city council met on Tuesday to discuss the water supply for the summer.",
        "events": [],
    },
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.mark.model
def test_plover_scores_on_hand_written_sentences(tmp_path: Path, nlp) -> None:
    scores = run_plover(write_jsonl(tmp_path / "g.jsonl", PLOVER_RECORDS), nlp)
    assert scores.records == 2  # a sentence with no gold event is not scored
    assert scores.type_accuracy == 100.0
    assert scores.source_country == (2, 100.0)
    assert scores.per_type_accuracy == {"COERCE": (1, 100.0), "PROTEST": (1, 100.0)}


@pytest.mark.model
def test_police_scores_and_commands(tmp_path: Path, nlp) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", POLICE_DOCS)
    scores = run_police(path, nlp)
    assert scores.documents == 2
    assert scores.per_class["ARREST"] == {
        "gold": 1,
        "predicted": 1,
        "precision": 100.0,
        "recall": 100.0,
        "f1": 100.0,
    }
    assert scores.per_class["KILL"]["predicted"] == 0
    result = CliRunner().invoke(app, ["eval", "police", str(path)])
    assert result.exit_code == 0 and "ARREST" in result.output
    gold = write_jsonl(tmp_path / "g.jsonl", PLOVER_RECORDS)
    result = CliRunner().invoke(app, ["eval", "plover", str(gold)])
    assert result.exit_code == 0 and "source actor country" in result.output
