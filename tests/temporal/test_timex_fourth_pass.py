"""The fourth pass at issue 4: names and titles that look like dates, ranges, clock times in
words, "last Oct. 23", the clause a comma opens, and a few more expressions.

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
    "text",
    [
        "The case went to the 11th Circuit Court of Appeals.",
        "The appeal is pending before the 9th U.S. Circuit Court.",
        "It was the 7th largest fall in the index's history.",
        "The 2nd consecutive fall worried traders.",
    ],
)
def test_an_ordinal_before_a_name_or_a_rank_is_no_day(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The minister told CBS's 60 Minutes that talks had failed.",
        'He spoke on ABC\'s "This Week" about the ceasefire.',
        "The governor read USA Today on the plane.",
        "The rebels called it their High Noon.",
        "Protesters feared a second crackdown.",
        "Voters gave him a second term.",
    ],
)
def test_titles_names_and_ordinals_are_no_time(text: str) -> None:
    assert values(text) == []


def test_a_calendar_word_opening_a_sentence_is_still_a_time() -> None:
    assert values("Today the border reopened. It stayed shut for a second.") == [
        ("Today", "2021-07-08"),
        ("a second", "PT1S"),
    ]


def test_a_verb_in_the_future_after_a_clause_opening_weekday_puts_it_ahead() -> None:
    assert values("On Tuesday, the union plans to march on the ministry.") == [
        ("Tuesday", "2021-07-13")
    ]
    assert values("On Tuesday, the union will march on the ministry.") == [
        ("Tuesday", "2021-07-13")
    ]


def test_planned_after_a_clause_opening_weekday_keeps_it_in_the_past() -> None:
    # "planned" and "plans" as past tense or noun are no future after the comma.
    assert values("On Friday, the council planned to vote on the budget.") == [
        ("Friday", "2021-07-02")
    ]
    assert values("On Friday, when the envoy set aside his plans, the talks stalled.") == [
        ("Friday", "2021-07-02")
    ]


def test_last_or_next_before_a_day_without_a_year_fixes_its_year() -> None:
    # Without "last", 23 October is less than four months ahead and would be read as ahead.
    assert values("The mayor was shot last Oct. 23 at his home.") == [("Oct. 23", "2020-10-23")]
    assert values("The mayor was shot on Oct. 23 at his home.") == [("Oct. 23", "2021-10-23")]
    assert values("The vote is due next July 2.") == [("July 2", "2022-07-02")]


def test_a_second_day_after_a_month_and_day_takes_that_month() -> None:
    assert values("Leaders meet in Geneva on July 12 and 13.") == [
        ("July 12", "2021-07-12"),
        ("13", "2021-07-13"),
    ]
    assert values("Rain fell on June 4 and 5 percent of the crop was lost.") == [
        ("June 4", "2021-06-04")
    ]


def test_the_first_number_of_a_range_takes_the_unit_of_the_second() -> None:
    assert values("The process will take between 60 and 90 days.") == [
        ("60", "P60D"),
        ("90 days", "P90D"),
    ]
    assert values("Repairs need two to three weeks.") == [("two", "P2W"), ("three weeks", "P3W")]


def test_an_hour_in_words_takes_the_day_restated_next_to_it() -> None:
    text = "The convoy will leave at 4 in the morning (4 a.m. EDT Friday), he said."
    assert values(text)[0] == ("4 in the morning", "2021-07-09T04:00")
    assert values("Shelling began at nine in the evening.") == [
        ("nine in the evening", "2021-07-08T21:00")
    ]


def test_a_year_after_post_or_pre_is_a_year() -> None:
    assert values("The post-1991 order collapsed.") == [("post-1991", "1991")]


def test_a_unit_long_adjective_is_one_unit() -> None:
    assert values("The talks ended their third day-long session.") == [("day-long", "P1D")]
    assert values("The year-long siege ended.") == [("year-long", "P1Y")]


def test_trading_and_business_days_are_days() -> None:
    assert values("Shares fell for eight trading days.") == [("eight trading days", "P8D")]
    assert values("Refunds take five business days.") == [("five business days", "P5D")]


def test_election_day_is_the_tuesday_after_the_first_monday_of_november() -> None:
    assert values("Campaigns run until Election Day.") == [("Election Day", "2021-11-02")]
    assert values("Campaigns run until Election Day.", date(2022, 9, 1)) == [
        ("Election Day", "2022-11-08")
    ]


def test_units_before_an_event_are_a_duration() -> None:
    # Counted from an event the text does not date, "ten days" is read as a duration.
    assert values("Police saw the car ten days before the shooting.") == [("ten days", "P10D")]
    # At the end of its clause, "before" counts from the last day named.
    assert values("The strike began on July 2. Talks had failed two days before.") == [
        ("July 2", "2021-07-02"),
        ("two days before", "2021-06-30"),
    ]


def test_a_clock_time_without_a_day_is_on_the_last_day_named() -> None:
    text = "The mayor was shot on June 30. He died at 10 p.m. in hospital."
    assert values(text) == [("June 30", "2021-06-30"), ("10 p.m.", "2021-06-30T22:00")]
    assert values("Curfew starts at 10 p.m. in the capital.") == [("10 p.m.", "2021-07-08T22:00")]


def test_a_holiday_week_is_the_iso_week_of_the_holiday() -> None:
    assert values("Pilgrims gathered as Easter week began.", date(2021, 3, 29)) == [
        ("Easter week", "2021-W13")
    ]


def test_recent_is_a_past_reference_but_not_most_recent() -> None:
    assert values("A recent survey found support for the truce.") == [("recent", "PAST_REF")]
    assert values("The most recent survey found support for the truce.") == []


def test_an_amount_a_unit_is_a_rate() -> None:
    assert [(t.text, t.type, t.value) for t in tag("Aid reached $2 million a year.", DCT)] == [
        ("a year", "SET", "P1Y")
    ]
    assert [(t.text, t.type, t.value) for t in tag("The siege lasted a year.", DCT)] == [
        ("a year", "DURATION", "P1Y")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rival groups clashed on 30 Sept 2010 near the market.", ("30 Sept 2010", "2010-09-30")),
        ("On 29 Apr 2020, a roadside bomb exploded.", ("29 Apr 2020", "2020-04-29")),
        ("Police fired on marchers on Aug 14, 2010.", ("Aug 14, 2010", "2010-08-14")),
    ],
)
def test_an_abbreviated_month_next_to_a_number_needs_no_dot(
    text: str, expected: tuple[str, str]
) -> None:
    assert values(text, None) == [expected]


def test_an_abbreviation_alone_is_a_name() -> None:
    assert values("Jan Kavan met the envoy.") == []
    # A weekday abbreviation needs its dot even before a number.
    assert values("Sun 24 hours a day") == [("24 hours", "PT24H"), ("a day", "P1D")]


def test_a_decade_without_its_century_after_the() -> None:
    assert values("Cars of the 70s were boxy.") == [("the 70s", "197")]
    assert values("Both men are in their 70s.") == []


def test_a_military_time_with_its_zone() -> None:
    assert values("At 0800 UTC, the central banks acted.") == [("0800 UTC", "2021-07-08T08:00Z")]


def test_a_quarter_of_this_or_next_year() -> None:
    assert values("Sales for this year's third quarter fell.") == [
        ("this year's third quarter", "2021-Q3")
    ]
    assert values("The merger may close in next year's first quarter.") == [
        ("next year's first quarter", "2022-Q1")
    ]


def test_the_current_quarter_is_the_dcts_own() -> None:
    # The quarter a story reports on is the first one named; "the current quarter" is not it.
    text = "Profit rose in the second quarter. Orders in the current quarter began well."
    assert values(text) == [("the second quarter", "2021-Q2"), ("the current quarter", "2021-Q3")]


def test_the_same_period_last_year_is_the_period_reported_on_a_year_before() -> None:
    text = "Profit rose in the second quarter from the corresponding period last year."
    assert values(text) == [
        ("the second quarter", "2021-Q2"),
        ("the corresponding period last year", "2020-Q2"),
    ]
    text = "Car sales fell in June, compared with the same period last year."
    assert values(text) == [("June", "2021-06"), ("the same period last year", "2020-06")]
