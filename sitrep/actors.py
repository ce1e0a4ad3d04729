"""Who: actor spans, canonical names, countries and sectors, and ACLED actor categories.

An actor is decided here from the noun phrase the event stage points at: a named armed group
(armed_groups.csv), a titled or named person (roles.csv titles), a role noun such as "security
forces" or "protesters" (roles.csv), or a country. Generic references ("the insurgents") and
pronouns resolve to the group or person named before them in the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from sitrep.lexicon import csv_rows, inter_codes
from sitrep.models import Actor, Event
from sitrep.nlp import PLACE_NOUNS, TITLE_SPANS, armed_groups, split_list

STATE_INTER = 1
EXTERNAL_INTER = 8
DETERMINERS = {"the", "those", "these", "its", "their", "his", "her"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its"}
GOVERNMENT_ORG_WORDS = {
    "ministry",
    "government",
    "cabinet",
    "presidency",
    "pentagon",
    "embassy",
    "department",
    "council",
    "parliament",
    "senate",
    "administration",
}
PARTY_ORG_WORDS = {
    "party",
    "league",
    "dal",
    "congress",
    "movement",
    "alliance",
    "front",
    "union",
    "awami",
    "jamaat",
    "shibir",
    "bnp",
    "association",
}
MAX_ROLE_WORDS = 4
# Heads that only count or gather people: "groups of villagers" are villagers.
COLLECTIVE_HEADS = {
    "group",
    "faction",
    "band",
    "number",
    "dozen",
    "hundred",
    "thousand",
    "member",
    "team",
    "batch",
    "section",
    "wing",
    "unit",
}


def inter_code(
    sector: str | None, actor_country: str | None, event_country: str | None
) -> int | None:
    """ACLED's inter code for an actor; state forces acting abroad are external forces (8)."""
    if not sector:
        return None
    code = inter_codes().get(sector)
    foreign = actor_country and event_country and actor_country != event_country
    if code == STATE_INTER and foreign:
        return EXTERNAL_INTER
    return code


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's two-digit interaction code: the lower inter first, 0 when one side is missing."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


# --- rule tables -------------------------------------------------------------------------


@cache
def country_terms() -> dict[str, str]:
    """Lowercase country name, alias or demonym -> ISO3."""
    terms: dict[str, str] = {}
    for row in csv_rows("countries.csv"):
        for term in [row["name"], *split_list(row["aliases"]), *split_list(row["demonyms"])]:
            terms.setdefault(term.lower(), row["iso3"])
    return terms


@cache
def country_names() -> dict[str, str]:
    """ISO3 -> the country's short English name."""
    return {row["iso3"]: row["name"] for row in csv_rows("countries.csv")}


@cache
def iso2_to_iso3() -> dict[str, str]:
    """ISO2 -> ISO3, for gazetteer records."""
    return {row["iso2"]: row["iso3"] for row in csv_rows("countries.csv")}


@cache
def group_aliases() -> dict[str, dict[str, str]]:
    """Lowercase alias or canonical name -> the armed group's row."""
    aliases: dict[str, dict[str, str]] = {}
    for row in armed_groups():
        for alias in [row["name"], *split_list(row.get("aliases", ""))]:
            aliases.setdefault(alias.lower(), row)
    return aliases


@dataclass(frozen=True)
class Role:
    """A role word's sector, and whether "the <word>" refers back to a named group."""

    sector: str
    kind: str
    generic: bool


@cache
def roles() -> dict[str, Role]:
    """Lowercase role term -> Role."""
    return {
        row["term"].lower(): Role(row["sector"], row["kind"], row["generic"].strip() == "1")
        for row in csv_rows("roles.csv")
    }


@cache
def sector_templates() -> dict[str, tuple[str, str]]:
    """Sector -> (name template with {country}, bare name)."""
    return {row["sector"]: (row["template"], row["bare"]) for row in csv_rows("sector_names.csv")}


def sector_name(sector: str, country: str | None) -> str:
    """ACLED-style name for an unnamed actor: "Military Forces of Afghanistan", "Police Forces
    of the United States", "Civilians (United States)"."""
    template, bare = sector_templates().get(sector, ("{country}", "Unknown actor"))
    name = country_names().get(country or "")
    if not name:
        return bare
    if "of {country}" in template and country in countries_with_article():
        name = f"the {name}"
    return template.format(country=name)


@cache
def countries_with_article() -> frozenset[str]:
    """ISO3 codes of countries named with "the" after "of" (country_articles.csv)."""
    return frozenset(row["iso3"] for row in csv_rows("country_articles.csv"))


