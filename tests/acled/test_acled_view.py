"""ACLED's conventions for actors the text leaves unnamed."""

from __future__ import annotations

from sitrep.acled import acled_actors
from sitrep.models import Actor, Event, Location


def event(kind: str, actor1: Actor | None = None, actor2: Actor | None = None) -> Event:
    return Event(
        event_id="e1",
        report_id="r1",
        plover_type="ASSAULT",
        mode="asserted",
        trigger="attacked",
        trigger_start=0,
        trigger_end=8,
        acled_event_type=kind,
        actor1=actor1,
        actor2=actor2,
        location=Location(name="Konduga", country_code="NGA"),
    )


def test_unnamed_perpetrator_is_an_unidentified_armed_group() -> None:
    coded = acled_actors(event("Violence against civilians"))
    assert coded.actor1 == "Unidentified Armed Group (Nigeria)"
    assert coded.inter1 == 3
    assert coded.actor2 == "Civilians (Nigeria)" and coded.inter2 == 7
    assert coded.interaction == 37 and coded.civilian_targeting


def test_named_actors_are_kept() -> None:
    army = Actor("soldiers", "Military Forces of Nigeria", "NGA", "MIL")
    group = Actor("Boko Haram", "Boko Haram", "NGA", "INS")
    coded = acled_actors(event("Battles", group, army))
    assert (coded.actor1, coded.inter1, coded.actor2, coded.inter2) == (
        "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        2,
        "Military Forces of Nigeria (2023-)",
        1,
    )
    assert coded.interaction == 12 and not coded.civilian_targeting


def test_foreign_state_forces_are_external() -> None:
    french = Actor("French troops", "Military Forces of France", "FRA", "MIL")
    coded = acled_actors(event("Explosions/Remote violence", french))
    assert coded.inter1 == 8
    assert coded.actor2 is None and coded.interaction == 80


def test_a_battle_always_has_two_armed_sides() -> None:
    army = Actor("soldiers", "Military Forces of Nigeria", "NGA", "MIL")
    villagers = Actor("villagers", "Civilians (Nigeria)", "NGA", "CVL")
    coded = acled_actors(event("Battles", army, villagers))
    assert coded.actor2 == "Unidentified Armed Group (Nigeria)" and coded.interaction == 13


def test_protesters_carry_the_group_they_come_from() -> None:
    nurses = Actor("striking nurses", "Protesters (Nigeria)", "NGA", "PRT")
    police = Actor("police", "Police Forces of Nigeria", "NGA", "POL")
    peaceful = event("Protests", nurses, police)
    peaceful.acled_sub_event_type = "Peaceful protest"
    coded = acled_actors(peaceful)
    assert (coded.actor1, coded.assoc1, coded.inter1) == (
        "Protesters (Nigeria)",
        "Health Workers (Nigeria)",
        6,
    )
    assert coded.actor2 is None and coded.interaction == 60
    peaceful.acled_sub_event_type = "Protest with intervention"
    assert acled_actors(peaceful).inter2 == 1


def test_victims_are_civilians_whoever_attacked_them() -> None:
    reporter = Actor("a reporter", "Journalists (Nigeria)", "NGA", "MED")
    crowd = Actor("a crowd", "Rioters (Nigeria)", "NGA", "RIO")
    coded = acled_actors(event("Violence against civilians", crowd, reporter))
    assert (coded.inter1, coded.actor2, coded.assoc2) == (
        3,
        "Civilians (Nigeria)",
        "Journalists (Nigeria)",
    )


def test_a_riot_is_by_rioters_against_the_side_they_met() -> None:
    police = Actor("police", "Police Forces of Nigeria", "NGA", "POL")
    coded = acled_actors(event("Riots", police))
    assert (coded.actor1, coded.inter1, coded.inter2) == ("Rioters (Nigeria)", 5, 1)


def test_protests_without_a_named_crowd_are_by_protesters() -> None:
    coded = acled_actors(event("Protests"))
    assert coded.actor1 == "Protesters (Nigeria)" and coded.inter1 == 6


def test_state_forces_carry_the_period_of_the_regime_on_the_day() -> None:
    from datetime import date

    from sitrep.acled import dated_name, same_actor_name

    assert dated_name("Police Forces of Kenya", date(2015, 3, 1)) == (
        "Police Forces of Kenya (2013-2022)"
    )
    assert dated_name("Police Forces of Kenya", date(2010, 3, 1)) == (
        "Police Forces of Kenya (2002-2013)"
    )
    assert dated_name("Civilians (Kenya)", date(2015, 3, 1)) == "Civilians (Kenya)"
    assert same_actor_name("Police Forces of Kenya (2013-)", "Police Forces of Kenya (2013-2022)")
    assert not same_actor_name("Police Forces of Kenya (2002-)", "Police Forces of Kenya (2013-)")


def test_a_movement_named_in_the_sentence_is_an_associated_actor() -> None:
    from sitrep.models import Evidence

    crowd = Actor("students", "Protesters (United States)", "USA", "PRT")
    rally = event("Protests", crowd)
    rally.location = Location(name="Dayton", country_code="USA")
    rally.acled_sub_event_type = "Peaceful protest"
    sentence = "Students marched in support of the Black Lives Matter movement."
    rally.evidence.append(Evidence("plover_type", sentence, 9, 15))
    coded = acled_actors(rally)
    assert coded.assoc1 == "BLM: Black Lives Matter; Students (United States)"
    assert coded.actor1 == "Protesters (United States)"


def test_state_forces_of_a_country_named_with_an_article() -> None:
    police = Actor("police", "Police Forces of the United States", "USA", "POL")
    crowd = Actor("rioters", "Rioters (United States)", "USA", "RIO")
    riot = event("Riots", crowd, police)
    riot.location = Location(name="Dayton", country_code="USA")
    assert acled_actors(riot).actor2 == "Police Forces of the United States (2025-)"


def test_the_attackers_a_side_repelled_come_first() -> None:
    army = Actor("soldiers", "Military Forces of Nigeria", "NGA", "MIL")
    group = Actor("Boko Haram", "Boko Haram", "NGA", "INS")
    fight = event("Battles", army, group)
    fight.trigger = "repelled"
    coded = acled_actors(fight)
    assert (coded.inter1, coded.inter2) == (2, 1)


def test_party_men_who_attack_are_the_party_militia() -> None:
    men = Actor("Jubilee Party men", "Civilians (Kenya)", "KEN", "OPP")
    victim = Actor("a trader", "Civilians (Kenya)", "KEN", "CVL")
    attack = event("Violence against civilians", men, victim)
    attack.location = Location(name="Nakuru", country_code="KEN")
    coded = acled_actors(attack)
    assert (coded.actor1, coded.inter1, coded.inter2) == ("Jubilee Party", 3, 7)


def test_a_crowd_that_vandalises_attacks_civilians() -> None:
    crowd = Actor("youths", "Rioters (Kenya)", "KEN", "RIO")
    riot = event("Riots", crowd)
    riot.location = Location(name="Nakuru", country_code="KEN")
    riot.trigger = "vandalised"
    riot.acled_sub_event_type = "Violent demonstration"
    assert acled_actors(riot).inter2 == 7
    riot.trigger = "blocked"
    assert acled_actors(riot).inter2 is None
