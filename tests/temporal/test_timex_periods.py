"""Financial periods, centuries, half units and the other rules of the second pass at issue 4.

The sentences were written for these tests. The document date is Thursday 8 July 2021, so the
last quarter completed is 2021-Q2.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.temporal import tag

DCT = date(2021, 7, 8)  # a Thursday


def values(text: str, dct: date | None = DCT) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, dct)]


def test_the_quarter_reported_on_is_the_first_one_named() -> None:
    text = (
        "Brickworks Ltd. said second-quarter profit doubled. After a weak first quarter, "
        "sales in the latest period rose, and the year-ago quarter had a loss."
    )
    assert values(text) == [
        ("second-quarter", "DATE", "2021-Q2"),
        ("first quarter", "DATE", "2021-Q1"),
        ("the latest period", "DATE", "2021-Q2"),
        ("the year-ago quarter", "DATE", "2020-Q2"),
    ]


def test_the_latest_quarter_without_one_named_is_the_last_completed() -> None:
    assert values("The mill lost money in the latest quarter.") == [
        ("the latest quarter", "DATE", "2021-Q2")
    ]


def test_year_earlier_and_year_ago_are_the_period_a_year_before() -> None:
    text = "Earnings in the first quarter beat year-earlier results and the 2020 period."
    assert values(text) == [
        ("the first quarter", "DATE", "2021-Q1"),
        ("year-earlier", "DATE", "2020-Q1"),
        ("the 2020 period", "DATE", "2020-Q1"),
    ]
    assert values("Margins were thinner than year-ago levels.") == [("year-ago", "DATE", "2020")]


def test_a_quarter_with_its_year_before_the_ordinal() -> None:
    assert values("Shipments fell in the 2019 fourth quarter.") == [
        ("the 2019 fourth quarter", "DATE", "2019-Q4")
    ]


def test_the_quarter_as_a_compound_is_no_date() -> None:
    assert values("The quarter-to-quarter change was small.") == []


@pytest.mark.parametrize(
    ("sentence", "expression"),
    [
        ("Sales for the year rose 4%.", "the year"),
        ("The group expects a loss for the fiscal year.", "the fiscal year"),
        ("Revenue for the full year was flat.", "the full year"),
        ("Costs in the current fiscal year will rise.", "the current fiscal year"),
    ],
)
def test_the_year_is_the_year_of_the_report(sentence: str, expression: str) -> None:
    assert values(sentence) == [(expression, "DATE", "2021")]


def test_the_year_before_or_of_something_is_no_reference_to_the_report() -> None:
    assert values("Turnout fell compared with the year before.") == []
    assert values("It was named the year of the river.") == []


def test_that_year_is_the_year_of_the_last_date_named() -> None:
    assert values("The mayor fled in May 2016 and came back later that year.") == [
        ("May 2016", "DATE", "2016-05"),
        ("later that year", "DATE", "2016"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The fort dates from the 19th century.", "the 19th century", "18"),
        ("Monks settled the valley in the 11th century.", "the 11th century", "10"),
    ],
)
def test_an_ordinal_century_is_written_as_its_first_two_digits(
    sentence: str, expression: str, value: str
) -> None:
    assert values(sentence) == [(expression, "DATE", value)]


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The camp stood empty for two and a half years.", "two and a half years", "P2Y6M"),
        ("The hearing lasted 5 1/2 hours.", "5 1/2 hours", "PT5H30M"),
        ("A minute and a half later the lights failed.", "A minute and a half", "PT1M30S"),
        ("The convoy waited 3 1/2 days at the border.", "3 1/2 days", "P3DT12H"),
    ],
)
def test_a_half_unit_is_written_in_the_next_smaller_unit(
    sentence: str, expression: str, value: str
) -> None:
    assert values(sentence) == [(expression, "DURATION", value)]


def test_an_age_is_no_duration() -> None:
    assert values("The driver, 42 years old, was unhurt.") == []


def test_noon_on_a_named_day() -> None:
    assert values("The deadline passed at noon Saturday.") == [
        ("noon Saturday", "TIME", "2021-07-03T12:00")
    ]
    assert values("Polls close at midnight tomorrow.") == [
        ("midnight tomorrow", "TIME", "2021-07-09T00:00")
    ]


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The bridge reopens on Sept. 1.", "Sept. 1", "2021-09-01"),
        ("The bridge was closed on Nov. 20.", "Nov. 20", "2020-11-20"),
        ("The bridge was closed on Dec. 30.", "Dec. 30", "2020-12-30"),
    ],
)
def test_a_day_without_year_is_at_most_four_months_ahead(
    sentence: str, expression: str, value: str
) -> None:
    assert values(sentence) == [(expression, "DATE", value)]


def test_generic_today_is_no_date() -> None:
    assert values("Skills matter in today's world.") == []
    assert values("Today's vote was delayed.") == [("Today", "DATE", "2021-07-08")]


def test_over_the_years_is_an_unspecified_duration() -> None:
    assert values("Over the years the town grew.") == [("the years", "DURATION", "PXY")]
    assert values("In the months before the vote, prices rose.") == []
    assert values("The years of drought ended.") == []


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The ferry sank on Thanksgiving Day.", "Thanksgiving Day", "2020-11-26"),
        ("The bridge opened last Christmas.", "last Christmas", "2020-12-25"),
        ("Rallies are planned for Labor Day 2022.", "Labor Day 2022", "2022-09-05"),
        ("Shops closed on Easter Sunday.", "Easter Sunday", "2021-04-04"),
        ("The parade was held on Memorial Day.", "Memorial Day", "2021-05-31"),
    ],
)
def test_a_holiday_is_its_day_in_the_nearest_year(
    sentence: str, expression: str, value: str
) -> None:
    assert values(sentence) == [(expression, "DATE", value)]


def test_a_holiday_as_a_season_or_in_lower_case_is_no_date() -> None:
    assert values("Christmas sales were weak.") == []
    assert values("The lights looked like christmas.") == []
