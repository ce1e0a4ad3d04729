"""QUOTES stage: who said what, and who reports or claims each event.

Direct speech is text in quote marks with a speech verb outside them ("“...,” Mohammadi
said"); indirect speech is a speech verb with a clause ("X said that ...", "..., the ministry
said", "according to police, ..."). The verbs are the table `speech_verbs.csv`. The speaker is
resolved the way actors are (actors.py): a person gets the fullest form of the name in the report
and the role and organisation of any title or apposition given anywhere in it; an organisation
or a role noun ("officials") speaks as itself. A quote is linked to the events whose trigger it
contains, else to those in its sentences, else to those in the sentence before or after.

Every event inside a statement is attributed to its speaker; "X claimed responsibility" attributes
the attack it names (or the last one before it) to X as a claim.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from sitrep import actors
from sitrep.events import trigger_rules
from sitrep.lexicon import csv_rows
from sitrep.models import Attribution, Event, Evidence, Quote, Report, Speaker
from sitrep.nlp import TITLE_SPANS

QUOTE_PATTERN = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
MIN_QUOTE_WORDS = 3
MAX_CONTINUATION_SENTENCES = 2
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
SPEAKER_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
# Nouns that make a title's words an organisation ("Badghis provincial council member").
ORGANISATION_NOUNS = actors.GOVERNMENT_ORG_WORDS | {
    "army",
    "police",
    "agency",
    "commission",
    "committee",
    "office",
    "command",
    "force",
    "forces",
    "ministry",
    "authority",
}
# Words of a title that rank a person, not name their organisation ("deputy police chief").
RANK_WORDS = {"deputy", "acting", "senior", "former", "chief", "assistant", "vice", "interim"}
ATTRIBUTION_KINDS = {"say": "reported", "according": "reported", "confirm": "confirmed"}
RESPONSIBILITY = "responsibility"


@dataclass(frozen=True)
class SpeechVerb:
    """A row of speech_verbs.csv."""

    kind: str
    takes_object: bool


@cache
def speech_verbs() -> dict[str, SpeechVerb]:
    """Lemma (or "according to") -> its kind and whether its object is what was said."""
    return {
        row["lemma"]: SpeechVerb(row["kind"], row["object"].strip() == "1")
        for row in csv_rows("speech_verbs.csv")
    }


def speech_verb(token: Token) -> SpeechVerb | None:
    """The speech verb a token is, if any (only verbs: "the report" is no statement)."""
    if token.pos_ not in {"VERB", "AUX"}:
        return None
    return speech_verbs().get(token.lemma_.lower())


# --- what the report says about people --------------------------------------------------------


@dataclass
class Credentials:
    """A person's role, organisation, country and sector, from a title or an apposition."""

    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    sector: str | None = None


@cache
def state_bodies() -> dict[str, dict[str, str]]:
    """Rows of organisations.csv by each alias, lowercased: bodies whose name does not say
    their country ("the Pentagon", "the Kremlin")."""
    return {alias.lower(): row for row in csv_rows("organisations.csv")
            for alias in row["aliases"].split("|")}  # fmt: skip


def state_body(text: str | None) -> dict[str, str] | None:
    """The organisations.csv row an organisation's name is, or contains ("a Pentagon
    spokesman"); None when it is none of them."""
    if not text:
        return None
    words = actors.strip_det(text).removesuffix("'s").removesuffix("’s")
    table = state_bodies()
    if words.lower() in table:
        return table[words.lower()]
    tokens = words.split()
    for size in range(min(len(tokens), 5), 0, -1):
        for first in range(len(tokens) - size + 1):
            row = table.get(" ".join(tokens[first : first + size]).lower())
            if row is not None and tokens[first][:1].isupper():
                return row
    return None


def place_country(events: list[Event], focus: str | None) -> str | None:
    """The country a report's events happened in, most often (places below a country count
    before countries named alone; the report's focus country wins a tie, else the first code):
    the home of an official whose title names no country. A report from Mandera that mentions
    Somalia and al-Shabaab is still about Kenya, and its "county police commander" is Kenyan."""
    places = [e.location for e in events if e.location and e.location.country_code]
    towns = [p for p in places if p.admin1 or p.geo_precision != 3]  # below the country
    counted = Counter(p.country_code for p in towns or places)
    if not counted:
        return focus
    top = max(counted.values())
    best = sorted(c for c, n in counted.items() if n == top)
    return focus if focus in best else best[0]


