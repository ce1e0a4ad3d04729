"""When: temporal expressions (TimeML TIMEX3) and the date each event happened.

The tagger works on plain text: the patterns and vocabularies of `data/timex.yaml` are compiled
once into regular expressions, every match is a candidate, the longest non-overlapping ones are
kept, and each is normalised against the report's publication date (the document creation time,
DCT). A bare weekday is read as past unless a future cue governs it; with a parse, the tense of
its governing verb decides. An event is dated by the expression that governs it: in its clause,
else its sentence, else its paragraph, else the publication date at week precision. A report
with no publication date and no date in its text gives no event date rather than a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from spacy.tokens import Doc, Token

from sitrep.ingest import read_text_records
from sitrep.lexicon import yaml_data
from sitrep.models import EventDate, Evidence, Report

PUBLICATION_PRECISION = "week"
DATE_TYPES = ("DATE", "TIME")


@dataclass(frozen=True)
class Timex:
    """A temporal expression: its character span in the text, TimeML type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None

    def record(self) -> dict[str, Any]:
        """The JSON form written by `sitrep timex`."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
        }


Normalised = tuple[str, str, str | None]  # type, value, mod


# --- vocabularies and patterns, loaded once ----------------------------------------------------


@dataclass(frozen=True)
class Vocab:
    """The lookup tables of `timex.yaml`, keyed by lower-cased words."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, str]
    ordinals: dict[str, int]
    units: dict[str, tuple[str, bool]]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    holidays: dict[str, str]
    references: dict[str, str]
    day_offsets: dict[str, int]
    approximate: tuple[str, ...]
    future_cues: re.Pattern[str]
    not_future: re.Pattern[str]
    clause_future_cues: re.Pattern[str]


TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
UNITS_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of words, longest first, spaces matching any whitespace."""
    ordered = sorted({w for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def names_alternation(table: dict[str, int], by_number: bool = False) -> str:
    """Month or weekday names; an abbreviation needs its dot ("jan."), or, with `by_number`
    (months), a number next to it ("9 Jan 2010", "Aug 14"); never "jan" alone (a name: "Jan
    Kavan")."""
    forms = []
    for word in table:
        abbreviation = any(other != word and other.startswith(word) for other in table)
        escaped = re.escape(word)
        if abbreviation and not by_number:
            escaped += r"\."
        elif abbreviation:
            escaped = rf"{escaped}(?:\.|(?=\s+\d)|(?<=\d\s{escaped}))"
        forms.append(escaped)
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")(?![a-z])"


@cache
def vocab() -> Vocab:
    """The vocabularies of `timex.yaml`."""
    data = yaml_data("timex.yaml")
    units = {}
    for word, code in data["units"].items():
        letter, *time = str(code).split()
        units[word] = (letter, bool(time))
    return Vocab(
        months=dict(data["months"]),
        weekdays=dict(data["weekdays"]),
        numbers={str(k): str(v) for k, v in data["numbers"].items()},
        ordinals={str(k): int(v) for k, v in data["ordinals"].items()},
        units=units,
        parts_of_day=dict(data["parts_of_day"]),
        seasons=dict(data["seasons"]),
        holidays={str(k): str(v) for k, v in data["holidays"].items()},
        references=dict(data["references"]),
        day_offsets=dict(data["day_offsets"]),
        approximate=tuple(data["approximate"]),
        future_cues=re.compile(r"(?<![\w'])" + alternation(data["future_cues"]) + r"\b"),
        not_future=re.compile(r"\b" + alternation(data["not_future"]) + r"\b"),
        clause_future_cues=re.compile(
            r"(?<![\w'])" + alternation(data["clause_future_cues"]) + r"\b"
        ),
    )


def placeholders(data: dict[str, Any]) -> dict[str, str]:
    """The {name} fragments the rule patterns are written with."""
    v = vocab()
    compound = f"(?:{'|'.join(TENS)})[-\\s](?:{'|'.join(UNITS_WORDS)})"
    unit_words = [*v.units, *(plural(u) for u in v.units)]
    return {
        "month": names_alternation(v.months, by_number=True),
        "weekday": names_alternation(v.weekdays),
        "num": f"(?:\\d+(?:\\.\\d+)?|{compound}|{alternation(list(v.numbers))})",
        "unit": alternation(unit_words),
        "pod": alternation(list(v.parts_of_day)),
        "season": alternation(list(v.seasons)),
        "holiday": alternation(list(v.holidays)),
        "ordinal": alternation(list(v.ordinals)),
        "mod": alternation(data["mods"]),
        "ref": alternation(list(v.references)),
        "dayword": alternation(list(v.day_offsets)),
        "approx": alternation(list(v.approximate)),
        "spoken_year": SPOKEN_YEAR,
    }


SPOKEN_YEAR = (  # "nineteen ninety-four", "two thousand and one"
    r"(?:(?:nineteen|twenty)[-\s](?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen|(?:{'|'.join(TENS)})(?:[-\s](?:{'|'.join(UNITS_WORDS)}))?)|"
    rf"two\s+thousand(?:\s+(?:and\s+)?(?:{'|'.join(UNITS_WORDS)}|ten))?)"
)


def spoken_year(text: str) -> int:
    """The year of a SPOKEN_YEAR match: "nineteen ninety-four" 1994, "two thousand and one"
    2001."""
    words = [w for w in re.split(r"[-\s]+", text.lower().strip()) if w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + (int(number(words[2])) if len(words) > 2 else 0)
    return (19 if words[0] == "nineteen" else 20) * 100 + int(number("-".join(words[1:])))


def plural(unit: str) -> str:
    """English plural of a calendar unit."""
    return unit[:-1] + "ies" if unit.endswith("y") and unit != "day" else unit + "s"


@dataclass(frozen=True)
class Rule:
    """One compiled pattern, the name of its normaliser, and the words one of which a text must
    contain for the pattern to be worth running (empty: always run)."""

    name: str
    pattern: re.Pattern[str]
    norm: str
    requires: tuple[str, ...] = ()


@cache
def rules() -> tuple[Rule, ...]:
    """The compiled rules of `timex.yaml`, in priority order."""
    data = yaml_data("timex.yaml")
    fill = placeholders(data)
    compiled = []
    for row in data["rules"]:
        source = re.sub(r"\{(\w+)\}", lambda m: fill.get(m.group(1), m.group(0)), row["pattern"])
        requires = tuple(row.get("requires") or ())
        compiled.append(Rule(row["name"], re.compile(source), row["norm"], requires))
    return tuple(compiled)


# --- small calendar helpers --------------------------------------------------------------------


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def number(text: str) -> str:
    """A number word or figure as a TimeML quantity ("X" when vague)."""
    words = re.sub(r"\s+", " ", text.lower().strip())
    if re.fullmatch(r"\d+", words):
        return str(int(words))
    if re.fullmatch(r"\d+\.\d+", words):
        return words
    parts = re.split(r"[-\s]", words)
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS_WORDS:
        return str(int(vocab().numbers[parts[0]]) + int(vocab().numbers[parts[1]]))
    return vocab().numbers.get(words, "X")


def unit_of(word: str) -> tuple[str, bool]:
    """TimeML unit letter of a (possibly plural) unit word, and whether it is a clock unit."""
    word = word.lower()
    units = vocab().units
    if word in units:
        return units[word]
    for unit in units:
        if plural(unit) == word:
            return units[unit]
    return units[word.rstrip("s")]


def duration_value(quantity: str, word: str) -> str:
    letter, clock = unit_of(word)
    if letter == "2W":
        quantity, letter = (str(int(quantity) * 2) if quantity.isdigit() else quantity), "W"
    if letter == "DE":  # a decade is written in years: "the past decade" P10Y
        quantity, letter = (str(int(quantity) * 10) if quantity.isdigit() else quantity), "Y"
    return f"PT{quantity}{letter}" if clock else f"P{quantity}{letter}"


# --- normalisers -------------------------------------------------------------------------------


@dataclass
class Context:
    """What a normaliser may look at: the text, the DCT and the last day named."""

    text: str
    dct: date | None
    future: Callable[[int, int], bool]
    weekday_future: Callable[[int, int], bool]
    reference: date | None = None
    period: str | None = None  # the last calendar value named (its granularity counts)
    quarter: str | None = None  # the quarter the story reports on: the first one named


def approx_mod(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if groups.get("approx") or "as reported" in m.group(0).lower():
        return "APPROX"
    return None


def norm_iso(m: re.Match[str], ctx: Context) -> Normalised | None:
    d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None
    if m["hh"]:
        return "TIME", f"{d.isoformat()}T{m['hh']}:{m['mi']}", None
    return "DATE", day_value(d), None


DAYS_AHEAD = 122  # a day named without a year is at most four months ahead, else in the past


DAY_RELATIVE = re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext)\s+$")


def norm_calendar_day(m: re.Match[str], ctx: Context) -> Normalised | None:
    groups = m.groupdict()
    month = vocab().months[m["month"].lower().rstrip(".")] if groups.get("month") else int(m["m"])
    day = int(m["d"])
    if groups.get("y"):
        year = int(m["y"])
        year = year + (1900 if year >= 50 else 2000) if year < 100 else year
    elif ctx.dct is not None:
        year = ctx.dct.year
        # A day-month without a year is the such day within a year around the DCT, where news
        # looks further back than ahead; "last Oct. 23" is the one before the DCT, "next
        # March 3" the one after.
        candidate = safe_date(year, month, day)
        rel = DAY_RELATIVE.search(ctx.text, max(0, m.start() - 6), m.start())
        ahead = DAYS_AHEAD if rel is None else (0 if rel["rel"].lower() == "last" else 365)
        if candidate and (candidate - ctx.dct).days > ahead:
            year -= 1
        elif candidate and (ctx.dct - candidate).days > 365 - ahead:
            year += 1
    else:
        return "DATE", f"XXXX-{month:02d}-{day:02d}", approx_mod(m)
    d = safe_date(year, month, day)
    if d is None:
        return None
    return "DATE", day_value(d), approx_mod(m)


def holiday_date(rule: str, year: int) -> date | None:
    """The day of a holiday in a year: "MM-DD", "easter", "month nth weekday" (nth -1 is
    the last such weekday of the month), or "MM-DD+weekday" (the first such weekday on or after
    the day)."""
    if rule == "easter":  # the Gregorian computus (Meeus/Jones/Butcher)
        a, b, c = year % 19, year // 100, year % 100
        h = (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30
        k = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
        m = (a + 11 * h + 22 * k) // 451
        month, day = divmod(h + k - 7 * m + 114, 31)
        return date(year, month, day + 1)
    if "+" in rule:  # "11-02+1": the first Tuesday on or after 2 November
        day_rule, weekday_text = rule.split("+")
        first = holiday_date(day_rule, year)
        weekday = int(weekday_text)
        return None if first is None else first + timedelta(days=(weekday - first.weekday()) % 7)
    if " " not in rule:
        month, day = map(int, rule.split("-"))
        return safe_date(year, month, day)
    month, nth, weekday = map(int, rule.split())
    if nth < 0:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def norm_holiday(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Thanksgiving", "last Christmas", "Easter 2019": the holiday in the year named, else
    the nearest one, at most four months ahead of the DCT; "Easter week" is its ISO week."""
    rule = vocab().holidays[re.sub(r"\s+", " ", m["hol"].lower())]
    rel = (m["rel"] or "").lower()
    if m["y"]:
        d = holiday_date(rule, int(m["y"]))
    elif ctx.dct is None:
        return None
    else:
        d = holiday_date(rule, ctx.dct.year)
        if d is not None and rel in {"last", "past"} and d >= ctx.dct:
            d = holiday_date(rule, ctx.dct.year - 1)
        elif d is not None and rel in {"next", "coming"} and d <= ctx.dct:
            d = holiday_date(rule, ctx.dct.year + 1)
        elif d is not None and not rel and (d - ctx.dct).days > DAYS_AHEAD:
            d = holiday_date(rule, ctx.dct.year - 1)
        elif d is not None and not rel and (ctx.dct - d).days > 365 - DAYS_AHEAD:
            d = holiday_date(rule, ctx.dct.year + 1)
    if d is None:
        return None
    return "DATE", week_value(d) if m["week"] else day_value(d), None


def norm_second_day(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "April 24 and 25": the second day, in the month (and year) of the first."""
    return norm_calendar_day(m, ctx)


def norm_range_first(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Between 60 and 90 days": the first number is a duration in the unit of the second."""
    quantity = number(m["num"])
    if not quantity[0].isdigit():
        return None
    return "DURATION", duration_value(quantity, m["unit"]), None


def norm_week_of(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The week of March 6": the ISO week of that day."""
    day = norm_calendar_day(m, ctx)
    if day is None or day[1].startswith("X"):
        return day
    return "DATE", week_value(date.fromisoformat(day[1])), None


NAME_AFTER = re.compile(r"\s+(?:U\.S\.\s+)?[A-Z][a-z]")


def norm_ordinal_day(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "On the 7th": that day of the month of the last day named (else of the DCT), in the past
    unless a future cue governs it; "the 11th Circuit", "the 5th Fleet" are names."""
    if NAME_AFTER.match(ctx.text, m.end()):
        return None
    anchor = ctx.reference or ctx.dct
    if anchor is None:
        return None
    d = safe_date(anchor.year, anchor.month, int(m["d"]))
    if d is None:
        return None
    if ctx.dct is not None and d > ctx.dct and not ctx.future(m.start(), m.end()):
        y, mo = add_months(d.year, d.month, -1)
        d = safe_date(y, mo, d.day) or d
    return "DATE", day_value(d), None


MARCH_NOUN_BEFORE = re.compile(r"(?i)(?:\b(?:the|a|an|annual|yearly)\s+|``|[\"“])$")
MARCH_NOUN_AFTER = re.compile(r"(?i)\s+(?:for|of|on|against|to|through)\b")


def march_noun(m: re.Match[str], ctx: Context) -> bool:
    """ "The annual March for Life", "the March of the Mothers": a march, not the month."""
    if m[0].lower() != "march":
        return False
    before = ctx.text[max(0, m.start() - 10) : m.start()]
    return bool(MARCH_NOUN_BEFORE.search(before) and MARCH_NOUN_AFTER.match(ctx.text, m.end()))


DEADLINE = re.compile(r"(?i)\bby\s+$")  # "by August": a deadline ahead


def norm_month(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "March 2020", "last June", "in November": a month without a year is the next such
    month under a future cue or a deadline ("by August"), else the nearest one, where half a
    year ahead counts as past."""
    if march_noun(m, ctx):
        return None
    month = vocab().months[m["month"].lower().rstrip(".")]
    rel = (m["rel"] or m["rel2"] or "").lower()
    if m["y"] or m["sy"]:
        year = int(m["y"]) if m["y"] else spoken_year(m["sy"])
    elif rel and ctx.dct is not None:
        year = month_year_of(rel, bool(m["rel2"]), month, ctx.dct)
    elif ctx.dct is not None:
        year = ctx.dct.year
        deadline = DEADLINE.search(ctx.text[max(0, m.start() - 8) : m.start()])
        if deadline or ctx.future(m.start(), m.end()):
            year += 1 if month < ctx.dct.month else 0  # the next such month
        elif month - ctx.dct.month >= 6:
            year -= 1  # the nearest such month; half a year ahead is read as past
    else:
        return "DATE", f"XXXX-{month:02d}", None
    return "DATE", month_value(year, month), mod_code(m["mod"])


def month_year_of(rel: str, of_year: bool, month: int, dct: date) -> int:
    """The year of "June last year" (of_year) or "last June" (the last June before the DCT)."""
    offset = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
    if of_year or offset == 0:
        return dct.year + offset
    if offset < 0:
        return dct.year if month < dct.month else dct.year - 1
    return dct.year if month > dct.month else dct.year + 1


def norm_the_weekend(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The weekend": the last one before the DCT, or the next one under a future cue."""
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-WE", None
    saturday = weekday_date(5, ctx.dct, ctx.future(m.start(), m.end()), None)
    if ctx.dct.weekday() == 6 and saturday > ctx.dct:
        saturday = ctx.dct - timedelta(days=1)
    return "DATE", week_value(saturday) + "-WE", None


def norm_the_day(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The day", "that same day": the last day named, else the DCT."""
    anchor = ctx.reference or ctx.dct
    return "DATE", day_value(anchor) if anchor else "XXXX-XX-XX", None


def norm_the_quarter(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The quarter", "the latest period": the quarter the story reports on, else the last one
    completed before the DCT; "the current quarter" is the DCT's own."""
    if m["current"] and ctx.dct is not None:
        return "DATE", f"{ctx.dct.year:04d}-Q{(ctx.dct.month - 1) // 3 + 1}", None
    value = focus_quarter(ctx)
    return None if value is None else ("DATE", value, None)


def focus_quarter(ctx: Context) -> str | None:
    """The quarter a financial story reports on: the first one named (the lead names it; later
    ones are asides, "after a flat second quarter"), else the last quarter
    completed before the DCT; None without either."""
    if ctx.quarter:
        return ctx.quarter
    if ctx.dct is None:
        return None
    index = ctx.dct.year * 4 + (ctx.dct.month - 1) // 3 - 1
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def norm_year_ago(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The year-ago quarter", "year-earlier profit", "the same period last year": the quarter
    reported on, a year before; with no quarter named, the month or quarter last named a year
    before, else the year before the DCT."""
    if ctx.quarter:
        return "DATE", f"{int(ctx.quarter[:4]) - 1:04d}{ctx.quarter[4:]}", None
    same = same_period_years_apart(ctx.period, -1)
    if same is not None:
        return "DATE", same, None
    if ctx.dct is None:
        return None
    return "DATE", f"{ctx.dct.year - 1:04d}", None


def norm_year_period(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The 1988 period": the quarter reported on, in that year (the year without one)."""
    if not ctx.quarter:
        return "DATE", m["y"], None
    return "DATE", f"{m['y']}{ctx.quarter[4:]}", None


def norm_that_year(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "That year", "later that year": the year of the last date named, else of the DCT."""
    anchor = value_date(ctx.period) if ctx.period else None
    if anchor is not None:
        return "DATE", f"{anchor[0].year:04d}", None
    return None if ctx.dct is None else ("DATE", f"{ctx.dct.year:04d}", None)


def norm_the_year(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The year", "the fiscal year", "the full year": the year of the DCT."""
    return None if ctx.dct is None else ("DATE", f"{ctx.dct.year:04d}", None)


def mod_code(mod: str | None) -> str | None:
    if not mod:
        return None
    word = mod.lower()
    if "early" in word or "beginning" in word or "start" in word:
        return "START"
    if "mid" in word:
        return "MID"
    return "END"


def relative_year(rel: str | None, ctx: Context) -> int | None:
    if ctx.dct is None:
        return None
    offset = {"last": -1, "past": -1, "next": 1, "coming": 1}.get((rel or "this").lower(), 0)
    return ctx.dct.year + offset


def norm_season(m: re.Match[str], ctx: Context) -> Normalised | None:
    code = vocab().seasons[m["season"].lower()]
    capital = ctx.text[m.start("season")].isupper()
    if not (m["rel"] or m["det"] or m["y"] or m["y2"] or m["mod"] or capital):
        return None  # "prices fall", "spring up"
    year_text = m["y"] or m["y2"]
    if m["sy"]:
        year: int | None = spoken_year(m["sy"])
    else:
        year = int(year_text) if year_text else relative_year(m["rel"], ctx)
    if year is None:
        return "DATE", f"XXXX-{code}", None
    return "DATE", f"{year:04d}-{code}", mod_code(m["mod"])


def norm_quarter(m: re.Match[str], ctx: Context) -> Normalised | None:
    n = vocab().ordinals[m["ord"].lower()]
    half = m["unit"].lower() == "half"
    if half and n > 2:
        return None
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    elif m["rel"] or m["rel0"]:
        year = relative_year(m["rel"] or m["rel0"], ctx)
    elif ctx.dct is not None:
        current = (ctx.dct.month - 1) // (6 if half else 3) + 1
        year = ctx.dct.year - (1 if n > current else 0)
    else:
        year = None
    prefix = "XXXX" if year is None else f"{year:04d}"
    return "DATE", f"{prefix}-{'H' if half else 'Q'}{n}", None


def norm_decade(m: re.Match[str], ctx: Context) -> Normalised | None:
    century = m.groupdict().get("cent") or "19"  # "the 70s", "the '80s": the 1900s
    return "DATE", f"{century}{m['dec']}", mod_code(m["mod"])


SPOKEN_YEAR_BEFORE = re.compile(r"\b(?:in|since|by|until|of|before|after)\s+$")


def norm_spoken_year(m: re.Match[str], ctx: Context) -> Normalised | None:
    """A year read aloud: "nineteen ninety-six", "the year two thousand"."""
    if m["thousand"]:
        before = ctx.text[max(0, m.start() - 8) : m.start()].lower()
        if "year" not in m[0] and not SPOKEN_YEAR_BEFORE.search(before):
            return None  # "two thousand troops"
        year = 2000 + (int(number(m["unit"])) if m["unit"] else 0)
    else:
        rest = number(m["rest"])
        if not rest.isdigit():
            return None
        year = (19 if m["c"] == "nineteen" else 20) * 100 + int(rest)
    return "DATE", f"{year:04d}", mod_code(m["mod"])


def norm_spoken_decade(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The nineties": the decade of the century of the DCT (of the 1900s without one)."""
    tens = int(vocab().numbers[m["dec"][:-3] + "y"]) // 10
    century = ctx.dct.year // 100 if ctx.dct else 19
    if ctx.dct and century * 100 + tens * 10 > ctx.dct.year:
        century -= 1
    return "DATE", f"{century}{tens}", mod_code(m["mod"])


YEAR_BEFORE = re.compile(
    r"(?i)(?:\b(?:in|since|of|by|until|till|from|before|after|during|through|to|for|year|"
    r"early|late|mid|fiscal|between|and|or|the|around|about|circa|than|a|an|that|this|his|her|"
    r"its|their|our|your)\s+|['’]s\s+|[-–(]\s*)$"
)
YEAR_AFTER = re.compile(r"(?:\s*[,.;:)\]'’\"”–-]|\s*$|\s+(?:and|to|or|through|when|as)\b|'s)")


def norm_year(m: re.Match[str], ctx: Context) -> Normalised | None:
    before = ctx.text[max(0, m.start() - 12) : m.start()]
    after = ctx.text[m.end() : m.end() + 6]
    prefixed = "-" in m[0][:5]  # "post-1959", "pre-1990"
    read_as_year = m["mod"] or m["fiscal"] or prefixed or YEAR_BEFORE.search(before)
    if not (read_as_year or YEAR_AFTER.match(after)):
        return None
    return "DATE", m["y"], mod_code(m["mod"])


GENERIC_TODAY = re.compile(
    r"['’]s\s+(?:world|youth|society|generation|young|children|kids)\b", re.IGNORECASE
)


def norm_day_word(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Yesterday", "tomorrow morning"; "today's world" and the like are no date."""
    word = re.sub(r"\s+", " ", m["word"].lower())
    if word == "today" and GENERIC_TODAY.match(ctx.text, m.end()):
        return None
    offset = vocab().day_offsets[word]
    pod = vocab().parts_of_day.get((m["pod"] or "").lower())
    if ctx.dct is None:
        return ("TIME" if pod else "DATE"), "XXXX-XX-XX", None
    d = ctx.dct + timedelta(days=offset)
    if pod:
        return "TIME", f"{day_value(d)}T{pod}", None
    return "DATE", day_value(d), mod_code(m["mod"])


def norm_day_word_simple(m: re.Match[str], ctx: Context) -> Normalised | None:
    word = m["word"].lower()
    if ctx.dct is None:
        return "DATE", "XXXX-XX-XX", None
    if word == "tonight":
        return "TIME", f"{day_value(ctx.dct)}TNI", None
    return "DATE", day_value(ctx.dct), None


def norm_tonight(m: re.Match[str], ctx: Context) -> Normalised | None:
    word = re.sub(r"\s+", " ", m["word"].lower())
    if ctx.dct is None:
        return "TIME", "XXXX-XX-XXTNI", None
    if word.startswith("this "):
        return "TIME", f"{day_value(ctx.dct)}T{vocab().parts_of_day[word[5:]]}", None
    d = ctx.dct
    if word != "tonight" and not ctx.future(m.start(), m.end()):
        d = ctx.dct - timedelta(days=1)
    return "TIME", f"{day_value(d)}TNI", None


def norm_part_of_day(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Mid-afternoon", "early morning yesterday": that part of the day named, else of the DCT."""
    pod = vocab().parts_of_day[m["pod"].lower()]
    if ctx.dct is None:
        return "TIME", f"XXXX-XX-XXT{pod}", None
    offset = vocab().day_offsets[re.sub(r"\s+", " ", m["word"].lower())] if m["word"] else 0
    return "TIME", f"{day_value(ctx.dct + timedelta(days=offset))}T{pod}", None


def weekday_date(wd: int, anchor: date, future: bool, rel: str | None) -> date:
    """The weekday nearest the anchor, before it or (future) after it."""
    rel = (rel or "").lower()
    if rel in {"next", "coming"}:
        future = True
    elif rel in {"last", "past"}:
        future = False
    if future:
        delta = (wd - anchor.weekday()) % 7
        if rel == "next" and delta == 0:
            delta = 7
        return anchor + timedelta(days=delta)
    delta = (anchor.weekday() - wd) % 7
    if rel in {"last", "past"} and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def norm_weekday(m: re.Match[str], ctx: Context) -> Normalised | None:
    wd = vocab().weekdays[m["wd"].lower().rstrip(".")]
    pod = vocab().parts_of_day.get((m["pod"] or "").lower())
    if ctx.dct is None:
        return ("TIME" if pod else "DATE"), "XXXX-WXX-" + str(wd + 1), None
    d = weekday_date(wd, ctx.dct, ctx.weekday_future(m.start(), m.end()), m["rel"])
    if pod:
        return "TIME", f"{day_value(d)}T{pod}", None
    return "DATE", day_value(d), mod_code(m["mod"])


RELATIVE_OFFSETS = {
    "last": -1,
    "previous": -1,
    "the previous": -1,
    "this": 0,
    "current": 0,
    "the current": 0,
    "the same": 0,
    "next": 1,
    "coming": 1,
    "the coming": 1,
    "following": 1,
    "the following": 1,
}


def norm_relative_unit(m: re.Match[str], ctx: Context) -> Normalised | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    offset = RELATIVE_OFFSETS[rel]
    early = (m["early"] or "").lower()
    if early in {"earlier", "later"} and rel != "this":
        return None
    anchor = ctx.dct
    if rel.startswith(("the previous", "the following", "the same", "previous", "following")):
        anchor = ctx.reference or ctx.dct
    if anchor is None:
        return "DATE", "XXXX", None
    mod = mod_code(early) if early in {"early", "late"} else None
    if unit == "day":
        return "DATE", day_value(anchor + timedelta(days=offset)), None
    if unit in {"week", "weekend"}:
        value = week_value(anchor + timedelta(weeks=offset))
        return "DATE", value + ("-WE" if unit == "weekend" else ""), mod
    if unit == "month":
        return "DATE", month_value(*add_months(anchor.year, anchor.month, offset)), mod
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", mod
    if unit == "decade":
        return "DATE", str(anchor.year // 10 + offset)[:3], mod
    if unit == "century":
        return "DATE", str(anchor.year // 100 + offset), mod
    return "DATE", f"{anchor.year + offset:04d}", mod


def norm_ago(m: re.Match[str], ctx: Context) -> Normalised | None:
    quantity = number(m["num"])
    letter, clock = unit_of(m["unit"])
    direction = m["dir"].lower()
    sign = -1 if direction in {"ago", "earlier", "before"} else 1
    anchor = ctx.dct if direction in {"ago", "from now", "hence"} else ctx.reference or ctx.dct
    if anchor is None or not quantity.isdigit() or clock:
        if clock and anchor is not None and direction == "ago":
            return "TIME", "PAST_REF", None
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None
    n = int(quantity) * sign
    if letter == "D":
        return "DATE", day_value(anchor + timedelta(days=n)), None
    if letter in {"W", "2W"}:
        return "DATE", week_value(anchor + timedelta(weeks=n * (2 if letter == "2W" else 1))), None
    if letter == "M":
        return "DATE", month_value(*add_months(anchor.year, anchor.month, n)), None
    if letter == "Y":
        same = same_period_years_apart(ctx.period, n) if abs(n) == 1 else None
        return "DATE", same or f"{anchor.year + n:04d}", None
    if letter == "DE":
        return "DATE", str(anchor.year + 10 * n)[:3], None
    return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None


def same_period_years_apart(period: str | None, years: int) -> str | None:
    """ "A year earlier" after a quarter or a month named is that quarter or month a year
    before; None when the last period named was a year or nothing."""
    m = re.fullmatch(r"(\d{4})(-(?:Q[1-4]|H[12]|\d{2}))", period or "")
    return f"{int(m[1]) + years:04d}{m[2]}" if m else None


ORDINAL_SECOND = re.compile(  # "a second" before a word that is no preposition: "a second term"
    r"\s+(?!(?:ago|later|earlier|after|before|of|or|and|to|in|for|too|longer)\b)[a-z]"
)


RATE_BEFORE = re.compile(  # an amount before "a year": a rate, every year
    r"(?i)(?:\d[\d,.]*|million|billion|trillion|thousand|hundred|dozens?|times|hours)\s+$"
)


def norm_duration(m: re.Match[str], ctx: Context) -> Normalised | None:
    if m["unit"].lower() in {"night", "nights"} and not m["num"]:
        return None
    if m["unit"].lower() == "second" and ORDINAL_SECOND.match(ctx.text.lower(), m.end()):
        return None  # "a second term", "a second A380": the ordinal
    before = ctx.text[max(0, m.start() - 20) : m.start()]
    if m["num"].lower() in {"a", "an"} and RATE_BEFORE.search(before):
        return "SET", duration_value("1", m["unit"]), None  # "$2 million a year", "24 hours a day"
    if m["unit"].startswith("quarter") and QUARTER_FRACTION.match(ctx.text, m.end()):
        return None  # "a quarter of the vote", "three-quarters of them"
    return "DURATION", duration_value(number(m["num"]), m["unit"]), None


HALF_UNIT = {"Y": ("6M", False), "D": ("12H", True), "H": ("30M", True), "M": ("30S", True)}


def norm_half_duration(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Two and a half years" P2Y6M, "5 1/2 hours" PT5H30M: the half in the next smaller
    unit; None for units without one (the whole units are then read alone)."""
    quantity = number(m["num"] or m["num2"])
    word = m["unit"] or m["unit2"]
    letter, clock = unit_of(word)
    if not quantity.isdigit() or letter not in HALF_UNIT or (letter == "M" and not clock):
        return None
    half, half_clock = HALF_UNIT[letter]
    whole = f"{quantity}{letter}"
    if clock:
        return "DURATION", f"PT{whole}{half}", None
    return "DURATION", f"P{whole}{'T' if half_clock else ''}{half}", None


def norm_century(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The 20th century": TimeML writes a century as its first two digits, 19."""
    n = int(m["n"])
    return None if n < 1 else ("DATE", f"{n - 1:02d}", None)


QUARTER_FRACTION = re.compile(r"\s+of\b")


def norm_vague_duration(m: re.Match[str], ctx: Context) -> Normalised | None:
    return "DURATION", duration_value("X", m["unit"]), None


BARE_PLURAL_BEFORE = re.compile(r"(?i)\b(?:for|within|over|after|took|lasted|in)\s+$")


def norm_bare_plural(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "for weeks", "within days": an unspecified number of units."""
    if not BARE_PLURAL_BEFORE.search(ctx.text[max(0, m.start() - 10) : m.start()]):
        return None
    return "DURATION", duration_value("X", m["unit"]), None


def norm_unit_long(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "A day-long meeting", "the year-long siege": one unit."""
    return "DURATION", duration_value("1", m["unit"]), None


def norm_plural_long(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Decades-long": an unspecified number of units."""
    return "DURATION", duration_value("X", m["unit"]), None


THE_PLURAL_BEFORE = re.compile(r"(?i)\b(?:over|in|through|throughout|during|for)\s+$")


def norm_the_plural(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Over the years", "in the early months": an unspecified number of units."""
    if not THE_PLURAL_BEFORE.search(ctx.text[max(0, m.start() - 12) : m.start()]):
        return None
    return "DURATION", duration_value("X", m["unit"]), None


def norm_past_ref(m: re.Match[str], ctx: Context) -> Normalised | None:
    return "DATE", "PAST_REF", None


def norm_unit_duration(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "The past week" P1W; "the first hours" (a plural) an unspecified number, PTXH; "the
    past year", "the last year" are the year before the DCT, as TimeBank codes them."""
    word = m["unit"].lower()
    if word in {"night", "weekend", "nights", "weekends"}:
        return None
    rel = m["rel"].lower().split()[-1]
    if word == "year" and rel in {"past", "last"} and ctx.dct is not None:
        return "DATE", f"{ctx.dct.year - 1:04d}", None
    return "DURATION", duration_value("1" if word in vocab().units else "X", word), None


SET_ADVERBS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "quarterly": "P3M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
}


def norm_set_every(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Every two weeks" P2W, "each Monday" XXXX-WXX-1, "each July" XXXX-07."""
    if m["month"]:
        return "SET", f"XXXX-{vocab().months[m['month'].lower().rstrip('.')]:02d}", None
    word = m["unit"].lower().rstrip(".")
    quantity = number(m["num"]) if m["num"] else "1"
    if word in vocab().weekdays:
        return "SET", f"XXXX-WXX-{vocab().weekdays[word] + 1}", None
    if word in vocab().parts_of_day:
        return "SET", f"XXXX-XX-XXT{vocab().parts_of_day[word]}", None
    return "SET", duration_value(quantity, word), None


def norm_set_adverb(m: re.Match[str], ctx: Context) -> Normalised | None:
    return "SET", SET_ADVERBS[m["word"].lower()], None


@cache
def days_by_clock() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A day named right after a clock time ("10:35 a.m. (0735 GMT) Friday"), in the
    parentheses that restate it ("4 in the morning (4 a.m. EDT Thursday)") or right before it
    ("Friday at 10:35 a.m."), in lower case."""
    day = f"(?P<day>{alternation(list(vocab().day_offsets))}|{names_alternation(vocab().weekdays)})"
    restated = r"\s*\([^()]{0,30}?\b"  # "(4 a.m. EDT Thursday)"
    next_to = r"(?:\s*\(\d{3,4}\s+gmt\))?,?\s+(?:on\s+)?"  # "10:35 a.m. (0735 GMT) Friday"
    after = re.compile(f"(?:{next_to}|{restated}){day}\\b")
    before = re.compile(r"\b" + day + r"\b[^.;!?\n\d]{0,40}$")
    return after, before


def adjacent_day(text: str, start: int, end: int) -> str:
    """The day word or capitalised weekday next to a clock time, else ""."""
    after, before = days_by_clock()
    right = after.match(lowered(text[end : end + 40]))
    left = before.search(lowered(text[max(0, start - 60) : start]))
    for m, at in ((right, end), (left, max(0, start - 60))):
        if m is None:
            continue
        weekday = m["day"].rstrip(".") in vocab().weekdays
        if not weekday or text[at + m.start("day")].isupper():
            return m["day"]
    return ""


def norm_clock_time(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "6:45 a.m.", "10 p.m. Tuesday", "14:30 UTC" (in UTC: the value ends in Z)."""
    hour = int(m["hh"])
    if m.groupdict().get("ap"):
        hour = hour % 12 + (12 if m["ap"] == "p" else 0)
    minute = int(m["mi"] or 0)
    if hour > 23 or minute > 59:
        return None
    anchor = ctx.dct
    if m.groupdict().get("month"):  # "5 p.m. EST Nov. 9"
        named = norm_calendar_day(m, ctx)
        dated = value_date(named[1]) if named else None
        anchor = dated[0] if dated else None
    word = (m["word"] or "").lower()
    if not word and not m.groupdict().get("month"):
        word = adjacent_day(ctx.text, m.start(), m.end())
        if not word and ctx.reference is not None:
            anchor = ctx.reference
    anchor = clock_day(anchor, word, ctx.future(m.start(), m.end()))
    day = day_value(anchor) if anchor else "XXXX-XX-XX"
    zone = "Z" if (m["tz"] or "") in {"utc", "gmt", "z"} else ""
    return "TIME", f"{day}T{hour:02d}:{minute:02d}{zone}", None


CLOCK_PARTS = {"morning": 0, "afternoon": 12, "evening": 12}


def norm_clock_words(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "4 in the morning", "eight in the evening": the hour of the day named next to it, else
    of the DCT."""
    quantity = number(m["hh"])
    if not quantity.isdigit() or not 1 <= int(quantity) <= 12:
        return None
    hour = int(quantity) % 12 + CLOCK_PARTS[m["part"]]
    word = adjacent_day(ctx.text, m.start(), m.end())
    anchor = clock_day(ctx.dct, word, ctx.future(m.start(), m.end()))
    day = day_value(anchor) if anchor else "XXXX-XX-XX"
    return "TIME", f"{day}T{hour:02d}:00", None


def clock_day(anchor: date | None, word: str, future: bool) -> date | None:
    """The day a clock time is on: the day word or weekday next to it, counted from the anchor
    (the DCT or the date named with the time), else the anchor itself."""
    if anchor is not None and word in vocab().day_offsets:
        return anchor + timedelta(days=vocab().day_offsets[word])
    if anchor is not None and word:
        return weekday_date(vocab().weekdays[word.rstrip(".")], anchor, future, None)
    return anchor


def norm_noon(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Noon", "midnight Friday": twelve o'clock of the day named, else of the DCT."""
    anchor = ctx.dct
    word = (m["day"] or "").lower()
    if anchor is not None and word in vocab().day_offsets:
        anchor = anchor + timedelta(days=vocab().day_offsets[word])
    elif anchor is not None and word:
        wd = vocab().weekdays[word.rstrip(".")]
        anchor = weekday_date(wd, anchor, ctx.weekday_future(m.start(), m.end()), None)
    day = day_value(anchor) if anchor else "XXXX-XX-XX"
    return "TIME", f"{day}T{'00:00' if m['word'].lower() == 'midnight' else '12:00'}", None


SUPERLATIVE = re.compile(r"(?i)\b(?:most|more|least)\s+$")


def norm_reference(m: re.Match[str], ctx: Context) -> Normalised | None:
    """ "Now" PRESENT_REF, "recently" PAST_REF; "most recently" (the latest of several) is
    none."""
    if SUPERLATIVE.search(ctx.text[max(0, m.start() - 7) : m.start()]):
        return None
    return "DATE", vocab().references[re.sub(r"\s+", " ", m["word"].lower())], None


NORMALISERS: dict[str, Callable[[re.Match[str], Context], Normalised | None]] = {
    "iso": norm_iso,
    "calendar_day": norm_calendar_day,
    "ordinal_day": norm_ordinal_day,
    "week_of": norm_week_of,
    "holiday": norm_holiday,
    "month": norm_month,
    "season": norm_season,
    "quarter": norm_quarter,
    "decade": norm_decade,
    "year": norm_year,
    "spoken_year": norm_spoken_year,
    "spoken_decade": norm_spoken_decade,
    "day_word": norm_day_word,
    "day_word_simple": norm_day_word_simple,
    "tonight": norm_tonight,
    "part_of_day": norm_part_of_day,
    "weekday": norm_weekday,
    "relative_unit": norm_relative_unit,
    "the_quarter": norm_the_quarter,
    "year_ago": norm_year_ago,
    "year_period": norm_year_period,
    "the_year": norm_the_year,
    "that_year": norm_that_year,
    "the_day": norm_the_day,
    "the_weekend": norm_the_weekend,
    "ago": norm_ago,
    "duration": norm_duration,
    "vague_duration": norm_vague_duration,
    "half_duration": norm_half_duration,
    "century": norm_century,
    "unit_duration": norm_unit_duration,
    "past_ref": norm_past_ref,
    "bare_plural": norm_bare_plural,
    "plural_long": norm_plural_long,
    "the_plural": norm_the_plural,
    "set_every": norm_set_every,
    "set_adverb": norm_set_adverb,
    "clock_time": norm_clock_time,
    "clock_words": norm_clock_words,
    "second_day": norm_second_day,
    "range_first": norm_range_first,
    "unit_long": norm_unit_long,
    "noon": norm_noon,
    "reference": norm_reference,
}


# --- past or future ----------------------------------------------------------------------------

CLAUSE_START = re.compile(r"[;!?\n]|\.(?!\s*[a-z])")  # a full stop before a lower-case word is none
ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Inc|Corp|Ltd|Co|Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Jr|Sr|No))$"
)


def clause_cut(left: str) -> int:
    """Where the clause that ends a text starts: after its last stop that is not an
    abbreviation's ("Inc.", "a.m.", "U.S.", "Gen.")."""
    for m in reversed(list(CLAUSE_START.finditer(left))):
        if m.group() != "." or not ABBREVIATION.search(left, 0, m.start()):
            return m.end()
    return 0


LEFT_WORDS = 8  # how far back a future cue still governs a weekday
CLAUSE_OPENING_WORDS = 2  # "On Friday", "By Monday": the weekday opens its clause
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
FUTURE_LEMMAS = {"plan", "schedule", "expect", "due", "set", "go", "intend", "prepare"}


PAST_PERFECT = re.compile(
    r"\b(?:had|'d)\s+(?:not\s+|never\s+|already\s+)?(?:been\s+)?\w+(?:ed|en)\b"
)


def text_future(text: str, start: int, end: int) -> bool:
    """Whether a future cue governs the expression in its clause (plain-text reading): one of
    the few words before it, or, when it opens its clause, the words after it up to a comma
    ("By Friday the talks will end"), or the future verb of the clause a comma opens ("On
    Friday, ministers will meet"). A past perfect in the clause or the rest of the sentence
    ("Until Thursday, they had not named him") keeps it in the past."""
    left = text[max(0, start - 150) : start]
    cut = clause_cut(left)
    words = left[cut:].split()
    window = " ".join(words[-LEFT_WORDS:])
    clause_verb_future = False
    if len(words) <= CLAUSE_OPENING_WORDS:
        right = text[end : end + 80]
        stop = re.search(r"[,.;!?\n]", right)
        window += " " + right[: stop.start() if stop else len(right)]
        if right.startswith(","):
            clause = re.split(r"[,.;!?\n]", right[1:])[0].lower()
            clause_verb_future = vocab().clause_future_cues.search(clause) is not None
    cue = vocab().future_cues.search(vocab().not_future.sub(" ", window.lower()))
    if cue is None and not clause_verb_future:
        return False
    sentence = re.split(r"[.;!?\n]", text[end : end + 80])[0]
    return PAST_PERFECT.search((window + " " + sentence).lower()) is None


def doc_future(doc: Doc, start: int, end: int) -> bool | None:
    """Whether the verb governing the expression is in the future; None without a verb."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    verb: Token | None = span.root
    while verb is not None and verb.pos_ not in {"VERB", "AUX"}:
        verb = verb.head if verb.head.i != verb.i else None
    if verb is None:
        return None
    if any(c.lower_ in FUTURE_AUX and c.dep_ == "aux" for c in verb.children):
        return True
    chain = [verb, *verb.ancestors]
    return any(v.lemma_ in FUTURE_LEMMAS and v.tag_ != "VBD" for v in chain[:3])


def future_reader(text: str, doc: Doc | None) -> Callable[[int, int], bool]:
    """How past or future is decided for a bare weekday: the tense of its governing verb when
    there is a parse, else the text around it."""
    if doc is None or doc.text != text:
        return lambda s, e: text_future(text, s, e)

    def read(start: int, end: int) -> bool:
        parsed = doc_future(doc, start, end)
        return text_future(text, start, end) if parsed is None else parsed

    return read


# --- the tagger --------------------------------------------------------------------------------


def lowered(text: str) -> str:
    """The text in lower case, character for character (the rules are written in lower case)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def candidates(text: str) -> list[tuple[re.Match[str], int]]:
    """Every rule match on the lower-cased text, with the rule's rank."""
    low = lowered(text)
    found = []
    for rank, rule in enumerate(rules()):
        if rule.requires and not any(word in low for word in rule.requires):
            continue  # a cheap test spares the pattern a pass over the text
        found.extend((m, rank) for m in rule.pattern.finditer(low) if m.end() > m.start())
    return found


def span_of(m: re.Match[str]) -> tuple[int, int]:
    """The characters a match tags: its {span} group when the rule has one ("April 24 and
    [25]"), else the whole match."""
    if "span" in m.re.groupindex and m.start("span") >= 0:
        return m.start("span"), m.end("span")
    return m.start(), m.end()


def longest_first(found: list[tuple[re.Match[str], int]]) -> list[tuple[re.Match[str], int]]:
    """The longest non-overlapping matches, in text order; ties go to the earlier rule."""
    chosen: list[tuple[re.Match[str], int]] = []
    taken = bytearray()
    spans = {id(m): span_of(m) for m, _ in found}

    def order(item: tuple[re.Match[str], int]) -> tuple[int, int, int]:
        start, end = spans[id(item[0])]
        return start - end, item[1], start

    for m, rank in sorted(found, key=order):
        start, end = spans[id(m)]
        if len(taken) < end:
            taken.extend(b"\0" * (end - len(taken)))
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\1" * (end - start)
        chosen.append((m, rank))
    return sorted(chosen, key=lambda x: spans[id(x[0])][0])


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding spaces or a trailing full stop that ends a sentence."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


CAPITALISED = ("month", "wd", "hol")
RELATIVE_TO_REFERENCE = {
    "clock_time",
    "ordinal_day",
    "relative_unit",
    "ago",
    "the_quarter",
    "the_day",
    "year_ago",
    "year_period",
    "that_year",
}
FOCUS_QUARTER_RULES = {"quarter", "the_quarter"}  # rules that name the quarter reported on
QUARTER_VALUE = re.compile(r"\d{4}-Q[1-4]")


@cache
def calendar_nouns() -> frozenset[str]:
    """Calendar words that are common nouns or adverbs: capitalised inside a sentence they
    belong to a title or a name ("60 Minutes", "This Week", "USA Today", "China Daily")."""
    v = vocab()
    words = [*v.units, *(plural(u) for u in v.units), *v.parts_of_day, *SET_ADVERBS]
    words += [w for w in v.day_offsets if " " not in w] + ["tonight"]
    return frozenset(words)


SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\n-])[\s\"'`“‘(]*$")
NAMED_RULES = {"holiday"}  # "Memorial Day", "Christmas Day": the capital belongs to the name


def in_title(m: re.Match[str], ctx: Context) -> bool:
    """Whether a calendar noun of the match is capitalised inside its sentence."""
    start, end = span_of(m)
    for word in re.finditer(r"\b[A-Z][a-z]+\b", ctx.text[start:end]):
        at = start + word.start()
        opening = SENTENCE_OPENING.search(ctx.text[max(0, at - 12) : at])
        if word[0].lower() in calendar_nouns() and not opening:
            return True
    return False


def normalise(m: re.Match[str], rank: int, ctx: Context) -> Normalised | None:
    """A match's type and value, or None when it is no date (an impossible or out-of-range
    day degrades to no expression)."""
    for name in CAPITALISED:
        at = m.start(name) if name in m.re.groupindex else -1
        if at >= 0 and not ctx.text[at].isupper():
            return None  # "may", "march", "sat" in lower case are no dates
    if rules()[rank].norm not in NAMED_RULES and in_title(m, ctx):
        return None
    try:
        return NORMALISERS[rules()[rank].norm](m, ctx)
    except (OverflowError, ValueError):
        return None


def tag(text: str, dct: date | None, doc: Doc | None = None) -> list[Timex]:
    """Every temporal expression of a text, normalised against the document creation time;
    a parse of the same text, when given, only decides the tense of bare weekdays."""
    ctx = Context(
        text=text,
        dct=dct,
        future=lambda s, e: text_future(text, s, e),
        weekday_future=future_reader(text, doc),
    )
    kept: dict[int, Normalised] = {}
    found = []
    for m, rank in candidates(text):
        normalised = normalise(m, rank, ctx)
        if normalised is not None:
            kept[id(m)] = normalised
            found.append((m, rank))
    timexes = []
    for m, rank in longest_first(found):
        # Expressions counted from the last day named are read again, in text order.
        needs_reference = rules()[rank].norm in RELATIVE_TO_REFERENCE
        normalised = normalise(m, rank, ctx) if needs_reference else kept[id(m)]
        if normalised is None:
            continue
        kind, value, mod = normalised
        start, end = trimmed(text, *span_of(m))
        timexes.append(Timex(start, end, text[start:end], kind, value, mod))
        anchor = value_date(value)
        if anchor is not None and anchor[1] == "day":
            ctx.reference = anchor[0]
        if anchor is not None and kind == "DATE":
            ctx.period = value
        if ctx.quarter is None and rules()[rank].norm in FOCUS_QUARTER_RULES:
            ctx.quarter = value if QUARTER_VALUE.fullmatch(value) else None
    return timexes


# --- the event's date --------------------------------------------------------------------------


def value_date(value: str) -> tuple[date, str] | None:
    """The first day of a TimeML date value and its precision, or None when not a date."""
    try:
        return calendar_value(value)
    except ValueError:  # year 0 and the like
        return None


def calendar_value(value: str) -> tuple[date, str] | None:
    """`value_date` for values that may name an impossible day."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", value)
    if m:
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d, "day") if d else None
    m = re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", value)
    if m:
        try:
            return date.fromisocalendar(int(m[1]), int(m[2]), 1), "week"
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m and 1 <= int(m[2]) <= 12:
        return date(int(m[1]), int(m[2]), 1), "month"
    m = re.fullmatch(r"(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)", value)
    if m:
        first = {"Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10, "H1": 1, "H2": 7}
        first.update({"SP": 3, "SU": 6, "FA": 9, "WI": 12})
        return date(int(m[1]), first[m[2]], 1), "month"
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), "year"
    return None


def event_value(timex: Timex) -> EventDate | None:
    """The EventDate an expression gives; an approximate day is only good to the week."""
    dated = value_date(timex.value) if timex.type in DATE_TYPES else None
    if dated is None:
        return None
    value, precision = dated
    if timex.mod == "APPROX" and precision == "day":
        precision = "week"
    return EventDate(value, precision, timex.start, timex.end)


CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "xcomp", "csubj", "acl", "parataxis", "conj"}


def clause_head(token: Token) -> Token:
    """The verb heading the clause a token is in."""
    while token.dep_ not in CLAUSE_DEPS or token.pos_ not in {"VERB", "AUX"}:
        if token.head.i == token.i:
            break
        token = token.head
    return token


def paragraph_bounds(text: str, at: int) -> tuple[int, int]:
    """Character bounds of the paragraph around a position (blank lines separate them)."""
    starts = [m.end() for m in re.finditer(r"\n\s*\n", text[:at])]
    start = starts[-1] if starts else 0
    after = re.search(r"\n\s*\n", text[at:])
    return start, at + after.start() if after else len(text)


QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def quote_of(text: str, at: int) -> tuple[int, int] | None:
    """The quotation a position is in, if any."""
    for m in QUOTE.finditer(text):
        if m.start() <= at < m.end():
            return m.start(), m.end()
        if m.start() > at:
            break
    return None


def governing_timex(trigger: Token, datable: list[Timex]) -> tuple[Timex, str] | None:
    """The expression that dates a trigger, and the sentence it is in; a date inside a
    quotation dates only what is said inside that quotation."""
    doc = trigger.doc
    quote = quote_of(doc.text, trigger.idx)
    datable = [t for t in datable if quote_of(doc.text, t.start) in (None, quote)]
    sent = trigger.sent
    in_sentence = [t for t in datable if sent.start_char <= t.start < sent.end_char]
    if in_sentence:
        head = clause_head(trigger)
        for t in in_sentence:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and clause_head(span.root).i == head.i:
                return t, sent.text
        nearest = min(in_sentence, key=lambda t: abs(t.start - trigger.idx))
        return nearest, sent.text
    start, end = paragraph_bounds(doc.text, trigger.idx)
    in_paragraph = [t for t in datable if start <= t.start < end]
    if not in_paragraph:
        return None
    nearest = min(in_paragraph, key=lambda t: abs(t.start - trigger.idx))
    span = doc.char_span(nearest.start, nearest.end, alignment_mode="expand")
    return nearest, span.sent.text if span is not None else nearest.text


def event_date(
    trigger: Token, report: Report, timexes: list[Timex]
) -> tuple[EventDate, Evidence] | None:
    """The event's date with the evidence it rests on, or None when nothing dates it."""
    datable = [t for t in timexes if event_value(t) is not None]
    governing = governing_timex(trigger, datable)
    if governing is not None:
        timex, sentence = governing
        value = event_value(timex)
        if value is not None:
            return value, Evidence("date", sentence, timex.start, timex.end)
    if report.published is None:
        return None
    value = EventDate(report.published, PUBLICATION_PRECISION)
    evidence = Evidence("date", f"published {report.published.isoformat()}", 0, 0)
    return value, evidence


def read_from_text(value: EventDate | None) -> bool:
    """Whether an event date was read from the text rather than taken from publication."""
    return value is not None and value.start is not None


def report_timexes(doc: Doc, report: Report) -> list[Timex]:
    """The temporal expressions of a parsed report, once per report."""
    return tag(report.text, report.published, doc)


# --- JSON lines in and out (`sitrep timex`) ----------------------------------------------------


def parse_dct(value: object) -> date | None:
    """A document creation time (its first ten characters as YYYY-MM-DD), None when absent or
    malformed: relative expressions then stay unresolved."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def tag_jsonl(path: Path, out: TextIO) -> int:
    """Tag every `{"id","dct","text"}` line of a file; write `{"id","timexes"}` lines."""
    written = 0
    for row in read_text_records(path):
        found = tag(row["text"], parse_dct(row.get("dct")))
        record = {"id": row.get("id"), "timexes": [t.record() for t in found]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def acled_time_precision(precision: str | None) -> int | None:
    """ACLED's time_precision code: 1 day, 2 week, 3 month or coarser."""
    return ACLED_TIME_PRECISION.get(precision or "")
