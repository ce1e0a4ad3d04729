"""MERGE stage: one event told by many reports becomes one merged event.

Two events from different reports are the same event when their types agree, their dates agree
within the precision of each (a day's date ± 1 day, a week's ± 6 days, the month; a date known
only to its year is too vague), their places agree within the precision of each (a town within
15 km, a region by its coordinates or province), their actors do not contradict each other (an
unnamed "Unidentified Armed Group" fits any armed group of that country) and something specific
is shared: the place, or a named actor.

Linked events are grouped strongest link first, never joining two groups whose members
contradict each other (a report with no place cannot chain a Kunduz event to a Herat one). The
order of the links depends only on the events, so the result does not depend on the order
reports arrive in; `update` recomputes only the linked components that new events reach.

A merged event keeps every member event, report and agency; it takes the most precise place and
date, the most conservative (lowest) casualty figures, and the type and actors most members give.
The thresholds and words are in `sitrep/data/merge.yaml`.
"""

from __future__ import annotations

import hashlib
import logging
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

from sitrep.actors import roles, sector_name
from sitrep.geoparse import distance_km
from sitrep.lexicon import inter_codes, yaml_data
from sitrep.models import Actor, Event, EventDate, Location, MergedEvent

log = logging.getLogger(__name__)

# Date precisions that can be merged, finest first (a year is too vague to tell events apart).
PRECISION_RANK = {"day": 0, "week": 1, "month": 2}


@cache
def settings() -> dict[str, Any]:
    """Thresholds of sitrep/data/merge.yaml."""
    return yaml_data("merge.yaml")


# --- the relation: can two events be one ------------------------------------------------------


def shift(value: date, days: int) -> date:
    """`value` moved by `days`, held at the calendar's ends: a text may date an event in year 1
    or 9999, and a window around it must not overflow."""
    try:
        return value + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def date_range(when: EventDate) -> tuple[date, date]:
    """The days an event date may stand for, given its precision."""
    slack = settings()["date_slack_days"]
    value = when.value
    if when.precision == "month":
        return value.replace(day=1), value.replace(day=monthrange(value.year, value.month)[1])
    if when.precision == "year":
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    days = slack.get(when.precision, slack["day"])
    return shift(value, -days), shift(value, days)


def dates_agree(
    a: EventDate | None, b: EventDate | None, a_by: date | None = None, b_by: date | None = None
) -> bool:
    """Dates agree when the days each may stand for overlap; an undated event, or one dated only
    to its year, merges with none. An event happened by the day its report was published
    (`a_by`, `b_by`): "last week", or a report's own date at week precision, lies before it."""
    if a is None or b is None or not {a.precision, b.precision} <= set(PRECISION_RANK):
        return False
    (a0, a1), (b0, b1) = date_range(a), date_range(b)
    a1, b1 = min(a1, a_by or a1), min(b1, b_by or b1)
    return a0 <= b1 and b0 <= a1


Bounds = Mapping[str, date | None]  # report id -> publication date


def name_key(name: str | None) -> str:
    """A place or actor name compared without case, articles and punctuation."""
    words = (name or "").lower().replace("-", " ").replace("’", "'").split()
    return " ".join(w.strip(".,'") for w in words if w not in {"the", "of", "a"})


def places_agree(a: Location | None, b: Location | None) -> bool | None:
    """True when the places are the same within the precision of each, False when they differ,
    None when either is unknown (no evidence either way)."""
    if a is None or b is None:
        return None
    km = settings()["place_km"]
    coarse = max(a.geo_precision or 1, b.geo_precision or 1)
    located = None not in (a.lat, a.lon, b.lat, b.lon)
    if located and distance_km((a.lat, a.lon), (b.lat, b.lon)) <= km.get(coarse, km[1]):  # type: ignore[arg-type]
        return True
    ka, kb = name_key(a.name), name_key(b.name)
    if ka and kb and (ka == kb or ka in kb.split() or kb in ka.split()):
        return True
    if coarse >= 3:  # a province and a town in it, when the town's province is known
        if a.admin1 and b.admin1:
            return name_key(a.admin1) == name_key(b.admin1)
        return None
    return False


def is_generic(actor: Actor) -> bool:
    """An actor named by its kind only ("Unidentified Armed Group (Mali)", "Civilians (Mali)",
    "Police Forces" of no country): it fits any actor of that kind and country. A state's forces
    ("Military Forces of Mali") are one actor, as ACLED names them."""
    if actor.name.lower().startswith(tuple(settings()["generic_prefixes"])):
        return True
    if not actor.sector or actor.name != sector_name(actor.sector, actor.country):
        return False
    return actor.country is None or inter_codes().get(actor.sector) in settings()["crowd_inters"]