def person_key(text: str) -> str:
    """Persons are indexed by surname, as actors.collect_persons does."""
    return text.split()[-1].lower().strip(".,’'")


def collect_credentials(doc: Doc, ctx: actors.ReportContext) -> dict[str, Credentials]:
    """Role and organisation of every titled or apposed person in the report, by surname."""
    found: dict[str, Credentials] = {}
    for span in doc.spans.get(TITLE_SPANS, []):
        names = [e for e in doc.ents if e.label_ == "PERSON" and e.end == span.end]
        if not names:
            continue
        title = doc[span.start : names[0].start]
        found.setdefault(person_key(names[0].text), title_credentials(title, span.label_, ctx))
    for token in doc:
        person = described_person(token)
        if person is not None and person_key(person.text) not in found:
            described = phrase_credentials(head_phrase(token), ctx)
            if described.role:
                found[person_key(person.text)] = described
    for ent in doc.ents:
        if ent.label_ != "PERSON" or person_key(ent.text) in found:
            continue
        for child in ent.root.children:
            if child.dep_ == "appos":
                apposed = appos_credentials(child, ctx)
                if apposed.role:
                    found[person_key(ent.text)] = apposed
                    break
    return found


def title_credentials(title: Span, sector: str, ctx: actors.ReportContext) -> Credentials:
    """'Afghan Minister of Defense' -> role 'Minister of Defense', country AFG; 'Badghis
    provincial council member' -> role 'provincial council member', organisation 'Badghis
    provincial council'."""
    first = title.start  # a demonym or country goes to `country`; a province stays in the role
    while first < title.end - 1 and title.doc[first].lower_ in actors.country_terms():
        first += 1
    role = title.doc[first : title.end].text or title.text
    return credentials_of(title, role, sector, ctx)


def credentials_of(
    phrase: Span, role: str, sector: str | None, ctx: actors.ReportContext
) -> Credentials:
    """A title's or apposition's credentials. The country is the one it names, else that of a
    state body it names ("Pentagon spokesman"), else, for a state's official, the country the
    report is about (`ctx.focus_country`, set from the events' places by `extract_quotes`)."""
    country = actors.country_in(phrase)
    body = state_body(phrase.text)
    if country is None and body is not None:
        country = body["country"]
    if country is None and sector in actors.inter_state_sectors():
        country = ctx.focus_country
    organisation = body["name"] if body else organisation_of(phrase, sector, country, ctx)
    return Credentials(role, organisation, country, sector)


def organisation_of(
    phrase: Span, sector: str | None, country: str | None, ctx: actors.ReportContext
) -> str | None:
    """The organisation a title or apposition names: an armed group or organisation in it, the
    words up to an organisation noun ("Badghis provincial council"), else the state's body."""
    for ent in phrase.ents:
        row = actors.group_row(ent)
        if row is not None:
            return row["name"]
        if ent.label_ == "ORG":
            return actors.strip_det(ent.text)
    words = [t for t in phrase if t.dep_ != "det" and t.lower_ not in actors.DETERMINERS]
    while words and words[0].lower_ in RANK_WORDS:
        words = words[1:]
    for token in reversed(words):
        if token.lower_ in ORGANISATION_NOUNS and token.i > words[0].i:
            return phrase.doc[words[0].i : token.i + 1].text
    if sector and country and sector in actors.inter_state_sectors():
        return actors.sector_name(sector, country)
    return None


def appos_credentials(appos: Token, ctx: actors.ReportContext) -> Credentials:
    """'Zabihullah Mujahid, a spokesman for the Taliban' -> role 'spokesman', org 'Taliban'."""
    return phrase_credentials(appos.doc[appos.left_edge.i : appos.right_edge.i + 1], ctx)


def phrase_credentials(phrase: Span, ctx: actors.ReportContext) -> Credentials:
    """The role, organisation and country a descriptive phrase gives a person."""
    role = actors.find_role(phrase)
    if role is None:
        return Credentials()
    return credentials_of(phrase, role[0], role[1].sector, ctx)


def described_person(token: Token) -> Span | None:
    """'a provincial council member, Ghulam Rabani, said': the name apposed to a role noun."""
    if token.ent_type_ == "PERSON":
        return None
    for child in token.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return next((e for e in token.doc.ents if e.start <= child.i < e.end), None)
    return None


