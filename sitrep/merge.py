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
import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from sitrep import geo
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
    return days_of(when.value, when.precision)


@cache
def days_of(value: date, precision: str) -> tuple[date, date]:
    """`date_range` of a value and precision (kept: merging asks it of every pair it compares)."""
    slack = settings()["date_slack_days"]
    if precision == "month":
        return value.replace(day=1), value.replace(day=monthrange(value.year, value.month)[1])
    if precision == "year":
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    days = slack.get(precision, slack["day"])
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


@dataclass
class Known:
    """What merging knows of the reports beyond their events: when each was published (its
    events happened by then) and its text (what a report names where its event has no place)."""

    published: Mapping[str, date | None] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)


def as_known(known: Known | Mapping[str, date | None] | None) -> Known:
    """A `Known` from itself, from publication dates alone, or from nothing."""
    if known is None:
        return Known()
    return known if isinstance(known, Known) else Known(published=known)


def name_key(name: str | None) -> str:
    """A place or actor name compared without case, articles and punctuation."""
    words = (name or "").lower().replace("-", " ").replace("’", "'").split()
    return " ".join(w.strip(".,'") for w in words if w not in {"the", "of", "a"})


def country_level(place: Location) -> bool:
    """A place known only to its country ("northern Burkina Faso"): it says where an event was
    not, but not where it was."""
    return place.geo_precision == 3 and not place.admin1


def located(place: Location | None) -> bool:
    """A place with coordinates below the country: one a report can be compared with."""
    return place is not None and place.lat is not None and not country_level(place)


def places_agree(a: Location | None, b: Location | None) -> bool | None:
    """True when the places are the same within the precision of each, False when they differ,
    None when either is unknown or known only to its country (no evidence either way)."""
    if a is None or b is None:
        return None
    if country_level(a) or country_level(b):
        if a.country_code and b.country_code and a.country_code != b.country_code:
            return False
        return None
    km = settings()["place_km"]
    coarse = max(a.geo_precision or 1, b.geo_precision or 1)
    both_located = None not in (a.lat, a.lon, b.lat, b.lon)
    if both_located and distance_km((a.lat, a.lon), (b.lat, b.lon)) <= km.get(coarse, km[1]):  # type: ignore[arg-type]
        return True
    ka, kb = name_key(a.name), name_key(b.name)
    if ka and kb and (ka == kb or ka in kb.split() or kb in ka.split()):
        return True
    if coarse >= 3:  # a province and a town in it, when the town's province is known
        if a.admin1 and b.admin1:
            return name_key(a.admin1) == name_key(b.admin1)
        return None
    return False


@cache
def place_pattern(name: str) -> re.Pattern[str] | None:
    """The proper name in a place name ("Kaduna State" → "Kaduna"), as a pattern of whole,
    capitalised words; None when nothing but unit words is left."""
    units = set(settings()["place_unit_words"])
    words = [w for w in name.replace("’", "'").split() if w.lower().strip(".,'") not in units]
    core = " ".join(words).strip(" .,'")
    if not core or not core[0].isupper():
        return None
    return re.compile(r"(?<![\w-])" + re.escape(core) + r"(?![\w-])(?P<next>\s+\w+)?")


