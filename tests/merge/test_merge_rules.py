"""Cross-report merging on hand-built events: dates and places within the precision of each,
actors that fit, claims as the doer, the merged fields, and groups that do not depend on order."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sitrep.merge import (
    Known,
    clusters,
    date_range,
    members,
    merge_group,
    places_agree,
    reach,
    same_event,
    site_names,
)
from sitrep.models import Actor, Attribution, Event, EventDate, Evidence, Location

TALIBAN = Actor("the Taliban", "Taliban", "AFG", "INS")
AFG_ARMY = Actor("troops", "Military Forces of Afghanistan", "AFG", "MIL")
UNKNOWN = Actor("gunmen", "Unidentified Armed Group (Afghanistan)", "AFG", "UAF")
CIVILIANS = Actor("villagers", "Civilians (Afghanistan)", "AFG", "CVL")
KUNDUZ = Location("Kunduz", 1, 36.72895, 68.857, "Kunduz", None, "AFG", 1)
KUNDUZ_PROVINCE = Location("Kunduz Province", 2, 36.75, 68.75, "Kunduz", None, "AFG", 3)
HERAT = Location("Herat", 3, 34.34817, 62.19967, "Herat", None, "AFG", 1)


def event(
    report: str,
    *,
    day: int = 10,
    precision: str = "day",
    actor1: Actor | None = TALIBAN,
    actor2: Actor | None = AFG_ARMY,
    place: Location | None = KUNDUZ,
    killed: int | None = None,
    plover: str = "ASSAULT",
) -> Event:
    e = Event(f"e-{report}", report, plover, "asserted", "attack", 0, 6)
    e.actor1, e.actor2, e.location, e.fatalities = actor1, actor2, place, killed
    e.date = EventDate(date(2021, 8, day), precision)
    e.acled_event_type = "Battles"
    return e


def test_same_place_actors_and_day_merge() -> None:
    assert same_event(event("a"), event("b", day=11))


def test_days_apart_do_not_merge_unless_the_date_is_coarse() -> None:
    assert not same_event(event("a", day=10), event("b", day=14))
    assert same_event(event("a", day=10), event("b", day=14, precision="week"))
    assert same_event(event("a", day=2), event("b", day=28, precision="month"))


def test_events_of_one_report_never_merge() -> None:
    assert not same_event(event("a"), event("a"))


def test_different_towns_do_not_merge_but_a_town_fits_its_province() -> None:
    assert not same_event(event("a"), event("b", place=HERAT))
    assert same_event(event("a"), event("b", place=KUNDUZ_PROVINCE))


def test_an_unidentified_group_fits_a_named_group_but_not_the_army() -> None:
    assert same_event(event("a"), event("b", actor1=UNKNOWN))
    assert not same_event(event("a"), event("b", actor1=AFG_ARMY, actor2=CIVILIANS))


def test_without_a_place_a_named_doer_must_be_shared() -> None:
    assert same_event(event("a"), event("b", place=None))
    assert not same_event(
        event("a", actor1=UNKNOWN), event("b", actor1=UNKNOWN, place=None, actor2=None)
    )


def test_whoever_claimed_it_stands_for_the_unnamed_doer() -> None:
    claimed = event("b", actor1=None, actor2=None, place=None)
    assert not same_event(event("a"), claimed)
    claimed.attribution.append(Attribution("Taliban", "claimed", "claimed", "INS", "AFG"))
    assert same_event(event("a"), claimed)


def test_different_types_never_merge() -> None:
    assert not same_event(event("a"), event("b", plover="PROTEST"))


def test_merged_fields_most_precise_and_most_conservative() -> None:
    group = [
        event("a", killed=12, place=KUNDUZ_PROVINCE, precision="week"),
        event("b", killed=9),
        event("c", killed=None, place=None),
    ]
    published = {"a": date(2021, 8, 11), "b": date(2021, 8, 12), "c": date(2021, 8, 12)}
    agencies = {"a": ("AFP",), "b": ("Reuters", "AFP"), "c": ()}
    merged = merge_group(group, published, agencies)
    assert merged.fatalities == 9
    assert merged.location == KUNDUZ
    assert merged.date is not None and merged.date.precision == "day"
    assert (merged.reports, merged.sources, merged.agencies) == (3, 3, ["AFP", "Reuters"])
    assert merged.merged_id == merge_group(list(reversed(group)), published, agencies).merged_id


@given(st.randoms(use_true_random=False))
def test_groups_do_not_depend_on_order(rng: random.Random) -> None:
    events = [
        event("a"), event("b", day=11), event("c", place=None), event("d", place=HERAT),
        event("e", day=20), event("f", day=21, place=None, actor1=UNKNOWN),
    ]  # fmt: skip
    expected = [[e.event_id for e in g] for g in clusters(events)]
    rng.shuffle(events)
    assert [[e.event_id for e in g] for g in clusters(events)] == expected
    assert ["e-a", "e-b", "e-c"] in expected and ["e-d"] in expected


def test_without_a_place_a_state_side_alone_links_nothing() -> None:
    a = event("a", actor1=None, place=None)
    b = event("b", actor1=None, place=KUNDUZ)
    assert not same_event(a, b)  # only "Military Forces of Afghanistan" in common


def test_an_event_happened_by_the_day_its_report_was_published() -> None:
    reported = event("a", day=13, precision="week")  # a report's own date at week precision
    later = event("b", day=18)
    assert same_event(reported, later)
    assert not same_event(reported, later, {"a": date(2021, 8, 13), "b": date(2021, 8, 18)})


@given(
    st.dates(),
    st.sampled_from(["day", "week", "month"]),
)
def test_date_windows_never_overflow_at_the_calendars_ends(day: date, precision: str) -> None:
    """A text can date an event in year 1 or 9999 (the soak run found one): no overflow."""
    start, end = date_range(EventDate(day, precision))
    assert start <= day <= end
    dated = event("r", precision=precision)
    dated.date = EventDate(day, precision)
    window = reach(dated)
    assert window is not None and window[0] <= start and end <= window[1]


def report_of(text: str, *events: Event) -> Known:
    """What merging knows of report "a": its text."""
    return Known(texts={e.report_id: text for e in events})


def test_a_report_without_a_place_matches_the_place_it_names() -> None:
    unplaced = event("b", actor1=UNKNOWN, place=None)
    known = report_of("Gunmen attacked troops in Kunduz's Imam Sahib area.", unplaced)
    assert same_event(event("a", actor1=UNKNOWN), unplaced, known)
    elsewhere = report_of("Gunmen attacked troops near the Herat road.", unplaced)
    assert not same_event(event("a", actor1=UNKNOWN), unplaced, elsewhere)
    assert not same_event(event("a", actor1=UNKNOWN), unplaced)  # no text, no link


def test_an_unlocated_village_fits_the_region_its_report_names_but_not_a_town() -> None:
    village = Location("Chardara village", None, None, None, None, None, "AFG", None)
    a = event("a", actor1=UNKNOWN, place=village)
    known = report_of("Gunmen attacked troops in Chardara village in Kunduz province.", a)
    assert same_event(a, event("b", actor1=UNKNOWN, place=KUNDUZ_PROVINCE), known)
    assert not same_event(a, event("b", actor1=UNKNOWN, place=KUNDUZ), known)


def test_a_country_is_no_place_but_another_country_contradicts() -> None:
    afghanistan = Location("Afghanistan", None, 33.9, 67.7, None, None, "AFG", 3)
    pakistan = Location("Pakistan", None, 30.4, 69.3, None, None, "PAK", 3)
    assert places_agree(afghanistan, KUNDUZ) is None
    assert places_agree(afghanistan, pakistan) is False


def test_one_reports_events_of_one_happening_stay_together() -> None:
    stormed = event("a", actor2=None)
    abducted = event("a", actor2=CIVILIANS)
    abducted.event_id = "e-a2"
    other = event("b", actor2=CIVILIANS)
    for order in ([stormed, abducted, other], [other, abducted, stormed]):
        groups = [[e.event_id for e in g] for g in clusters(order)]
        assert groups == [["e-a", "e-a2", "e-b"]]
    herat = event("a", place=HERAT)
    herat.event_id = "e-a3"
    assert [len(m) for m in members([stormed, abducted, herat])] == [2, 1]


def test_a_merged_events_figure_is_each_reports_highest_then_the_lowest_of_those() -> None:
    blast, killed = event("a"), event("a", killed=6)
    killed.event_id = "e-a2"
    merged = merge_group([blast, killed, event("b", killed=8)], {}, {})
    assert merged.fatalities == 6 and merged.reports == 2


def test_a_report_names_a_place_only_by_its_whole_name() -> None:
    unplaced = event("b", actor1=UNKNOWN, place=None)
    longer = report_of("A man was found dead in Kunduz Bagh on Tuesday.", unplaced)
    assert not same_event(event("a", actor1=UNKNOWN), unplaced, longer)
    with_unit = report_of("A man was found dead in Kunduz Province on Tuesday.", unplaced)
    assert same_event(event("a", actor1=UNKNOWN), unplaced, with_unit)


# --- protests' causes, armed doers' words, bodies of one state ------------------------------

PROTESTERS = Actor("residents", "Protesters (Afghanistan)", "AFG", "PRT")


def protest(report: str, sentence: str, actor: Actor = PROTESTERS) -> Event:
    e = event(report, actor1=actor, actor2=None, plover="PROTEST")
    e.acled_event_type = "Protests"
    e.evidence = [Evidence("plover_type", sentence, 0, 5)]
    return e


def test_protests_with_causes_that_share_no_word_are_two_events() -> None:
    fuel = protest("a", "Traders marched in Kunduz against a rise in fuel prices during a curfew.")
    wages = protest("b", "Nurses rallied in Kunduz demanding unpaid wages, officials said.")
    same = protest("c", "Hundreds protested in Kunduz over the higher price of fuel.")
    silent = protest("d", "Hundreds protested in Kunduz on Tuesday.")
    assert not same_event(fuel, wages)
    assert same_event(fuel, same)  # "price" meets "prices", "fuel" meets "fuel"
    assert same_event(wages, silent)  # a report that states no cause contradicts nothing


def test_more_cues_of_a_protests_cause() -> None:
    reject = protest("a", "Drivers protested in Kunduz rejecting a new toll on the highway.")
    pay = protest("b", "Clerks protested in Kunduz for payment of their overdue salaries.")
    ask = protest("c", "Farmers gathered in Kunduz to request seeds for the spring sowing.")
    toll = protest("d", "Drivers rallied in Kunduz to reject the highway toll.")
    assert not same_event(reject, pay)
    assert not same_event(pay, ask)
    assert same_event(reject, toll)


def test_an_end_word_before_any_cause_word_does_not_end_the_cause() -> None:
    closed = protest(
        "a", "Clerks protested in Kunduz to denounce that after the mill shut they lost pay."
    )
    loans = protest("b", "Farmers protested in Kunduz demanding cheaper seed loans.")
    assert not same_event(closed, loans)


def test_armed_doers_described_in_other_words_still_merge() -> None:
    jihadists = Actor("suspected jihadists", "Unidentified Armed Group (Afghanistan)", "AFG", "INS")
    gunmen = Actor("gunmen", "Unidentified Armed Group (Afghanistan)", "AFG", "UAF")
    assert same_event(event("a", actor1=jihadists), event("b", actor1=gunmen))


def test_two_bodies_of_one_state_are_one_side() -> None:
    governor = Actor("the district governor", "Government of Afghanistan", "AFG", "GOV")
    police = Actor("police", "Police Forces of Afghanistan", "AFG", "POL")
    assert same_event(event("a", actor2=governor), event("b", actor2=AFG_ARMY))
    assert same_event(event("a", actor2=police), event("b", actor2=AFG_ARMY))
    pakistan = Actor("troops", "Military Forces of Pakistan", "PAK", "MIL")
    assert not same_event(event("a", actor2=pakistan), event("b", actor2=AFG_ARMY))


def attack_in(report: str, sentence: str, place: Location | None = KUNDUZ) -> Event:
    e = event(report, place=place)
    e.evidence = [Evidence("plover_type", sentence, 0, 5)]
    return e


def test_unknown_spots_named_in_both_reports_are_two_places() -> None:
    north = attack_in("a", "Militants shelled Qarzelan in Kunduz province on Monday.")
    south = attack_in("b", "Militants shelled Dashtobar in Kunduz province on Monday.")
    again = attack_in("c", "Insurgents shelled the village of Qarzelan near Kunduz.")
    vague = attack_in("d", "Militants shelled villages in Kunduz on Monday.")
    assert not same_event(north, south)
    assert same_event(north, again)  # the same spot, written differently
    assert same_event(south, vague)  # a report naming no spot contradicts nothing


def test_spots_that_are_the_located_place_or_a_country_are_not_sites() -> None:
    town = attack_in("a", "The Taliban attacked Kunduz in Afghanistan in May.")
    quarter = attack_in("b", "The Taliban attacked a checkpoint in Bandar Gozar of Kunduz.")
    assert same_event(town, quarter)


def test_a_spot_after_the_and_a_unit_word_and_a_bare_object_name_count() -> None:
    hall = attack_in("a", "Gunmen opened fire at the Nurzad building in Kunduz.")
    market = attack_in("b", "Gunmen opened fire in the locality of Sarbagh in Kunduz.")
    assert not same_event(hall, market)
    bare = Actor("Qarzelan", "Qarzelan", None, None)  # the coder read the village as a person
    north = attack_in("c", "Militants shelled Qarzelan in Kunduz province.")
    north.actor2 = bare
    south = attack_in("d", "Militants shelled Dashtobar in Kunduz province.")
    south.actor2 = Actor("Dashtobar", "Dashtobar", None, None)
    assert not same_event(north, south)


def test_demonyms_and_resolved_actors_are_not_spots() -> None:
    one = attack_in("a", "Militants attacked Afghan soldiers in Kunduz.")
    two = attack_in("b", "The army attacked Taliban positions in Kunduz.")
    assert site_names(one) == site_names(two) == frozenset()
    three = attack_in("c", "Militants shelled Dashtobar in Kunduz province.")
    assert site_names(three) == {"dashtobar"}
