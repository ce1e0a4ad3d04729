"""Sides of an armed event the clause leaves unnamed, and communal militias (hand-written)."""

from __future__ import annotations

from spacy.language import Language

from sitrep import pipeline
from sitrep.acled import acled_actors


def main_armed(nlp: Language, text: str):
    result = pipeline.analyse(text, language=nlp)
    armed = [e for e in result.events if e.acled_event_type]
    assert armed, f"no ACLED event in {text!r}"
    return armed[0]


def test_the_forces_named_after_the_casualties_are_the_attackers(nlp: Language) -> None:
    event = main_armed(
        nlp,
        "On 2 March 2021, four rebels of the Zorvan Front were killed in an operation "
        "by police forces near the village of Tamsi in Kenya.",
    )
    coded = acled_actors(event)
    assert coded.inter1 == 1 or coded.inter2 == 1


def test_a_community_named_with_its_raiders_is_an_ethnic_militia(nlp: Language) -> None:
    event = main_armed(
        nlp,
        "On 4 June 2018, Turkana raiders attacked herders near Lodwar in Kenya and stole "
        "two hundred goats.",
    )
    assert event.actor1 is not None
    assert event.actor1.name == "Turkana Ethnic Militia (Kenya)"
    assert acled_actors(event).inter1 == 4


def test_unidentified_men_in_a_cattle_raid_are_a_communal_militia(nlp: Language) -> None:
    event = main_armed(
        nlp,
        "On 9 July 2016, gunmen shot dead three herders during a cattle raid near Baragoi "
        "in Kenya.",
    )
    assert acled_actors(event).inter1 == 4


def test_forces_named_against_a_group_are_not_that_group(nlp: Language) -> None:
    event = main_armed(
        nlp,
        "On 6 May 2020, anti-Houthi forces fired artillery shells at a village in "
        "Hays district in Yemen.",
    )
    assert event.actor1 is None or event.actor1.name != "Houthis"


def test_a_riot_meets_the_police_the_report_names(nlp: Language) -> None:
    result = pipeline.analyse(
        "On 4 March 2019, youths barricaded roads and burned tyres in Kibera, Kenya. "
        "Police fired tear gas to disperse them.",
        language=nlp,
    )
    riots = [e for e in result.events if e.acled_event_type == "Riots"]
    assert riots
    assert acled_actors(riots[0]).inter2 == 1
