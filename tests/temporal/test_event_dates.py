"""The date of each event: the expression that governs it, else the publication week.

The reports were written for these tests; the seed report is read from ../shared at test time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from sitrep.models import Event
from sitrep.pipeline import analyse
from sitrep.temporal import acled_time_precision, tag

pytestmark = pytest.mark.model

SEED = Path(__file__).parents[2] / ".." / "shared" / "examples" / "afp_2021-07-08_qala-i-naw.txt"


def report(body: str, published: str | None = "2022-03-10") -> str:
    head = f"date {published} Test report" if published else "Test report"
    return f"{head}\n\nAFP, NIAMEY\n\n{body}\n"


def events_of(text: str, nlp: Language) -> list[Event]:
    return analyse(text, language=nlp).events


def dated(event: Event) -> tuple[str, str] | None:
    return (event.date.value.isoformat(), event.date.precision) if event.date else None


def date_evidence(event: Event, text: str) -> str:
    (evidence,) = [e for e in event.evidence if e.field == "date"]
    return text[evidence.start : evidence.end]


def test_the_parse_decides_the_tense_of_a_bare_weekday(nlp: Language) -> None:
    text = "Rebels who will face trial attacked the town on Monday."
    dct = date(2022, 3, 10)  # a Thursday
    assert [t.value for t in tag(text, dct)] == ["2022-03-14"]  # "will" among the words before
    assert [t.value for t in tag(text, dct, nlp(text))] == ["2022-03-07"]  # "attacked" governs


def test_the_clause_date_dates_the_event(nlp: Language) -> None:
    text = report("Gunmen attacked a police post in Tillaberi on Tuesday, officials said.")
    (event,) = events_of(text, nlp)
    assert dated(event) == ("2022-03-08", "day")
    result = analyse(text, language=nlp)
    assert date_evidence(event, result.report.text) == "Tuesday"


def test_a_date_in_the_paragraph_dates_the_event(nlp: Language) -> None:
    text = report(
        "The fighting began on 2 March in the north. Jihadists attacked an army camp in "
        "Tillaberi, the ministry said."
    )
    events = events_of(text, nlp)
    assert events and all(dated(e) == ("2022-03-02", "day") for e in events)


def test_without_a_date_in_the_text_the_publication_week(nlp: Language) -> None:
    (event,) = events_of(report("Jihadists attacked an army camp in Tillaberi."), nlp)
    assert dated(event) == ("2022-03-10", "week")
    assert acled_time_precision(event.date.precision) == 2


def test_as_reported_day_is_good_to_the_week(nlp: Language) -> None:
    text = report("Around 28 July 2021 (as reported), militiamen attacked a village in Ituri.")
    (event,) = events_of(text, nlp)
    assert dated(event) == ("2021-07-28", "week")
    assert acled_time_precision(event.date.precision) == 2


def test_no_publication_date_and_no_date_in_the_text_gives_none(nlp: Language) -> None:
    (event,) = events_of("Jihadists attacked an army camp in Tillaberi.", nlp)
    assert event.date is None


def test_a_quoted_date_does_not_date_the_report_of_it(nlp: Language) -> None:
    text = report(
        'Soldiers attacked a rebel base in Tillaberi, the army said, adding that "tomorrow '
        'the operation continues".'
    )
    events = [e for e in events_of(text, nlp) if e.plover_type == "ASSAULT"]
    assert events and dated(events[0]) == ("2022-03-10", "week")


@pytest.mark.shared
def test_seed_report_dates(nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available")
    events = events_of(SEED.read_text(encoding="utf-8"), nlp)

    def at(place: str, plover: str) -> Event:
        return next(
            e for e in events if e.plover_type == plover and e.location and place in e.location.name
        )

    assert dated(at("Qala-i-Naw", "ASSAULT")) == ("2021-07-07", "day")
    assert dated(at("Kandahar", "ASSAULT")) == ("2021-07-06", "day")
    assert dated(at("Bagram", "RETREAT")) == ("2021-06-28", "week")