def head_phrase(token: Token) -> Span:
    """A noun's words up to the noun itself (its appositions and clauses left out)."""
    return token.doc[token.left_edge.i : token.i + 1]


# --- speakers ---------------------------------------------------------------------------------


def resolve_speaker(
    token: Token, ctx: actors.ReportContext, credentials: dict[str, Credentials]
) -> Speaker | None:
    """Who a subject token names: a person (fullest name, title), an organisation, a group or a
    role noun; None when it names nobody ("it", "the report")."""
    doc = token.doc
    if token.lower_ in actors.PERSON_PRONOUNS:
        info = ctx.person_before(token.idx)
        return None if info is None else person_speaker(info.full_name, token, ctx, credentials)
    described = described_person(token)
    if described is not None:
        info = ctx.persons.get(person_key(described.text))
        name = info.full_name if info else described.text
        whole = token.doc[token.left_edge.i : token.right_edge.i + 1]
        return person_speaker(name, token, ctx, credentials, whole)
    phrase = actors.actor_phrase(token)
    persons = [e for e in phrase.ents if e.label_ == "PERSON"]
    known = [t for t in phrase if t.pos_ == "PROPN" and t.lower_ in ctx.persons]
    if persons or known:
        key = person_key(persons[0].text) if persons else known[-1].lower_
        info = ctx.persons.get(key)
        name = info.full_name if info else persons[0].text
        return person_speaker(name, token, ctx, credentials, phrase)
    organisations = [e for e in phrase.ents if e.label_ == "ORG" and is_organisation(e)]
    if organisations:
        return organisation_speaker(organisations[0], phrase, ctx)
    actor = actors.resolve_actor(token, ctx)
    if actor is None:
        named = any(t.pos_ == "PROPN" for t in phrase) and token.pos_ in {"NOUN", "PROPN"}
        return organisation_speaker(phrase, phrase, ctx) if named else None
    role = actors.find_role(phrase)
    organisation = organisation_of(phrase, actor.sector, actor.country, ctx)
    if any(e.label_ == "ORG" for e in phrase.ents) or actors.group_actor(phrase, ctx):
        organisation = actor.name
    return Speaker(
        name=actor.name,
        role=role[0] if role and organisation != actor.name else None,
        organisation=organisation,
        country=actor.country,
        sector=actor.sector,
        text=doc.text[actor.start : actor.end] if actor.start is not None else token.text,
        start=actor.start,
        end=actor.end,
    )


def is_organisation(ent: Span) -> bool:
    """An ORG entity that is neither an armed group nor a country misread ("Burkina Faso's")."""
    text = actors.strip_det(ent.text).removesuffix("'s").removesuffix("’s").lower()
    return actors.group_row(ent) is None and text not in actors.country_terms()


def organisation_speaker(org: Span, phrase: Span, ctx: actors.ReportContext) -> Speaker:
    """An organisation speaking as itself ("the Iranian Ministry of Foreign Affairs said")."""
    name = actors.strip_det(org.text)
    words = {t.lower_ for t in org}
    sector = "GOV" if words & actors.GOVERNMENT_ORG_WORDS else None
    country = actors.country_in(phrase)
    body = state_body(name)
    if body is not None:
        name, sector, country = body["name"], body["sector"], country or body["country"]
    return Speaker(name, None, name, country, sector, phrase.text, phrase.start_char,
                   phrase.end_char)  # fmt: skip


def person_speaker(
    name: str,
    token: Token,
    ctx: actors.ReportContext,
    credentials: dict[str, Credentials],
    phrase: Span | None = None,
) -> Speaker:
    """A person speaking, with what the report says about them anywhere."""
    found = credentials.get(person_key(name)) or Credentials()
    if phrase is not None and not found.role:
        for child in token.children:
            if child.dep_ == "appos":
                found = appos_credentials(child, ctx)
    span = phrase if phrase is not None else token.doc[token.i : token.i + 1]
    return Speaker(
        name=name,
        role=found.role,
        organisation=found.organisation,
        country=found.country,
        sector=found.sector,
        text=span.text,
        start=span.start_char,
        end=span.end_char,
    )


