"""A small database written by hand for the API tests (no spaCy model), and the demo database.

A module of its own, not conftest.py: test files import it by name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep import merge
from sitrep.models import (
    Actor,
    Attribution,
    ControlChange,
    Event,
    EventDate,
    Evidence,
    Location,
    Quote,
    Report,
    ReportResult,
    Speaker,
)
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


GOVERNMENT = Actor("the army", "Military Forces of Mali", "MLI", "MIL")


def _quote(qid: str, sentence: int, speaker: Speaker, said: str, direct: bool,
           event_ids: list[str]) -> Quote:  # fmt: skip
    text = SENTENCES[sentence]
    start = TEXT.index(text)
    return Quote(qid, "rgao", speaker, said, direct, "said", start, start + len(text), text,
                 event_ids)  # fmt: skip


def _change(event: Event, kind: str, place: Location, holder: Actor | None,
            lost_by: Actor | None = None, *, borrowed: bool = False) -> ControlChange:  # fmt: skip
    sentence = event.evidence[0].sentence
    return ControlChange(event.event_id, event.report_id, kind, place, event.date, holder, lost_by,
                         event.trigger, Evidence("control", sentence, event.trigger_start,
                                                 event.trigger_end), borrowed)  # fmt: skip


TRAORE = Speaker("Amadou Traore", "Governor", None, "MLI", "GOV", "the governor")
NIGER_POLICE = Speaker("Niger police", None, "Police", "NER", "GOV", "police")


def sample_results() -> list[ReportResult]:
    """Seven events of one report: three places, two without a point or a date; two quotes,
    the attributions they make, a claim, and four changes of control (two of Gao)."""
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
    quotes = [
        _quote("q1", 0, TRAORE, "Four people were killed", True, ["e01"]),
        _quote("q2", 1, NIGER_POLICE, "two men were held", False, ["e02", "e07"]),
    ]
    by_id = {e.event_id: e for e in events}
    first = quotes[0]
    by_id["e01"].attribution = [Attribution(
        "Amadou Traore", "reported", "said", "GOV", "MLI", "q1",
        Evidence("attribution", first.sentence, first.start, first.start + 12))]  # fmt: skip
    by_id["e03"].attribution = [Attribution("Fighters", "claimed", "claimed", "REB", "FJI")]
    control = [
        _change(by_id["e01"], "taken", GAO, GUNMEN, GOVERNMENT),
        _change(by_id["e03"], "taken", SUVA, None),
        _change(by_id["e06"], "regained", GAO, GOVERNMENT, GUNMEN, borrowed=True),
        _change(by_id["e04"], "regained", TAVEUNI, None),
    ]
    report = Report(
        report_id="rgao", text=TEXT, title="Attack in Gao", published=date(2024, 3, 5),
        agencies=("AFP",), dateline="BAMAKO", url="https://example.org/gao",
        source_path="in/gao.txt",
    )  # fmt: skip
    return [ReportResult(report, events, language="en", quotes=quotes, control=control)]


# A second report of the attack in Gao, from another agency: merging joins it to e01.
OTHER_TEXT = "Armed men attacked the market of Gao on Monday and killed five people."


def other_results() -> list[ReportResult]:
    start = OTHER_TEXT.index("attacked")
    event = Event(
        event_id="r01", report_id="rother", plover_type="ASSAULT", mode="asserted",
        trigger="attacked", trigger_start=start, trigger_end=start + 8,
        acled_event_type="Violence against civilians", actor1=GUNMEN, location=GAO,
        date=EventDate(date(2024, 3, 4), "day"), fatalities=5, confidence=0.8,
        evidence=[Evidence("trigger", OTHER_TEXT, start, start + 8)],
    )  # fmt: skip
    report = Report(report_id="rother", text=OTHER_TEXT, title="Market attacked",
                    published=date(2024, 3, 6), agencies=("Reuters",))  # fmt: skip
    return [ReportResult(report, [event], language="en")]


def write_sample_db(path: Path, *, second_report: bool = False) -> Path:
    """The sample written as a run writes it: the batch through the store, then merging."""
    results = sample_results() + (other_results() if second_report else [])
    with Store(path) as store:
        run_id = store.start_run(["in/"], {})
        store.add_results(results, run_id)
        merge.update(store, [r.report.report_id for r in results])
    return path


def drop_issue_6_tables(path: Path) -> None:
    """The database as a sitrep from before quotes, merging and territorial control wrote it."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("DROP TABLE quotes; DROP TABLE merged_events; DROP TABLE merged_members; "
                "DROP TABLE control_changes")  # fmt: skip
    con.close()