def side(actor: Actor) -> str | None:
    """ACLED's kind of actor (state forces, rebels or militias as one armed side, civilians,
    protesters, ...): a generic actor fits only actors of its own side; None when unknown."""
    inter = inter_codes().get(actor.sector or "")
    if inter is None:
        return None
    return "armed" if inter in set(settings()["armed_inters"]) else str(inter)


def actors_agree(a: Actor | None, b: Actor | None) -> bool:
    """Same name, or a generic name and an actor of the same side and country, or one missing."""
    if a is None or b is None or name_key(a.name) == name_key(b.name):
        return True
    if not (is_generic(a) or is_generic(b)):
        return False
    same_country = a.country is None or b.country is None or a.country == b.country
    sides = side(a), side(b)
    return same_country and (None in sides or sides[0] == sides[1])


def crowd_kinds(actor: Actor | None) -> set[str]:
    """The sectors of the role words in a crowd's own description ("garment workers" → LAB,
    "lawyers and court staff" → JUD ...), leaving out words that say only that it was a crowd."""
    if actor is None:
        return set()
    table = roles()
    words = [w.strip(".,;:'’\"()").lower() for w in actor.text.split()]
    found = {table[w].sector for w in words if w in table}
    found |= {table[w[:-1]].sector for w in words if w.endswith("s") and w[:-1] in table}
    return found - set(settings()["crowd_sectors"])


def crowds_differ(a: Actor | None, b: Actor | None) -> bool:
    """Two crowds described as different kinds of people ("journalists" and "labourers") are
    two demonstrations, even in one city on one day."""
    ka, kb = crowd_kinds(a), crowd_kinds(b)
    return bool(ka) and bool(kb) and not ka & kb


def named_match(a: Actor | None, b: Actor | None) -> bool:
    """Both name the same specific actor."""
    return (
        a is not None
        and b is not None
        and not (is_generic(a) and is_generic(b))
        and name_key(a.name) == name_key(b.name)
    )


def types_agree(a: Event, b: Event) -> bool:
    """Same PLOVER type and mode; the ACLED event types, when both have one, are the same."""
    if a.plover_type != b.plover_type or a.mode != b.mode:
        return False
    if a.acled_event_type and b.acled_event_type and settings()["same_acled_type"]:
        return a.acled_event_type == b.acled_event_type
    return True


def doer(event: Event) -> Actor | None:
    """The event's first actor, or else whoever claimed responsibility for it (ACLED codes the
    claimant as the perpetrator)."""
    if event.actor1 is not None:
        return event.actor1
    for claim in event.attribution:
        if claim.kind == "claimed":
            return Actor(claim.source, claim.source, claim.country, claim.sector)
    return None


def same_event(a: Event, b: Event, bounds: Bounds | None = None) -> bool:
    """Whether two events of different reports tell one event: nothing contradicts it and
    something specific is shared (the place, or a named actor when a place is unknown)."""
    if conflicts(a, b, bounds):
        return False
    place = places_agree(a.location, b.location)
    return bool(place) or (place is None and named_doer(doer(a), doer(b)))


def named_doer(a: Actor | None, b: Actor | None) -> bool:
    """Both events done by one named armed group or person: what links them when a place is
    unknown. A state's forces or government act in too many places at once to tell events
    apart, and a target alone ("Military Forces of Afghanistan") says even less."""
    if not named_match(a, b) or a is None:
        return False
    return inter_codes().get(a.sector or "") not in set(settings()["everywhere_inters"])


# --- groups -----------------------------------------------------------------------------------


def conflicts(a: Event, b: Event, bounds: Bounds | None = None) -> bool:
    """Two events that can never be in one group: one report, or type, date, place or actors
    that contradict each other. (Used so that a vague report cannot chain two events.)"""
    by = bounds or {}
    agree = dates_agree(a.date, b.date, by.get(a.report_id), by.get(b.report_id))
    if a.report_id == b.report_id or not types_agree(a, b) or not agree:
        return True
    if places_agree(a.location, b.location) is False:
        return True
    a1, b1 = doer(a), doer(b)
    if crowds_differ(a1, b1):
        return True
    straight = actors_agree(a1, b1) and actors_agree(a.actor2, b.actor2)
    swapped = actors_agree(a1, b.actor2) and actors_agree(a.actor2, b1)
    return not (straight or (swapped and a.plover_type in settings()["symmetric_types"]))


