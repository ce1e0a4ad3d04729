"""ACLED's view of an event: actors named and categorised under ACLED's conventions.

sitrep's own actor fields say only what the text says. ACLED always names both sides where
its codebook implies them, and the event type fixes what each side can be:

- a protest is by "Protesters (<country>)" (inter 6); the group they come from (teachers, a
  party) is the associated actor; only a protest met with force has a second side, the state
  forces that intervened;
- a riot is by "Rioters (<country>)" (5); its other side is whoever the crowd fought or
  attacked (state forces, civilians, other rioters) or nobody;
- violence against civilians is against "Civilians (<country>)" (7), the victims' group being the
  associated actor; it is done by an armed actor, an "Unidentified Armed Group" when unnamed;
- a battle is between two armed sides: an unnamed one is an "Unidentified Armed Group";
- violence by an unnamed perpetrator is by an "Unidentified Armed Group".

This module applies those conventions for the ACLED export and for scoring against ACLED rows;
the event itself is left as the text has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from sitrep.actors import (
    countries_with_article,
    country_names,
    inter_code,
    interaction_code,
    sector_name,
)
from sitrep.lexicon import csv_rows
from sitrep.models import Actor, Event
from sitrep.nlp import armed_groups

STATE_INTER = 1
POLITICAL_MILITIA_INTER = 3
COMMUNAL_INTER = 4
RIOTERS_INTER = 5
PROTESTERS_INTER = 6
CIVILIANS_INTER = 7
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
DEFAULT_ACTOR1 = {
    "Battles": "UAF",
    "Explosions/Remote violence": "UAF",
    "Violence against civilians": "UAF",
    "Protests": "PRT",
    "Riots": "RIO",
}
DEFAULT_ACTOR2 = {"Violence against civilians": "CVL", "Battles": "UAF"}
# Sub-event types whose second side is the state force that met the crowd.
INTERVENED = {"Protest with intervention", "Excessive force against protesters"}
CROWD_SECTORS = {"PRT", "RIO"}
# Inter codes that cannot be a side of armed violence (a crowd or unarmed people).
UNARMED = {RIOTERS_INTER, PROTESTERS_INTER, CIVILIANS_INTER}


@dataclass(frozen=True)
class AcledActors:
    """The two actors of an event as ACLED would code them, with their associated actors."""

    actor1: str | None
    inter1: int | None
    actor2: str | None
    inter2: int | None
    assoc1: str | None = None
    assoc2: str | None = None

    @property
    def interaction(self) -> int | None:
        return interaction_code(self.inter1, self.inter2)

    @property
    def civilian_targeting(self) -> bool:
        return self.inter2 == CIVILIANS_INTER


@dataclass(frozen=True)
class Side:
    """One side as ACLED names it."""

    name: str | None
    inter: int | None
    assoc: str | None = None


NOBODY = Side(None, None)


def acled_actors(event: Event) -> AcledActors:
    """Actor names and inter codes for an event with an ACLED type."""
    country = event_country(event)
    kind = event.acled_event_type or ""
    one, two = side(event.actor1, country), side(event.actor2, country)
    if kind == "Protests":
        one, two = protest_sides(event, one, two, country)
    elif kind == "Riots":
        one, two = riot_sides(event, one, two, country)
    elif kind in VIOLENT_TYPES:
        one, two = violent_sides(kind, event, one, two, country)
    day = event.date.value if event.date else None
    name1, name2 = dated_name(one.name, day), dated_name(two.name, day)
    return AcledActors(name1, one.inter, name2, two.inter, one.assoc, two.assoc)


def event_country(event: Event) -> str | None:
    """The event's country: its place's, else the country its target belongs to (forces abroad
    strike where their targets live), else its doer's."""
    if event.location and event.location.country_code:
        return event.location.country_code
    for actor in (event.actor2, event.actor1):
        if actor is not None and actor.country:
            return actor.country
    return None


def side(actor: Actor | None, country: str | None) -> Side:
    """A side as the text names it, a named group under ACLED's name for it; a phrase that
    resolved to no sector names nobody."""
    if actor is None or not actor.sector:
        return NOBODY
    name = acled_group_names().get(actor.name, actor.name)
    inter = acled_group_inters().get(actor.name) or inter_code(actor.sector, actor.country, country)
    return Side(name, inter)


@cache
def acled_group_inters() -> dict[str, int]:
    """An armed group's canonical name -> ACLED's inter code for it where it differs from its
    sector's (the Houthis' Supreme Political Council is coded as Yemen's state forces)."""
    return {
        row["name"]: int(row["acled_inter"]) for row in armed_groups() if row.get("acled_inter")
    }


