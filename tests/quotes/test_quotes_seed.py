"""The seed report's quotes (issue 6, "Done when"); read from ../shared at test time and
skipped without it. No sentence of the report is copied here."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sitrep.models import Quote, ReportResult
from sitrep.pipeline import analyse

pytestmark = [pytest.mark.model, pytest.mark.shared]

SEED = Path(__file__).parents[2] / ".." / "shared" / "examples" / "afp_2021-07-08_qala-i-naw.txt"


@pytest.fixture(scope="module")
def seed(nlp: Language) -> ReportResult:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available")
    return analyse(SEED.read_text(encoding="utf-8"), language=nlp)


def of(result: ReportResult, name: str) -> list[Quote]:
    return [q for q in result.quotes if q.speaker.name == name]


def test_minister_of_defense_is_quoted_at_least_twice(seed: ReportResult) -> None:
    quotes = of(seed, "Bismillah Mohammadi")
    assert len(quotes) >= 2 and all(q.direct for q in quotes)
    assert {q.speaker.role for q in quotes} == {"Minister of Defense"}
    assert {q.speaker.country for q in quotes} == {"AFG"}


def test_governor_and_council_member(seed: ReportResult) -> None:
    shams = of(seed, "Hessamuddin Shams")
    assert shams and shams[0].direct and "governor" in (shams[0].speaker.role or "").lower()
    habibi = of(seed, "Zia Gul Habibi")
    assert habibi and any(q.direct for q in habibi)
    assert all("provincial council member" in (q.speaker.role or "") for q in habibi)


def test_iranian_foreign_minister(seed: ReportResult) -> None:
    zarif = of(seed, "Mohammad Javad Zarif")
    assert zarif and zarif[0].direct
    assert zarif[0].speaker.role == "Minister of Foreign Affairs"
    assert zarif[0].speaker.country == "IRN"


def test_indirect_statements_of_council_head_and_pentagon(seed: ReportResult) -> None:
    bek = of(seed, "Abdul Aziz Bek")
    assert bek and not bek[0].direct and "surrendered" in bek[0].text
    pentagon = of(seed, "Pentagon")
    assert pentagon and not pentagon[0].direct
    assert pentagon[0].speaker.organisation == "Pentagon"


def test_ministry_speaks_as_an_organisation(seed: ReportResult) -> None:
    ministry = [q for q in seed.quotes if "Ministry of Foreign Affairs" in q.speaker.name]
    assert ministry and ministry[0].speaker.country == "IRN"


def test_every_quote_points_into_the_report(seed: ReportResult) -> None:
    text = seed.report.text
    for quote in seed.quotes:
        assert text[quote.start : quote.end].strip().rstrip(",") == quote.text
        assert quote.event_ids, f"quote linked to no event: {quote.text!r}"
