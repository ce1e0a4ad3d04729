"""Geoparsing: find the place names of a report and resolve each to a GeoNames place.

Recognition takes the model's GPE/LOC/FAC entities (with sitrep's patterns for hyphenated
transliterations) and adds capitalised names the model missed when the gazetteer knows them as
a sizeable place and they are not common words. Resolution scores every gazetteer candidate of a
name on its own prior (feature class, population) and on the report: its focus country, the
hierarchy written in the text ("Qala-i-Naw, the capital of Badghis Province"), the unit word
beside the name ("Jaghuri district") and the countries and provinces of the other places named.
A facility ("Bagram Air Base", "Kabul airport") resolves to the town in its name, at precision 2.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from unidecode import unidecode

from sitrep.actors import country_terms
from sitrep.gazetteer import (
    ADM1,
    ADM2,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    TOWN,
    Gazetteer,
    gazetteer,
    name_key,
)
from sitrep.lexicon import yaml_data

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NAME_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"}
FEATURE_PRIOR = {CONTINENT: 7.0, COUNTRY: 6.0, ADM1: 2.5, CAPITAL: 3.0, ADM2: 0.0, TOWN: 0.5}
TOWNS = {TOWN, CAPITAL}
LOCAL = {TOWN, CAPITAL, ADM2}  # features whose neighbours say which namesake is meant
NEAR_DEGREES = (0.9, 1.2)  # about 100 km at mid latitudes
SMALL_TOWN = 200_000  # below this, a town abroad needs its country named in the report


@dataclass(frozen=True)
class Candidates:
    """The gazetteer rows a mention may name, and how they were reached."""

    rows: list[int]
    facility: bool = False  # the town named in a facility's name
    loose: bool = False  # by transliteration skeleton only


@dataclass(frozen=True)
class Mention:
    """A place name in a text: character offsets, the text, and what surrounds it."""

    start: int
    end: int
    text: str
    label: str = "GPE"
    unit: str | None = None  # the feature a unit word beside it points to (ADM1, ADM2, PPL)
    near: bool = False  # "near X", "outskirts of X"
    facility: bool = False  # "Kabul airport": the place is near the town, not the town


@dataclass(frozen=True)
class Resolved:
    """A mention resolved to one gazetteer place."""

    mention: Mention
    geonameid: int
    name: str
    feature_code: str
    lat: float | None
    lon: float | None
    country_code: str  # ISO3
    admin1: str | None
    admin2: str | None
    precision: int  # ACLED geo_precision: 1 town, 2 near a town or a district, 3 region or country
    # Why the reading is in doubt ("ambiguous: 2 candidates 1,200 km apart"), None when it is not;
    # and the countries (ISO3) of the rival readings, the chosen one's included.
    doubt: str | None = None
    rival_countries: frozenset[str] = frozenset()

    def record(self) -> dict[str, object]:
        """The toponym record `sitrep geoparse` writes."""
        return {
            "start": self.mention.start,
            "end": self.mention.end,
            "name": self.mention.text,
            "geonameid": self.geonameid,
            "lat": self.lat,
            "lon": self.lon,
            "feature_code": self.feature_code,
            "country_code": self.country_code,
            "admin1": self.admin1,
        }


@dataclass(frozen=True)
class Unresolved:
    """A mention no gazetteer place fits, and why ("not in gazetteer", "no candidate in AF")."""

    mention: Mention
    reason: str


AMBIGUITY_MARGIN = 1.0  # score points: a rival reading this close to the best makes it doubtful


@cache
def rules() -> dict:
    """geo.yaml, with its word lists as sets."""
    data = dict(yaml_data("geo.yaml"))
    for key in (
        "facility_words",
        "near_words",
        "common_words",
        "place_preps",
        "institution_words",
        "title_abbreviations",
        "region_prefixes",
        "hierarchy_glue",
        "name_particles",
    ):
        data[key] = frozenset(data[key])
    data["abbreviations"] = {k.lower(): v for k, v in data["abbreviations"].items()}
    data["region_abbreviations"] = dict(data["region_abbreviations"])  # as written: "UP", not "up"
    return data


# --- recognition ------------------------------------------------------------------------------


def mentions_in(doc: Doc, *, untagged: bool = True) -> list[Mention]:
    """Place mentions of a parsed text: place entities and country adjectives ("Afghan"),
    names after a place and a comma, then (`untagged`) gazetteer names the model missed."""
    inner = list(institution_mentions(doc))
    split = {m.label for m in inner}  # the entities a place was taken out of (see below)
    titles = rules()["title_abbreviations"]
    found = [
        mention_of(ent)
        for ent in doc.ents
        if (
            ent.label_ in PLACE_LABELS
            or (ent.label_ == "NORP" and name_key(ent.text) in country_terms())
        )
        and f"{ent.start}:{ent.end}" not in split
        and name_key(ent.text) not in titles
    ]
    found.extend(dataclasses.replace(m, label="GPE") for m in inner)
    found.extend(apposed_mentions(doc))
    found.extend(mistagged_mentions(doc))
    found.extend(hierarchy_mentions(doc))
    found.extend(transliterated_mentions(doc))
    found.extend(dateline_mentions(doc))
    if untagged:
        taken = {t.i for ent in doc.ents for t in ent}
        found.extend(untagged_mentions(doc, taken))
    found.extend(recurring_mentions(doc, found))
    unique = {(m.start, m.end): m for m in reversed(found) if name_key(m.text) not in titles}
    return sorted(unique.values(), key=lambda m: m.start)


def institution_mentions(doc: Doc) -> Iterable[Mention]:
    """The place in an institution's or a region's name: "(the) Ohio Department of Health",
    "Gainesville Police", "U.S. Census", "University of Georgia", "Northeast Georgia".

    The place's words (proper nouns naming a country, a province or a town of 10,000 or more)
    come first and are followed by an institution word (geo.yaml); a country or a province
    heading an organisation's name needs none (its jurisdiction). They may also close an
    institution's name after "of", or follow a compass word when the whole is no place of its
    own ("North Texas", not "North Carolina"). Each mention's label names the entity it came
    from ("start:end")."""
    gaz = gazetteer()
    institutions = rules()["institution_words"]
    directions = rules()["region_prefixes"]
    for ent in doc.ents:
        if ent.ent_id_ or ent.label_ not in {"ORG", "GPE", "LOC", "FAC"}:
            continue  # a facility's name keeps its town for `geo.facility_town`
        words = ent[1:] if ent[0].lower_ == "the" else ent
        if len(words) < 2 or gaz.rows(name_key(words.text)):
            continue  # "Kansas City" is a place of its own
        origin = f"{ent.start}:{ent.end}"
        # The longest place name at the head ("Kansas City Chiefs" is not "Kansas").
        size = next(
            (n for n in range(min(3, len(words) - 1), 0, -1) if is_sizeable_place(gaz, words[:n])),
            0,
        )
        if size and not is_named_unit(gaz, ent, words, size):
            head, rest = words[:size], words[size]
            org = ent.label_ == "ORG"
            if rest.lower_.strip(".") in institutions or (
                org and is_country_or_province(gaz, head.text, adjectives=False)
            ):
                yield dataclasses.replace(mention_of(head), label=origin)
        tail = words[1:]
        if (
            words[0].lower_ in directions
            and is_country_or_province(gaz, tail.text)
            and not gaz.rows(name_key(words.text))
        ):
            yield dataclasses.replace(mention_of(tail), label=origin)
        of = next((t.i for t in words if t.lower_ == "of" and t.i > words.start), None)
        if of is not None and of + 1 < ent.end and words[0].lower_.strip(".") in institutions:
            tail = doc[of + 1 : ent.end]
            if is_sizeable_place(gaz, tail):
                yield dataclasses.replace(mention_of(tail), label=origin)


def is_named_unit(gaz: Gazetteer, ent: Span, words: Span, size: int) -> bool:
    """A place entity that is a province or district written with its unit word ("Rakhine
    State", "Jaghuri District"): read whole, with the unit word, not cut to its head."""
    if ent.label_ == "ORG" or size != len(words) - 1:
        return False
    feature = rules()["unit_features"].get(words[-1].lower_)
    return feature in (ADM1, ADM2) and any(
        gaz.feature[r] == feature for r in gaz.rows(name_key(words[:size].text))
    )


def is_country_or_province(gaz: Gazetteer, text: str, *, adjectives: bool = True) -> bool:
    """A country's name (or, with `adjectives`, its adjective: "American"), or a first-level
    unit's name."""
    key = name_key(text)
    if adjectives and key in country_terms():
        return True
    return any(gaz.feature[r] in (COUNTRY, ADM1) for r in gaz.rows(key))


def is_sizeable_place(gaz: Gazetteer, span: Span) -> bool:
    """Proper nouns that the gazetteer knows as a country, a province or a town of 10,000 or
    more, and not one of geo.yaml's common words."""
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span):
        return False
    key = name_key(span.text)
    if key in country_terms():
        return True
    if key in rules()["common_words"] or len(key) < 3:
        return False
    return any(
        gaz.feature[r] in (COUNTRY, ADM1) or gaz.population[r] >= 10_000 for r in gaz.rows(key)
    )


