"""The tagger never raises and its spans always slice the text they came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep import temporal
from sitrep.temporal import tag

WORDS = st.sampled_from(
    [
        "on",
        "Monday",
        "last",
        "week",
        "the",
        "7th",
        "of",
        "July",
        "2021",
        "two",
        "days",
        "ago",
        "yesterday",
        "mid-",
        "early",
        "every",
        "year",
        "10:30",
        "a.m.",
        "1990s",
        "will",
        "said",
        "during",
        "night",
        "-",
        ",",
        ".",
        "\n",
        "  ",
        "31",
        "February",
        "99",
        "quarter",
        "third",
        "tomorrow",
        "yesterday",
        "next",
        "Friday",
        "ago",
        "later",
        "a",
        "century",
        "decade",
        "weeks",
    ]
)
TEXTS = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=40).map(" ".join))
DCTS = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, dct=DCTS)
def test_spans_slice_the_text(text: str, dct: date | None) -> None:
    previous_end = 0
    for timex in tag(text, dct):
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start : timex.end] == timex.text
        assert timex.start >= previous_end  # sorted, never overlapping
        previous_end = timex.end
        assert timex.type in {"DATE", "TIME", "DURATION", "SET"}
        assert timex.value


CALENDAR_WORDS = st.sampled_from(
    [
        "in the morning",
        "4",
        "nine",
        "and a half",
        "1/2",
        "the 1990s",
        "'80s",
        "nineteen ninety-six",
        "the sixties",
        "spring",
        "Fall",
        "first quarter",
        "the 20th century",
        "every",
        "each Monday",
        "noon",
        "the week of March 3",
        "year-ago",
        "the 1988 period",
        "day-long",
        "decades-long",
        "recent years",
        "late afternoon",
        "the weekend",
        "that year",
        "the year",
        "over the years",
        "later today",
        "14:00 UTC",
        "and",
        "to",
        "months",
    ]
)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.one_of(WORDS, CALENDAR_WORDS), max_size=30))
def test_the_requires_shortcut_never_changes_what_is_found(words: list[str]) -> None:
    # A rule skipped for lack of its `requires` words would have found nothing anyway.
    text = " ".join(words)
    every_rule = tuple(replace(rule, requires=()) for rule in temporal.rules())
    found = [t.record() for t in tag(text, date(2021, 7, 8))]
    with patch.object(temporal, "rules", lambda: every_rule):
        assert [t.record() for t in tag(text, date(2021, 7, 8))] == found
