"""CONTROL stage: who holds which town and district, from events of territory changing hands.

An event moves territory when its ACLED sub-event type says so (a non-state actor overtakes
territory, the government regains it, a non-violent transfer) or its trigger does ("fell to",
"surrendered to"); `sitrep/data/control.yaml` says which actor gains the place and which loses
it. The place is the event's location; a surrender that names none happened where the report's
nearest change did. A timeline per place, read up to a day, gives who holds what on that day and
which events say so (`holdings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from spacy.tokens import Doc

from sitrep import actors, geo
from sitrep.lexicon import yaml_data
from sitrep.models import Actor, ControlChange, Event, Evidence

KIND_ORDER = {"surrendered": 0, "handed over": 1, "taken": 2, "regained": 2}


@cache
def settings() -> dict[str, Any]:
    """The rules of sitrep/data/control.yaml."""
    return yaml_data("control.yaml")


def trigger_lemma(doc: Doc, event: Event) -> str:
    """The lemma of the event's trigger on the parse."""
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    return span.root.lemma_.lower() if span is not None else event.trigger.lower()


def rule_for(event: Event, lemma: str) -> dict[str, str] | None:
    """How an asserted event moves territory, if it does."""
    if event.mode != "asserted":
        return None
    rules = settings()
    return rules["triggers"].get(lemma) or rules["sub_event_types"].get(
        event.acled_sub_event_type or ""
    )


def changes(
    doc: Doc, events: list[Event], ctx: actors.ReportContext | None = None
) -> list[ControlChange]:
    """Every change of control a report's events describe, in the report's order."""
    found: list[ControlChange] = []
    pending: list[tuple[Event, dict[str, str]]] = []
    for event in sorted(events, key=lambda e: e.trigger_start):
        lemma = trigger_lemma(doc, event)
        rule = rule_for(event, lemma)
        if rule is None:
            continue
        if event.location is None or geo.is_inherited(event.location):
            if lemma in settings()["borrow_place"]:
                pending.append((event, rule))
            continue
        found.append(make_change(event, rule))
    for event, rule in pending:
        nearest = nearest_change(event, found)
        if nearest is not None:
            found.append(make_change(event, rule, nearest))
    for change in found:
        fill_receiver(change, doc, found, ctx)
    limit = settings()["max_geo_precision"]
    kept = [c for c in found if (c.place.geo_precision or 1) <= limit]
    return sorted(kept, key=lambda c: c.evidence.start)


def fill_receiver(
    change: ControlChange, doc: Doc, found: list[ControlChange], ctx: actors.ReportContext | None
) -> None:
    """Who a surrender with no named receiver went to: "surrendered their posts to the Taliban"
    (the "to" phrase of the trigger or of its object), else whoever took the same place in the
    same report. A side that is only the place itself ("recaptured Moqokori") is no side."""
    for role in ("holder", "lost_by"):
        actor = getattr(change, role)
        if actor is not None and (actor.sector is None or actor.name == change.place.name):
            setattr(change, role, None)
    if change.holder is not None or change.kind != "surrendered":
        return
    if ctx is not None:
        change.holder = receiver_on_parse(doc, change, ctx)
    if change.holder is None:
        takers = [c for c in found if c.kind != "surrendered" and c.holder is not None
                  and place_key(c) == place_key(change)]  # fmt: skip
        if takers:
            change.holder = min(
                takers, key=lambda c: abs(c.evidence.start - change.evidence.start)
            ).holder


def receiver_on_parse(doc: Doc, change: ControlChange, ctx: actors.ReportContext) -> Actor | None:
    """The actor of the "to" phrase of a surrender's trigger or of its object."""
    span = doc.char_span(change.evidence.start, change.evidence.end, alignment_mode="expand")
    if span is None:
        return None
    trigger = span.root
    heads = [trigger, *(c for c in trigger.children if c.dep_ == "dobj")]
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "to":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return actors.resolve_actor(obj, ctx)
    return None


def nearest_change(event: Event, found: list[ControlChange]) -> ControlChange | None:
    """The change of control mentioned nearest an event in its report."""
    own = [c for c in found if not c.place_borrowed]
    if not own:
        return None
    return min(own, key=lambda c: abs(c.evidence.start - event.trigger_start))


def make_change(
    event: Event, rule: dict[str, str], borrowed: ControlChange | None = None
) -> ControlChange:
    """The change one event makes, with its trigger sentence as evidence."""
    sentence = next((e.sentence for e in event.evidence if e.field == "plover_type"), "")
    place = borrowed.place if borrowed is not None else event.location
    if place is None:
        raise ValueError(f"event {event.event_id} has no place to change hands")
    return ControlChange(
        event_id=event.event_id,
        report_id=event.report_id,
        kind=rule["kind"],
        place=place,
        date=event.date or (borrowed.date if borrowed else None),
        holder=getattr(event, rule["gains"]),
        lost_by=getattr(event, rule["loses"]),
        trigger=event.trigger,
        evidence=Evidence("control", sentence, event.trigger_start, event.trigger_end),
        place_borrowed=borrowed is not None,
    )


# --- the timeline ---------------------------------------------------------------------------------


@dataclass
class Holding:
    """Who holds a place on a day, since when, and the changes that say so."""

    place: str
    admin1: str | None
    country: str | None
    holder: Actor | None
    since: date | None
    kind: str
    changes: list[ControlChange] = field(default_factory=list)


def place_key(change: ControlChange) -> tuple[str, str]:
    """One timeline per place: its GeoNames id, else its name in its province."""
    loc = change.place
    if loc.geonameid is not None:
        return ("id", str(loc.geonameid))
    return ("name", f"{loc.name.lower()}|{(loc.admin1 or '').lower()}")


def order(change: ControlChange) -> tuple[date, int, str]:
    """Timeline order: the day, then a surrender before the capture it is part of."""
    day = change.date.value if change.date else date.min
    return day, KIND_ORDER.get(change.kind, 1), change.event_id


def timelines(changes_: Iterable[ControlChange]) -> dict[tuple[str, str], list[ControlChange]]:
    """The changes of each place in date order (undated changes are left out)."""
    by_place: dict[tuple[str, str], list[ControlChange]] = {}
    for change in changes_:
        if change.date is not None:
            by_place.setdefault(place_key(change), []).append(change)
    return {key: sorted(items, key=order) for key, items in by_place.items()}


def holder_name(actor: Actor | None) -> str:
    """A holder's name for comparing reports of the same change."""
    return actor.name if actor is not None else ""


def holdings(changes_: Iterable[ControlChange], on: date | None = None) -> list[Holding]:
    """Who holds each place on a day (every day when `on` is None): the last change up to that
    day, with every change on that day by the same side as evidence (several reports of it)."""
    result = []
    for items in timelines(changes_).values():
        known = [c for c in items if on is None or (c.date and c.date.value <= on)]
        if not known:
            continue
        last = known[-1]
        day = last.date.value if last.date else None
        same = [
            c
            for c in known
            if c.date and c.date.value == day and holder_name(c.holder) == holder_name(last.holder)
        ]
        loc = last.place
        result.append(
            Holding(loc.name, loc.admin1, loc.country_code, last.holder, day, last.kind, same)
        )
    return sorted(result, key=lambda h: (h.country or "", h.admin1 or "", h.place))
