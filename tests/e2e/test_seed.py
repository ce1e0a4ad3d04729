"""The user's own example report must give the right events (read from ../shared at test time).

Skips cleanly when ../shared is not there; no sentence of the report is copied here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sitrep.ingest import read_text_report
from sitrep.models import Actor, Event, Report
from sitrep.pipeline import analyse

pytestmark = [pytest.mark.model, pytest.mark.shared]

SEED = (
    Path(__file__).parents[2] / ".." / "shared" / "examples" / "afp_2021-07-08_qala-i-naw.txt"
)


@pytest.fixture(scope="module")
def seed_events(nlp: Language) -> list[Event]:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available")
    text = SEED.read_text(encoding="utf-8")
    report = read_text_report(text, source_path=str(SEED))
    assert isinstance(report, Report), report
    assert report.dateline == "KABUL"
    return analyse(text, language=nlp).events


def named(actor: Actor | None, name: str) -> bool:
    return actor is not None and actor.name == name


def place(event: Event) -> str:
    return event.location.name if event.location else ""


def summary(events: list[Event]) -> list[str]:
    return [
        f"{e.plover_type}/{e.mode} {e.trigger!r} a1={e.actor1 and e.actor1.name} "
        f"a2={e.actor2 and e.actor2.name} @ {place(e)} [{e.acled_sub_event_type}]"
        for e in events
    ]


def test_taliban_assault_on_qala_i_naw_against_afghan_forces(seed_events: list[Event]) -> None:
    found = [
        e
        for e in seed_events
        if e.plover_type == "ASSAULT"
        and e.mode == "asserted"
        and named(e.actor1, "Taliban")
        and place(e) == "Qala-i-Naw"
        and e.actor2 is not None
        and e.actor2.country == "AFG"
        and e.actor2.sector in {"MIL", "POL"}
    ]
    assert found, summary(seed_events)


def test_talks_with_the_taliban_in_tehran(seed_events: list[Event]) -> None:
    found = [
        e
        for e in seed_events
        if e.plover_type == "CONSULT"
        and (named(e.actor1, "Taliban") or named(e.actor2, "Taliban"))
        and place(e) == "Tehran"
    ]
    assert found, summary(seed_events)


def test_us_withdrawal_from_bagram(seed_events: list[Event]) -> None:
    def american(actor: Actor | None) -> bool:
        return actor is not None and (
            actor.country == "USA" or "US" in actor.text or "NATO" in actor.text
        )

    found = [
        e
        for e in seed_events
        if e.plover_type == "RETREAT" and american(e.actor1) and place(e) == "Bagram Air Base"
    ]
    assert found, summary(seed_events)


def test_car_bomb_in_kandahar_province(seed_events: list[Event]) -> None:
    found = [
        e
        for e in seed_events
        if e.plover_type == "ASSAULT"
        and e.acled_sub_event_type == "Remote explosive/landmine/IED"
        and place(e) == "Kandahar Province"
    ]
    assert found, summary(seed_events)


def test_surrender_to_the_taliban(seed_events: list[Event]) -> None:
    found = [
        e
        for e in seed_events
        if e.plover_type == "RETREAT"
        and e.acled_sub_event_type == "Change to group/activity"
        and named(e.actor2, "Taliban")
    ]
    assert found, summary(seed_events)


def test_insurgents_and_militants_are_the_taliban(seed_events: list[Event]) -> None:
    generic = [
        actor
        for e in seed_events
        for actor in (e.actor1, e.actor2)
        if actor is not None and ("insurgents" in actor.text or "militants" in actor.text)
    ]
    assert generic, "no event names the insurgents or the militants"
    assert {a.name for a in generic} == {"Taliban"}, [(a.text, a.name) for a in generic]
