"""Quotes on hand-written sentences: direct and indirect speech, speakers resolved to the
fullest name with role and organisation, organisations as speakers, links to events, and the
attribution of events to who reports or claims them. Every text is written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.models import Quote, ReportResult
from sitrep.pipeline import analyse
from sitrep.quotes import quote_spans, speech_verbs

pytestmark = pytest.mark.model


def run(nlp: Language, text: str) -> ReportResult:
    return analyse(text, language=nlp, report_id="t")


def by_speaker(quotes: list[Quote], name: str) -> list[Quote]:
    return [q for q in quotes if q.speaker.name == name]


def test_speech_verbs_table_loads_with_kinds() -> None:
    verbs = speech_verbs()
    assert verbs["say"].kind == "say"
    assert verbs["according to"].kind == "according"
    assert verbs["deny"].kind == "deny" and verbs["deny"].takes_object


def test_quote_spans_skip_scare_quotes() -> None:
    text = 'The so-called "volunteers" left. "We will not leave the valley," he said.'
    spans = quote_spans(text)
    assert [text[a:b] for a, b in spans] == ["We will not leave the valley,"]


def test_direct_quote_after_title_resolves_surname_to_full_name(nlp: Language) -> None:
    text = (
        "Somali Minister of Interior Ahmed Moalim Fiqi visited the port on Monday. "
        '"The militants burned two trucks near the gate," Fiqi said.'
    )
    result = run(nlp, text)
    quotes = by_speaker(result.quotes, "Ahmed Moalim Fiqi")
    assert len(quotes) == 1, result.quotes
    quote = quotes[0]
    assert quote.direct
    assert quote.speaker.role == "Minister of Interior"
    assert quote.speaker.country == "SOM"
    assert quote.text.startswith("The militants burned two trucks")
    assert text[quote.start : quote.end].startswith("The militants burned")


def test_indirect_speech_with_that_clause(nlp: Language) -> None:
    text = (
        "Kunar provincial council member Rahim Jan Safi said that gunmen had attacked "
        "a checkpoint in Asadabad overnight."
    )
    result = run(nlp, text)
    quotes = by_speaker(result.quotes, "Rahim Jan Safi")
    assert quotes and not quotes[0].direct
    assert quotes[0].speaker.organisation == "Kunar provincial council"
    assert quotes[0].text.startswith("gunmen had attacked")
    attacked = [e for e in result.events if e.trigger == "attacked"]
    assert attacked and attacked[0].event_id in quotes[0].event_ids
    assert [a.source for a in attacked[0].attribution] == ["Rahim Jan Safi"]


def test_organisation_speaks_after_the_statement(nlp: Language) -> None:
    text = (
        "Rebels shelled a market in the town of Kidal on Friday, the Malian Ministry of Defence "
        "said."
    )
    result = run(nlp, text)
    speakers = {q.speaker.name: q for q in result.quotes}
    assert "Malian Ministry of Defence" in speakers, result.quotes
    assert speakers["Malian Ministry of Defence"].speaker.country == "MLI"


def test_according_to_gives_the_source(nlp: Language) -> None:
    text = "Three soldiers were killed in an ambush near Gao, according to local officials."
    result = run(nlp, text)
    assert result.quotes, "no quote found"
    quote = result.quotes[0]
    assert quote.verb == "according to" and not quote.direct
    assert quote.text.startswith("Three soldiers were killed")
    assert any(a.verb == "according to" for e in result.events for a in e.attribution)


def test_pronoun_speaker_is_the_person_named_before(nlp: Language) -> None:
    text = (
        "Police spokesman Kamal Hossain described the clashes in Dhaka on Sunday. "
        '"Both groups threw stones at each other for an hour," he told reporters.'
    )
    result = run(nlp, text)
    assert by_speaker(result.quotes, "Kamal Hossain"), result.quotes


def test_claim_of_responsibility_is_the_event_attribution(nlp: Language) -> None:
    text = (
        "A roadside bomb killed four soldiers near Mandera on Tuesday. "
        "Al-Shabaab claimed responsibility for the attack."
    )
    result = run(nlp, text)
    claims = [a for e in result.events for a in e.attribution if a.kind == "claimed"]
    assert claims and claims[0].source == "Al-Shabaab"


def test_speaker_after_the_last_comma_not_the_victims(nlp: Language) -> None:
    text = (
        "A bomber drove a truck into a market in the Somali town of Baidoa on Monday, "
        "killing at least six people, police and witnesses said."
    )
    quotes = run(nlp, text).quotes
    assert quotes and quotes[0].speaker.name == "Police Forces of Somalia", quotes


def test_hearers_and_negated_verbs_are_not_speakers(nlp: Language) -> None:
    text = (
        "Shopkeepers in Kunduz were told to close their stores by noon. "
        "Police did not say how many people had been detained in the raid."
    )
    assert run(nlp, text).quotes == []


def test_claiming_the_attack_is_a_claim_not_a_quote(nlp: Language) -> None:
    text = (
        "Gunmen attacked an army post near Djibo on Sunday, killing nine soldiers. "
        "JNIM claimed the attack in a statement on Monday."
    )
    result = run(nlp, text)
    assert not [q for q in result.quotes if q.verb == "claimed"]
    claims = [a for e in result.events for a in e.attribution if a.kind == "claimed"]
    assert [a.source for a in claims] == ["JNIM"]


def test_name_apposed_to_a_role_noun_is_the_speaker(nlp: Language) -> None:
    text = (
        "Gunmen attacked a checkpoint in Kunduz on Monday. "
        '"They came from the river," a district police chief, Mohammad Naeem Safi, told AFP. '
        "He said two policemen were wounded."
    )
    quotes = run(nlp, text).quotes
    named = by_speaker(quotes, "Mohammad Naeem Safi")
    assert len(named) == 2, quotes
    assert {q.speaker.role for q in named} == {"district police chief"}


def test_an_officials_country_is_where_the_report_happens_not_a_neighbour_named(
    nlp: Language,
) -> None:
    text = (
        "A roadside bomb killed three police officers near Elwak in Mandera county on Monday, "
        "close to the border with Somalia. Al-Shabaab fighters from Somalia were blamed for "
        "the attack, county police commander Peter Mwangi said."
    )
    quotes = by_speaker(run(nlp, text).quotes, "Peter Mwangi")
    assert quotes, run(nlp, text).quotes
    assert quotes[0].speaker.country == "KEN"


def test_a_title_naming_its_country_keeps_it(nlp: Language) -> None:
    text = (
        "Gunmen attacked a police post in Mandera county on Monday, killing two officers, "
        "Somali army commander Ali Warsame said."
    )
    quotes = by_speaker(run(nlp, text).quotes, "Ali Warsame")
    assert quotes and quotes[0].speaker.country == "SOM"


def test_a_state_body_named_without_its_country(nlp: Language) -> None:
    text = (
        "An air strike destroyed a weapons depot near Deir ez-Zor on Tuesday, the Pentagon "
        "confirmed. A Kremlin spokesman said that Russian aircraft had not flown there."
    )
    quotes = run(nlp, text).quotes
    pentagon = by_speaker(quotes, "Pentagon")
    assert pentagon and pentagon[0].speaker.country == "USA", quotes
    assert any(q.speaker.country == "RUS" for q in quotes if q.speaker.name != "Pentagon"), quotes
