"""A small database written by hand for the API tests (no spaCy model), and the demo database.

A module of its own, not conftest.py: test files import it by name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.models import Actor, Event, EventDate, Evidence, Location, Report, ReportResult
from sitrep.store import Store

DEMO = Path(__file__).parents[2] / "sitrep" / "data" / "demo"

# Our own text; offsets below point into it.
TEXT = (
    "Gunmen attacked a market in Gao on Monday, killing four people. "
    "Police arrested two men in Niamey. "
    "Fighters shelled a village near Suva."
)
SENTENCES = (
    "Gunmen attacked a market in Gao on Monday, killing four people.",
    "Police arrested two men in Niamey.",
    "Fighters shelled a village near Suva.",
)


def _event(
    n: int,
    plover: str,
    trigger: str,
    sentence: int,
    *,
    place: Location | None,
    day: date | None,
    actor1: Actor | None = None,
    fatalities: int | None = None,
    mode: str = "asserted",
    acled: str | None = None,
    report_id: str = "rgao",
) -> Event:
    text = SENTENCES[sentence]
    start = TEXT.index(text)
    trigger_start = TEXT.index(trigger, start)
    return Event(
        event_id=f"e{n:02d}", report_id=report_id, plover_type=plover, mode=mode, trigger=trigger,
        trigger_start=trigger_start, trigger_end=trigger_start + len(trigger),
        acled_event_type=acled, actor1=actor1, location=place,
        date=None if day is None else EventDate(day, "day"), fatalities=fatalities,
        confidence=0.8,
        evidence=[Evidence("trigger", text, trigger_start, trigger_start + len(trigger))],
    )  # fmt: skip


GAO = Location("Gao", 2457163, 16.27, -0.04, "Gao", None, "MLI", 1)
NIAMEY = Location("Niamey", 2440485, 13.51, 2.11, "Niamey", None, "NER", 1)
SUVA = Location("Suva", 2198148, -18.14, 178.44, "Central", None, "FJI", 1)  # east of 180°W
TAVEUNI = Location("Taveuni", 2194997, -16.85, -179.97, "Northern", None, "FJI", 1)

GUNMEN = Actor("Gunmen", "Unidentified Armed Group (Mali)", "MLI", "REB", 0, 6)
POLICE = Actor("Police", "Police Forces of Niger", "NER", "GOV", 64, 70)


def sample_results() -> list[ReportResult]:
    """Seven events of one report: three places, two without a point or a date."""
    events = [
        _event(1, "ASSAULT", "attacked", 0, place=GAO, day=date(2024, 3, 4), actor1=GUNMEN,
               fatalities=4, acled="Violence against civilians"),
        _event(2, "COERCE", "arrested", 1, place=NIAMEY, day=date(2024, 3, 5), actor1=POLICE,
               acled="Strategic developments"),
        _event(3, "ASSAULT", "shelled", 2, place=SUVA, day=date(2024, 3, 6), fatalities=1),
        _event(4, "ASSAULT", "shelled", 2, place=TAVEUNI, day=date(2024, 4, 1)),
        _event(5, "PROTEST", "attacked", 0, place=GAO, day=date(2024, 3, 4), mode="negated"),
        _event(6, "ASSAULT", "attacked", 0, place=None, day=date(2024, 3, 10)),
        _event(7, "COERCE", "arrested", 1, place=NIAMEY, day=None, actor1=POLICE),
    ]  # fmt: skip
    report = Report(
        report_id="rgao", text=TEXT, title="Attack in Gao", published=date(2024, 3, 5),
        agencies=("AFP",), dateline="BAMAKO", url="https://example.org/gao",
        source_path="in/gao.txt",
    )  # fmt: skip
    return [ReportResult(report, events, language="en")]


def write_sample_db(path: Path) -> Path:
    with Store(path) as store:
        run_id = store.start_run(["in/"], {})
        store.add_results(sample_results(), run_id)
    return path


QUOTES_SQL = """
CREATE TABLE quotes (
    quote_id VARCHAR PRIMARY KEY, report_id VARCHAR,
    speaker STRUCT(name VARCHAR, role VARCHAR, organisation VARCHAR, country VARCHAR),
    text VARCHAR, direct BOOLEAN, event_ids VARCHAR[],
    evidence STRUCT(sentence VARCHAR, start INTEGER, "end" INTEGER)
);
INSERT INTO quotes VALUES
  ('q1', 'rgao', {'name': 'Amadou Traore', 'role': 'Governor', 'organisation': NULL,
   'country': 'MLI'}, 'Four people were killed', TRUE, ['e01'],
   {'sentence': 'Gunmen attacked a market in Gao on Monday, killing four people.',
    'start': 0, 'end': 63}),
  ('q2', 'rgao', {'name': 'Niger police', 'role': NULL, 'organisation': 'Police',
   'country': 'NER'}, 'two men were held', FALSE, ['e02', 'e07'],
   {'sentence': 'Police arrested two men in Niamey.', 'start': 64, 'end': 98});
CREATE TABLE control (place VARCHAR, country_code VARCHAR, holder VARCHAR, since DATE);
INSERT INTO control VALUES ('Gao', 'MLI', 'Government of Mali', DATE '2024-03-04'),
                           ('Suva', 'FJI', 'Government of Fiji', DATE '2024-03-06');
"""


def add_quotes_and_control(path: Path) -> None:
    """The tables quote extraction and territorial control will add, in their expected shape."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(QUOTES_SQL)
    con.close()