def strength(a: Event, b: Event) -> int:
    """How much two linked events share: the place, named actors, the exact date (the order in
    which links join groups)."""
    named = sum(named_match(x, y) for x in (doer(a), a.actor2) for y in (doer(b), b.actor2))
    same_day = a.date is not None and b.date is not None and a.date.value == b.date.value
    return 2 * bool(places_agree(a.location, b.location)) + named + same_day


def linked_pairs(items: list[Event], bounds: Bounds | None = None) -> list[tuple[int, int]]:
    """Index pairs (i < j) of linked events, comparing only events of one type whose dates are
    within reach of each other (sorted by date, so each event meets only its neighbours)."""
    dated = sorted(
        (i for i, e in enumerate(items) if reach(e) is not None),
        key=lambda i: (items[i].plover_type, items[i].date.value),  # type: ignore[union-attr]
    )
    pairs = []
    for position, i in enumerate(dated):
        a, (_, last) = items[i], reach(items[i])  # type: ignore[misc]
        for j in dated[position + 1 :]:
            b = items[j]
            if b.plover_type != a.plover_type or b.date.value > last:  # type: ignore[union-attr]
                break
            if same_event(a, b, bounds):
                pairs.append((min(i, j), max(i, j)))
    return pairs


def clusters(events: Iterable[Event], bounds: Bounds | None = None) -> list[list[Event]]:
    """Groups of linked events: the strongest links are joined first, and two groups are never
    joined when any of their members conflict. The links are ordered by strength and ids only,
    so any input order gives the same groups."""
    items = sorted({e.event_id: e for e in events}.values(), key=lambda e: e.event_id)
    links = [(-strength(items[i], items[j]), i, j) for i, j in linked_pairs(items, bounds)]
    members = {i: [i] for i in range(len(items))}
    group_of = list(range(len(items)))
    for _, i, j in sorted(links):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if any(conflicts(items[x], items[y], bounds) for x in members[gi] for y in members[gj]):
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        for x in members.pop(gone):
            group_of[x] = keep
            members[keep].append(x)
    groups = [sorted((items[x] for x in xs), key=lambda e: e.event_id) for xs in members.values()]
    return sorted(groups, key=lambda g: g[0].event_id)


def most_common(values: Iterable[Any]) -> Any:
    """The most frequent value that is not None; ties go to the first given."""
    counted = Counter(v for v in values if v is not None)
    return max(counted, key=lambda v: counted[v]) if counted else None


def pick_actor(actors: list[Actor | None]) -> Actor | None:
    """The actor most members name, specific names before generic ones."""
    known = [a for a in actors if a is not None]
    specific = [a for a in known if not is_generic(a)] or known
    name = most_common(a.name for a in specific)
    return next((a for a in specific if a.name == name), None)


def pick_location(group: list[Event]) -> Location | None:
    """The most precise place: the finest geo_precision, with coordinates, most often given."""
    places = [e.location for e in group if e.location is not None]
    if not places:
        return None
    counts = Counter(name_key(p.name) for p in places)
    return min(
        places,
        key=lambda p: (p.geo_precision or 9, p.lat is None, -counts[name_key(p.name)], p.name),
    )


def pick_date(group: list[Event]) -> EventDate | None:
    """The most precise date; among equally precise ones the most often given, then the earliest."""
    dates = [e.date for e in group if e.date is not None]
    if not dates:
        return None
    counts = Counter((d.value, d.precision) for d in dates)
    return min(
        dates,
        key=lambda d: (
            PRECISION_RANK.get(d.precision, 9),
            -counts[(d.value, d.precision)],
            d.value,
        ),
    )


def lowest(values: Iterable[int | None]) -> int | None:
    """The most conservative figure: the lowest one given."""
    known = [v for v in values if v is not None]
    return min(known) if known else None


def merged_id(group: list[Event], published: dict[str, date | None]) -> str:
    """A stable id: that of the first-published report's event (a later report joining keeps it)."""
    first = min(group, key=lambda e: (published.get(e.report_id) or date.max, e.event_id))
    return "m" + hashlib.sha1(first.event_id.encode()).hexdigest()[:20]


def merge_group(
    group: list[Event], published: dict[str, date | None], agencies: dict[str, tuple[str, ...]]
) -> MergedEvent:
    """One merged event from the events of a group."""
    report_ids = sorted({e.report_id for e in group})
    names = sorted({a for r in report_ids for a in agencies.get(r, ())})
    return MergedEvent(
        merged_id=merged_id(group, published),
        plover_type=group[0].plover_type,
        mode=group[0].mode,
        acled_event_type=most_common(e.acled_event_type for e in group),
        acled_sub_event_type=most_common(e.acled_sub_event_type for e in group),
        actor1=pick_actor([e.actor1 for e in group]),
        actor2=pick_actor([e.actor2 for e in group]),
        location=pick_location(group),
        date=pick_date(group),
        fatalities=lowest(e.fatalities for e in group),
        injured=lowest(e.injured for e in group),
        arrested=lowest(e.arrested for e in group),
        reports=len(report_ids),
        sources=len(names) + sum(1 for r in report_ids if not agencies.get(r)),
        event_ids=[e.event_id for e in group],
        report_ids=report_ids,
        agencies=names,
    )


