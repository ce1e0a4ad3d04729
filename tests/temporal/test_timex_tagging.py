"""Each kind of temporal expression, normalised against a fixed document date.

The sentences were written for these tests. The document date is Thursday 8 July 2021.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.temporal import Timex, tag

DCT = date(2021, 7, 8)  # a Thursday


def only(text: str, dct: date | None = DCT) -> Timex:
    found = tag(text, dct)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "expression", "kind", "value"),
    [
        # absolute dates
        (
            "The convoy was ambushed on 3 March 2020 near the border.",
            "3 March 2020",
            "DATE",
            "2020-03-03",
        ),
        (
            "Shelling resumed on June 30, 2021, officials said.",
            "June 30, 2021",
            "DATE",
            "2021-06-30",
        ),
        ("Shelling resumed on June 30, officials said.", "June 30", "DATE", "2021-06-30"),
        ("Voting ended on the 5th, the commission said.", "the 5th", "DATE", "2021-07-05"),
        ("The ceasefire was signed on 2019-11-21 in Doha.", "2019-11-21", "DATE", "2019-11-21"),
        ("Fighting intensified in mid-May across the valley.", "mid-May", "DATE", "2021-05"),
        ("The talks collapsed in early 2020.", "early 2020", "DATE", "2020"),
        ("The group was founded in 1994.", "1994", "DATE", "1994"),
        ("The region was calm in the 1980s.", "the 1980s", "DATE", "198"),
        ("Profits fell in the second quarter.", "the second quarter", "DATE", "2021-Q2"),
        ("Talks resume the week of July 19.", "the week of July 19", "DATE", "2021-W29"),
        ("The dam was breached in June last year.", "June last year", "DATE", "2020-06"),
        # relative dates
        ("Rebels shelled the market yesterday.", "yesterday", "DATE", "2021-07-07"),
        ("Rebels shelled the market today.", "today", "DATE", "2021-07-08"),
        ("Two villages were burned last week.", "last week", "DATE", "2021-W26"),
        ("Prices have risen this month.", "this month", "DATE", "2021-07"),
        ("Troops arrived two days ago.", "two days ago", "DATE", "2021-07-06"),
        ("Aid stocks ran out earlier this year.", "earlier this year", "DATE", "2021"),
        ("The mayor resigned late on Sunday.", "late on Sunday", "DATE", "2021-07-04"),
        ("Elections are due next month.", "next month", "DATE", "2021-08"),
        ("The army withdrew last year.", "last year", "DATE", "2020"),
        # times of day
        ("Gunmen struck during the night.", "during the night", "TIME", "2021-07-07TNI"),
        ("Gunmen struck overnight.", "overnight", "TIME", "2021-07-07TNI"),
        (
            "The blast was heard at 6:45 a.m. in the capital.",
            "6:45 a.m.",
            "TIME",
            "2021-07-08T06:45",
        ),
        ("Police raided the camp on Tuesday night.", "Tuesday night", "TIME", "2021-07-06TNI"),
        (
            "Sirens sounded at 14:30 UTC on Monday.",
            "14:30 UTC on Monday",
            "TIME",
            "2021-07-05T14:30Z",
        ),
        ("Rockets hit the base over the weekend.", "over the weekend", "DATE", "2021-W26-WE"),
        # durations and sets
        ("The region was at war for the past decade.", "the past decade", "DURATION", "P10Y"),
        ("The siege lasted three weeks.", "three weeks", "DURATION", "P3W"),
        ("Talks went on for 48 hours.", "48 hours", "DURATION", "PT48H"),
        ("Patrols pass every week.", "every week", "SET", "P1W"),
        ("The bulletin is published daily.", "daily", "SET", "P1D"),
        # references without a date
        ("The town is now under rebel control.", "now", "DATE", "PRESENT_REF"),
        ("Clashes have recently spread south.", "recently", "DATE", "PAST_REF"),
    ],
)
def test_expression_is_normalised(sentence: str, expression: str, kind: str, value: str) -> None:
    timex = only(sentence)
    assert (timex.text, timex.type, timex.value) == (expression, kind, value)
    assert sentence[timex.start : timex.end] == expression


def test_years_read_aloud() -> None:
    found = tag("It began in nineteen ninety-six and ended in the year two thousand.", DCT)
    assert [t.value for t in found] == ["1996", "2000"]
    assert tag("Some two thousand troops crossed the river.", DCT) == []


def test_the_previous_day_counts_from_the_last_day_named() -> None:
    found = tag("Rebels took the bridge on 2 July. The previous day they had shelled it.", DCT)
    assert [t.value for t in found] == ["2021-07-02", "2021-07-01"]


def test_approximate_day_is_marked() -> None:
    timex = only("Around 14 June 2021 (as reported), militia fighters looted a village.")
    assert (timex.value, timex.mod) == ("2021-06-14", "APPROX")


def test_weekday_in_a_past_clause_is_the_last_one() -> None:
    assert only("The delegation arrived on Monday.").value == "2021-07-05"


def test_weekday_in_a_future_clause_is_the_next_one() -> None:
    assert only("The delegation will arrive on Monday.").value == "2021-07-12"
    assert only("The delegation is due to arrive on Monday.").value == "2021-07-12"


def test_weekday_of_the_document_date_is_that_day() -> None:
    assert only("Protesters gathered on Thursday.").value == "2021-07-08"


def test_we_and_may_are_not_dates() -> None:
    assert tag("We may see more fighting, he said, as prices fall.", DCT) == []


def test_counts_ages_and_fractions_are_not_dates() -> None:
    assert tag("The fire destroyed 2000 homes and killed a 9-year-old boy.", DCT) == []
    assert tag("A quarter of the voters stayed home.", DCT) == []


def test_a_year_earlier_keeps_the_granularity_of_the_period_named() -> None:
    found = tag("Output fell in the second quarter from a year earlier.", DCT)
    assert [t.value for t in found] == ["2021-Q2", "2020-Q2"]


def test_without_a_document_date_relative_days_stay_unresolved() -> None:
    assert only("Rebels shelled the market yesterday.", None).value == "XXXX-XX-XX"
    assert only("The group was founded in 1994.", None).value == "1994"