# --- what a report says about its actors --------------------------------------------------


@dataclass
class GroupMention:
    """A named armed group in the text."""

    start: int
    row: dict[str, str]


@dataclass
class PersonInfo:
    """What the report says about a person: fullest name, title sector and country."""

    full_name: str
    sector: str | None = None
    country: str | None = None
    title: str | None = None


@dataclass
class ReportContext:
    """Per-report facts the actor rules need: focus country, groups and persons named."""

    focus_country: str | None
    groups: list[GroupMention] = field(default_factory=list)
    persons: dict[str, PersonInfo] = field(default_factory=dict)
    person_starts: list[tuple[int, str]] = field(default_factory=list)

    def group_before(self, char: int) -> dict[str, str] | None:
        """The non-state armed group named last before a character offset: "the insurgents"
        never refer back to a state unit such as an intelligence service."""
        state = inter_state_sectors()
        before = [g for g in self.groups if g.start < char and g.row["sector"] not in state]
        return before[-1].row if before else None

    def person_before(self, char: int) -> PersonInfo | None:
        """The person named last before a character offset."""
        before = [key for start, key in self.person_starts if start < char]
        return self.persons.get(before[-1]) if before else None


def build_context(doc: Doc, dateline_country: str | None = None) -> ReportContext:
    """Collect groups, persons and the report's focus country from one parsed report."""
    ctx = ReportContext(focus_country=None)
    votes: Counter[str] = Counter()
    for ent in doc.ents:
        row = group_row(ent)
        if row is not None:
            ctx.groups.append(GroupMention(ent.start_char, row))
            if row.get("country"):
                votes[row["country"]] += 1
        elif ent.label_ in {"GPE", "NORP"}:
            iso3 = country_terms().get(strip_det(ent.text).lower())
            if iso3:
                votes[iso3] += 1
    collect_persons(doc, ctx)
    if dateline_country:
        votes[dateline_country] += 2
    ctx.focus_country = votes.most_common(1)[0][0] if votes else None
    return ctx


def collect_persons(doc: Doc, ctx: ReportContext) -> None:
    """Index persons by every part of their name, keeping the fullest form and any title."""
    titled = {span.end: span for span in doc.spans.get(TITLE_SPANS, [])}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        key = ent.text.split()[-1].lower()
        info = ctx.persons.setdefault(key, PersonInfo(ent.text))
        if len(ent.text) > len(info.full_name):
            info.full_name = ent.text
        span = titled.get(ent.end)
        if span is not None:
            info.sector = span.label_
            info.title = doc[span.start : ent.start].text
            info.country = country_in(doc[span.start : ent.start]) or info.country
        ctx.person_starts.append((ent.start_char, key))


def group_row(ent: Span) -> dict[str, str] | None:
    """The armed-group row an entity names, if any."""
    if ent.ent_id_:
        for row in armed_groups():
            if row["name"] == ent.ent_id_:
                return row
    return group_aliases().get(strip_det(ent.text).lower())


def strip_det(text: str) -> str:
    """Drop a leading article: "the Taliban" -> "Taliban"."""
    head, _, rest = text.partition(" ")
    return rest if head.lower() in {"the", "a", "an"} and rest else text


# --- resolving one actor --------------------------------------------------------------------


def actor_phrase(token: Token) -> Span:
    """The noun phrase an actor token heads, with its left modifiers and "of" complements."""
    doc = token.doc
    start = token.left_edge.i
    end = token.i + 1
    for child in token.rights:
        if (child.dep_ in {"prep"} and child.lower_ == "of") or child.dep_ in {"compound", "flat"}:
            end = max(end, child.right_edge.i + 1)
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            start, end = min(start, ent.start), max(end, ent.end)
    for span in doc.spans.get(TITLE_SPANS, []):
        if span.start <= token.i < span.end:
            start, end = min(start, span.start), max(end, span.end)
    while start < token.i and doc[start].is_punct:
        start += 1
    return doc[start:end]


def resolve_actor(token: Token, ctx: ReportContext, *, military: bool = False) -> Actor | None:
    """Decide the actor a token refers to, or None when it names no actor.

    With `military`, a country standing alone ("the US departure", "a Russian offensive")
    means its armed forces rather than its government.
    """
    if token.pos_ == "PRON" or token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
        return resolve_pronoun(token, ctx)
    phrase = actor_phrase(token)
    return (
        group_actor(phrase, ctx)
        or person_actor(phrase, ctx)
        or role_actor(phrase, ctx)
        or organisation_actor(phrase)
        or country_actor(phrase, "MIL" if military else "GOV")
    )


