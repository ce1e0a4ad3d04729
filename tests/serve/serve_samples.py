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


# The tables of quotes, merging and territorial control (issue 6) in the shape that work gives
# them (only the columns the API reads, and those that may not be NULL).
ISSUE_6_SQL = """
CREATE TABLE quotes (
    quote_id VARCHAR PRIMARY KEY, report_id VARCHAR NOT NULL, published DATE,
    speaker_name VARCHAR NOT NULL, speaker_role VARCHAR, speaker_organisation VARCHAR,
    speaker_country VARCHAR, speaker_sector VARCHAR, speaker_text VARCHAR NOT NULL,
    text VARCHAR NOT NULL, direct BOOLEAN NOT NULL, verb VARCHAR NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, sentence VARCHAR NOT NULL,
    event_ids VARCHAR[] NOT NULL
);
INSERT INTO quotes VALUES
  ('q1', 'rgao', DATE '2024-03-05', 'Amadou Traore', 'Governor', NULL, 'MLI', 'GOV',
   'the governor', 'Four people were killed', TRUE, 'said', 0, 63,
   'Gunmen attacked a market in Gao on Monday, killing four people.', ['e01']),
  ('q2', 'rgao', DATE '2024-03-05', 'Niger police', NULL, 'Police', 'NER', 'GOV', 'police',
   'two men were held', FALSE, 'said', 64, 98, 'Police arrested two men in Niamey.',
   ['e02', 'e07']);
CREATE TABLE merged_events (
    merged_id VARCHAR PRIMARY KEY, plover_type VARCHAR NOT NULL, mode VARCHAR NOT NULL,
    acled_event_type VARCHAR, acled_sub_event_type VARCHAR, actor1_name VARCHAR,
    actor1_country VARCHAR, actor1_sector VARCHAR, actor2_name VARCHAR, actor2_country VARCHAR,
    actor2_sector VARCHAR, location_name VARCHAR, geonameid BIGINT, lat DOUBLE, lon DOUBLE,
    admin1 VARCHAR, admin2 VARCHAR, country_code VARCHAR, geo_precision INTEGER,
    date_value DATE, date_precision VARCHAR, fatalities INTEGER, injured INTEGER,
    arrested INTEGER, reports INTEGER NOT NULL, sources INTEGER NOT NULL,
    event_ids VARCHAR[] NOT NULL, report_ids VARCHAR[] NOT NULL, agencies VARCHAR[] NOT NULL
);
INSERT INTO merged_events VALUES
  ('m1', 'ASSAULT', 'asserted', 'Violence against civilians', 'Attack',
   'Unidentified Armed Group (Mali)', 'MLI', 'REB', NULL, NULL, NULL, 'Gao', 2457163, 16.27,
   -0.04, 'Gao', NULL, 'MLI', 1, DATE '2024-03-04', 'day', 4, NULL, NULL, 2, 2,
   ['e01', 'e05'], ['rgao', 'rother'], ['AFP', 'Reuters']),
  ('m2', 'COERCE', 'asserted', NULL, NULL, 'Police Forces of Niger', 'NER', 'GOV', NULL, NULL,
   NULL, 'Niamey', 2440485, 13.51, 2.11, 'Niamey', NULL, 'NER', 1, DATE '2024-03-05', 'day',
   NULL, NULL, 2, 1, 1, ['e02'], ['rgao'], ['AFP']);
CREATE TABLE merged_members (event_id VARCHAR PRIMARY KEY, merged_id VARCHAR NOT NULL,
                             report_id VARCHAR NOT NULL);
INSERT INTO merged_members VALUES ('e01', 'm1', 'rgao'), ('e05', 'm1', 'rgao'),
                                  ('e02', 'm2', 'rgao');
CREATE TABLE control_changes (
    event_id VARCHAR PRIMARY KEY, report_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    place_name VARCHAR NOT NULL, geonameid BIGINT, country_code VARCHAR, date_value DATE,
    holder_name VARCHAR
);
INSERT INTO control_changes VALUES
  ('e01', 'rgao', 'taken', 'Gao', 2457163, 'MLI', DATE '2024-03-04', 'Armed group'),
  ('e08', 'rgao', 'retaken', 'Gao', 2457163, 'MLI', DATE '2024-03-20', 'Government of Mali'),
  ('e03', 'rgao', 'taken', 'Suva', 2198148, 'FJI', DATE '2024-03-06', 'Government of Fiji');
"""


def add_issue_6_tables(path: Path) -> None:
    """Quotes, merged events and changes of control, as issue 6's stages store them."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(ISSUE_6_SQL)
    con.close()