def recurring_mentions(doc: Doc, found: Sequence[Mention]) -> Iterable[Mention]:
    """One sense per report: a name recognised as a place once is a place wherever else it is
    written the same way, alone or as a whole entity of another label ("Gainesville" tagged a
    person in one sentence and a place in the next); not inside a longer name, and not at all
    when the report also writes it as part of a person's name (a surname: "Henry")."""
    gaz = gazetteer()
    entities = list(doc.ents)
    surnames = {t.text for e in entities if e.label_ == "PERSON" and len(e) > 1 for t in e}
    names = {
        m.text
        for m in found
        if m.label in {"GPE", "LOC"}
        and m.text[:1].isupper()
        and m.text not in surnames
        and gaz.rows(name_key(m.text))
    }
    if not names:
        return
    entity_at = {t: e for e in entities for t in range(e.start, e.end)}
    taken = {(m.start, m.end) for m in found}
    for name in names:
        for match in re.finditer(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", doc.text):
            if (match.start(), match.end()) in taken:
                continue
            span = doc.char_span(match.start(), match.end())
            if span is None or part_of_longer_name(span):
                continue
            entity = entity_at.get(span.start)
            if entity is not None and (
                (entity.start, entity.end) != (span.start, span.end) or entity.ent_id_
            ):
                continue
            yield mention_of(Span(doc, span.start, span.end, label="GPE"))


def part_of_longer_name(span: Span) -> bool:
    """A capitalised proper noun right before or after the span ("Kansas" in "Kansas City")."""
    doc = span.doc
    around = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in around)


def mention_of(span: Span) -> Mention:
    """A mention from a span, with the unit word after it and a "near" word before it."""
    doc = span.doc
    if len(span) > 1 and span[-1].lower_ in {"'s", "’s"}:
        span = Span(doc, span.start, span.end - 1, label=span.label_)  # "Boone County's"
    units = rules()["unit_features"]
    text = span.text
    if text.lower().startswith("the "):
        text = text[4:]
        start = span.start_char + 4
    else:
        start = span.start_char
    unit = next((units[t.lower_] for t in span if t.lower_ in units and t.i > span.start), None)
    if unit is None and span.end < len(doc) and doc[span.end].lower_ in units:
        unit = units[doc[span.end].lower_]
    if unit is None and is_container(span):
        unit = ADM1
    before = {doc[i].lower_ for i in range(max(0, span.start - 3), span.start)}
    near = bool(before & rules()["near_words"])
    after = doc[span.end] if span.end < len(doc) else None
    facility = span.label_ == "FAC" or (
        after is not None and after.pos_ == "NOUN" and after.lower_ in rules()["facility_words"]
    )
    return Mention(start, span.end_char, text, span.label_, unit, near, facility)