def subject_of(verb: Token) -> Token | None:
    """The speaker of a speech verb: its subject, or the name right after an inverted verb
    ("..., said Governor X"); the subject of the verb it is coordinated with ("X welcomed ...
    but warned that"); the agent of a passive ("was told by X"). A denied or negated verb
    ("did not say") has no speaker: nothing was said."""
    if any(child.dep_ == "neg" for child in verb.children):
        return None
    for child in verb.children:
        if child.dep_ == "nsubj":
            return closing_subject(child, verb)
        if child.dep_ == "nsubjpass":
            agents = [c for c in verb.children if c.dep_ == "agent"]
            return next((c for a in agents for c in a.children if c.dep_ == "pobj"), None)
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        return subject_of(verb.head)
    for child in verb.rights:
        if child.dep_ in {"dobj", "attr", "npadvmod"} and child.ent_type_ in SPEAKER_LABELS:
            return child
    return None


def closing_subject(subject: Token, verb: Token) -> Token:
    """ "..., killing nine people, police and witnesses said": the parser may take the last
    object of the statement as the subject; the speaker is then the conjunct after the last
    comma before the verb."""
    doc = verb.doc
    commas = [t.i for t in doc[subject.i : verb.i] if t.text == ","]
    if not commas:
        return subject
    after = [c for c in subject.conjuncts if commas[-1] < c.i < verb.i]
    return min(after, key=lambda t: t.i) if after else subject


def according_to(token: Token) -> Token | None:
    """The source of "according to X": the object of "to", when `token` is "according"."""
    if token.lower_ != "according":
        return None
    for child in token.children:
        if child.lower_ == "to":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


# --- direct speech ----------------------------------------------------------------------------


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the text inside quote marks, long enough to be speech."""
    spans = []
    for match in QUOTE_PATTERN.finditer(text):
        group = 1 if match.group(1) is not None else 2
        if len(match.group(group).split()) >= MIN_QUOTE_WORDS:
            spans.append((match.start(group), match.end(group)))
    return spans


def inside(char: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a character offset lies inside one of the spans (quote marks included)."""
    return any(start - 1 <= char <= end for start, end in spans)


def verb_for_quote(
    doc: Doc, start: int, end: int, spans: list[tuple[int, int]]
) -> tuple[Token, SpeechVerb] | None:
    """The speech verb of a direct quote: after it in the sentence it ends in, else before it
    in the sentence it starts in."""
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if last is not None:
        for token in last.sent:
            if token.idx > end and not inside(token.idx, spans):
                verb = speech_verb(token)
                if verb and subject_of(token) is not None:
                    return token, verb
    if first is not None:
        for token in reversed(list(first.sent)):
            if token.idx < start and not inside(token.idx, spans):
                verb = speech_verb(token)
                if verb and subject_of(token) is not None:
                    return token, verb
    return None


def sentence_text(doc: Doc, start: int, end: int) -> tuple[str, int]:
    """The sentences covering a character range, and the index of the first."""
    sents = [s for s in doc.sents if s.start_char < end and start < s.end_char]
    if not sents:
        return "", 0
    index = next(i for i, s in enumerate(doc.sents) if s.start == sents[0].start)
    return doc.text[sents[0].start_char : sents[-1].end_char].strip(), index


def direct_quotes(
    doc: Doc, report: Report, ctx: actors.ReportContext, credentials: dict[str, Credentials]
) -> tuple[list[Quote], set[int]]:
    """Quotes in quote marks, each with its speaker; returns them and the verbs they used."""
    spans = quote_spans(doc.text)
    quotes: list[Quote] = []
    used: set[int] = set()
    previous: tuple[Speaker, str, int] | None = None
    for start, end in spans:
        found = verb_for_quote(doc, start, end, spans)
        sentence, index = sentence_text(doc, start, end)
        speaker, verb_text = None, ""
        if found is not None:
            verb, _ = found
            subject = subject_of(verb)
            speaker = resolve_speaker(subject, ctx, credentials) if subject is not None else None
            verb_text = verb.text
            used.add(verb.i)
            sentence, index = sentence_text(doc, min(start, verb.idx), max(end, verb.idx + 1))
        elif previous is not None and index - previous[2] <= MAX_CONTINUATION_SENTENCES:
            speaker, verb_text = previous[0], previous[1]  # "“...,” he said. “More.”"
        if speaker is None:
            continue
        quotes.append(make_quote(report, speaker, doc.text[start:end], True, verb_text,
                                 start, end, sentence))  # fmt: skip
        previous = (speaker, verb_text, index)
    return quotes, used


# --- indirect speech --------------------------------------------------------------------------


