"""Toponyms resolved to GeoNames places: spelling variants, hierarchy, facilities, focus."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.gazetteer import Gazetteer, loose_key, name_key
from sitrep.geoparse import (
    Mention,
    Resolved,
    Unresolved,
    geoparse_doc,
    mentions_in,
    resolve,
    resolve_explained,
)
from sitrep.models import Event
from sitrep.pipeline import analyse

QALA_I_NAW = 1129867
KUNDUZ = 1135689
SHIBIRGHAN = 1125444


def one(name: str, focus: str | None = None) -> int | None:
    found = resolve([Mention(0, len(name), name)], focus)[0]
    return found.geonameid if found else None


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Qala-i-Naw", QALA_I_NAW),
        ("Qala i Naw", QALA_I_NAW),
        ("Qala-e-Naw", QALA_I_NAW),
        ("Kunduz", KUNDUZ),
        ("Qunduz", KUNDUZ),
        ("Shibirghan", SHIBIRGHAN),
        ("Sheberghan", SHIBIRGHAN),
    ],
)
def test_spelling_variants_resolve_to_one_place(gaz: Gazetteer, name: str, geonameid: int) -> None:
    assert one(name, "AFG") == geonameid


@pytest.mark.parametrize("mark", ["'", "‘", "’", "ʻ", "`"])
def test_apostrophes_do_not_matter(mark: str) -> None:
    assert name_key(f"Qal{mark}ah-ye Now") == "qalah ye now"
    assert loose_key(name_key(f"Qal{mark}ah-ye Now")) == loose_key(name_key("Qala-i-Naw"))


def test_diacritics_do_not_matter() -> None:
    assert name_key("Bādghīs") == name_key("Badghis") == "badghis"


def test_a_province_named_in_the_text_picks_its_town(gaz: Gazetteer, nlp: Language) -> None:
    places = {
        state: [r for r in geoparse_doc(nlp(f"Floods hit Springfield, {state}, on Sunday."))]
        for state in ("Illinois", "Massachusetts")
    }
    towns = {s: next(r for r in rs if r.mention.text == "Springfield") for s, rs in places.items()}
    assert towns["Illinois"].admin1 == "Illinois"
    assert towns["Massachusetts"].admin1 == "Massachusetts"
    assert towns["Illinois"].geonameid != towns["Massachusetts"].geonameid


def test_district_word_and_province_after_a_comma(gaz: Gazetteer, nlp: Language) -> None:
    doc = nlp("Gunmen stormed a checkpoint in Jaghuri district, Ghazni, before dawn.")
    found = {r.mention.text: r for r in geoparse_doc(doc, "AFG")}
    assert found["Jaghuri"].feature_code == "ADM2"
    assert found["Jaghuri"].admin1 == "Ghazni"
    assert found["Jaghuri"].precision == 2
    assert found["Ghazni"].feature_code == "ADM1"


def test_country_focus_decides_an_ambiguous_town(gaz: Gazetteer) -> None:
    paris = [Mention(0, 5, "Paris")]
    assert resolve(paris)[0].country_code == "FRA"
    assert resolve(paris, "USA")[0].country_code == "USA"


def test_the_other_places_of_the_text_set_the_focus(gaz: Gazetteer) -> None:
    text = "Tulsa and Paris"
    mentions = [Mention(0, 5, "Tulsa"), Mention(10, 15, "Paris")]
    assert resolve(mentions)[1].country_code == "USA", text


def test_country_adjective_is_the_country(gaz: Gazetteer) -> None:
    found = resolve([Mention(0, 6, "Afghan")])[0]
    assert found is not None and found.feature_code == "PCLI" and found.country_code == "AFG"


def test_common_words_are_not_taken_from_the_gazetteer(nlp: Language) -> None:
    doc = nlp("On Monday, Police Chief Sam Hope told General Mills staff that Reading was fun.")
    assert [m.text for m in mentions_in(doc) if m.label == "GPE"] == []


def assault(nlp: Language, text: str) -> Event:
    found = [e for e in analyse(text, language=nlp).events if e.plover_type == "ASSAULT"]
    assert found, f"no ASSAULT in {text!r}"
    return found[0]


@pytest.mark.model
def test_facility_resolves_to_its_town_with_precision_2(nlp: Language) -> None:
    event = assault(nlp, "Insurgents fired rockets at Bagram Air Base on Sunday night.")
    loc = event.location
    assert loc is not None and loc.name == "Bagram Air Base"
    assert loc.geonameid == 1147513 and loc.geo_precision == 2
    assert (loc.country_code, loc.admin1) == ("AFG", "Parwan")


@pytest.mark.model
def test_town_itself_has_precision_1_and_its_units(nlp: Language) -> None:
    event = assault(nlp, "Taliban fighters attacked police posts in Kunduz on Saturday.")
    loc = event.location
    assert loc is not None and loc.geonameid == KUNDUZ and loc.geo_precision == 1
    assert loc.admin1 == "Kunduz" and loc.country_code == "AFG"
    assert loc.lat is not None and 36 < loc.lat < 37.5


@pytest.mark.model
def test_province_only_has_precision_3(nlp: Language) -> None:
    event = assault(nlp, "A roadside bomb exploded in Helmand Province on Friday.")
    loc = event.location
    assert loc is not None and loc.geo_precision == 3 and loc.admin1 == "Helmand"


def test_a_town_and_its_state_after_a_comma_are_places(gaz: Gazetteer, nlp: Language) -> None:
    words = ["Rain", "flooded", "Gainesville", ",", "Ga.", ",", "overnight", "."]
    ents = ["O", "O", "B-PERSON", "O", "O", "O", "O", "O"]
    doc = Doc(nlp.vocab, words=words, ents=ents)
    found = {r.mention.text: r for r in resolve(mentions_in(doc, untagged=False))}
    assert set(found) == {"Gainesville", "Ga."}
    assert found["Gainesville"].admin1 == "Georgia"
    assert found["Ga."].feature_code == "ADM1"


def test_an_organisation_after_in_can_be_a_town(gaz: Gazetteer, nlp: Language) -> None:
    words = ["Schools", "closed", "in", "Gainesville", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[1, 1, 1, 2, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "punct"],
        ents=["O", "O", "O", "B-ORG", "O"],
    )
    assert [m.text for m in mentions_in(doc, untagged=False)] == ["Gainesville"]


def test_a_transliteration_the_model_missed_is_found(gaz: Gazetteer, nlp: Language) -> None:
    doc = nlp("Gunmen attacked a checkpoint near Qal‘ah-ye Now before dawn on Friday.")
    found = {r.mention.text: r for r in geoparse_doc(doc, "AFG")}
    assert found["Qal‘ah-ye Now"].geonameid == QALA_I_NAW
    assert found["Qal‘ah-ye Now"].precision == 2  # near the town


@pytest.mark.model
def test_facility_without_a_town_is_placed_at_the_town_near_it(nlp: Language) -> None:
    event = assault(nlp, "Militants attacked Camp Shorabak near Lashkar Gah on Monday.")
    loc = event.location
    assert loc is not None and loc.name == "Camp Shorabak"
    assert (loc.admin1, loc.geo_precision) == ("Helmand", 2)
    assert loc.geonameid == 1134720  # Lashkar Gah


def explained(name: str, focus: str | None = None) -> Resolved | Unresolved:
    return resolve_explained([Mention(0, len(name), name)], focus)[0]


def test_a_name_the_gazetteer_lacks_says_so() -> None:
    found = explained("Zorbakistan")
    assert isinstance(found, Unresolved) and found.reason == "not in gazetteer"


def test_a_place_only_abroad_says_where_its_namesakes_are() -> None:
    found = explained("Jaghuri", "IRN")  # an Afghan district, in a report about Iran
    assert isinstance(found, Unresolved)
    assert found.reason.startswith("no candidate in IRN") and "AFG" in found.reason


def test_namesakes_far_apart_and_close_in_score_make_a_reading_doubtful() -> None:
    paris = explained("Paris", "USA")  # Paris, France or one of the Parises of the US
    assert isinstance(paris, Resolved) and paris.doubt is not None
    assert paris.doubt.startswith("ambiguous") and paris.rival_countries >= {"FRA", "USA"}


def test_a_province_and_its_capital_are_one_reading() -> None:
    kandahar = explained("Kandahar", "AFG")
    assert isinstance(kandahar, Resolved) and kandahar.doubt is None


def test_a_province_name_is_the_province_not_a_town_listing_it_as_an_alias() -> None:
    # Other places of the text in another state do not turn "Missouri" into a town there.
    mentions = [Mention(0, 7, "Montana"), Mention(20, 28, "Missouri")]
    found = resolve(mentions, "USA")[1]
    assert found is not None and found.feature_code == "ADM1" and found.name == "Missouri"


def test_a_county_named_after_a_state_needs_its_unit_word() -> None:
    # Towns of Oklahoma around it, and Oklahoma's Texas County: still the state.
    mentions = [
        Mention(0, 8, "Oklahoma"),
        Mention(10, 13, "Ada"),
        Mention(15, 19, "Hugo"),
        Mention(20, 25, "Texas"),
    ]
    state = resolve(mentions, "USA")[3]
    assert state is not None and state.feature_code == "ADM1"
    county = resolve([Mention(0, 8, "Oklahoma"), Mention(20, 32, "Texas County", unit="ADM2")])
    assert county[1] is not None and county[1].feature_code == "ADM2"
