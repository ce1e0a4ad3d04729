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
    (
        "Rebel and government forces exchanged artillery fire near Kidal on Monday.",
        "ASSAULT", "exchanged", "19", "Battles", "Armed clash",
    ),
    (
        "Militiamen and soldiers clashed near Beni, killing a passer-by.",
        "ASSAULT", "clashed", "19", "Battles", "Armed clash",
    ),
    (
        "Insurgents fired rocket launchers at an army outpost near Gao on Sunday.",
        "ASSAULT", "fired", "19", EXPLOSIONS, "Shelling/artillery/missile attack",
    ),
    (
        "Insurgents fired mortars at an army outpost near Gao and soldiers fired back.",
        "ASSAULT", "fired", "19", "Battles", "Armed clash",
    ),
    (
        "Monitors counted 30 explosions involving heavy weapons near Gao on Sunday.",
        "ASSAULT", "explosions", "19", EXPLOSIONS, "Shelling/artillery/missile attack",
    ),
    (
        "Monitors heard 15 shots involving small arms near Gao on Sunday.",
        "ASSAULT", "shots", "19", "Battles", "Armed clash",
    ),
    (
        "Gunmen assassinated a police officer in Garissa on Tuesday.",
        "ASSAULT", "assassinated", "19", "Battles", "Armed clash",
    ),
    (
        "Customs officers seized three tons of cannabis at the port of Mombasa.",
        "COERCE", "seized", "17", SD, "Looting/property destruction",
    ),
    (
        "The regional governor imposed a curfew in Tigray on Friday.",
        "COERCE", "imposed", "17", SD, "Change to group/activity",
    ),
    (
        "A group of traders blocked the highway near Eldoret to demand compensation.",
        "PROTEST", "blocked", "14", "Protests", "Peaceful protest",
    ),
    (
        "Thousands of teachers took to the streets of Kampala on Monday.",
        "PROTEST", "took", "14", "Protests", "Peaceful protest",
    ),
    (
        "Two groups of villagers clashed over a land dispute near Meru, injuring five people.",
        "ASSAULT", "clashed", "18", "Riots", "Mob violence",
    ),
    (
        "Rival traders clashed with sticks and stones at the market in Kisii.",
        "ASSAULT", "clashed", "18", "Riots", "Mob violence",
    ),
    (
        "Hundreds of factory workers demonstrated in Gazipur over unpaid wages. They threw "
        "bricks at the police.",
        "PROTEST", "demonstrated", "14", "Riots", "Violent demonstration",
    ),
    (
        "Members of two communities clashed near Moyale on Monday, leaving six dead.",
        "ASSAULT", "clashed", "19", "Battles", "Armed clash",
    ),
    (
        "Members of the ruling party clashed with opposition supporters in Bogura.",
        "ASSAULT", "clashed", "18", "Riots", "Mob violence",
    ),
    (
        "An angry mob beat a suspected thief in Kakamega on Tuesday.",
        "ASSAULT", "beat", "18", "Riots", "Mob violence",
    ),
    (
        "A man stabbed a shopkeeper in Kisumu on Tuesday.",
        "ASSAULT", "stabbed", "18", "Violence against civilians", "Attack",
    ),
    (
        "Lawyers protested in Multan against the arrest of a colleague.",
        "PROTEST", "protested", "14", "Protests", "Peaceful protest",
    ),
    (
        "Hundreds of farmers protested in Lahore on Monday. Police dispersed them.",
        "PROTEST", "protested", "14", "Protests", "Protest with intervention",
    ),
    (
        "Al-Shabaab militants attacked a village near Lamu, killing three people.",
        "ASSAULT", "attacked", "18", "Violence against civilians", "Attack",
    ),
    (
        "Army units responded to the shelling of their positions near Marib, killing "
        "several fighters.",
        "ASSAULT", "shelling", "19", "Battles", "Armed clash",
    ),
    (
        "Members of a drug gang distributed food parcels to poor households in the port city.",
        "AID", "distributed", "07", SD, "Change to group/activity",
    ),
    (
        "Some 250 refugees returned across the border on foot over the weekend.",
        "RETREAT", "returned", "08", SD, "Other",
    ),
    (
        "Dozens of families fled to the provincial capital, local officials said.",
        "RETREAT", "fled", "08", SD, "Other",
    ),
    (
        "Gunmen attacked CRPF personnel near a market, wounding two of them.",
        "ASSAULT", "attacked", "19", "Battles", "Armed clash",
    ),
    (
        "Taliban fighters attacked Arbaki members overnight, killing four.",
        "ASSAULT", "attacked", "19", "Battles", "Armed clash",
    ),
    (
        "Government troops thwarted a rebel attack on the northern front line at dawn.",
        "ASSAULT", "thwarted", "19", "Battles", "Armed clash",
    ),
    (
        "The regional governor extended the state of emergency by another month.",
        "COERCE", "extended", "17", SD, "Change to group/activity",
    ),
    (
        "Around 90 migrants returned home by bus from the southern neighbour.",
        "RETREAT", "returned", "08", SD, "Other",
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


def test_an_unnamed_armed_target_makes_a_battle(code: Coder) -> None:
    event = only(code("Gunmen ambushed a patrol near Mandera on Friday.").events, "ASSAULT")
    assert event.acled_event_type == "Battles"


def test_police_blocking_a_road_is_no_protest(code: Coder) -> None:
    events = code("Police blocked the road to the airport in Nairobi on Monday.").events
    assert not [e for e in events if e.plover_type == "PROTEST"]


def test_the_bodies_found_are_the_victims(code: Coder) -> None:
    events = code("The bodies of two farmers were found near Isiolo on Monday.").events
    event = only(events, "ASSAULT")
    assert event.actor1 is None
    assert event.acled_event_type == "Violence against civilians"