def apposed_mentions(doc: Doc) -> Iterable[Mention]:
    """A name the model took for a person or organisation right after a place and a comma
    ("Jaghuri district, Ghazni,") when the gazetteer knows it as a country or province."""
    gaz = gazetteer()
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS or ent.start < 2 or doc[ent.start - 1].text != ",":
            continue
        before = doc[ent.start - 2]
        if before.ent_type_ not in PLACE_LABELS and before.lower_ not in rules()["unit_features"]:
            continue
        rows = gaz.rows(name_key(ent.text))
        if any(gaz.feature[r] in (COUNTRY, ADM1) for r in rows):
            yield mention_of(Span(doc, ent.start, ent.end, label="GPE"))


# What the small model calls a town in an unfamiliar sentence ("near Kidal" a people,
# "in Kramatorsk" a product, "outskirts of Goma" a person).
MISTAKEN_LABELS = {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}


def after_place_word(root: Token, preps: Iterable[str]) -> bool:
    """The object of a place preposition ("near X") or of "of" after a word of nearness
    ("the outskirts of X", "north of X")."""
    if root.dep_ != "pobj":
        return False
    head = root.head
    if head.lower_ in preps:
        return True
    return head.lower_ == "of" and head.head.lower_ in rules()["near_words"]


def mistagged_mentions(doc: Doc) -> Iterable[Mention]:
    """Names the model took for an organisation, a person, a people or a product that are
    places by their use: a country's name as an organisation ("U.S."), or the object of "in",
    "at", "near", "the outskirts of"... when the gazetteer knows it as a country, a province or
    a town of 10,000 people or more.
    Armed groups (entities with an id) and titled persons are left alone."""
    gaz = gazetteer()
    preps = rules()["place_preps"]
    titled = {t.i for span in doc.spans.get("sitrep_titles", []) for t in span}
    for ent in doc.ents:
        if ent.label_ not in MISTAKEN_LABELS or ent.ent_id_ or ent.start in titled:
            continue
        key = name_key(ent.text)
        if ent.label_ == "NORP" and key in country_terms():
            continue  # a people's name ("Malian"), not a place's
        rows = gaz.rows(key)
        big = any(gaz.feature[r] in (COUNTRY, ADM1) or gaz.population[r] >= 100_000 for r in rows)
        if ent.label_ == "ORG" and (key in country_terms() or big):
            yield mention_of(Span(doc, ent.start, ent.end, label="GPE"))
            continue
        if not after_place_word(ent.root, preps):
            continue
        if any(gaz.feature[r] in (COUNTRY, ADM1) or gaz.population[r] >= 10_000 for r in rows):
            yield mention_of(Span(doc, ent.start, ent.end, label="GPE"))


def hierarchy_mentions(doc: Doc) -> Iterable[Mention]:
    """ "Gainesville, Ga." / "Alexandria, Louisiana": a name, a comma and a province or
    country that the gazetteer says contains a town of that name make two places, whatever
    the model tagged them."""
    gaz = gazetteer()
    for ent in doc.ents:
        if ent.ent_id_ or ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
            continue
        outer = following_name(doc, ent.end + 1)
        if outer is None:
            continue
        written = rules()["abbreviations"].get(outer.text.lower(), outer.text)
        units = {r for r in gaz.rows(name_key(written)) if gaz.feature[r] in (ADM1, COUNTRY)}
        countries = {gaz.country[r] for r in units if gaz.feature[r] == COUNTRY}
        towns = gaz.rows(name_key(ent.text))
        if any(gaz.admin1[r] in units or gaz.country[r] in countries for r in towns):
            yield mention_of(Span(doc, ent.start, ent.end, label="GPE"))
            yield mention_of(Span(doc, outer.start, outer.end, label="GPE"))


TRANSLITERATED = re.compile(
    r"\b[A-Z][\w'‘’ʻ]+-(?:i|e|ye|y|al|el|ul|ud|ad|ash|as|ur)(?:-|\s)[A-Z]\w+"
)


def transliterated_mentions(doc: Doc) -> Iterable[Mention]:
    """Transliterated names joined by a particle that the tokenizer split and the model
    missed ("Qal‘ah-ye Now", "Mazar-e Sharif") when the gazetteer knows them."""
    gaz = gazetteer()
    for match in TRANSLITERATED.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), label="GPE", alignment_mode="expand")
        if span is not None and (gaz.lookup(span.text) or gaz.lookup_loose(span.text)):
            yield mention_of(span)


# An upper-case place name opening the text or a sentence, before a dash, a comma or "(AP)":
# a dateline ("MANSFIELD -- ", "AUSTIN, Texas", "KABUL (Reuters)").
DATELINE = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=\n))([A-Z][A-Z'.-]{2,}(?: [A-Z][A-Z'.-]{2,}){0,2})"
    r"(?=\s*(?:--|—|–|,|\(|:))"
)


def dateline_mentions(doc: Doc) -> Iterable[Mention]:
    """Datelines the model does not tag (upper case) when the gazetteer knows the name as a
    country, a province or a town of 1,000 people or more and the model did not take it for
    another kind of name."""
    gaz = gazetteer()
    for match in DATELINE.finditer(doc.text):
        key = name_key(match.group(1))
        if len(key.replace(" ", "")) < 4:
            continue
        rows = gaz.rows(key)
        if not any(gaz.feature[r] in (COUNTRY, ADM1) or gaz.population[r] >= 1000 for r in rows):
            continue
        span = doc.char_span(match.start(1), match.end(1), label="GPE")
        if span is not None and not any(t.ent_type_ in NAME_LABELS for t in span):
            yield mention_of(span)  # ("NATO," tagged an organisation is not a dateline)