def make_actor(phrase: Span, name: str, country: str | None, sector: str | None) -> Actor:
    """An Actor with the phrase's text and character span."""
    return Actor(phrase.text, name, country, sector, phrase.start_char, phrase.end_char)


def resolve_pronoun(token: Token, ctx: ReportContext) -> Actor | None:
    """He/she -> the person named last; they/their/it -> the armed group named last."""
    phrase = token.doc[token.i : token.i + 1]
    if token.lower_ in PERSON_PRONOUNS:
        info = ctx.person_before(token.idx)
        if info is None:
            return None
        return make_actor(phrase, info.full_name, info.country or ctx.focus_country, info.sector)
    subject = sentence_subject_before(token)
    if subject is not None:
        resolved = resolve_actor(subject, ctx)
        if resolved is not None:
            return make_actor(phrase, resolved.name, resolved.country, resolved.sector)
    row = ctx.group_before(token.idx)
    if row is None:
        return None
    return make_actor(phrase, row["name"], row.get("country") or None, row["sector"])


def sentence_subject_before(token: Token) -> Token | None:
    """The nearest non-pronoun subject before a pronoun in its sentence ("they", "their")."""
    own_clause = token.head.i if token.dep_ in {"dobj", "pobj", "poss"} else -1
    subjects = [
        t
        for t in token.sent
        if t.i < token.i
        and t.dep_ in {"nsubj", "nsubjpass"}
        and t.pos_ != "PRON"
        and t.head.i != own_clause
    ]
    return subjects[-1] if subjects else None


def group_actor(phrase: Span, ctx: ReportContext) -> Actor | None:
    """A named armed group in the phrase, or a generic reference to the one named before.

    An alliance named beside a state ("US and NATO forces") gives way to the state's forces.
    """
    for ent in phrase.ents:
        row = group_row(ent)
        if row is not None and opposed_to(ent):
            continue  # "anti-Houthi forces" are not the Houthis
        if row is not None:
            if row["sector"] == "IGO" and country_in(phrase) and find_role(phrase):
                return None
            return make_actor(phrase, row["name"], row.get("country") or None, row["sector"])
    role = find_role(phrase)
    if role and role[1].generic and phrase[0].lower_ in DETERMINERS:
        row = ctx.group_before(phrase.start_char)
        if row is not None:
            return make_actor(phrase, row["name"], row.get("country") or None, row["sector"])
    return None


def opposed_to(ent: Span) -> bool:
    """Whether a group is named as what the actor opposes: "anti-Houthi", "anti - Taliban"."""
    doc = ent.doc
    before = doc[max(ent.start - 2, 0) : ent.start].text.lower().replace(" ", "")
    return before.endswith("anti-") or ent.text.lower().startswith("anti-")


def person_actor(phrase: Span, ctx: ReportContext) -> Actor | None:
    """A named person, with the fullest name the report gives and the sector of the title."""
    persons = [ent for ent in phrase.ents if ent.label_ == "PERSON"]
    if persons:
        key = persons[0].text.split()[-1].lower()
    else:
        known = [t for t in phrase if t.pos_ == "PROPN" and t.lower_ in ctx.persons]
        if not known:
            return None
        key = known[-1].lower_
        persons = [phrase]
    role = find_role(phrase)
    if role and role[1].kind == "group" and phrase.root.tag_ in {"NNS", "NNPS"}:
        return None  # "Pokot raiders", "Kamau supporters": a group named by a person or people
    info = ctx.persons.get(key) or PersonInfo(persons[0].text)
    sector = info.sector or (role[1].sector if role else None)
    country = country_in(phrase) or info.country
    if country is None and sector in inter_state_sectors():
        country = ctx.focus_country
    return make_actor(phrase, info.full_name, country, sector)


def role_actor(phrase: Span, ctx: ReportContext) -> Actor | None:
    """A role noun ("security forces", "protesters"), named in ACLED's style; armed men named
    by their community ("Pokot raiders", "the Jimo clan") are that community's militia."""
    role = find_role(phrase)
    if role is None:
        return None
    sector = role[1].sector
    country = country_in(phrase) or ctx.focus_country
    if sector in COMMUNAL_SECTORS:
        community = community_name(phrase, role[0])
        if community:
            return make_actor(phrase, militia_name(community, role[0], country), country, "ETH")
    return make_actor(phrase, sector_name(sector, country), country, sector)


