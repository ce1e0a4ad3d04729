"""Properties: no input makes ingest raise; headers round-trip; ids ignore whitespace."""

from __future__ import annotations

import gzip
import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitrep.errors import Skip
from sitrep.ingest import fix_mojibake, iter_inputs, read_text_report, report_id_for
from sitrep.models import Report, Skipped

SKIP_CODES = {value[0] for name, value in vars(Skip).items() if name.isupper()}
SUFFIXES = [".txt", "", ".jsonl", ".ndjson", ".csv", ".tsv", ".html", ".txt.gz", ".jsonl.gz"]
SUFFIXES += [".csv.gz", ".gz", ".pdf"]
FIELD_NAMES = ["id", "text", "body", "date", "published", "title", "source", "agencies", "url"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
json_lines = st.lists(
    st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), json_values).map(json.dumps)
    | st.text(max_size=40),
    max_size=6,
).map("\n".join)
csv_like = st.lists(
    st.sampled_from([*'ab, "\n\r\t;é’\x00', "id", "text", "notes"]), max_size=100
).map("".join)
html_like = st.lists(
    st.sampled_from(["<html>", "<p>", "</p>", "<article>", "<title>", "x y z ", "&amp;", "<!--"])
    | st.text(max_size=20),
    max_size=30,
).map("".join)
encodings = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"])
contents = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.one_of(json_lines, csv_like, html_like, st.text(max_size=300)), encodings).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
)


def _check(items: list[Report | Skipped], path: Path) -> None:
    for item in items:
        assert isinstance(item, Report | Skipped)
        assert item.source_path == str(path)
        if isinstance(item, Report):
            assert item.text.strip()
            assert item.report_id
        else:
            assert item.code in SKIP_CODES


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=contents,
    suffix=st.sampled_from(SUFFIXES),
    compress=st.booleans(),
    max_bytes=st.sampled_from([64, 2_000_000]),
)
def test_any_bytes_never_raise(content: bytes, suffix: str, compress: bool, max_bytes: int) -> None:
    if suffix.endswith(".gz") and compress:
        content = gzip.compress(content)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        _check(list(iter_inputs([path], max_bytes=max_bytes)), path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500), st.sampled_from(["report", "text"]))
def test_any_string_never_raises(text: str, source_format: str) -> None:
    assert isinstance(read_text_report(text, source_format=source_format), Report | Skipped)


# --- header round trip -----------------------------------------------------------------------

word = st.from_regex(r"[A-Z][A-Za-z0-9&'.-]{0,7}", fullmatch=True)
name = st.lists(word, min_size=1, max_size=3).map(" ".join)
headline = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=60,
)
body_line = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "Zs"), max_codepoint=0x2FFF), min_size=1
).filter(str.strip)
paragraph = st.lists(body_line, min_size=1, max_size=3).map("\n".join)
blank = st.sampled_from(["\n", "\n\n", "\n  \n", "\n\t\n\n"])


@settings(max_examples=150, deadline=None)
@given(
    published=st.dates(min_value=date(1000, 1, 1)),
    title=headline,
    agencies=st.lists(name, min_size=1, max_size=3),
    slash=st.booleans(),
    dateline=name,
    paragraphs=st.lists(paragraph, min_size=1, max_size=4),
    gaps=st.tuples(blank, blank),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    prefix=st.sampled_from(["", " ", "\ufeff", "\ufeff \n"]),
)
def test_header_round_trip(
    published: date,
    title: str,
    agencies: list[str],
    slash: bool,
    dateline: str,
    paragraphs: list[str],
    gaps: tuple[str, str],
    newline: str,
    prefix: str,
) -> None:
    byline = ("/" if slash else ", ").join(agencies) + ", " + dateline
    assume(len(byline) <= 80)
    text = (
        f"{prefix}date {published.isoformat()} {title}\n{gaps[0]}{byline}\n{gaps[1]}"
        + "\n\n".join(paragraphs)
        + "\n"
    ).replace("\n", newline)
    got = read_text_report(text)
    assert isinstance(got, Report), got
    assert got.published == published
    assert got.title == (title.strip() or None)
    assert got.agencies == tuple(agencies)
    assert got.dateline == dateline
    assert got.text == "\n\n".join(p.strip() for p in paragraphs)


# --- ids and mojibake ------------------------------------------------------------------------

token = st.text(
    st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs", "Mn", "Mc", "Me")),
    min_size=1,
    max_size=8,
)
space = st.lists(
    st.sampled_from([" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000"]), min_size=1, max_size=3
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(token, space), min_size=1, max_size=12), space, st.none() | st.text())
def test_report_id_ignores_whitespace(
    pieces: list[tuple[str, str]], edge: str, source: str | None
) -> None:
    single = " ".join(tok for tok, _ in pieces)
    spaced = edge + "".join(tok + sep for tok, sep in pieces)
    assert report_id_for(spaced, source) == report_id_for(single, source)


clean_text = st.text(st.sampled_from(list("abc XYZ.,'-éèàçñüöß’“”—–€…")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(clean_text)
def test_mojibake_round_trip(text: str) -> None:
    assert fix_mojibake(_garble(text)) == text


def _garble(text: str) -> str:
    """UTF-8 read as cp1252, with Latin-1 for the five bytes cp1252 leaves undefined."""
    return "".join(
        bytes([b]).decode("cp1252") if b not in b"\x81\x8d\x8f\x90\x9d" else chr(b)
        for b in text.encode("utf-8")
    )