# --- keeping the store's merged events up to date ---------------------------------------------


def reach(event: Event) -> tuple[date, date] | None:
    """The dates between which another event's date may lie and still agree with this one's:
    its own range widened by the widest range any other date can have (a month)."""
    if event.date is None or event.date.precision not in PRECISION_RANK:
        return None
    start, end = date_range(event.date)
    widest = settings()["search_days"]
    return shift(start, -widest), shift(end, widest)


def load(
    store: Any,
    frontier: list[Event],
    loaded: dict[str, dict[date, list[Event]]],
    covered: dict[str, list[tuple[date, date]]],
    bounds: dict[str, date | None],
) -> None:
    """Read from the store, in a few queries, every event that could be linked to the frontier
    (same type, dates within reach), indexed by type and date; ranges already read are skipped."""
    wanted: dict[str, list[tuple[date, date]]] = {}
    for event in frontier:
        window = reach(event)
        if window is None:
            continue
        done = covered.setdefault(event.plover_type, [])
        if not any(a <= window[0] and window[1] <= b for a, b in done):
            wanted.setdefault(event.plover_type, []).append(window)
    windows = [(plover, *w) for plover, ws in wanted.items() for w in coalesce(ws)]
    seen = {e.event_id for by_day in loaded.values() for day in by_day.values() for e in day}
    for event in store.events_in_windows(windows):  # one query for all types and ranges
        if event.event_id not in seen and event.date is not None:
            seen.add(event.event_id)
            loaded.setdefault(event.plover_type, {}).setdefault(event.date.value, []).append(event)
    for plover, start, end in windows:
        loaded.setdefault(plover, {})
        covered[plover].append((start, end))
    missing = {e.report_id for day in loaded.values() for es in day.values() for e in es}
    missing |= {e.report_id for e in frontier}
    bounds.update(store.published_dates(missing - bounds.keys()))


def coalesce(windows: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping date ranges joined."""
    joined: list[tuple[date, date]] = []
    for start, end in sorted(windows):
        if joined and start <= shift(joined[-1][1], 1):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def reach_groups(store: Any, seeds: list[Event]) -> list[list[Event]]:
    """The whole linked components the seed events belong to, following `same_event` through
    the store, then grouped by `clusters`."""
    found: dict[str, Event] = {e.event_id: e for e in seeds}
    loaded: dict[str, dict[date, list[Event]]] = {}
    covered: dict[str, list[tuple[date, date]]] = {}
    bounds: dict[str, date | None] = {}
    frontier = list(seeds)
    while frontier:
        load(store, frontier, loaded, covered, bounds)
        following = []
        for event in frontier:
            window = reach(event)
            if window is None:
                continue
            by_day = loaded.get(event.plover_type, {})
            for day in sorted(d for d in by_day if window[0] <= d <= window[1]):
                for other in by_day[day]:
                    if other.event_id not in found and same_event(event, other, bounds):
                        found[other.event_id] = other
                        following.append(other)
        frontier = following
    return clusters(found.values(), bounds)


def update(store: Any, report_ids: Iterable[str]) -> int:
    """Recompute the merged events that these reports' events belong to or belonged to.

    Returns how many merged events were written. Re-running it changes nothing.
    """
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return 0
    old_members = store.merged_members_of_reports(ids)
    seeds = {e.event_id: e for e in store.events_of_reports(ids)}
    for event_id in old_members:
        if event_id not in seeds:
            event = store.event(event_id)
            if event is not None:
                seeds[event_id] = event
    groups = reach_groups(store, list(seeds.values()))
    members = {e.report_id for g in groups for e in g}
    reports = store.reports(members)
    published = {r: reports[r].published if r in reports else None for r in members}
    agencies = {r: reports[r].agencies if r in reports else () for r in members}
    merged = [merge_group(g, published, agencies) for g in groups]
    store.replace_merged(merged, [*old_members, *seeds])
    log.debug("merged %d events into %d", len(seeds), len(merged))
    return len(merged)


def rebuild(store: Any) -> int:
    """Recompute every merged event from scratch (same result as the incremental updates)."""
    events = list(store.iter_events())
    report_ids = sorted({e.report_id for e in events})
    store.clear_merged()
    return update(store, report_ids)