def names_place(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether the text names the place itself, not a longer name that starts with it
    ("Colonia La Esperanza" is not "Colonia"): the word after it is not capitalised, or is a
    unit word ("Kaduna State", "Sagaing Region")."""
    units = set(settings()["place_unit_words"])
    for found in pattern.finditer(text):
        following = (found.group("next") or "").strip()
        if not following[:1].isupper() or following.lower() in units:
            return True
    return False


def named_in_report(event: Event, place: Location | None, known: Known) -> bool:
    """Whether an event with no place of its own comes from a report that names `place`, the
    located place of another event: the coder missed the event's place ("in Marte local
    government area", "Dhaka's Mirpur area"), but the report says where it is about. An event
    at a place without coordinates ("Pazigyi village", "Qiyaa neighbourhood") is somewhere
    finer than any town its report names, so it matches only a named region ("in Sagaing
    region"): a neighbourhood's protest and a town's are as often two protests as one."""
    if located(event.location) or not located(place) or place is None:
        return False
    unresolved = event.location is not None and not country_level(event.location)
    if unresolved and place.geo_precision != 3:
        return False
    text = known.texts.get(event.report_id)
    pattern = place_pattern(place.name)
    return bool(text and pattern and names_place(text, pattern))


def places_relate(a: Event, b: Event, known: Known | None = None) -> bool | None:
    """The places of two events compared within the precision of each: True when they are the
    same, False when they differ, None when nothing is known. A place without coordinates or a
    missing one matches a located place its report names (a village of a named region)."""
    agree = places_agree(a.location, b.location)
    if agree:
        return True
    k = as_known(known)
    if named_in_report(a, b.location, k) or named_in_report(b, a.location, k):
        return True
    return agree


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
    """Same name, or a generic name and an actor of the same side and country, or one missing,
    or two bodies of one state (a report names the district governor where another names the
    security forces: ACLED codes both as the state, inter 1)."""
    if a is None or b is None or name_key(a.name) == name_key(b.name):
        return True
    if a.country and a.country == b.country and is_state(a) and is_state(b):
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


def is_state(actor: Actor) -> bool:
    """A state's government, forces or police (merge.yaml's state_inters)."""
    return inter_codes().get(actor.sector or "") in settings()["state_inters"]


def is_crowd(actor: Actor | None) -> bool:
    """Protesters, rioters or civilians (merge.yaml's crowd_inters)."""
    return actor is not None and inter_codes().get(actor.sector or "") in settings()["crowd_inters"]


def crowds_differ(a: Actor | None, b: Actor | None) -> bool:
    """Two crowds described as different kinds of people ("journalists" and "labourers") are
    two demonstrations, even in one city on one day. Armed actors are told apart by their
    names ("jihadists" and "gunmen" may be one group), not by these words."""
    if not (is_crowd(a) and is_crowd(b)):
        return False
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


def same_event(a: Event, b: Event, known: Known | Mapping[str, date | None] | None = None) -> bool:
    """Whether two events of different reports tell one event: nothing contradicts it and
    something specific is shared (the place, or a named actor when a place is unknown).
    `known` holds the reports' publication dates and texts (or the dates alone)."""
    k = as_known(known)
    if conflicts(a, b, k):
        return False
    place = places_relate(a, b, k)
    return bool(place) or (place is None and named_doer(doer(a), doer(b)))


def named_doer(a: Actor | None, b: Actor | None) -> bool:
    """Both events done by one named armed group or person: what links them when a place is
    unknown. A state's forces or government act in too many places at once to tell events
    apart, and a target alone ("Military Forces of Afghanistan") says even less."""
    if not named_match(a, b) or a is None:
        return False
    return inter_codes().get(a.sector or "") not in set(settings()["everywhere_inters"])


# --- groups ---------------------------------------------------------------------------------


def conflicts(a: Event, b: Event, known: Known | Mapping[str, date | None] | None = None) -> bool:
    """Two events that can never be in one group: one report, or type, date, place or actors
    that contradict each other. (Used so that a vague report cannot chain two events.)"""
    return a.report_id == b.report_id or contradicts(a, b, as_known(known))


def contradicts(a: Event, b: Event, known: Known) -> bool:
    """Type, date, place, actors or stated causes of two events that cannot be one event's."""
    by = known.published
    if not types_agree(a, b) or not dates_agree(
        a.date, b.date, by.get(a.report_id), by.get(b.report_id)
    ):
        return True
    if causes_differ(a, b) or sites_differ(a, b):
        return True
    if places_relate(a, b, known) is False:
        return True
    a1, b1 = doer(a), doer(b)
    if crowds_differ(a1, b1):
        return True
    straight = actors_agree(a1, b1) and actors_agree(a.actor2, b.actor2)
    swapped = actors_agree(a1, b.actor2) and actors_agree(a.actor2, b1)
    return not (straight or (swapped and a.plover_type in settings()["symmetric_types"]))


def sites_differ(a: Event, b: Event) -> bool:
    """Two events at one located place (a town or district) whose own sentences each name a
    finer spot the gazetteer did not know ("shelled Xville", "in Colonia Y"), and neither spot
    is written in the other's sentence, are at two places. The same spot, or one report naming
    none, is no contradiction."""
    sa, sb = site_names(a), site_names(b)
    if not (sa and sb):
        return False
    ta, tb = trigger_sentence(a).lower(), trigger_sentence(b).lower()
    return not any(site in tb for site in sa) and not any(site in ta for site in sb)


def trigger_sentence(event: Event) -> str:
    """The sentence the event's type was read from."""
    return next((e.sentence for e in event.evidence if e.field == "plover_type"), "")


def site_names(event: Event) -> frozenset[str]:
    """Proper names written right after a cue of merge.yaml's `sites` in the event's sentence
    that are not a word of its located place or that place's admin units, a country or a known
    city, lowercased without unit words ("in Colonia Vistas del Rio" -> "vistas del rio")."""
    loc = event.location
    if loc is None or not loc.name:
        return frozenset()
    cfg = settings()["sites"]
    skip, connectors = set(cfg["skip"]), set(cfg["connectors"])
    units = set(settings()["place_unit_words"])
    # actors the coder resolved to a sector; a bare name with none is often the spot itself
    actors = [x for x in (event.actor1, event.actor2) if x is not None and x.sector]
    # the located place, its units, and the event's actors ("shelled Taliban positions")
    written = [loc.name, loc.admin1 or "", loc.admin2 or ""]
    written += [t for x in actors for t in (x.text, x.name)]
    known = {w.lower() for name in written for w in re.findall(r"[^\W\d_]+", name)}
    lead, lead_cues = set(cfg["lead_words"]), set(cfg["lead_cues"])
    tokens = re.findall(r"[^\W\d_][\w'’-]*|\S", trigger_sentence(event))
    cues = {c.lower() for c in cfg["cues"]}
    names: set[str] = set()
    for i, token in enumerate(tokens):
        if token.lower() not in cues:
            continue
        phrase: list[str] = []
        start = i + 1
        if token.lower() in lead_cues:
            while start < len(tokens) and tokens[start].lower() in lead:
                start += 1
        for word in tokens[start:]:
            word = re.sub(r"['’]s$", "", word)
            proper = word[:1].isupper() and word.lower() not in skip
            if not (proper or (phrase and word.lower() in connectors)):
                break
            phrase.append(word)
        while phrase and phrase[-1].lower() in connectors:
            phrase.pop()
        lower = [w.lower() for w in phrase]
        parts = [w for w in lower if w not in units]
        if not parts or any(w in known for part in lower for w in re.split(r"[-'’]", part)):
            continue
        if geo.place_country(" ".join(phrase)) or geo.place_country(" ".join(parts)):
            continue  # a country or a known city
        if any(geo.country_terms().get(w) for w in lower):
            continue  # a demonym ("Afghan forces") says who, not where
        names.add(" ".join(parts))
    return frozenset(names)


def causes_differ(a: Event, b: Event) -> bool:
    """Two protests whose stated causes share no word ("against a hike in fuel prices",
    "demanding unpaid salaries") are two protests, even in one city on one day; a report that
    states no cause contradicts nothing."""
    if a.report_id == b.report_id:
        return False
    ca, cb = stated_cause(a), stated_cause(b)
    return bool(ca) and bool(cb) and not ca & cb


def stated_cause(event: Event) -> frozenset[str]:
    """The content words of a protest's stated cause in its trigger's sentence, cut to their
    first five letters (so "price" meets "prices") and without names: from a cue of
    merge.yaml's `causes` to the end of the phrase (a comma, or an end word such as "amid")."""
    cfg = settings()["causes"]
    if event.plover_type not in cfg["types"]:
        return frozenset()
    sentence = next((e.sentence for e in event.evidence if e.field == "plover_type"), "")
    match = cause_pattern().search(sentence)
    if match is None:
        return frozenset()
    words: set[str] = set()
    for word in re.findall(r"[A-Za-z]+|[,.;:()]", sentence[match.end() :]):
        lower = word.lower()
        if lower in cfg["ends"] and not words:
            continue  # "to denounce that after the plant closed …": the cause is still ahead
        if lower in cfg["ends"] or not word.isalpha() or len(words) >= cfg["max_words"]:
            break
        if len(lower) >= 4 and lower not in cfg["stopwords"] and not word[0].isupper():
            words.add(lower[:5])  # names (of the town, a party) are shared by neighbours too
    return frozenset(words)


@cache
def cause_pattern() -> re.Pattern[str]:
    """The cues that introduce a protest's cause ("against", "demanding", "to denounce")."""
    cues = sorted(settings()["causes"]["cues"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


def siblings(a: Event, b: Event, known: Known | None = None) -> bool:
    """Two events of one report that tell one happening: a report often codes one attack as
    "stormed" and "abducted", or an explosion and the people it "killed". Same type, and
    nothing of date, place or actors contradicts it."""
    return (
        a.report_id == b.report_id
        and a.event_id != b.event_id
        and not contradicts(a, b, as_known(known))
    )


def lead_key(event: Event) -> tuple[Any, ...]:
    """Which event of a report's member speaks for it: a located place first, then one its
    own sentence gives (a place borrowed from an earlier sentence is only a guess), then a
    place, then the most actors, the highest confidence, the earliest in the text."""
    actors = (event.actor1 is not None) + (event.actor2 is not None)
    return (
        not located(event.location),
        event.location is not None and geo.is_inherited(event.location),
        event.location is None,
        -actors,
        -event.confidence,
        event.trigger_start,
        event.event_id,
    )


def members(events: Iterable[Event], known: Known | None = None) -> list[list[Event]]:
    """The events of each report grouped into members, one per happening: an event joins the
    one member of its report whose every event it fits; an event that fits none, or fits two
    (an unplaced "killed" beside attacks in two towns), stands alone. Each member is led by
    its `lead_key` event; the result depends only on the events, not their order."""
    k = as_known(known)
    by_report: dict[str, list[Event]] = {}
    for event in sorted(events, key=lead_key):
        by_report.setdefault(event.report_id, []).append(event)
    found: list[list[Event]] = []
    for report_events in by_report.values():
        groups: list[list[Event]] = []
        for event in report_events:
            fitting = [g for g in groups if all(siblings(event, x, k) for x in g)]
            if len(fitting) == 1:
                fitting[0].append(event)
            else:
                groups.append([event])
        found += groups
    return found


def representative(member: list[Event]) -> Event:
    """The member's lead event, with a doer and claims its siblings give where it has none:
    what the member is compared by."""
    lead = member[0]
    if lead.actor1 is None:
        actor1 = next((e.actor1 for e in member if e.actor1 is not None), None)
        claims = [c for e in member for c in e.attribution]
        return replace(lead, actor1=actor1, attribution=claims)
    return lead


def strength(a: Event, b: Event, known: Known | None = None) -> int:
    """How much two linked events share: the place (as a located place, or as a place one
    report names), named actors, the exact date (the order in which links join groups)."""
    named = sum(named_match(x, y) for x in (doer(a), a.actor2) for y in (doer(b), b.actor2))
    same_day = a.date is not None and b.date is not None and a.date.value == b.date.value
    place = 2 if places_agree(a.location, b.location) else int(bool(places_relate(a, b, known)))
    return place + named + same_day


def linked_pairs(items: list[Event], known: Known | None = None) -> list[tuple[int, int]]:
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
            if same_event(a, b, known):
                pairs.append((min(i, j), max(i, j)))
    return pairs


def clusters(
    events: Iterable[Event], known: Known | Mapping[str, date | None] | None = None
) -> list[list[Event]]:
    """Groups of linked events. Each report's events of one happening form one member
    (`members`), compared by its `representative`; the strongest links are joined first, and
    two groups are never joined when any of their members conflict. The links are ordered by
    strength and ids only, so any input order gives the same groups."""
    k = as_known(known)
    parts = sorted(
        members({e.event_id: e for e in events}.values(), k), key=lambda m: m[0].event_id
    )
    items = [representative(m) for m in parts]
    links = [(-strength(items[i], items[j], k), i, j) for i, j in linked_pairs(items, k)]
    grouped = {i: [i] for i in range(len(items))}
    group_of = list(range(len(items)))
    for _, i, j in sorted(links):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if any(conflicts(items[x], items[y], k) for x in grouped[gi] for y in grouped[gj]):
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        for x in grouped.pop(gone):
            group_of[x] = keep
            grouped[keep].append(x)
    groups = [
        sorted((e for x in xs for e in parts[x]), key=lambda e: e.event_id)
        for xs in grouped.values()
    ]
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


def by_report(group: list[Event]) -> list[list[Event]]:
    """The members of a group: one report's events each, its lead first."""
    found: dict[str, list[Event]] = {}
    for event in sorted(group, key=lead_key):
        found.setdefault(event.report_id, []).append(event)
    return list(found.values())


def merge_group(
    group: list[Event], published: dict[str, date | None], agencies: dict[str, tuple[str, ...]]
) -> MergedEvent:
    """One merged event from the events of a group: each report counts once, by its member's
    representative, and its figure is the highest any of its events gives (a report's
    "explosion" and the "killed" beside it are one happening)."""
    parts = by_report(group)
    leads = [representative(m) for m in parts]
    report_ids = sorted({e.report_id for e in group})
    names = sorted({a for r in report_ids for a in agencies.get(r, ())})

    def figure(name: str) -> int | None:
        per_report = [max((v for e in m if (v := getattr(e, name)) is not None), default=None)
                      for m in parts]  # fmt: skip
        return lowest(per_report)

    return MergedEvent(
        merged_id=merged_id(group, published),
        plover_type=group[0].plover_type,
        mode=group[0].mode,
        acled_event_type=most_common(e.acled_event_type for e in leads),
        acled_sub_event_type=most_common(e.acled_sub_event_type for e in leads),
        actor1=pick_actor([e.actor1 for e in leads]),
        actor2=pick_actor([e.actor2 for e in leads]),
        location=pick_location(leads),
        date=pick_date(leads),
        fatalities=figure("fatalities"),
        injured=figure("injured"),
        arrested=figure("arrested"),
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
    return reach_of(event.date.value, event.date.precision)


@cache
def reach_of(value: date, precision: str) -> tuple[date, date]:
    """`reach` of a date value and precision."""
    start, end = days_of(value, precision)
    widest = settings()["search_days"]
    return shift(start, -widest), shift(end, widest)


@dataclass
class Cache:
    """What `update` read from the store, kept between the batches of one run (`sitrep run`
    passes one): the events of each type by day, the date ranges read in full, and the reports'
    publication dates, agencies and texts. Each batch's own events replace whatever it held of
    their reports, so it always holds what the store would give for the ranges it covers; past
    `max_events` events it is emptied and read again. Without one, every `update` reads afresh."""

    loaded: dict[str, dict[date, list[Event]]] = field(default_factory=dict)
    covered: dict[str, list[tuple[date, date]]] = field(default_factory=dict)
    of_report: dict[str, list[Event]] = field(default_factory=dict)
    published: dict[str, date | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    events: int = 0
    max_events: int = 200_000

    def add(self, event: Event) -> None:
        """Keep an event (a dated one; merging never reads the others from the store)."""
        if event.date is None:
            return
        self.loaded.setdefault(event.plover_type, {}).setdefault(event.date.value, []).append(event)
        self.of_report.setdefault(event.report_id, []).append(event)
        self.events += 1

    def forget(self, report_ids: Iterable[str]) -> None:
        """Drop what is held of these reports: they are being stored again."""
        for report_id in report_ids:
            for event in self.of_report.pop(report_id, ()):
                day = self.loaded[event.plover_type][event.date.value]  # type: ignore[union-attr]
                day.remove(event)
                self.events -= 1
            for table in (self.published, self.texts, self.agencies):
                table.pop(report_id, None)  # type: ignore[attr-defined]

    def clear(self) -> None:
        """Forget everything (past `max_events`: it is read again as needed)."""
        for table in (self.loaded, self.covered, self.of_report, self.published, self.texts,
                      self.agencies):  # fmt: skip
            table.clear()  # type: ignore[attr-defined]
        self.events = 0

    def held(self, event_id: str, report_id: str) -> bool:
        return any(e.event_id == event_id for e in self.of_report.get(report_id, ()))

    def known(self) -> Known:
        return Known(published=self.published, texts=self.texts)

    def read_reports(self, store: Any, report_ids: set[str], *, texts: bool = False) -> None:
        """Publication dates and agencies of these reports, and their texts when asked (those
        of reports whose events have no located place), where not held yet."""
        missing = report_ids - (self.texts.keys() if texts else self.agencies.keys())
        for report_id, report in store.reports(missing).items():
            self.published[report_id] = report.published
            self.agencies[report_id] = report.agencies
            if texts:
                self.texts[report_id] = report.text
        for report_id in missing - self.agencies.keys():  # not stored (failed)
            self.published.setdefault(report_id, None)
            self.agencies[report_id] = ()


def load(store: Any, frontier: list[Event], cache: Cache) -> None:
    """Read from the store, in a few queries, every event that could be linked to the frontier
    (same type, dates within reach), indexed by type and date; ranges already read are skipped.
    The reports' publication dates, and the texts of those whose events lack a located place,
    are read along."""
    wanted: dict[str, list[tuple[date, date]]] = {}
    for event in frontier:
        window = reach(event)
        if window is None:
            continue
        done = cache.covered.setdefault(event.plover_type, [])
        if not any(a <= window[0] and window[1] <= b for a, b in done):
            wanted.setdefault(event.plover_type, []).append(window)
    windows = [(plover, *w) for plover, ws in wanted.items() for w in coalesce(ws)]
    read = store.events_in_windows(windows)  # one query for all types and ranges
    for event in read:
        if event.date is not None and not cache.held(event.event_id, event.report_id):
            cache.add(event)
    for plover, start, end in windows:
        cache.covered[plover] = coalesce([*cache.covered[plover], (start, end)])
    reports = {e.report_id for e in read} | {e.report_id for e in frontier}
    dates = reports - cache.published.keys()
    cache.published.update(store.published_dates(dates))
    unplaced = {e.report_id for e in [*read, *frontier] if not located(e.location)}
    cache.read_reports(store, unplaced, texts=True)


def coalesce(windows: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping date ranges joined."""
    joined: list[tuple[date, date]] = []
    for start, end in sorted(windows):
        if joined and start <= shift(joined[-1][1], 1):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def reach_groups(store: Any, seeds: list[Event], cache: Cache | None = None) -> list[list[Event]]:
    """The whole linked components the seed events belong to, following `same_event` (and a
    report's sibling events) through the store, then grouped by `clusters`."""
    cache = cache if cache is not None else Cache()
    found: dict[str, Event] = {e.event_id: e for e in seeds}
    known = cache.known()
    frontier = list(seeds)
    while frontier:
        load(store, frontier, cache)
        following = []
        days = {plover: sorted(by_day) for plover, by_day in cache.loaded.items()}
        for event in frontier:
            window = reach(event)
            if window is None:
                continue
            by_day = cache.loaded.get(event.plover_type, {})
            ordered = days.get(event.plover_type, [])
            first = bisect_left(ordered, window[0])
            for day in ordered[first : bisect_right(ordered, window[1])]:
                for other in by_day[day]:
                    if other.event_id in found:
                        continue
                    if same_event(event, other, known) or siblings(event, other, known):
                        found[other.event_id] = other
                        following.append(other)
        frontier = following
    return clusters(found.values(), known)


def update(store: Any, report_ids: Iterable[str], cache: Cache | None = None) -> int:
    """Recompute the merged events that these reports' events belong to or belonged to.

    Returns how many merged events were written. Re-running it changes nothing. A `Cache`
    passed by every batch of a run keeps what earlier batches read (same result, fewer reads).
    """
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return 0
    cache = cache if cache is not None else Cache()
    if max(cache.events, len(cache.agencies)) > cache.max_events:
        cache.clear()
    cache.forget(ids)
    old_members = store.merged_members_of_reports(ids)
    seeds = {e.event_id: e for e in store.events_of_reports(ids)}
    for event in seeds.values():
        cache.add(event)
    for event_id in old_members:
        if event_id not in seeds:
            event = store.event(event_id)
            if event is not None:
                seeds[event_id] = event
    groups = reach_groups(store, list(seeds.values()), cache)
    members = {e.report_id for g in groups for e in g}
    cache.read_reports(store, members)
    merged = [merge_group(g, cache.published, cache.agencies) for g in groups]
    store.replace_merged(merged, [*old_members, *seeds])
    log.debug("merged %d events into %d", len(seeds), len(merged))
    return len(merged)


def rebuild(store: Any) -> int:
    """Recompute every merged event from scratch (same result as the incremental updates)."""
    events = list(store.iter_events())
    report_ids = sorted({e.report_id for e in events})
    store.clear_merged()
    return update(store, report_ids)