def statement_of(verb: Token, kind: SpeechVerb) -> Span | None:
    """What a speech verb reports: its clause ("said that ..."), the clause it closes
    ("..., the ministry said"), or its object for verbs such as "confirmed"."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp"} and child.pos_ in {"VERB", "AUX"}:
            return clause_span(child)
    if verb.dep_ in {"ccomp", "parataxis"} and verb.head.i < verb.i:
        head = verb.head  # "The Taliban were inside ..., Habibi said" read the other way round
        return doc[head.sent.start : min(head.right_edge.i + 1, verb.left_edge.i)]
    if kind.takes_object and kind.kind != "claim":  # "claimed the attack" is no statement
        for child in verb.children:
            if child.dep_ == "dobj":
                return doc[child.left_edge.i : child.right_edge.i + 1]
    return closing_clause(verb)


def closing_clause(verb: Token) -> Span | None:
    """ "<statement>, the ministry said": the words before the comma that opens the reporting
    clause, when the parser did not attach them to the verb."""
    subject = subject_of(verb)
    if subject is None or subject.i > verb.i:
        return None
    comma = subject.left_edge.i - 1
    if comma <= verb.sent.start or not verb.doc[comma].is_punct or verb.doc[comma].text != ",":
        return None
    return verb.doc[verb.sent.start : comma]


def clause_span(head: Token) -> Span:
    """A clause's words without the leading "that" and edge punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    while start < end and (doc[start].dep_ == "mark" or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]


def trim(span: Span) -> Span:
    """A span without punctuation or conjunctions at its edges."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct or doc[start].dep_ in {"cc", "mark"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
        end -= 1
    return doc[start:end]


def indirect_quotes(
    doc: Doc,
    report: Report,
    ctx: actors.ReportContext,
    credentials: dict[str, Credentials],
    used: set[int],
) -> list[Quote]:
    """Statements reported without quote marks."""
    spans = quote_spans(doc.text)
    quotes = []
    for token in doc:
        if token.i in used or inside(token.idx, spans):
            continue
        source = according_to(token)
        if source is not None:
            statement = according_statement(token)
            verb_text = "according to"
        else:
            kind = speech_verb(token)
            subject = subject_of(token) if kind else None
            statement = statement_of(token, kind) if kind and subject is not None else None
            source, verb_text = subject, token.text
        if source is None or statement is None or len(statement) < MIN_QUOTE_WORDS:
            continue
        statement = trim(statement)
        if inside(statement.start_char, spans) or inside(statement.end_char - 1, spans):
            continue
        speaker = resolve_speaker(source, ctx, credentials)
        if speaker is None or not statement.text:
            continue
        sentence, _ = sentence_text(doc, statement.start_char, statement.end_char)
        quotes.append(make_quote(report, speaker, statement.text, False, verb_text,
                                 statement.start_char, statement.end_char, sentence))  # fmt: skip
    return quotes


def according_statement(according: Token) -> Span:
    """The clause "according to X" is attached to, without the phrase itself."""
    doc = according.doc
    sent = according.sent
    phrase_start, phrase_end = according.left_edge.i, according.right_edge.i + 1
    before = doc[sent.start : phrase_start]
    after = doc[phrase_end : sent.end]
    return trim(after if len(after) >= len(before) else before)


def make_quote(
    report: Report,
    speaker: Speaker,
    text: str,
    direct: bool,
    verb: str,
    start: int,
    end: int,
    sentence: str,
) -> Quote:
    """A Quote with a stable id (same report, same place → same id)."""
    digest = hashlib.sha1(f"{report.report_id}\x00{start}\x00quote".encode()).hexdigest()
    text = text.strip().rstrip(",").strip()
    return Quote("q" + digest[:20], report.report_id, speaker, text, direct, verb,
                 start, end, sentence)  # fmt: skip


# --- links to events --------------------------------------------------------------------------


def mention_starts(event: Event) -> list[int]:
    """Where each mention of an event has its trigger (a merged event has several)."""
    starts = [ev.start for ev in event.evidence if ev.field == "plover_type"]
    return starts or [event.trigger_start]


def link_events(quote: Quote, events: list[Event], doc: Doc) -> list[str]:
    """Events the quote speaks of: triggers inside it, else in its sentences, else next to it."""
    inside_quote = [
        e.event_id for e in events if any(quote.start <= s < quote.end for s in mention_starts(e))
    ]
    if inside_quote:
        return inside_quote
    bounds = [(s.start_char, s.end_char) for s in doc.sents]

    def index_of(char: int) -> int:
        return next((i for i, (a, b) in enumerate(bounds) if a <= char < b), -1)

    first, last = index_of(quote.start), index_of(max(quote.start, quote.end - 1))
    for reach in (0, 1):
        near = [
            e.event_id
            for e in events
            if any(first - reach <= index_of(s) <= last + reach for s in mention_starts(e))
        ]
        if near:
            return near
    return []


# --- claims: who reports or claims each event -------------------------------------------------


def attribute_events(events: list[Event], quotes: list[Quote], doc: Doc,
                     ctx: actors.ReportContext,
                     credentials: dict[str, Credentials]) -> None:  # fmt: skip
    """Give each event the statements it is reported in and the claims of responsibility."""
    for event in events:
        for quote in quotes:
            if any(quote.start <= s < quote.end for s in mention_starts(event)):
                event.attribution.append(quote_attribution(quote, doc))
    for token in doc:
        if not is_claim_of_responsibility(token, events):
            continue
        subject = subject_of(token)
        speaker = resolve_speaker(subject, ctx, credentials) if subject is not None else None
        event = claimed_event(token, events)
        if speaker is None or event is None:
            continue
        evidence = Evidence("attribution", token.sent.text, token.idx, token.idx + len(token))
        event.attribution.append(Attribution(speaker.name, "claimed", token.text, speaker.sector,
                                             speaker.country, None, evidence))  # fmt: skip


def is_claim_of_responsibility(token: Token, events: list[Event]) -> bool:
    """Whether a verb claims an event: "X claimed responsibility (for ...)", "X claimed the
    attack" (an event word)."""
    if token.lemma_.lower() != "claim" or token.pos_ != "VERB":
        return False
    starts = {s for e in events for s in mention_starts(e)}
    triggers = trigger_rules()
    return any(
        c.dep_ == "dobj"
        and (c.lower_ == RESPONSIBILITY or c.idx in starts or c.lemma_.lower() in triggers)
        for c in token.children
    )