# Sectors of armed men that a community's name makes a communal (identity) militia.
COMMUNAL_SECTORS = {"UAF", "ETH", "CRM"}
CLAN_WORDS = {"clan", "clans", "clansmen", "sub-clan", "subclan"}


def community_name(phrase: Span, role_term: str) -> str | None:
    """The community a group of armed men is named by: a proper name or group adjective that is
    not a country, a place, a month or the role word itself ("Pokot" in "suspected Pokot
    cattle rustlers")."""
    role_words = set(role_term.split())
    names = []
    for token in phrase:
        if token.lower_ in role_words or token.lower_ in country_terms():
            continue
        root = phrase.root.i
        if token.i > root or root not in {token.head.i, token.head.head.i}:
            continue  # only a modifier of the group noun names its community
        if token.ent_type_ in {"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL"}:
            continue
        if token.ent_type_ == "NORP" or (token.pos_ == "PROPN" and token.is_title):
            names.append(token.text)
    return names[0] if names else None


def militia_name(community: str, role_term: str, country: str | None) -> str:
    """ACLED's name for a community's militia: "Pokot Ethnic Militia (Kenya)", "Jimo Clan
    Militia (Kenya)"."""
    kind = "Clan Militia" if set(role_term.split()) & CLAN_WORDS else "Ethnic Militia"
    place = country_names().get(country or "")
    return f"{community} {kind} ({place})" if place else f"{community} {kind}"


def organisation_actor(phrase: Span) -> Actor | None:
    """An organisation entity that is not an armed group ("the Iranian Ministry of ...")."""
    orgs = [ent for ent in phrase.ents if ent.label_ == "ORG"]
    if not orgs:
        return None
    words = {t.lower_ for t in orgs[0]}
    sector = None
    if words & GOVERNMENT_ORG_WORDS:
        sector = "GOV"
    elif words & PARTY_ORG_WORDS:
        sector = "OPP"  # a party or its wing: its members act as supporters, not as a state
    return make_actor(phrase, strip_det(orgs[0].text), country_in(phrase), sector)


def country_actor(phrase: Span, sector: str = "GOV") -> Actor | None:
    """A country standing for its government ("Iran accused ...") or its forces."""
    if not any(ent.label_ in {"GPE", "NORP"} for ent in phrase.ents):
        return None
    country = country_in(phrase)
    if country is None:
        return None
    return make_actor(phrase, sector_name(sector, country), country, sector)


def find_role(phrase: Span) -> tuple[str, Role] | None:
    """The role the phrase's head noun names ("the son of the mayor" is a son), else the
    longest role term anywhere in it; matched on words or on lemmas."""
    table = roles()
    text = phrase.text.lower()
    for term in hyphenated_roles():  # "pro-government militia": split by the tokenizer
        if term in text:
            return term, table[term]
    words = [t.lower_ for t in phrase]
    lemmas = [t.lemma_.lower() for t in phrase]
    head = phrase.root.i - phrase.start
    collective = phrase.root.lemma_.lower() in COLLECTIVE_HEADS
    for size in range(0 if collective else min(MAX_ROLE_WORDS, head + 1), 0, -1):
        for seq in (words[head + 1 - size : head + 1], lemmas[head + 1 - size : head + 1]):
            term = " ".join(seq)
            if term in table:
                return term, table[term]
    for size in range(min(MAX_ROLE_WORDS, len(words)), 0, -1):
        for i in range(len(words) - size, -1, -1):
            for seq in (words[i : i + size], lemmas[i : i + size]):
                term = " ".join(seq)
                if term in table:
                    return term, table[term]
    return None


@cache
def hyphenated_roles() -> tuple[str, ...]:
    """Role terms with a hyphen, longest first."""
    return tuple(sorted((t for t in roles() if "-" in t), key=len, reverse=True))


def country_in(span: Span) -> str | None:
    """The first country named in a span, by name, alias or demonym."""
    terms = country_terms()
    for ent in span.ents:
        iso3 = terms.get(strip_det(ent.text).lower())
        if iso3:
            return iso3
    for token in span:
        if token.pos_ in {"PROPN", "ADJ"} and token.lower_ in terms:
            return terms[token.lower_]
    return None


@cache
def inter_state_sectors() -> frozenset[str]:
    """Sectors whose actors belong to a state (inter code 1)."""
    return frozenset(s for s, code in inter_codes().items() if code == STATE_INTER)


# --- sides a report names outside the event's own clause ------------------------------------

