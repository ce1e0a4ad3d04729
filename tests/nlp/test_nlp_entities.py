"""What sitrep's components add to the model's entities: armed groups, hyphenated places,
titled persons, and no quoted clauses left as works of art."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.nlp import TITLE_SPANS, armed_groups

pytestmark = pytest.mark.model


def canonical_names() -> set[str]:
    return {row["name"] for row in armed_groups()}


def ents(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    ("text", "alias", "canonical"),
    [
        ("al-Shabab fighters raided a police post near the border.", "al-Shabab", "Al-Shabaab"),
        ("Shabaab gunmen ambushed a convoy on the road.", "Shabaab", "Al-Shabaab"),
        ("Taleban commanders met elders in the district.", "Taleban", "Taliban"),
        ("The Taliban took the town after two days.", "Taliban", "Taliban"),
    ],
)
def test_armed_group_alias_is_org_with_canonical_id(
    nlp: Language, text: str, alias: str, canonical: str
) -> None:
    assert canonical in canonical_names()
    found = [(t, label, ent_id) for t, label, ent_id in ents(nlp, text) if alias in t]
    assert found == [(alias, "ORG", canonical)]


def test_acronym_group_matches_only_in_capitals(nlp: Language) -> None:
    doc = nlp("Residents said the aa road was closed.")
    assert not any(e.ent_id_ for e in doc.ents)


@pytest.mark.parametrize("place", ["Mazar-i-Sharif", "Qala-e-Naw", "Dera-i-Khan"])
def test_hyphenated_place_name_is_one_gpe(nlp: Language, place: str) -> None:
    doc = nlp(f"Heavy fighting was reported in {place} on Monday.")
    matching = [e for e in doc.ents if "-" in e.text]
    assert [(e.text, e.label_) for e in matching] == [(place, "GPE")]


def test_titled_person_gets_person_and_title_span(nlp: Language) -> None:
    doc = nlp("Badghis Governor Hessamuddin Shams said the roads were closed.")
    persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert persons == ["Hessamuddin Shams"]
    titles = [(s.text, s.label_) for s in doc.spans[TITLE_SPANS]]
    assert titles == [("Badghis Governor Hessamuddin Shams", "GOV")]


def test_place_before_title_is_not_a_person(nlp: Language) -> None:
    doc = nlp("Badghis Governor Hessamuddin Shams said the roads were closed.")
    assert not any(e.label_ == "PERSON" and "Badghis" in e.text for e in doc.ents)


@pytest.mark.parametrize(
    ("text", "span", "sector"),
    [
        (
            "Afghan Minister of Defense Bismillah Mohammadi spoke on Monday.",
            "Afghan Minister of Defense Bismillah Mohammadi",
            "GOV",
        ),
        ("Police chief Ahmed Yusuf told reporters that six men were held.", None, "POL"),
    ],
)
def test_title_span_carries_sector_label(
    nlp: Language, text: str, span: str | None, sector: str
) -> None:
    doc = nlp(text)
    titles = doc.spans[TITLE_SPANS]
    assert titles, "no title span found"
    assert titles[0].label_ == sector
    if span is not None:
        assert titles[0].text == span


def test_no_title_span_without_a_title(nlp: Language) -> None:
    doc = nlp("Gunmen attacked a bus on the highway.")
    assert len(doc.spans[TITLE_SPANS]) == 0


@pytest.mark.parametrize(
    "text",
    [
        "“We Are Winning” with the army, the governor said.",
        "“War Is Raging” in the province, the minister said.",
        "“Enough Is Enough,” chanted the protesters in Lagos.",
    ],
)
def test_quoted_clause_is_not_a_work_of_art(nlp: Language, text: str) -> None:
    with nlp.select_pipes(disable=["sitrep_entities", "sitrep_titles"]):
        raw = nlp(text)
    assert any(e.label_ == "WORK_OF_ART" for e in raw.ents), "the model no longer errs here"
    assert [e.text for e in nlp(text).ents if e.label_ == "WORK_OF_ART"] == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Fighting raged in the city of Lashkar Gah on Sunday.", "Lashkar Gah"),
        ("Gunmen attacked a checkpoint in Dangila district overnight.", "Dangila"),
    ],
)
def test_wording_marks_places(nlp, text: str, place: str) -> None:
    doc = nlp(text)
    assert (place, "GPE") in [(e.text, e.label_) for e in doc.ents]
