"""Properties of every reader and of the header, date and CSV parsing: no input raises, and
well-formed input reads back as written (issue 9's fuzzing, at a budget `make test` can afford;
`bench/soak.py` and `bench/fuzz_ingest.py` run the long versions)."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitrep.errors import Skip
from sitrep.ingest import (
    READERS,
    detect_encoding,
    fix_mojibake,
    input_file,
    iter_inputs,
    parse_byline,
    parse_date,
    read_text_report,
)
from sitrep.models import Report, Skipped

SKIP_CODES = {value[0] for name, value in vars(Skip).items() if name.isupper()}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk_text = st.text(
    st.characters(blacklist_categories=()) | st.sampled_from(list('"\n\r\t,;\x00\ufeff')),
    max_size=200,
)
codecs_ = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1",
                           "cp1252", "utf-32"])  # fmt: skip
raw = st.binary(max_size=600) | st.tuples(junk_text, codecs_).map(
    lambda pair: pair[0].encode(pair[1], errors="replace")
)
packers = {"": lambda b: b, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def read_with(reader_suffix: str, content: bytes, compression: str, max_bytes: int):
    """Everything one reader yields for these bytes, through `iter_inputs` (as `sitrep run`)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{reader_suffix}{compression}"
        path.write_bytes(packers[compression](content))
        assert input_file(path, max_bytes).suffix == reader_suffix.lower()
        items = list(iter_inputs([path], max_bytes=max_bytes, check_language=False))
    for item in items:
        assert isinstance(item, Report | Skipped)
        if isinstance(item, Skipped):
            assert item.code in SKIP_CODES, item
        else:
            assert item.text.strip() and item.report_id
            item.text.encode("utf-8")  # storable: no lone surrogates
    return items


@FAST
@given(
    suffix=st.sampled_from(sorted(READERS)),
    content=raw,
    compression=st.sampled_from(sorted(packers)),
    max_bytes=st.sampled_from([32, 100_000]),
)
def test_every_reader_takes_any_bytes(suffix, content, compression, max_bytes) -> None:
    read_with(suffix, content, compression, max_bytes)


@FAST
@given(st.binary(min_size=1, max_size=400), st.sampled_from([".gz", ".bz2", ".xz"]))
def test_truncated_or_corrupt_compression_is_reported(content: bytes, compression: str) -> None:
    packed = packers[compression](b'{"text": "Gunmen attacked a market near Gao."}\n' * 3)
    broken = packed[: len(content) % len(packed)] + content
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input.jsonl{compression}"
        path.write_bytes(broken)
        for item in iter_inputs([path], check_language=False):
            assert isinstance(item, Report) or item.code in SKIP_CODES


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | junk_text
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(junk_text, inner)
)
fields = st.sampled_from(["id", "text", "body", "date", "published", "title", "source", "url"])


@FAST
@given(st.lists(st.dictionaries(fields | junk_text, json_values, max_size=5), max_size=5))
def test_jsonl_records_of_any_shape(records: list[dict]) -> None:
    lines = [json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(records)]
    content = "\n".join(lines).encode("utf-8", "surrogatepass")
    items = read_with(".jsonl", content, "", 100_000)
    # One item per line, or one skip for the whole file (empty, or binary-looking text).
    whole_file = len(items) == 1 and isinstance(items[0], Skipped) and items[0].source_line is None
    assert whole_file or len(items) == len(records)


@FAST
@given(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "x\\udc80y"]), st.booleans())
def test_json_escapes_of_lone_surrogates_become_replacement_characters(escape, in_title) -> None:
    field = "title" if in_title else "text"
    line = '{"text": "Gunmen attacked Gao", "' + field + '": "A ' + escape + '"}'
    report = read_with(".jsonl", line.encode(), "", 100_000)[0]
    assert isinstance(report, Report)
    assert "\ufffd" in (report.title if in_title else report.text)


cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(
    rows=st.lists(st.tuples(cell, cell.filter(lambda t: t.strip()), cell), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_written_by_the_csv_module_reads_back(rows, delimiter, quoting, newline) -> None:
    # With "\n" as terminator the csv module leaves a bare "\r" unquoted, and every CSV
    # reader (the csv module's own too) ends the record there: not a file to read back.
    assume(not (quoting == csv.QUOTE_MINIMAL and newline == "\n"
                and any("\r" in cell for row in rows for cell in row)))  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(["id", "text", "title"])
    writer.writerows(rows)
    suffix = ".csv" if delimiter == "," else ".tsv"
    items = read_with(suffix, buffer.getvalue().encode("utf-8"), "", 100_000)
    texts = [i.text for i in items if isinstance(i, Report)]
    skips = [i for i in items if isinstance(i, Skipped)]
    # Every row becomes a report with its text, or (binary-looking text) one whole-file skip.
    if skips:
        assert len(items) == 1 and skips[0].code in (Skip.BINARY[0], Skip.EMPTY[0]), skips
        return
    assert len(items) == len(rows)
    for got, (_, text, _) in zip(texts, rows, strict=True):
        # A cell that reads as UTF-8 mojibake ("Â¡") is repaired on purpose (tests/ingest).
        expected = fix_mojibake(text)
        assert got.split() == expected.replace("\r\n", "\n").replace("\r", "\n").split()


@FAST
@given(st.lists(st.sampled_from(['"', '""', ",", "\n", "\r", "a", "text", "id", "\x00", "é"]),
                max_size=80).map("".join))  # fmt: skip
def test_csv_quoting_junk_never_raises(content: str) -> None:
    read_with(".csv", ("id,text\n" + content).encode("utf-8"), "", 100_000)


# --- header, byline and dates -----------------------------------------------------------------


@FAST
@given(junk_text, junk_text, st.sampled_from(["date ", "DATE: ", "date\t", "Date:  "]))
def test_header_lines_never_raise(value: str, rest: str, word: str) -> None:
    got = read_text_report(f"{word}{value} {rest}\n\nAFP, GAO\n\nGunmen attacked a market.")
    assert isinstance(got, Report | Skipped)
    if isinstance(got, Skipped):
        assert got.code in (Skip.BAD_DATE[0], Skip.EMPTY[0])


@FAST
@given(st.dates(min_value=date(1, 1, 1)), junk_text)
def test_a_valid_header_date_is_kept(published: date, title: str) -> None:
    got = read_text_report(f"date {published.isoformat()} {title.splitlines()[0] if title else ''}"
                           "\n\nGunmen attacked a market near Gao.")  # fmt: skip
    if published.year >= 1000:
        assert isinstance(got, Report) and got.published == published


@FAST
@given(junk_text)
def test_byline_never_raises(line: str) -> None:
    got = parse_byline(line)
    if got is not None:
        agencies, dateline = got
        assert dateline and all(agencies)


date_values = (
    junk_text
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.none()
    | st.lists(st.integers(), max_size=2)
    | st.from_regex(r"\d{1,5}[-/]\d{1,3}[-/]\d{1,3}", fullmatch=True)
    | st.from_regex(r"\d{1,2} [A-Za-z]{3,9},? \d{1,5}", fullmatch=True)
    | st.from_regex(r"\d{8,15}(\.\d+)?", fullmatch=True)
)


@settings(max_examples=100, deadline=None)
@given(date_values)
def test_parse_date_never_raises(value: object) -> None:
    assert parse_date(value) is None or isinstance(parse_date(value), date)


@FAST
@given(st.dates(), st.sampled_from(["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y%m%d}", "{:%d %B %Y}",
                                    "{:%B %d, %Y}", "{:%Y-%m-%dT12:00:00Z}"]))  # fmt: skip
def test_parse_date_reads_the_formats_it_names(day: date, template: str) -> None:
    if day.year >= 1000:
        assert parse_date(template.format(day)) == day


# --- encodings --------------------------------------------------------------------------------

english = st.lists(
    st.sampled_from(["Gunmen", "attacked", "a", "market", "near", "Gao", "on", "Sunday,",
                     "killing", "four", "traders.", "café", "—", "“police”", "12"]),
    min_size=4, max_size=40,
).map(" ".join)  # fmt: skip


@FAST
@given(english, st.sampled_from(["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig", "utf-32",
                                 "cp1252"]))  # fmt: skip
def test_english_in_any_unicode_encoding_reads_back(text: str, codec: str) -> None:
    data = text.encode(codec)
    assert detect_encoding(data) in {codec, "utf-8", "utf-16", "utf-32", "utf-8-sig"}
    report = read_with(".txt", data, "", 100_000)[0]
    assert isinstance(report, Report) and report.text == text.strip()


def test_a_stray_cp1252_dash_in_english_is_not_a_cyrillic_code_page() -> None:
    """Hypothesis found it: one byte 0x97 after English words was read as cp1125 Cyrillic."""
    assert detect_encoding("Gunmen fired on the convoy \u2014".encode("cp1252")) == "cp1252"
    assert detect_encoding("Gunmen Gunmen Gunmen \u2014".encode("cp1252")) == "cp1252"
    assert detect_encoding("a a caf\u00e9 caf\u00e9".encode("cp1252")) == "cp1252"
