"""Place names recovered beside the model's entities: inside institutions' names, and names
recognised as places once in a report (hand-built documents, so the model's tags are fixed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from sitrep.gazetteer import Gazetteer
from sitrep.geoparse import mentions_in

VOCAB = spacy.blank("en").vocab  # with the English lexical attributes (lower case, ...)


def doc_of(tagged: list[tuple[str, str, str]]) -> Doc:
    """A document from (word, part of speech, entity IOB tag) triples."""
    words, pos, ents = zip(*tagged, strict=True)
    return Doc(VOCAB, words=list(words), pos=list(pos), ents=list(ents))


def names(doc: Doc) -> list[str]:
    return [m.text for m in mentions_in(doc, untagged=False)]


def test_the_place_heading_an_institution_name_is_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("The", "DET", "O"), ("Ohio", "PROPN", "B-ORG"), ("Department", "PROPN", "I-ORG"),
        ("of", "ADP", "I-ORG"), ("Health", "PROPN", "I-ORG"), ("said", "VERB", "O"),
        ("so", "ADV", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Ohio"]


def test_a_place_tagged_with_its_institution_word_is_cut_to_the_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Kansas", "PROPN", "B-GPE"), ("City", "PROPN", "I-GPE"), ("Police", "PROPN", "I-GPE"),
        ("arrested", "VERB", "O"), ("him", "PRON", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Kansas City"]


def test_the_place_closing_a_university_name_is_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("She", "PRON", "O"), ("joined", "VERB", "O"), ("the", "DET", "O"),
        ("University", "PROPN", "B-ORG"), ("of", "ADP", "I-ORG"), ("Georgia", "PROPN", "I-ORG"),
        (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Georgia"]


def test_a_common_word_heading_an_institution_is_not_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("The", "DET", "O"), ("Liberty", "PROPN", "B-ORG"), ("University", "PROPN", "I-ORG"),
        ("board", "NOUN", "O"), ("met", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == []


def test_a_name_recognised_as_a_place_once_is_a_place_elsewhere(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Floods", "NOUN", "O"), ("hit", "VERB", "O"), ("Gainesville", "PROPN", "B-GPE"),
        (".", "PUNCT", "O"), ("Gainesville", "PROPN", "B-PERSON"), ("schools", "NOUN", "O"),
        ("closed", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Gainesville", "Gainesville"]


def test_a_surname_in_the_report_is_not_spread_as_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Mary", "PROPN", "B-PERSON"), ("Alexandria", "PROPN", "I-PERSON"),
        ("visited", "VERB", "O"), ("Alexandria", "PROPN", "B-GPE"), (".", "PUNCT", "O"),
        ("Alexandria", "PROPN", "B-PERSON"), ("smiled", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Alexandria"]


def test_a_place_name_inside_a_longer_name_is_not_spread(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Rain", "NOUN", "O"), ("fell", "VERB", "O"), ("in", "ADP", "O"),
        ("Kansas", "PROPN", "B-GPE"), ("and", "CCONJ", "O"), ("Kansas", "PROPN", "O"),
        ("Avenue", "PROPN", "O"), ("flooded", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Kansas"]


def test_a_country_heading_an_organisation_is_its_jurisdiction(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("The", "DET", "O"), ("U.S.", "PROPN", "B-ORG"), ("Census", "PROPN", "I-ORG"),
        ("counted", "VERB", "O"), ("them", "PRON", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["U.S."]


def test_a_country_adjective_heading_a_company_is_not_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("American", "PROPN", "B-ORG"), ("Woodmark", "PROPN", "I-ORG"), ("hired", "VERB", "O"),
        ("him", "PRON", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == []


def test_a_town_heading_a_team_name_is_the_whole_town(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Kansas", "PROPN", "B-ORG"), ("City", "PROPN", "I-ORG"), ("Police", "PROPN", "I-ORG"),
        ("said", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Kansas City"]


def test_a_compass_word_before_a_province_makes_a_region_of_it(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("They", "PRON", "O"), ("moved", "VERB", "O"), ("to", "ADP", "O"),
        ("North", "PROPN", "B-LOC"), ("Texas", "PROPN", "I-LOC"), ("and", "CCONJ", "O"),
        ("North", "PROPN", "B-GPE"), ("Carolina", "PROPN", "I-GPE"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Texas", "North Carolina"]


def test_a_title_is_never_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Rep.", "PROPN", "B-GPE"), ("Smith", "PROPN", "B-PERSON"), ("spoke", "VERB", "O"),
        (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == []


def test_a_possessive_is_not_part_of_the_name(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Boone", "PROPN", "B-GPE"), ("County", "PROPN", "I-GPE"), ("’s", "PART", "I-GPE"),
        ("roads", "NOUN", "O"), ("closed", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["Boone County"]


def test_a_province_written_with_its_unit_word_is_read_whole(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("Troops", "NOUN", "O"), ("entered", "VERB", "O"), ("Rakhine", "PROPN", "B-GPE"),
        ("State", "PROPN", "I-GPE"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    found = mentions_in(doc, untagged=False)
    assert [(m.text, m.unit) for m in found] == [("Rakhine State", "ADM1")]


def test_an_upper_case_dateline_is_a_place(gaz: Gazetteer) -> None:
    doc = doc_of([
        ("MANSFIELD", "PROPN", "O"), ("--", "PUNCT", "O"), ("The", "DET", "O"),
        ("council", "NOUN", "O"), ("met", "VERB", "O"), (".", "PUNCT", "O"),
        ("NATO", "PROPN", "B-ORG"), (",", "PUNCT", "O"), ("it", "PRON", "O"),
        ("said", "VERB", "O"), (".", "PUNCT", "O"),
    ])  # fmt: skip
    assert names(doc) == ["MANSFIELD"]