def following_name(doc: Doc, i: int) -> Span | None:
    """The entity starting at token i, or a state abbreviation there ("Ga.")."""
    token = doc[i]
    if token.ent_iob_ == "B":
        end = i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return Span(doc, i, end, label=token.ent_type_)
    if token.text.lower() in rules()["abbreviations"]:
        return doc[i : i + 1]
    return None


def is_container(span: Span) -> bool:
    """A place written after another place and a comma that closes the phrase ("Jaghuri
    district, Ghazni," / "Springfield, Illinois."), not an item of a list ("Kabul, Kandahar
    and Herat")."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return False
    before = doc[span.start - 2]
    if before.ent_type_ not in PLACE_LABELS and before.lower_ not in rules()["unit_features"]:
        return False
    after = doc[span.end] if span.end < len(doc) else None
    return after is None or (after.is_punct and after.text != "-") or after.lower_ in {"on", "in"}


def untagged_mentions(doc: Doc, taken: set[int]) -> Iterable[Mention]:
    """Runs of capitalised proper nouns outside every entity that the gazetteer knows as a
    place of some size (or a country or province), except common words and sentence starts."""
    gaz = gazetteer()
    common = rules()["common_words"]
    minimum = rules()["min_untagged_population"]
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.is_title or tok.is_sent_start:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and j + 1 not in taken and doc[j + 1].pos_ == "PROPN":
            j += 1
        span = doc[i : j + 1]
        key = name_key(span.text)
        rows = gaz.rows(key)
        big = any(gaz.feature[r] in (COUNTRY, ADM1) or gaz.population[r] >= minimum for r in rows)
        if big and key not in common and len(key) > 2:
            yield mention_of(Span(doc, i, j + 1, label="GPE"))
        i = j + 1


def gold_mentions(text: str, spans: Sequence[dict]) -> list[Mention]:
    """Mentions from given spans (`--gold-spans`, evaluation), with the unit word after each."""
    units = rules()["unit_features"]
    out = []
    for s in spans:
        start, end = int(s["start"]), int(s["end"])
        following = text[end : end + 16].split()
        unit = units.get(following[0].lower().strip(",.")) if following else None
        preceding = {w.lower() for w in text[max(0, start - 24) : start].split()[-3:]}
        near = bool(preceding & rules()["near_words"])
        out.append(Mention(start, end, text[start:end], "GPE", unit, near))
    return out


# --- resolution -------------------------------------------------------------------------------


def query_names(mention: Mention) -> tuple[list[str], bool]:
    """The names to look up for a mention, and whether it names a facility.

    "Badghis Province" -> Badghis; "Bagram Air Base" -> Bagram (a facility); "W.Va." ->
    West Virginia (geo.yaml abbreviations).
    """
    units = rules()["unit_features"]
    facility = rules()["facility_words"]
    written = rules()["abbreviations"].get(mention.text.strip().lower())
    words = name_key(written or mention.text).split()
    core = [w for w in words if w not in units]
    place_words = [w for w in core if w not in facility]
    is_facility = mention.facility or (bool(core) and place_words != core)
    names = [" ".join(words)]
    if core and core != words:
        names.append(" ".join(core))
    if place_words and place_words != core:
        names.append(" ".join(place_words))
    return names, is_facility


def candidates(gaz: Gazetteer, mention: Mention) -> Candidates:
    """Gazetteer rows a mention may name: exact keys first, then a country adjective
    ("Afghan" -> Afghanistan, from countries.csv), then transliteration skeletons."""
    names, is_facility = query_names(mention)
    country = country_row(gaz, country_terms().get(names[0]) or "")
    if country is not None and not is_facility:
        # "US", "Afghan", "Georgia": the country, beside any place of that name.
        others = [r for r in gaz.rows(names[0]) if r != country]
        return Candidates([country, *others])
    abbreviated = mention.text.strip().lower() in rules()["abbreviations"]
    for key in names:
        rows = list(gaz.rows(key))
        if abbreviated:
            rows = [r for r in rows if gaz.feature[r] == ADM1] or rows
        if rows:
            if is_facility:
                rows = [r for r in rows if gaz.feature[r] in TOWNS] or rows
            return Candidates(rows, mention.facility or (is_facility and key != names[0]))
    for key in names:
        if len(key) >= 5:
            rows = list(gaz.lookup_loose(key))
            if rows:
                facility = mention.facility or (is_facility and key != names[0])
                return Candidates(rows, facility, loose=True)
    return Candidates([])


@dataclass
class Context:
    """What the rest of the text says: focus country (ISO2), the keys of every name in it,
    and the countries and first-level units its places resolve to on their own."""

    focus: str | None
    keys: frozenset[str]
    countries: Counter[str]
    admin1s: Counter[int]
    given: bool = False  # the focus comes from the report (dateline, names), not the places
    # (name key, lat, lon) of the towns and districts the text's places were read as
    points: list[tuple[str, float, float]] = dataclasses.field(default_factory=list)

    def neighbours(self, key: str, lat: float, lon: float) -> int:
        """How many other names were read as a town or district within about 100 km (a box
        of 0.9 degrees of latitude, 1.2 of longitude)."""
        return len(
            {
                k
                for k, la, lo in self.points
                if k != key and abs(la - lat) < NEAR_DEGREES[0] and abs(lo - lon) < NEAR_DEGREES[1]
            }
        )

    def plausible(self, gaz: Gazetteer, row: int, found: Candidates) -> bool:
        """Whether a candidate may be meant at all. With a known focus, a facility's town or
        a name matched only by its skeleton must lie in the focus country or in a country
        the other places point to; with a focus the report gives, so must a small town."""
        cc = gaz.country[row]
        if self.focus is None or cc == self.focus or self.countries.get(cc, 0) > 0:
            return True
        if found.facility or found.loose:
            return False
        small = gaz.feature[row] in (TOWN, ADM2) and gaz.population[row] < SMALL_TOWN
        return not (self.given and small)


def score(gaz: Gazetteer, row: int, key: str, mention: Mention, ctx: Context) -> float:
    """How likely a mention names a gazetteer row."""
    feature = gaz.feature[row]
    value = FEATURE_PRIOR.get(feature, 0.0) + math.log10(gaz.population[row] + 1) * 0.8
    if name_key(gaz.name[row]) == key:
        value += 1.0
    if mention.unit and (mention.unit == feature or (mention.unit == TOWN and feature in TOWNS)):
        value += 6.0
    cc = gaz.country[row]
    if ctx.focus and cc == ctx.focus:
        value += 5.0
    value += min(ctx.countries.get(cc, 0), 3) * 1.0
    a1 = gaz.admin1[row]
    if feature != ADM1 and a1 >= 0:
        # Its province named elsewhere in the text (not by this very name: "New York").
        if name_key(gaz.name[a1]) in ctx.keys - {key}:
            value += 5.0
        value += min(ctx.admin1s.get(a1, 0), 3) * 0.7
    a2 = gaz.admin2[row]
    if feature != ADM2 and a2 >= 0 and name_key(gaz.name[a2]) in ctx.keys - {key}:
        value += 4.0  # its district named elsewhere ("Athens" and "Clarke County")
    if ctx.points and feature in LOCAL and gaz.lat[row] is not None:
        value += min(ctx.neighbours(key, gaz.lat[row], gaz.lon[row]), 3) * 1.0
    return value


def best_row(gaz: Gazetteer, mention: Mention, ctx: Context) -> tuple[int, bool] | None:
    """The best-scoring candidate of a mention and whether it is a facility's town."""
    found = candidates(gaz, mention)
    rows = [r for r in found.rows if ctx.plausible(gaz, r, found)]
    if not rows:
        return None
    key = scoring_key(mention, found)
    rows = official_units(gaz, rows, key, mention) or rows
    best = max(rows, key=lambda r: (score(gaz, r, key, mention, ctx), -r))
    return town_of_unit(gaz, best, rows, mention), found.facility