ARMED_INTERS = frozenset({1, 2, 3, 4, 8})
# ACLED event types fought by armed sides; the report's other armed actors can fill a side.
ARMED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
TWO_SIDED_TYPES = {"Battles", "Explosions/Remote violence"}


def armed_mentions(doc: Doc, ctx: ReportContext) -> list[Actor]:
    """The armed actors a report names (groups, forces, gunmen), once each, in order."""
    found: dict[str, Actor] = {}
    for token in doc:
        if token.pos_ not in {"NOUN", "PROPN"} or token.dep_ in {"compound", "amod"}:
            continue
        if is_source(token):
            continue  # "police said": who tells of an event is no side of it
        phrase = actor_phrase(token)
        actor = group_actor(phrase, ctx) or (
            role_actor(phrase, ctx) if heads_role(token, phrase) else None
        )
        if actor is None or actor.name in found:
            continue
        if inter_code(actor.sector, actor.country, ctx.focus_country) in ARMED_INTERS:
            found[actor.name] = actor
    return list(found.values())


def heads_role(token: Token, phrase: Span) -> bool:
    """Whether the phrase names people rather than a place or thing its role word modifies
    ("an army checkpoint", "a police station" are places)."""
    places = PLACE_NOUNS | FACILITY_NOUNS
    return token.lemma_.lower() not in places and token.lower_ not in places


# Installations named by who holds them: "an army checkpoint" is a place, not the army.
FACILITY_NOUNS = {"checkpoint", "station", "post", "camp", "barracks", "base", "office"}


@cache
def speech_lemmas() -> frozenset[str]:
    """Lemmas of verbs that report speech or claims (speech_verbs.csv)."""
    return frozenset(row["lemma"].lower() for row in csv_rows("speech_verbs.csv"))


def is_source(token: Token) -> bool:
    """Whether a noun names who reports ("police said", "according to the army")."""
    head = token.head
    if token.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() in speech_lemmas():
        return True
    return token.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def complete_sides(doc: Doc, events: list[Event], ctx: ReportContext) -> None:
    """Give an armed event the sides its clause left unnamed from the armed actors the report
    names elsewhere ("six militants were killed ... in an operation by police forces",
    "clashes between X and Y"): in the order the report names them, never the other side twice.
    """
    if not any(e.acled_event_type in ARMED_EVENT_TYPES | {"Riots"} for e in events):
        return
    mentions = armed_mentions(doc, ctx)
    communal = is_communal(doc)
    for event in events:
        if event.acled_event_type == "Riots" and event.actor2 is None:
            # the police who met the crowd ("police fired tear gas to disperse them")
            state = [a for a in mentions if a.sector in inter_state_sectors()]
            event.actor2 = other_side(state, event.actor1)
        if event.acled_event_type not in ARMED_EVENT_TYPES:
            continue
        if event.actor1 is None:
            event.actor1 = other_side(mentions, event.actor2)
        if event.actor2 is None and event.acled_event_type in TWO_SIDED_TYPES:
            event.actor2 = other_side(mentions, event.actor1)
        if communal:
            event.actor1 = as_communal(event.actor1, ctx)
            if event.acled_event_type in TWO_SIDED_TYPES:
                event.actor2 = as_communal(event.actor2, ctx)


@cache
def communal_cues() -> frozenset[str]:
    """Lemmas that mark a report of communal violence (communal_cues.csv)."""
    return frozenset(row["lemma"].lower() for row in csv_rows("communal_cues.csv"))


def is_communal(doc: Doc) -> bool:
    """Whether the report speaks of communal violence (ethnic clashes, cattle raids)."""
    cues = communal_cues()
    return any((t.lemma_.lower() in cues or t.lower_ in cues) and t.text.islower() for t in doc)


def as_communal(actor: Actor | None, ctx: ReportContext) -> Actor | None:
    """In a report of communal violence, unnamed or unidentified armed men are a communal
    militia ("raiders", "gunmen" in a cattle raid)."""
    if actor is not None and actor.sector != "UAF":
        return actor
    country = (actor.country if actor else None) or ctx.focus_country
    name = sector_name("ETH", country)
    if actor is None:
        return Actor("", name, country, "ETH")
    return Actor(actor.text, name, country, "ETH", actor.start, actor.end)


def other_side(mentions: list[Actor], known: Actor | None) -> Actor | None:
    """The first armed actor named in the report that is not the known side."""
    return next((a for a in mentions if known is None or a.name != known.name), None)
