"""Counts go to the event of their sentence; a second mention of an event is merged."""

from __future__ import annotations

import pytest
from event_helpers import Coder, only

pytestmark = pytest.mark.model


def test_counts_attach_to_the_event_of_their_sentence(code: Coder) -> None:
    events = code(
        "Militants attacked a checkpoint in Mopti, Mali, killing two soldiers. "
        "Police arrested five suspects in Bamako on Tuesday."
    ).events
    assault = only(events, "ASSAULT")
    arrest = only(events, "COERCE")
    assert (assault.fatalities, assault.arrested) == (2, None)
    assert (arrest.arrested, arrest.fatalities) == (5, None)


def test_killed_and_wounded_go_to_the_attack(code: Coder) -> None:
    events = code(
        "A car bomb exploded near a market in Kirkuk on Monday, killing three people and "
        "wounding nine others."
    ).events
    assault = only(events, "ASSAULT")
    assert (assault.fatalities, assault.injured) == (3, 9)


def test_count_in_a_sentence_without_event_is_not_attached(code: Coder) -> None:
    events = code(
        "Police arrested five suspects in Bamako on Tuesday. "
        "The city has two million residents."
    ).events
    arrest = only(events, "COERCE")
    assert arrest.fatalities is None and arrest.injured is None


@pytest.mark.parametrize(
    "second",
    ["The attack killed 4 people.", "Four policemen were killed in the attack."],
)
def test_second_mention_of_an_attack_is_merged(code: Coder, second: str) -> None:
    text = f"Gunmen attacked a police station in Mopti, Mali, on Monday. {second}"
    events = code(text).events
    assaults = [e for e in events if e.plover_type == "ASSAULT"]
    assert len(assaults) == 1, [(e.trigger, e.mode) for e in assaults]
    assert assaults[0].trigger == "attacked"
    assert assaults[0].fatalities == 4
    assert any(e.field == "fatalities" for e in assaults[0].evidence)


def test_two_different_attacks_stay_apart(code: Coder) -> None:
    text = (
        "Al-Shabaab fighters attacked a police post in Baidoa on Monday. "
        "Boko Haram militants attacked a village in Borno State on Tuesday."
    )
    assaults = [e for e in code(text).events if e.plover_type == "ASSAULT"]
    assert len(assaults) == 2
