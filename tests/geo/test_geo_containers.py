"""Units written after a place ("X village (Y district, Z province)") and the ACLED admin1
comparison through the gazetteer. Sentences are our own; the villages are made up."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep import geoparse
from sitrep.evaluate import AcledComparison, same_admin1
from sitrep.gazetteer import Gazetteer, name_key
from sitrep.geoparse import ADM1, ADM2, Container, place_in_containers, written_containers
from sitrep.models import Event, Location
from sitrep.pipeline import analyse


def first_place(doc, name: str):
    start = doc.text.index(name)
    return doc.char_span(start, start + len(name))


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        (
            "Gunmen raided Zorbakhel village, Malistan subdivision (Jaghuri, Ghazni), at night.",
            "Zorbakhel",
            ["Malistan", "Jaghuri", "Ghazni"],
        ),
        ("Troops fired at positions near Pelkovo, Donetsk.", "Pelkovo", ["Donetsk"]),
        (
            "Shells hit the village of Tarmuz in the western countryside of Idlib on Monday.",
            "Tarmuz",
            ["Idlib"],
        ),
        ("A mob burned shops in Qarabad (J&K) after prayers.", "Qarabad", ["Jammu and Kashmir"]),
    ],
)
def test_written_containers(nlp: Language, text: str, place: str, expected: list[str]) -> None:
    doc = nlp(text)
    found = [c.text for c in written_containers(first_place(doc, place))]
    assert found == expected


@pytest.mark.model
def test_a_list_of_places_is_not_a_hierarchy(nlp: Language) -> None:
    doc = nlp("Protests were held in Kabul, Kandahar and Herat on Friday.")
    assert written_containers(first_place(doc, "Kabul")) == []


def test_unknown_village_takes_the_most_precise_unit(gaz: Gazetteer) -> None:
    placed = place_in_containers(
        "Zorbakhel", [Container("Rafi", ADM2, True), Container("Niger", None, True)]
    )
    assert placed is not None and not placed.itself
    assert gaz.country[placed.row] == "NG" and gaz.feature[placed.row] == ADM2
    assert name_key(gaz.name[gaz.admin1[placed.row]]) == "niger"


def test_units_choose_the_namesake_inside_them(gaz: Gazetteer) -> None:
    # Tripoli in Lebanon, not the Libyan capital, when the text says it lies in North Lebanon.
    placed = place_in_containers("Tripoli", [Container("North Lebanon", None, True)])
    assert placed is not None and placed.itself and gaz.country[placed.row] == "LB"


def located(name: str, admin1: str, country: str, geonameid: int) -> Event:
    event = Event(
        "e", "r", "ASSAULT", mode="asserted", trigger="attacked", trigger_start=0, trigger_end=8
    )
    event.location = Location(name=name, admin1=admin1, country_code=country, geonameid=geonameid)
    return event


def comparison(event: Event, admin1: str, country: str) -> AcledComparison:
    return AcledComparison(
        "1", "Battles", "Armed clash", 1, 1, 0, event, gold_admin1=admin1, gold_country=country
    )


def test_admin1_compared_through_the_gazetteer(gaz: Gazetteer) -> None:
    town = next(r for r in gaz.lookup("Kramatorsk") if gaz.feature[r] == "PPL")
    unit = gaz.name[gaz.admin1[town]]
    event = located("Kramatorsk", unit, "UKR", gaz.geonameid[town])
    assert same_admin1(comparison(event, "Donetsk", "UKR"))  # another spelling of the unit
    assert not same_admin1(comparison(event, "Luhansk", "UKR"))  # a neighbour is no match
    assert not same_admin1(comparison(event, "Donetsk", "RUS"))  # nor the row's other country


def test_admin1_rows_named_by_skeleton(gaz: Gazetteer) -> None:
    rows = geoparse.admin1_rows_named("Idleb", "SY")
    assert [gaz.feature[r] for r in rows] == [ADM1]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "admin1", "precision"),
    [
        ("On Monday, gunmen attacked Zorbakhel village (Jaghuri district, Ghazni).", "Ghazni", 2),
        (
            "On Monday, in Belo Horizonte, Minas Gerais, some 30 people gathered to protest.",
            "Minas Gerais",
            1,
        ),
    ],
)
def test_event_placed_by_written_units(
    nlp: Language, text: str, admin1: str, precision: int
) -> None:
    events = [e for e in analyse(text, language=nlp).events if e.location is not None]
    assert events, text
    location = events[0].location
    assert geoparse.plain(location.admin1) == admin1
    assert location.geo_precision == precision


def placed_event(nlp: Language, text: str) -> Location:
    events = [e for e in analyse(text, language=nlp).events if e.acled_event_type]
    assert events and events[0].location is not None, text
    return events[0].location


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the unit that only locates the town is not the event's place
        ("Rebel fighters attacked El Fasher, the capital of North Darfur, on Friday.", "El Fasher"),
        ("The Nahrin district of Baghlan province fell to the militants on Sunday.", "Nahrin"),
        # a place inside the target's phrase, introduced by "in", is still where it happened
        ("Gunmen ambushed soldiers of the army in Marte local government area on Monday.", "Marte"),
    ],
)
def test_event_place_is_the_contained_place(nlp: Language, text: str, name: str) -> None:
    assert placed_event(nlp, text).name == name


@pytest.mark.model
def test_event_without_a_place_takes_the_last_one_written(nlp: Language) -> None:
    text = "Police clashed with protesters in Mombasa on Monday. Two officers were injured."
    events = analyse(text, language=nlp).events
    assert events and all(e.location is not None for e in events)
    assert {e.location.name for e in events} == {"Mombasa"}


@pytest.mark.model
def test_actor_country_is_a_prior_not_a_constraint(nlp: Language) -> None:
    # JNIM is a Malian group; a town with no Malian namesake is read next door, in Burkina Faso.
    location = placed_event(nlp, "Suspected JNIM militants attacked the police post in Titao.")
    assert location.country_code == "BFA" and location.admin1 == "Nord"


def test_a_resolved_place_is_kept_when_it_fits_the_written_units(gaz: Gazetteer) -> None:
    towns = [r for r in gaz.lookup("Trujillo") if gaz.feature[r] in ("PPL", "PPLC")]
    peru = max((r for r in towns if gaz.country[r] == "PE"), key=lambda r: gaz.population[r])
    spain = [r for r in towns if gaz.country[r] == "ES"]
    province = Container("La Libertad", None, bracketed=False, listed=True)
    assert geoparse.fits_containers(peru, [province])
    assert spain and not geoparse.fits_containers(spain[0], [province])


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "town", "country"),
    [
        # the small model tags these towns as a people, a person and a product
        ("Militants ambushed a patrol near Kidal on Friday, killing two soldiers.", "Kidal", "MLI"),
        ("Rockets struck a market on the outskirts of Goma on Friday.", "Goma", "COD"),
        # "Russian" makes Russia the focus; the town lies just across its border
        ("A Russian missile hit a school in Kramatorsk overnight, killing two people.",
         "Kramatorsk", "UKR"),
    ],
)  # fmt: skip
def test_towns_the_model_mislabels_are_event_places(
    nlp: Language, text: str, town: str, country: str
) -> None:
    events = [e for e in analyse(text, language=nlp).events if e.acled_event_type]
    assert events
    place = events[0].location
    assert place is not None and place.name == town and place.country_code == country
    assert place.lat is not None
