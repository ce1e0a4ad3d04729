"""What is not an event of its own: history, descriptions, demands, scenery, denials."""

from __future__ import annotations

from datetime import date

import pytest
from event_helpers import Coder, only
from spacy.language import Language

from sitrep.pipeline import analyse

pytestmark = pytest.mark.model


def test_history_of_a_conflict_is_background(code: Coder) -> None:
    events = code("The rebels have killed thousands of people across the region since 2012.").events
    assert not [e for e in events if e.plover_type == "ASSAULT"]


def test_support_in_a_description_is_not_an_event(code: Coder) -> None:
    events = code(
        "Militia fighters backed by the army raided the village of Tumba on Friday."
    ).events
    assert not [e for e in events if e.plover_type == "SUPPORT"]
    assert [e for e in events if e.plover_type in {"ASSAULT", "COERCE"}]


def test_protesters_demands_belong_to_the_protest(code: Coder) -> None:
    events = code("Hundreds of nurses marched in Nairobi on Monday demanding unpaid wages.").events
    assert not [e for e in events if e.plover_type == "REQUEST"]
    only(events, "PROTEST")


def test_nobody_arrested_is_negated(code: Coder) -> None:
    events = code("Police said nobody was arrested after the march in Accra.").events
    arrests = [e for e in events if e.plover_type == "COERCE"]
    assert arrests and all(e.mode == "negated" and e.acled_event_type is None for e in arrests)


def test_tear_gas_is_an_intervention_not_a_chemical_weapon(code: Coder) -> None:
    events = code("Police fired tear gas at protesters outside parliament in Kampala.").events
    assert all(e.acled_sub_event_type != "Chemical weapon" for e in events)
    assert any(e.acled_sub_event_type == "Protest with intervention" for e in events)


def test_arrests_during_a_raid_are_one_event(code: Coder) -> None:
    events = code(
        "Soldiers arrested four suspects in a raid on a house in Maroua on Sunday."
    ).events
    assert [e.plover_type for e in events] == ["COERCE"]
    assert events[0].acled_sub_event_type == "Arrests"


def test_events_the_text_dates_long_ago_are_background(nlp: Language) -> None:
    text = (
        "Gunmen attacked a police post in Konduga on Monday. The group was driven out of "
        "the town in 2015."
    )
    events = analyse(text, published=date(2023, 4, 12), language=nlp).events
    assert [e.plover_type for e in events] == ["ASSAULT"]
    assert events[0].date is not None and events[0].date.value == date(2023, 4, 10)
