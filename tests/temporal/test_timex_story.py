"""The third pass at issue 4: clock times read with the day next to them, past or future in
plain text, and a few more expressions (spoken years, parts of a day, "decades-long").

The sentences were written for these tests. The document date is Thursday 8 July 2021.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.temporal import tag

DCT = date(2021, 7, 8)  # a Thursday


def values(text: str, dct: date | None = DCT) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag(text, dct)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The blast came at 9:20 a.m. (0620 GMT) Monday, police said.", "2021-07-05T09:20"),
        ("Convoys left on Tuesday, and the last one crossed at 14:00 UTC.", "2021-07-06T14:00Z"),
        ("The ferry sank yesterday at 6 p.m. near the port.", "2021-07-07T18:00"),
    ],
)
def test_a_clock_time_takes_the_day_named_next_to_it(text: str, expected: str) -> None:
    times = [value for _, value in values(text) if "T" in value]
    assert times == [expected]


def test_a_clock_time_with_its_date_is_one_expression() -> None:
    assert values("Bids for the port close at 5 p.m. EDT, July 15.") == [
        ("5 p.m. EDT, July 15", "2021-07-15T17:00")
    ]


def test_a_past_perfect_keeps_a_weekday_after_until_in_the_past() -> None:
    assert values("Until Sunday, the army had not confirmed the losses.") == [
        ("Sunday", "2021-07-04")
    ]
    assert values("Until Sunday, the curfew will hold.") == [("Sunday", "2021-07-11")]


def test_an_abbreviation_does_not_end_the_clause() -> None:
    # "Inc." is no sentence end: "will" after the weekday does not make it future.
    text = "Tarn Mining Inc. announced Monday that it will close the mine."
    assert values(text) == [("Monday", "2021-07-05")]


def test_next_to_is_no_future_cue() -> None:
    assert values("A shell hit a school next to the market Monday.") == [("Monday", "2021-07-05")]


def test_planning_to_puts_a_weekday_ahead() -> None:
    assert values("Farmers are planning to block the road on Saturday.") == [
        ("Saturday", "2021-07-10")
    ]


def test_a_march_is_no_month() -> None:
    assert values("Thousands joined the annual March for Peace downtown.") == []
    assert values("The minister resigned in March for health reasons.") == [("March", "2021-03")]


def test_each_month_is_a_set() -> None:
    assert values("Herders move south each October.") == [("each October", "XXXX-10")]


def test_a_year_read_aloud_after_a_month_or_a_season() -> None:
    text = (
        "Prices last fell this low in the summer of two thousand and nine, "
        "and in January nineteen ninety-nine."
    )
    assert values(text) == [
        ("the summer of two thousand and nine", "2009-SU"),
        ("January nineteen ninety-nine", "1999-01"),
    ]


def test_part_of_a_day() -> None:
    assert values("Shares were flat at mid-afternoon yesterday.") == [
        ("mid-afternoon yesterday", "2021-07-07TAF")
    ]
    assert values("By mid afternoon the rain had stopped.") == [("mid afternoon", "2021-07-08TAF")]


def test_near_future_and_decades_long() -> None:
    assert values("Talks may resume in the near future.") == [("the near future", "FUTURE_REF")]
    assert values("The decades-long feud ended.") == [("decades-long", "PXY")]


def test_the_day_before_a_weekday_is_part_of_it() -> None:
    assert values("During the day Friday, rescuers searched the rubble.") == [
        ("Friday", "2021-07-02")
    ]


def test_years_ago_is_counted_in_years_after_a_month() -> None:
    text = "In June the party marked its founding 41 years ago."
    assert values(text) == [("June", "2021-06"), ("41 years ago", "1980")]


def test_a_month_half_a_year_ahead_is_past_unless_a_deadline() -> None:
    dct = date(2021, 5, 6)
    assert values("Gunmen attacked the clinic in November.", dct) == [("November", "2020-11")]
    assert values("The road must reopen by November.", dct) == [("November", "2021-11")]


def test_the_past_year_is_last_year_and_the_past_three_years_a_duration() -> None:
    assert values("Attacks doubled over the past year.") == [("the past year", "2020")]
    assert values("Attacks doubled over the past three years.") == [("the past three years", "P3Y")]


def test_most_recently_is_no_reference() -> None:
    assert values("Three dams failed, most recently in 1998.") == [("1998", "1998")]