def official_units(gaz: Gazetteer, rows: list[int], key: str, mention: Mention) -> list[int]:
    """A name that is a country's or a province's own name ("Missouri", "Texas") names it, or
    a place whose own name it is too, not one that merely lists it among its alternate names
    (Bozeman's "Missouri") or adds a unit word to it ("Texas County"), unless a unit word
    beside the mention asks for such a place. Empty when no country or province is so named."""
    if mention.unit is not None:
        return []
    own = [r for r in rows if name_key(gaz.name[r]) == key]
    if not any(gaz.feature[r] in (COUNTRY, ADM1) for r in own):
        return []
    return own


def scoring_key(mention: Mention, found: Candidates) -> str:
    """The name a mention's candidates are scored against: unit words dropped ("Badghis"), the
    town's name for a facility."""
    key = query_names(mention)[0][-1] if found.facility else name_key(mention.text)
    units = rules()["unit_features"]
    return " ".join(w for w in key.split() if w not in units) or key


def town_of_unit(gaz: Gazetteer, best: int, rows: list[int], mention: Mention) -> int:
    """A province or district named like its main town stands for the town ("Kunduz",
    "Aleppo"), unless a unit word says otherwise or the town is small beside the unit."""
    if gaz.feature[best] not in (ADM1, ADM2) or mention.unit in (ADM1, ADM2):
        return best
    towns = [
        r
        for r in rows
        if gaz.feature[r] in TOWNS
        and best in (gaz.admin1[r], gaz.admin2[r])
        and gaz.population[r] >= 0.1 * gaz.population[best]
    ]
    return max(towns, key=lambda r: gaz.population[r]) if towns else best


def precision_of(feature: str, mention: Mention, facility: bool) -> int:
    """ACLED geo_precision: 1 the town itself, 2 near a town or a district, 3 a region or
    country only."""
    if feature in (ADM1, COUNTRY, CONTINENT):
        return 3
    if feature == ADM2 or facility or mention.near:
        return 2
    return 1


def resolve_row(gaz: Gazetteer, row: int, mention: Mention, facility: bool) -> Resolved:
    """A Resolved from a gazetteer row."""
    return Resolved(
        mention=mention,
        geonameid=gaz.geonameid[row],
        name=gaz.name[row],
        feature_code=gaz.feature[row],
        lat=gaz.lat[row],
        lon=gaz.lon[row],
        country_code=gaz.iso3.get(gaz.country[row], gaz.country[row]),
        admin1=plain(gaz.admin_name(admin1_row(gaz, row))),
        admin2=plain(gaz.admin_name(gaz.admin2[row])),
        precision=precision_of(gaz.feature[row], mention, facility),
    )


def admin1_row(gaz: Gazetteer, row: int) -> int:
    """The first-level unit of a place (itself for one; -1 when unknown). A town the gazetteer
    gives no unit (some capitals: "Erbil", "Nouakchott") lies in the one unit of its country
    that bears its name, when there is exactly one."""
    if gaz.feature[row] == ADM1:
        return row
    if gaz.admin1[row] >= 0 or gaz.feature[row] not in TOWNS:
        return gaz.admin1[row]
    key = name_key(gaz.name[row])
    for rows in (gaz.rows(key), gaz.lookup_loose(key)):
        units = {r for r in rows if gaz.feature[r] == ADM1 and gaz.country[r] == gaz.country[row]}
        if len(units) == 1:
            return units.pop()
    return -1


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def plain(name: str | None) -> str | None:
    """An admin unit's name in plain letters, as ACLED writes them ("Bādghīs" -> "Badghis")."""
    return unidecode(name).replace("`", "'") if name else None


def country_row(gaz: Gazetteer, iso3: str) -> int | None:
    """The gazetteer row of a country by ISO3 (None for "" or an unknown code)."""
    return gaz.countries.get(iso3) if iso3 else None