@cache
def acled_group_names() -> dict[str, str]:
    """An armed group's canonical name -> the name ACLED codes it under."""
    return {row["name"]: row["acled_name"] for row in armed_groups() if row.get("acled_name")}


# --- dated names of state forces ---------------------------------------------------------------

STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")


@dataclass(frozen=True)
class Period:
    """A regime's period in ACLED's names of a state's forces."""

    start: str
    end: str
    since: date

    @property
    def label(self) -> str:
        return f"({self.start}-{self.end})"


@cache
def periods() -> dict[str, list[Period]]:
    """Country name -> its regimes' periods, latest first (acled_periods.csv)."""
    table: dict[str, list[Period]] = {}
    names = country_names()
    for row in csv_rows("acled_periods.csv"):
        name = names.get(row["iso3"])
        if name:
            period = Period(row["start"], row["end"], date.fromisoformat(row["from"]))
            table.setdefault(name, []).append(period)
            if row["iso3"] in countries_with_article():
                table.setdefault(f"the {name}", []).append(period)
    for found in table.values():
        found.sort(key=lambda p: p.since, reverse=True)
    return table


def dated_name(name: str | None, day: date | None) -> str | None:
    """ "Police Forces of Kenya" -> "Police Forces of Kenya (2013-2022)": the period of the
    regime in office on the event's day (the latest without a day); a faction's name keeps its
    suffix after the period ("Military Forces of Libya (2014-) Haftar Faction")."""
    if not name or not name.startswith(STATE_PREFIXES):
        return name
    prefix = next(p for p in STATE_PREFIXES if name.startswith(p))
    rest = name[len(prefix) :]
    for country, found in periods().items():
        if rest == country or rest.startswith(country + " "):
            period = next((p for p in found if day is None or p.since <= day), None)
            if period is None:
                return name
            suffix = rest[len(country) :]
            return f"{prefix}{country} {period.label}{suffix}"
    return name


def same_actor_name(gold: str, coded: str | None) -> bool:
    """Whether a coded actor name is ACLED's, an open period matching a closed one: exports made
    while a regime was in office write "(2013-)" where later ones write "(2013-2022)"."""
    return open_period(gold.strip()) == open_period((coded or "").strip())


def open_period(name: str) -> str:
    """ "X (2013-2022)" -> "X (2013-)"."""
    return re.sub(r"\((\d{4})-\d{4}\)", r"(\1-)", name)


def unnamed(sector: str, country: str | None, assoc: str | None = None) -> Side:
    """The conventional side for an unnamed actor of a sector."""
    return Side(sector_name(sector, country), inter_code(sector, country, country), assoc)


def protest_sides(event: Event, one: Side, two: Side, country: str | None) -> tuple[Side, Side]:
    """Protesters (with the group they come from), and state forces when they intervened."""
    crowd = crowd_actor(event)
    protesters = unnamed("PRT", country, associated_actors(event, crowd, country))
    if event.acled_sub_event_type not in INTERVENED:
        return protesters, NOBODY
    state = next((s for s in (two, one) if s.inter == STATE_INTER), None)
    return protesters, state or unnamed("POL", country)


def riot_sides(event: Event, one: Side, two: Side, country: str | None) -> tuple[Side, Side]:
    """Rioters first; the other side is whoever else the text names, civilians when a mob
    attacked unnamed people."""
    crowd = crowd_actor(event)
    rioters = unnamed("RIO", country, associated_actors(event, crowd, country))
    other = one if crowd is event.actor2 or (crowd is None and one.inter) else two
    clash = event.trigger.lower() in clash_words()
    if other.inter in {PROTESTERS_INTER, RIOTERS_INTER} or (
        clash and other.inter in {None, CIVILIANS_INTER}
    ):
        # two crowds fighting each other ("supporters of two leaders clashed") are both rioters
        other = unnamed("RIO", country, associated_group(other_crowd(event, crowd), country))
    elif other.inter == CIVILIANS_INTER:
        other = unnamed("CVL", country, associated_group(victim_actor(event), country))
    elif other.inter is None and (
        event.acled_sub_event_type == "Mob violence" or event.trigger.lower() in attack_words()
    ):
        other = unnamed("CVL", country)  # a crowd that attacks, vandalises or torches: civilians
    return rioters, other


