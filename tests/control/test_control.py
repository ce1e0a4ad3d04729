"""Territorial control: which events move a place, who gains it, the timeline read up to a day,
and `sitrep control` on the demo corpus (whose reports were written for the project)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.control import holdings, timelines
from sitrep.models import Actor, ControlChange, EventDate, Evidence, Location
from sitrep.pipeline import analyse, run

TALIBAN = Actor("the Taliban", "Taliban", "AFG", "INS")
ARMY = Actor("troops", "Military Forces of Afghanistan", "AFG", "MIL")
DEMO = Path(__file__).parents[2] / "sitrep" / "data" / "demo"


def change(
    event: str, day: int, holder: Actor, kind: str = "taken", place: str = "Kishim"
) -> ControlChange:
    return ControlChange(
        event, "r", kind, Location(place, None, admin1="Badakhshan", country_code="AFG"),
        EventDate(date(2021, 7, day), "day"), holder, None, "took",
        Evidence("control", f"sentence of {event}", 0, 4),
    )  # fmt: skip


def test_the_last_change_up_to_the_day_holds() -> None:
    items = [
        change("a", 3, TALIBAN),
        change("b", 9, ARMY, "regained"),
        change("c", 5, TALIBAN, place="Yawan"),
    ]
    held = {h.place: h for h in holdings(items, date(2021, 7, 8))}
    assert held["Kishim"].holder == TALIBAN and held["Kishim"].since == date(2021, 7, 3)
    assert held["Yawan"].holder == TALIBAN
    later = {h.place: h for h in holdings(items, date(2021, 7, 9))}
    assert later["Kishim"].holder == ARMY and later["Kishim"].kind == "regained"
    assert holdings(items, date(2021, 7, 1)) == []


def test_reports_of_one_change_are_all_evidence() -> None:
    items = [change("a", 3, TALIBAN), change("b", 3, TALIBAN)]
    (held,) = holdings(items, None)
    assert [c.event_id for c in held.changes] == ["a", "b"]


def test_a_surrender_comes_before_the_capture_it_is_part_of() -> None:
    items = [change("z", 3, TALIBAN), change("a", 3, TALIBAN, "surrendered")]
    (timeline,) = timelines(items).values()
    assert [c.kind for c in timeline] == ["surrendered", "taken"]


@pytest.mark.model
def test_changes_read_from_sentences(nlp: Language) -> None:
    text = (
        "date 2021-07-05 District falls\n\nAFP, KABUL\n\n"
        "Taliban fighters captured Warduj district in Badakhshan province on Sunday. "
        "Dozens of soldiers surrendered to the Taliban during the night, officials said."
    )
    result = analyse(text, language=nlp)
    kinds = {(c.kind, c.place.name, c.holder.name if c.holder else None) for c in result.control}
    assert ("taken", "Warduj", "Taliban") in kinds
    assert ("surrendered", "Warduj", "Taliban") in kinds
    surrender = next(c for c in result.control if c.kind == "surrendered")
    assert surrender.place_borrowed and "surrendered" in surrender.evidence.sentence


@pytest.mark.model
def test_control_on_the_demo_corpus(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    run([DEMO], db)
    out = CliRunner().invoke(
        app, ["control", "--db", str(db), "--country", "AFG", "--on", "2021-07-08"]
    )
    assert out.exit_code == 0, out.output
    for place in ("Imam Sahib", "Yawan", "Dawlat Abad"):
        assert place in out.output
    assert "Kishim" not in out.output  # it fell after that day
    later = CliRunner().invoke(app, ["control", "--db", str(db), "--place", "Kishim", "--history"])
    assert "Taliban" in later.output and "surrendered" in later.output
    assert "captured" in later.output  # the evidence sentence