def iso2_of(iso3: str | None) -> str | None:
    """The ISO2 code of an ISO3 country code known to the gazetteer."""
    if not iso3:
        return None
    return next((k for k, v in gazetteer().iso3.items() if v == iso3), None)


def resolve(mentions: Sequence[Mention], focus_country: str | None = None) -> list[Resolved | None]:
    """Resolve every mention of one text together; None for those no place fits."""
    return [
        r if isinstance(r, Resolved) else None for r in resolve_explained(mentions, focus_country)
    ]


def resolve_explained(
    mentions: Sequence[Mention], focus_country: str | None = None
) -> list[Resolved | Unresolved]:
    """Resolve every mention of one text together (ISO3 focus country, e.g. the dateline's),
    saying why a mention stays unresolved or its reading is in doubt.

    A first pass without context finds the countries and provinces the text is about; without
    a given focus, the country most of its places point to becomes the focus; the second pass
    scores every candidate with that context.
    """
    gaz = gazetteer()
    keys = frozenset(name_key(m.text) for m in mentions) | frozenset(
        q for m in mentions for q in query_names(m)[0]
    )
    blank = Context(iso2_of(focus_country), keys, Counter(), Counter(), focus_country is not None)
    first = [best_row(gaz, m, blank) for m in mentions]
    countries: Counter[str] = Counter(gaz.country[r] for r, _ in filter(None, first))
    admin1s: Counter[int] = Counter(
        r if gaz.feature[r] == ADM1 else gaz.admin1[r]
        for r, _ in filter(None, first)
        if gaz.feature[r] != COUNTRY
    )
    focus = blank.focus or (countries.most_common(1)[0][0] if countries else None)
    contexts = []
    for own in first:
        # The other places' votes: a name does not vote for its own reading.
        ctx = Context(focus, keys, countries.copy(), admin1s.copy(), blank.given)
        if own is not None:
            ctx.countries[gaz.country[own[0]]] -= 1
            unit = own[0] if gaz.feature[own[0]] == ADM1 else gaz.admin1[own[0]]
            ctx.admin1s[unit] -= 1
        contexts.append(ctx)
    found = [best_row(gaz, m, ctx) for m, ctx in zip(mentions, contexts, strict=True)]
    points = local_points(gaz, mentions, found)
    if len({key for key, _, _ in points}) >= 2:
        # A third pass: a town near the towns the others were read as ("Athens" beside
        # "Pomeroy" and "Meigs County") is the likelier namesake.
        for ctx in contexts:
            ctx.points = points
        found = [best_row(gaz, m, ctx) for m, ctx in zip(mentions, contexts, strict=True)]
    out: list[Resolved | Unresolved] = []
    for mention, ctx, reading in zip(mentions, contexts, found, strict=True):
        if reading is None:
            out.append(Unresolved(mention, unresolved_reason(gaz, mention, ctx)))
            continue
        resolved = resolve_row(gaz, reading[0], mention, reading[1])
        out.append(with_doubt(gaz, resolved, reading[0], mention, ctx))
    return out


def local_points(
    gaz: Gazetteer, mentions: Sequence[Mention], found: Sequence[tuple[int, bool] | None]
) -> list[tuple[str, float, float]]:
    """(name key, lat, lon) of the mentions read as towns or districts."""
    return [
        (name_key(m.text), gaz.lat[r[0]], gaz.lon[r[0]])
        for m, r in zip(mentions, found, strict=True)
        if r is not None and gaz.feature[r[0]] in LOCAL and gaz.lat[r[0]] is not None
    ]


def unresolved_reason(gaz: Gazetteer, mention: Mention, ctx: Context) -> str:
    """Why no gazetteer place fits a mention."""
    rows = candidates(gaz, mention).rows
    if not rows:
        return "not in gazetteer"
    abroad = sorted({gaz.iso3.get(gaz.country[r], gaz.country[r]) for r in rows})
    focus = gaz.iso3.get(ctx.focus or "", ctx.focus)
    shown = ", ".join(abroad[:3]) + (" …" if len(abroad) > 3 else "")
    return f"no candidate in {focus}: {len(rows)} elsewhere ({shown})"


def with_doubt(
    gaz: Gazetteer, resolved: Resolved, row: int, mention: Mention, ctx: Context
) -> Resolved:
    """The resolution, marked ambiguous when a reading more than 161 km away scores within
    AMBIGUITY_MARGIN of the chosen one (Paris, Texas or Paris, France in a text that says
    neither); a province and its own towns are one reading."""
    if gaz.lat[row] is None:
        return resolved
    found = candidates(gaz, mention)
    key = scoring_key(mention, found)
    chosen = score(gaz, row, key, mention, ctx)
    plausible = [r for r in found.rows if ctx.plausible(gaz, r, found)]
    rivals = [
        r
        for r in official_units(gaz, plausible, key, mention) or plausible
        if r != row
        and gaz.lat[r] is not None
        and row not in (gaz.admin1[r], gaz.admin2[r])
        and r not in (gaz.admin1[row], gaz.admin2[row])
        and distance_km((gaz.lat[row], gaz.lon[row]), (gaz.lat[r], gaz.lon[r])) > 161
        and score(gaz, r, key, mention, ctx) > chosen - AMBIGUITY_MARGIN
    ]
    if not rivals:
        return resolved
    countries = frozenset(gaz.iso3.get(gaz.country[r], gaz.country[r]) for r in [row, *rivals])
    where = ", ".join(sorted(countries))
    doubt = f"ambiguous: {len(rivals) + 1} candidates in {where}"
    return dataclasses.replace(resolved, doubt=doubt, rival_countries=countries)


def admin1_rows_named(name: str, country: str) -> frozenset[int]:
    """The first-level units of a country (ISO2) that a name stands for: those carrying it as a
    name or alternate name, else those with its transliteration skeleton ("Idleb" / "Idlib")."""
    gaz = gazetteer()
    for rows in (gaz.lookup(name), gaz.lookup_loose(name)):
        units = frozenset(r for r in rows if gaz.feature[r] == ADM1 and gaz.country[r] == country)
        if units:
            return units
    return frozenset()