def violent_sides(
    kind: str, event: Event, one: Side, two: Side, country: str | None
) -> tuple[Side, Side]:
    """Armed perpetrators; unarmed people are never a side of armed violence except as victims,
    but supporters of a party who attack are that party's militia. ACLED puts the side that
    started a fight first: when the text's subject repelled or thwarted an attack, the attackers
    come first."""
    if kind == "Battles" and event.trigger.lower() in repel_words() and two.name is not None:
        one, two = two, one
    one = party_militia(event.actor1) or one
    if one.inter in UNARMED:
        one = NOBODY
    if one.name is None:
        one = unnamed(DEFAULT_ACTOR1[kind], country)
    if kind == "Violence against civilians":
        victims = event.actor2 if event.actor2 is not None else None
        return one, unnamed("CVL", country, associated_group(victims, country))
    if kind == "Battles" and two.inter in UNARMED:
        two = NOBODY
    if two.name is None and kind == "Battles" and one.inter == COMMUNAL_INTER:
        two = unnamed("ETH", country)  # a communal militia fights another community's
    elif two.name is None and kind in DEFAULT_ACTOR2:
        two = unnamed(DEFAULT_ACTOR2[kind], country)
    return one, two


def party_militia(actor: Actor | None) -> Side | None:
    """A party or movement the actor's words name, as the political militia ACLED codes its
    violent supporters as ("BNP men", "the cadres of JCD")."""
    if actor is None or actor.name in acled_group_names():
        return None  # a named armed group stays itself
    named = named_organisations(actor.text)
    return Side(named[0], POLITICAL_MILITIA_INTER) if named else None


def crowd_actor(event: Event) -> Actor | None:
    """The actor that is the crowd: the one written as protesters or rioters, else the first
    actor unless it is a state's forces; None when the text names only the side it met."""
    for actor in (event.actor1, event.actor2):
        if actor is not None and actor.sector in CROWD_SECTORS:
            return actor
    first = event.actor1
    if first is not None and inter_code(first.sector, None, None) not in {STATE_INTER, 8}:
        return first  # whoever riots is a rioter (vigilantes, party supporters, residents)
    return None


def other_crowd(event: Event, crowd: Actor | None) -> Actor | None:
    """The side of a crowd clash that is not the crowd."""
    return event.actor2 if crowd is event.actor1 else event.actor1


@cache
def clash_words() -> frozenset[str]:
    """Trigger words of a fight between two sides ("clashed", "brawl")."""
    return frozenset(row["term"].lower() for row in csv_rows("acled_clash_words.csv"))


@cache
def attack_words() -> frozenset[str]:
    """Trigger words of a crowd attacking people or property ("vandalised", "torched")."""
    return frozenset(row["term"].lower() for row in csv_rows("acled_attack_words.csv"))


@cache
def repel_words() -> frozenset[str]:
    """Trigger words of fending off an attack ("repelled", "thwarted")."""
    return frozenset(row["term"].lower() for row in csv_rows("acled_repel_words.csv"))


def victim_actor(event: Event) -> Actor | None:
    """The actor the violence was done to."""
    return event.actor2


# --- associated actors ----------------------------------------------------------------------


@cache
def group_terms() -> dict[str, str]:
    """Lowercase word of a crowd or victims' description -> ACLED's associated-actor category."""
    return {row["term"].lower(): row["group"] for row in csv_rows("acled_groups.csv")}


@cache
def organisations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern of a party's or movement's names, ACLED's name for it), parties.csv."""
    found = []
    for row in csv_rows("parties.csv"):
        names = sorted(row["aliases"].split("|"), key=len, reverse=True)
        words = "|".join(re.escape(n) for n in names if n)
        found.append((re.compile(rf"(?<![\w-])(?:{words})(?![\w-])"), row["acled_name"]))
    return tuple(found)


def sentence_of(event: Event) -> str:
    """The sentence that told the event (its type's evidence)."""
    return next((e.sentence for e in event.evidence if e.field == "plover_type"), "")


def named_organisations(text: str) -> list[str]:
    """ACLED names of the parties and movements a text names, in the order of parties.csv."""
    return [name for pattern, name in organisations() if pattern.search(text)]


def associated_actors(event: Event, actor: Actor | None, country: str | None) -> str | None:
    """Everything a crowd or victims are associated with: the category of people the text
    describes them as, and the parties or movements the event's sentence names, joined as
    ACLED joins them ("BLM: Black Lives Matter; Students (United States)")."""
    parts = named_organisations(sentence_of(event))
    group = associated_group(actor, country)
    if group and group not in parts:
        parts.append(group)
    return "; ".join(parts) or None


def associated_group(actor: Actor | None, country: str | None) -> str | None:
    """The group protesters, rioters or victims come from, named ACLED's way: a category of
    people ("Teachers (Kenya)") from the words describing them, or a named organisation."""
    if actor is None:
        return None
    words = [w.strip(".,;:'\"()").lower() for w in actor.text.split()]
    terms = group_terms()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            group = terms.get(" ".join(words[i : i + size]))
            if group:
                name = country_names().get(country or "")
                return f"{group} ({name})" if name else group
    if actor.sector == "OPP" and actor.name != actor.text.lower():
        return actor.name  # a party or movement named in the text
    return None
