"""Places a report names and the one chosen as each event's location."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.geo import dateline_country, place_country, places_in
from sitrep.models import Event
from sitrep.pipeline import analyse


@pytest.mark.parametrize(
    ("dateline", "iso3"),
    [("KABUL", "AFG"), ("Nairobi", "KEN"), ("BAMAKO", "MLI"), ("Kenya", "KEN"), (None, None)],
)
def test_dateline_country(dateline: str | None, iso3: str | None) -> None:
    assert dateline_country(dateline) == iso3


def test_unknown_dateline_gives_none() -> None:
    assert dateline_country("Nowhereville Xq") is None


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Afghanistan", "AFG"),
        ("the Democratic Republic of Congo", "COD"),
        ("Mogadishu", "SOM"),
        ("Khartoum", "SDN"),
    ],
)
def test_place_country(name: str, iso3: str) -> None:
    assert place_country(name) == iso3


def events(nlp: Language, text: str) -> list[Event]:
    return analyse(text, language=nlp).events


def assault(nlp: Language, text: str) -> Event:
    found = [e for e in events(nlp, text) if e.plover_type == "ASSAULT"]
    assert found, f"no ASSAULT in {text!r}"
    return found[0]


@pytest.mark.model
def test_place_inside_a_title_is_not_a_place(nlp: Language) -> None:
    doc = nlp("Badghis Governor Hessamuddin Shams said the roads were closed.")
    assert [p.span.text for p in places_in(doc)] == []


@pytest.mark.model
def test_province_is_a_unit_and_country_is_a_country(nlp: Language) -> None:
    doc = nlp("A car bomb exploded in Kandahar Province, Afghanistan, on Tuesday.")
    found = {p.span.text: (p.is_unit, p.is_country, p.country) for p in places_in(doc)}
    assert found["Kandahar Province"][:2] == (True, False)
    assert found["Afghanistan"] == (False, True, "AFG")


@pytest.mark.model
def test_town_is_preferred_to_its_country(nlp: Language) -> None:
    event = assault(nlp, "A car bomb exploded near a market in Kirkuk, Iraq, on Monday.")
    assert event.location is not None
    assert (event.location.name, event.location.country_code) == ("Kirkuk", "IRQ")


@pytest.mark.model
def test_the_town_refers_back_to_the_last_town(nlp: Language) -> None:
    text = "Rebels seized Kitshanga on Monday. Fighting continued in the town on Tuesday."
    fighting = [e for e in events(nlp, text) if e.trigger == "Fighting"]
    assert fighting and fighting[0].location is not None
    assert fighting[0].location.name == "Kitshanga"


@pytest.mark.model
def test_country_used_as_modifier_is_not_the_location(nlp: Language) -> None:
    event = assault(nlp, "US troops attacked a militant camp in Somalia.")
    assert event.location is not None
    assert event.location.country_code == "SOM"


@pytest.mark.model
def test_reference_point_is_not_the_location(nlp: Language) -> None:
    event = assault(nlp, "Militants attacked Bagram Air Base near Kabul on Monday.")
    assert event.location is not None
    assert event.location.name == "Bagram Air Base"


@pytest.mark.model
def test_no_location_without_a_place(nlp: Language) -> None:
    event = assault(nlp, "Gunmen attacked a bus on the highway at night.")
    assert event.location is None


@pytest.mark.model
def test_an_unknown_place_keeps_its_name_and_a_reason(nlp: Language) -> None:
    event = assault(nlp, "Gunmen attacked a police post in Zorbakistan on Monday, killing two.")
    assert event.location is not None and event.location.name == "Zorbakistan"
    assert event.location.lat is None and event.location.reason == "not in gazetteer"


@pytest.mark.model
def test_an_ambiguous_place_has_no_point_and_says_why(nlp: Language) -> None:
    event = assault(nlp, "Gunmen attacked a police post in Springfield on Monday, killing two.")
    assert event.location is not None and event.location.name == "Springfield"
    assert event.location.lat is None and event.location.geonameid is None
    assert event.location.reason is not None and event.location.reason.startswith("ambiguous")
    assert event.location.country_code == "USA"  # every Springfield of the gazetteer is in the US


@pytest.mark.model
def test_a_country_only_location_says_so(nlp: Language) -> None:
    event = assault(nlp, "Militants attacked a convoy in Afghanistan on Monday, killing three.")
    assert event.location is not None and event.location.country_code == "AFG"
    assert event.location.reason == "country only" and event.location.geo_precision == 3