# --- containing units written after a place ----------------------------------------------------


@dataclass(frozen=True)
class Container:
    """A name written after a place as one of the units that contain it."""

    text: str
    unit: str | None  # the feature a unit word beside it points to (ADM1, ADM2, PPL)
    bracketed: bool  # inside brackets ("(Rafi LGA, Niger)")
    listed: bool = False  # right after a comma outside brackets ("X, Donetsk"), as lists are


def written_containers(span: Span, start: int | None = None, limit: int = 30) -> list[Container]:
    """The names after a place that the text gives as its containing units, most precise first:
    "X village, Y subdivision (Z, W)", "X, Province", "X in the countryside of Y in Z",
    "X area of Y district". Only geo.yaml's glue words (unit words, "of", "in", directions,
    punctuation) may stand between them; any other word ends the chain, and a comma list that
    goes on with "and"/"or" is an enumeration of places, not a hierarchy."""
    doc = span.doc
    glue = rules()["hierarchy_glue"]
    particles = rules()["name_particles"]
    units = {**rules()["unit_features"], **rules()["hierarchy_units"]}
    abbreviations = rules()["region_abbreviations"]
    found: list[Container] = []
    depth = 0
    i = span.end if start is None else start
    end = min(len(doc), i + limit)
    first = i
    while i < end:
        token = doc[i]
        if token.is_sent_start and i > first:
            break
        if token.text in abbreviations or is_name_word(token):
            j = i + 1
            while j < end:
                k = j
                while k < end and doc[k].lower_ in particles:
                    k += 1  # "Deir ez-Zor", "Jabal al-Zawiya"
                if k < end and is_name_word(doc[k]) and not doc[k].is_sent_start:
                    j = k + 1
                else:
                    break
            if token.text in abbreviations:
                j = i + 1
            name = doc[i:j]
            if any(t.ent_id_ or t.ent_type_ in {"DATE", "CARDINAL"} for t in name):
                break  # an armed group's name or a date: the chain is over
            unit = units.get(doc[j].lower_) if j < len(doc) else None
            if unit is None and i >= 2 and doc[i - 1].lower_ == "of":
                unit = units.get(doc[i - 2].lower_)  # "the province of Ghazni"
            text = abbreviations.get(name.text, name.text)
            listed = depth == 0 and i > 0 and doc[i - 1].text == ","
            found.append(Container(text, unit, depth > 0, listed))
            i = j
            continue
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif token.lower_ in {"and", "or"} and depth == 0 and found and not found[-1].bracketed:
            return []  # "Kabul, Kandahar and Herat": a list, not a hierarchy
        elif token.lower_ not in glue:
            break
        i += 1
    return found


def possessive_container(span: Span) -> Container | None:
    """ "Dhaka's Mirpur area", "Myanmar's Sagaing region": the name before "'s" contains the
    place after it."""
    doc = span.doc
    i = span.start - 1
    if i < 1 or doc[i].lower_ not in {"'s", "’s"}:
        return None
    j = i
    while j > 0 and is_name_word(doc[j - 1]) and not doc[j].is_sent_start:
        j -= 1
    if j == i:
        return None
    return Container(doc[j:i].text, None, bracketed=True)


def is_name_word(token) -> bool:
    """A capitalised word that can belong to a place's name (not a sentence-initial article)."""
    return token.text[:1].isupper() and token.is_alpha is not False and token.text[:1].isalpha()


@dataclass(frozen=True)
class Placed:
    """Where the containing units put a place: a gazetteer row, and whether that row is the
    place itself (its namesake inside them) or only one of its containers."""

    row: int
    itself: bool


def place_in_containers(
    name: str, containers: Sequence[Container], focus: str | None = None
) -> Placed | None:
    """The place a name stands for, read with the units the text says contain it.

    The containers' candidates (provinces, districts, towns; a comma needs a province, a
    district or a country, since "X, Y" with a town Y is more often a list) vote for a country
    (the report's focus, ISO2, adds two votes) and then for a first-level unit of it. The
    place's own namesake inside that unit wins; otherwise the most precise container inside
    it (a town before a district before the province)."""
    gaz = gazetteer()
    chain: list[tuple[Container, list[int]]] = []
    for container in containers:
        rows = container_rows(gaz, container)
        if rows:
            chain.append((container, rows))
    if not chain:
        return None
    own = place_rows(gaz, name)
    named = [rows for _, rows in chain]
    key = name_key(name)
    # Each name votes for the countries it may lie in, less when it may lie in many ("Central",
    # "La Paz"); the place's own name (its namesakes under their main name) half as much.
    votes: Counter[str] = Counter()
    voters = [(1.0, rows) for rows in named]
    voters.append(
        (
            0.5,
            [
                r
                for r in own
                if name_key(gaz.name[r]) == key
                and (gaz.feature[r] not in TOWNS or gaz.population[r] >= 10_000)
            ],
        )
    )
    for weight, rows in voters:
        countries = {gaz.country[r] for r in rows}
        for country in sorted(countries):  # sorted: the same order in every process
            votes[country] += (weight / len(countries)) * max(
                container_weight(gaz, r) for r in rows if gaz.country[r] == country
            )
    if focus in votes:
        votes[focus] += 2
    size = {
        c: max(gaz.population[r] for rows in [*named, own] for r in rows if gaz.country[r] == c)
        for c in votes
    }
    country = max(sorted(votes), key=lambda c: (votes[c], size[c]))
    own = [r for r in own if gaz.country[r] == country]
    unit_votes: Counter[int] = Counter()
    for index, rows in enumerate(named):
        best: dict[int, float] = {}
        for r in rows:
            u = unit_of(gaz, r)
            if gaz.country[r] == country and u >= 0:
                weight = container_weight(gaz, r)
                if index == len(named) - 1 and gaz.feature[r] == ADM2:
                    weight = 0.6  # the last unit written is the broadest: a province
                best[u] = max(best.get(u, 0.0), weight)
        unit_votes.update(best)
    if not unit_votes:
        if own:
            return Placed(max(own, key=lambda r: gaz.population[r]), itself=True)
        countries = [r for rows in named for r in rows if gaz.feature[r] == COUNTRY]
        return Placed(countries[0], itself=False) if countries else None
    for u in {unit_of(gaz, r) for r in own if gaz.feature[r] != ADM1} & set(unit_votes):
        unit_votes[u] += 0.3  # a namesake of the place itself there breaks a tie
    unit = max(sorted(unit_votes), key=lambda u: (unit_votes[u], gaz.population[u]))
    inside = [r for r in own if unit_of(gaz, r) == unit and gaz.feature[r] != ADM1]
    if inside:
        return Placed(max(inside, key=lambda r: (gaz.feature[r] in TOWNS, gaz.population[r])), True)
    for container, rows in chain:
        rows = [r for r in rows if unit_of(gaz, r) == unit]
        if rows:
            rank = {CAPITAL: 0, TOWN: 0, ADM2: 1, ADM1: 2}
            if container.unit in (ADM1, ADM2):
                rows = [r for r in rows if gaz.feature[r] == container.unit] or rows
            best = min(rows, key=lambda r: (rank.get(gaz.feature[r], 3), -gaz.population[r]))
            return Placed(best, itself=False)
    return Placed(unit, itself=False)


