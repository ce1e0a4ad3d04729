"""Trigger -> PLOVER type, CAMEO root and ACLED types, one hand-written sentence at a time."""

from __future__ import annotations

import pytest
from event_helpers import Coder, only

pytestmark = pytest.mark.model

EXPLOSIONS = "Explosions/Remote violence"
SD = "Strategic developments"

CASES = [
    (
        "Al-Shabaab fighters clashed with the Somali army near Baidoa on Sunday.",
        "ASSAULT", "clashed", "19", "Battles", "Armed clash",
    ),
    (
        "Boko Haram militants clashed with Nigerian troops in Borno State on Friday.",
        "ASSAULT", "clashed", "19", "Battles", "Armed clash",
    ),
    (
        "A car bomb exploded near a market in Kirkuk, killing three people.",
        "ASSAULT", "bomb", "18", EXPLOSIONS, "Remote explosive/landmine/IED",
    ),
    (
        "A roadside bomb exploded in Mandera County, Kenya, killing two police officers.",
        "ASSAULT", "bomb", "18", EXPLOSIONS, "Remote explosive/landmine/IED",
    ),
    (
        "A suicide bombing at a checkpoint in Mogadishu killed seven soldiers.",
        "ASSAULT", "bombing", "18", EXPLOSIONS, "Suicide bomb",
    ),
    (
        "A drone strike hit a Houthi position near Hodeidah, Yemen.",
        "ASSAULT", "strike", "19", EXPLOSIONS, "Air/drone strike",
    ),
    (
        "Russian forces shelled the city of Kharkiv overnight.",
        "ASSAULT", "shelled", "19", EXPLOSIONS, "Shelling/artillery/missile attack",
    ),
    (
        "Gunmen abducted 15 villagers in Zamfara State, Nigeria.",
        "ASSAULT", "abducted", "18", "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (
        "Hundreds of people protested peacefully in Accra, Ghana, on Saturday.",
        "PROTEST", "protested", "14", "Protests", "Peaceful protest",
    ),
    (
        "Hundreds of people protested in Nairobi, Kenya, before police dispersed them "
        "with tear gas.",
        "PROTEST", "protested", "14", "Protests", "Protest with intervention",
    ),
    (
        "Hundreds of youths rioted in Goma, burning tyres and throwing stones at police.",
        "PROTEST", "rioted", "14", "Riots", "Violent demonstration",
    ),
    (
        "Police arrested 30 opposition supporters in Harare, Zimbabwe.",
        "COERCE", "arrested", "17", SD, "Arrests",
    ),
    (
        "Sudan's army and the RSF signed a ceasefire agreement in Jeddah on Saturday.",
        "AGREE", "signed", "05", SD, "Agreement",
    ),
    (
        "Ethiopian troops withdrew from the town of Shire.",
        "RETREAT", "withdrew", "08", SD, "Non-violent transfer of territory",
    ),
    (
        "About 40 ELN fighters surrendered to Colombian troops on Friday.",
        "RETREAT", "surrendered", "08", SD, "Change to group/activity",
    ),
    (
        "Government officials held talks with the Taliban in Doha.",
        "CONSULT", "talks", "04", None, None,
    ),
    (
        "Gangs and police were in a shoot-out in a northern suburb of Recife on Monday.",
        "ASSAULT", "out", "19", "Battles", "Armed clash",
    ),
    (
        "About 200 taxi drivers gathered outside the town hall of Mombasa to demand lower fuel "
        "prices.",
        "PROTEST", "gathered", "14", "Protests", "Peaceful protest",
    ),
    (
        "A joint army patrol took place along the highway north of Gao on Tuesday.",
        "MOBILIZE", "patrol", "15", SD, "Change to group/activity",
    ),
    (
        "Armoured convoys of government troops entered the town of Kidal on Sunday.",
        "MOBILIZE", "entered", "15", SD, "Change to group/activity",
    ),
    (
        "Dozens of traders demonstrated in Kisumu on Monday over new market fees. Later they "
        "set up barricades of burning tyres on the main road.",
        "PROTEST", "demonstrated", "14", "Riots", "Violent demonstration",
    ),
    (
        "Dozens of traders demonstrated in Kisumu on Monday over new market fees. The governor "
        "promised to review the fees.",
        "PROTEST", "demonstrated", "14", "Protests", "Peaceful protest",
    ),
    (
        "Hundreds of nurses marched in Nakuru on Friday to demand overdue pay. Riot police "
        "watched from a distance.",
        "PROTEST", "marched", "14", "Protests", "Peaceful protest",
    ),
    (
        "Government troops fired machine guns at rebel positions outside Kismayo on Tuesday.",
        "ASSAULT", "fired", "19", "Battles", "Armed clash",
    ),
    (
        "Army units repelled an attack by Al-Shabaab fighters on their base in Jowhar.",
        "ASSAULT", "repelled", "19", "Battles", "Armed clash",
    ),
]


