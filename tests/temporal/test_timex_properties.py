"""The tagger never raises and its spans always slice the text they came from."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

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
