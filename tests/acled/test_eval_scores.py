"""The figures of `sitrep eval acled`, on comparisons built by hand."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.evaluate import AcledComparison, gold_day, gold_inter, score_acled, weighted_f1
from sitrep.models import Event, EventDate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2020-05-09", date(2020, 5, 9)),
        ("09 May 2020", date(2020, 5, 9)),
        ("09-05-2020", date(2020, 5, 9)),
        ("", None),
        ("soon", None),
    ],
)
def test_gold_dates_in_every_export_style(text: str, value: date | None) -> None:
    assert gold_day(text) == value


@pytest.mark.parametrize(
    ("text", "code"), [("2", 2), ("2.0", 2), ("0.0", 0), ("Rebel Groups", 2), ("", None)]
)
def test_gold_inter_codes(text: str, code: int | None) -> None:
    assert gold_inter(text) == code


def test_weighted_f1_weights_by_gold_support() -> None:
    assert weighted_f1([("a", "a"), ("a", "a"), ("b", "b")]) == 1.0
    assert weighted_f1([("a", "b"), ("b", "a")]) == 0.0


def coded(kind: str, day: date | None, precision: str = "day") -> Event:
    event = Event(
        event_id="e",
        report_id="r",
        plover_type="ASSAULT",
        mode="asserted",
        trigger="attacked",
        trigger_start=0,
        trigger_end=8,
        acled_event_type=kind,
        acled_sub_event_type="Attack",
    )
    event.date = EventDate(day, precision) if day else None
    return event


def test_rows_without_an_event_count_as_wrong() -> None:
    day = date(2020, 5, 1)
    rows = [
        AcledComparison(
            "1",
            "Violence against civilians",
            "Attack",
            3,
            7,
            0,
            coded("Violence against civilians", day),
            3,
            7,
            day,
            1,
        ),
        AcledComparison(
            "2", "Battles", "Armed clash", 1, 2, 4, None, gold_date=day, gold_time_precision=1
        ),
    ]
    scores = score_acled(rows)
    assert scores.event_type_accuracy == 50.0
    assert scores.inter1_accuracy == 50.0
    assert scores.fatalities_exact == 50.0
    assert scores.date_exact == 50.0
    assert scores.time_precision_agreement == 50.0


def test_location_agreement_with_the_coded_point() -> None:
    from sitrep.evaluate import gold_coordinates, near_gold_point, same_admin1
    from sitrep.models import Location

    event = coded("Battles", date(2020, 5, 1))
    event.location = Location(name="Qala-i-Naw", lat=34.99, lon=63.13, admin1="Bādghīs")
    row = AcledComparison("1", "Battles", "Armed clash", 2, 1, 0, event,
                          gold_admin1="Badghis", gold_point=gold_coordinates("34.95", "63.10"))
    assert same_admin1(row) and near_gold_point(row)
    far = AcledComparison("2", "Battles", "Armed clash", 2, 1, 0, event, gold_admin1="Herat",
                          gold_point=gold_coordinates("34.35", "62.20"))
    assert not same_admin1(far) and not near_gold_point(far)
    assert gold_coordinates("", "63.1") is None