def container_weight(gaz: Gazetteer, row: int) -> float:
    """How strongly a reading of a name points to its country and unit: units more than
    towns, and a hamlet (under 10,000 people) hardly at all."""
    weight = CONTAINER_WEIGHT.get(gaz.feature[row], 0.5)
    if gaz.feature[row] in TOWNS and gaz.population[row] < 10_000:
        weight *= 0.2
    return weight


def fits_containers(row: int, containers: Sequence[Container]) -> bool:
    """Whether a place (a gazetteer row) lies in some reading of every unit written after it
    that the gazetteer knows (its province, or its country when a country is written)."""
    gaz = gazetteer()
    unit = unit_of(gaz, row)
    for index, container in enumerate(containers):
        rows = container_rows(gaz, container)
        if not rows:
            continue
        provinces = [
            r for r in rows if gaz.feature[r] == ADM1 and gaz.country[r] == gaz.country[row]
        ]
        if index == len(containers) - 1 and provinces:
            rows = provinces  # the last unit written is the broadest: "Monterrey, Hidalgo"
        if not any(
            (gaz.feature[r] == COUNTRY and gaz.country[r] == gaz.country[row])
            or (unit >= 0 and unit_of(gaz, r) == unit)
            for r in rows
        ):
            return False
    return True


def unit_of(gaz: Gazetteer, row: int) -> int:
    """The first-level unit a row lies in (itself for one; -1 for a country or none)."""
    return row if gaz.feature[row] == ADM1 else gaz.admin1[row]


CONTAINER_FEATURES = {ADM1, ADM2, TOWN, CAPITAL, COUNTRY}
# How strongly a containing name read as each kind of place points to its country and unit.
CONTAINER_WEIGHT = {COUNTRY: 1.0, ADM1: 1.0, ADM2: 0.9, TOWN: 0.6, CAPITAL: 0.6}


def container_rows(gaz: Gazetteer, container: Container) -> list[int]:
    """The gazetteer rows a containing name may be: exact names, else (five letters or more)
    its transliteration skeleton; right after a comma only countries, provinces and
    districts."""
    key = name_key(container.text)
    units = rules()["unit_features"]
    key = " ".join(w for w in key.split() if w not in units) or key
    features = (ADM1, ADM2, COUNTRY) if container.listed else CONTAINER_FEATURES
    rows = [r for r in gaz.rows(key) if gaz.feature[r] in features]
    if not rows and len(key) >= 5:
        rows = [r for r in gaz.lookup_loose(key) if gaz.feature[r] in features]
    if container.unit in (ADM1, ADM2):
        rows = [r for r in rows if gaz.feature[r] == container.unit] or rows
    return rows


def place_rows(gaz: Gazetteer, name: str) -> list[int]:
    """The towns and districts a place's own name may be (unit words dropped)."""
    key = name_key(name)
    units = rules()["unit_features"]
    key = " ".join(w for w in key.split() if w not in units) or key
    rows = list(gaz.rows(key))
    if not rows and len(key) >= 5:
        rows = list(gaz.lookup_loose(key))
    return [r for r in rows if gaz.feature[r] in (TOWN, CAPITAL, ADM2, ADM1)]


def geoparse_doc(doc: Doc, focus_country: str | None = None) -> list[Resolved]:
    """Recognise and resolve the places of a parsed text."""
    return [r for r in resolve(mentions_in(doc), focus_country) if r is not None]


# --- files ----------------------------------------------------------------------------------


def geoparse_records(
    records: Iterable[dict], *, gold_spans: bool = False, nlp: Language | None = None
) -> Iterator[dict]:
    """One `{"id", "toponyms"}` record per input record: its places recognised and resolved,
    or, with `gold_spans`, the spans its `toponyms` give resolved."""
    if gold_spans:
        for record in records:
            mentions = gold_mentions(record["text"], record.get("toponyms") or [])
            yield output(record, resolve(mentions))
        return
    if nlp is None:
        from sitrep.nlp import load_pipeline

        nlp = load_pipeline()
    pending = list(records)
    for record, doc in zip(pending, nlp.pipe(r["text"] for r in pending), strict=True):
        yield output(record, resolve(mentions_in(doc)))


def output(record: dict, resolved: Sequence[Resolved | None]) -> dict:
    """The output record of one document."""
    return {"id": record.get("id"), "toponyms": [r.record() for r in resolved if r is not None]}