@pytest.mark.parametrize(
    ("text", "plover", "trigger", "cameo", "acled_type", "acled_sub"),
    CASES,
    ids=[c[0][:40] for c in CASES],
)
def test_event_types(
    code: Coder,
    text: str,
    plover: str,
    trigger: str,
    cameo: str,
    acled_type: str | None,
    acled_sub: str | None,
) -> None:
    event = only(code(text).events, plover)
    assert event.mode == "asserted"
    assert event.trigger == trigger
    assert event.cameo_root == cameo
    assert (event.acled_event_type, event.acled_sub_event_type) == (acled_type, acled_sub)


def test_clash_actors_and_place(code: Coder) -> None:
    event = only(code(CASES[0][0]).events, "ASSAULT")
    assert event.actor1 is not None and event.actor2 is not None
    assert (event.actor1.name, event.actor1.sector) == ("Al-Shabaab", "INS")
    assert (event.actor2.name, event.actor2.country) == ("Military Forces of Somalia", "SOM")
    assert event.location is not None and event.location.name == "Baidoa"


def test_arrest_count_and_actors(code: Coder) -> None:
    event = only(code("Police arrested 30 opposition supporters in Harare, Zimbabwe.").events,
                 "COERCE")
    assert event.arrested == 30
    assert event.actor1 is not None and event.actor1.name == "Police Forces of Zimbabwe"
    assert event.location is not None and event.location.name == "Harare"


def test_withdrawal_keeps_the_town(code: Coder) -> None:
    event = only(code("Ethiopian troops withdrew from the town of Shire.").events, "RETREAT")
    assert event.actor1 is not None and event.actor1.country == "ETH"
    assert event.location is not None and event.location.name == "Shire"


def test_burnt_cars_do_not_make_a_car_bomb(code: Coder) -> None:
    events = code("Rioters torched cars and attacked shops in Lagos, Nigeria.").events
    assault = only(events, "ASSAULT")
    assert assault.acled_event_type != EXPLOSIONS
    assert assault.acled_sub_event_type != "Remote explosive/landmine/IED"


def test_victim_of_a_killing_is_not_its_doer(code: Coder) -> None:
    events = code("Angry youths rioted in Butembo after the killing of a trader.").events
    killings = [e for e in events if e.trigger == "killing"]
    for event in killings:
        assert event.actor1 is None or "trader" not in event.actor1.text


def test_dispersed_crowd_is_not_the_police(code: Coder) -> None:
    text = (
        "Hundreds of people protested in Nairobi, Kenya, before police dispersed them "
        "with tear gas."
    )
    dispersals = [e for e in code(text).events if e.trigger == "dispersed"]
    for event in dispersals:
        assert event.actor2 is None or event.actor2.sector != "POL"


def test_state_forces_abroad_attacking_militants_is_a_clash(code: Coder) -> None:
    event = only(code("US troops attacked a militant camp in Somalia.").events, "ASSAULT")
    assert event.actor1 is not None and event.actor1.country == "USA"
    assert event.actor2 is not None and event.actor2.country != "USA"
    assert event.acled_sub_event_type == "Armed clash"


def test_an_air_base_in_the_target_is_not_an_air_strike(code: Coder) -> None:
    event = only(code("Militants attacked Bagram Air Base near Kabul on Monday.").events, "ASSAULT")
    assert event.acled_sub_event_type != "Air/drone strike"