def quote_attribution(quote: Quote, doc: Doc) -> Attribution:
    """The attribution a statement gives the events in it."""
    verb = quote.verb.lower()
    kind = speech_verbs().get(verb)
    if kind is None:
        matches = [t for t in doc if t.text == quote.verb and speech_verb(t)]
        kind = speech_verb(matches[0]) if matches else None
    label = ATTRIBUTION_KINDS.get(kind.kind if kind else "say", "reported")
    if kind is not None and kind.kind == "deny":
        label = "denied"
    elif kind is not None and kind.kind == "claim":
        label = "claimed"
    evidence = Evidence("attribution", quote.sentence, quote.speaker.start or quote.start,
                        quote.speaker.end or quote.end)  # fmt: skip
    s = quote.speaker
    return Attribution(s.name, label, quote.verb, s.sector, s.country, quote.quote_id, evidence)


def claimed_event(claim: Token, events: list[Event]) -> Event | None:
    """The event a claim of responsibility is for: one named in "for the attack" in its
    sentence, else the last one mentioned before the claim."""
    sent = claim.sent
    in_sentence = [
        e
        for e in events
        if any(sent.start_char <= s < sent.end_char and s > claim.idx for s in mention_starts(e))
        and e.plover_type == "ASSAULT"
    ]
    if in_sentence:
        return in_sentence[0]
    before = [
        (max(s for s in mention_starts(e) if s < claim.idx), e)
        for e in events
        if any(s < claim.idx for s in mention_starts(e)) and e.plover_type == "ASSAULT"
    ]
    return max(before, key=lambda pair: pair[0])[1] if before else None


# --- entry point ------------------------------------------------------------------------------


def extract_quotes(
    doc: Doc, report: Report, ctx: actors.ReportContext, events: list[Event]
) -> list[Quote]:
    """Every quote of a report with its speaker and events; also attributes the events.
    Officials whose words name no country belong to the country of the report's places."""
    ctx = replace(ctx, focus_country=place_country(events, ctx.focus_country))
    credentials = collect_credentials(doc, ctx)
    direct, used = direct_quotes(doc, report, ctx, credentials)
    quotes = sorted(direct + indirect_quotes(doc, report, ctx, credentials, used),
                    key=lambda q: q.start)  # fmt: skip
    for quote in quotes:
        quote.event_ids = link_events(quote, events, doc)
    attribute_events(events, quotes, doc, ctx, credentials)
    return quotes
