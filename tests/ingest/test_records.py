"""JSONL, CSV, TSV and ACLED exports: aliases, line numbers, bad records."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitrep.errors import Skip
from sitrep.ingest import parse_date, report_id_for

from .helpers import FIXTURES, read_all, report, skipped

NOTE = "On 3 May 2020, police arrested 12 protesters outside the court in Riverside town."


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# --- JSONL ---------------------------------------------------------------------------------


def test_jsonl_aliases_and_extra(write) -> None:
    path = write(
        "a.jsonl",
        jsonl(
            {
                "Doc_ID": 17,
                "Body": NOTE,
                "Headline": "Protesters held",
                "pub_date": "2020-05-04T10:30:00Z",
                "agencies": ["AFP", "Reuters"],
                "Link": "https://example.org/1",
                "section": "world",
                "tags": ["a", "b"],
                "score": 0.5,
            }
        ),
    )
    got = report(read_all(path)[0])
    assert got.report_id == "17"
    assert got.text == NOTE
    assert got.title == "Protesters held"
    assert got.published == date(2020, 5, 4)
    assert got.agencies == ("AFP", "Reuters")
    assert got.url == "https://example.org/1"
    assert got.source_format == "jsonl"
    assert got.source_line == 1
    assert got.extra == {"section": "world", "tags": '["a", "b"]', "score": "0.5"}


def test_jsonl_first_alias_with_a_value_wins(write) -> None:
    path = write("a.jsonl", jsonl({"text": "", "content": NOTE, "date": None, "dct": "2020-05-01"}))
    got = report(read_all(path)[0])
    assert got.text == NOTE
    assert got.published == date(2020, 5, 1)
    assert got.extra == {"text": ""}


def test_jsonl_bad_lines_are_skipped_with_their_numbers(write) -> None:
    path = write(
        "mixed.ndjson",
        jsonl(
            {"text": NOTE},  # 1
            "",  # 2: blank, ignored
            "{not json",  # 3
            [1, 2],  # 4
            {"text": NOTE, "date": "sometime soon"},  # 5
            {"title": "no text"},  # 6
            {"text": {"nested": True}},  # 7
            {"text": NOTE + " Again.", "source": "AFP; Reuters"},  # 8
        ),
    )
    items = read_all(path)
    lines = [(item.source_line, getattr(item, "code", "ok")) for item in items]
    assert lines == [
        (1, "ok"),
        (3, Skip.BAD_RECORD[0]),
        (4, Skip.BAD_RECORD[0]),
        (5, Skip.BAD_DATE[0]),
        (6, Skip.EMPTY[0]),
        (7, Skip.BAD_RECORD[0]),
        (8, "ok"),
    ]
    assert report(items[-1]).agencies == ("AFP", "Reuters")
    assert "sometime soon" in items[3].reason


def test_jsonl_id_is_computed_from_text_and_source_when_missing(write) -> None:
    path = write("a.jsonl", jsonl({"text": NOTE, "source": "AFP"}))
    assert report(read_all(path)[0]).report_id == report_id_for(NOTE, "AFP")


def test_jsonl_oversized_line_is_skipped_and_reading_goes_on(write) -> None:
    path = write("big.jsonl", jsonl({"text": "x " * 400}, {"text": NOTE}))
    items = read_all(path, max_bytes=200)
    assert skipped(items[0], Skip.OVERSIZED[0]).source_line == 1
    assert report(items[1]).source_line == 2


def test_jsonl_with_only_blank_lines_is_empty(write) -> None:
    skipped(read_all(write("blank.jsonl", "\n  \n\n"))[0], Skip.EMPTY[0])


def test_jsonl_stray_latin1_line_is_recovered(write) -> None:
    good = json.dumps({"text": NOTE}, ensure_ascii=False).encode()
    bad = json.dumps({"text": NOTE + " Café owners fled."}, ensure_ascii=False).encode("latin-1")
    items = read_all(write("mixed.jsonl", good + b"\n" + bad + b"\n"))
    assert report(items[1]).text.endswith("Café owners fled.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-03", date(2020, 5, 3)),
        ("2020-05-03T23:59:59+05:00", date(2020, 5, 3)),
        ("2020-05-03 10:00", date(2020, 5, 3)),
        ("2020/5/3", date(2020, 5, 3)),
        ("20200503", date(2020, 5, 3)),
        ("3 May 2020", date(2020, 5, 3)),
        ("03 Sept. 2020", date(2020, 9, 3)),
        ("May 3, 2020", date(2020, 5, 3)),
        ("Sun, 03 May 2020 10:00:00 GMT", date(2020, 5, 3)),
        ("1588500000", date(2020, 5, 3)),
        (1588500000, date(2020, 5, 3)),
        (1588500000000, date(2020, 5, 3)),
        ("2020-02-30", None),
        ("3 Maybe 2020", None),
        ("yesterday", None),
        (True, None),
        (2020, None),
        (float("nan"), None),
        (["2020-05-03"], None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


# --- CSV / TSV -----------------------------------------------------------------------------


def test_csv_aliases_and_quoted_newlines(write) -> None:
    text = (
        "ID,Headline,Article,Published,Outlet,desk\n"
        'a1,First,"Line one of the first report.\nLine two of it.",2020-05-01,AFP,world\n'
        "\n"
        'a2,Second,"Second report, with a comma.",3 May 2020,Reuters|AP,africa\n'
    )
    first, second = read_all(write("r.csv", text))
    first, second = report(first), report(second)
    assert (first.report_id, first.source_line, first.title) == ("a1", 2, "First")
    assert first.text == "Line one of the first report.\nLine two of it."
    assert first.published == date(2020, 5, 1)
    assert first.extra == {"desk": "world"}
    assert first.source_format == "csv"
    assert (second.report_id, second.source_line) == ("a2", 5)
    assert second.agencies == ("Reuters", "AP")


def test_csv_bad_records(write) -> None:
    text = (
        "id,text\n"
        "1,A first report about a protest in town.\n"  # 2
        "2,too,many,fields\n"  # 3
        '3,"quoted"then text\n'  # 4: a quoting error
        "4\n"  # 5: too few fields
        "5,A fifth report about a protest in town.\n"  # 6
        "6,\n"  # 7: empty text
    )
    items = read_all(write("bad.csv", text))
    got = [(item.source_line, getattr(item, "code", "ok")) for item in items]
    assert got == [
        (2, "ok"),
        (3, Skip.BAD_RECORD[0]),
        (4, Skip.BAD_RECORD[0]),
        (5, Skip.BAD_RECORD[0]),
        (6, "ok"),
        (7, Skip.EMPTY[0]),
    ]


def test_csv_unterminated_quote_does_not_raise(write) -> None:
    items = read_all(write("open.csv", 'id,text\n1,"never closed\n2,more\n'))
    assert [getattr(item, "code", "ok") for item in items] == [Skip.BAD_RECORD[0]]


def test_csv_oversized_record(write) -> None:
    text = "id,text\n" + '1,"' + "word " * 100 + '\nmore"\n' + "2,A short report text.\n"
    items = read_all(write("big.csv", text), max_bytes=300, check_language=False)
    assert skipped(items[0], Skip.OVERSIZED[0]).source_line == 2
    assert report(items[1]).source_line == 4


def test_csv_oversized_physical_line(write) -> None:
    text = "id,text\n1," + "w" * 1000 + "\n2,A short report text.\n"
    items = read_all(write("big.csv", text), max_bytes=300, check_language=False)
    assert skipped(items[0], Skip.OVERSIZED[0]).source_line == 2
    assert report(items[1]).source_line == 3


def test_csv_header_only_gives_nothing_and_empty_file_is_empty(write) -> None:
    assert read_all(write("h.csv", "id,text\n")) == []
    skipped(read_all(write("e.csv", ""))[0], Skip.EMPTY[0])


def test_tsv(write) -> None:
    got = report(read_all(write("r.tsv", f"uid\tcontent\tdate\nt1\t{NOTE}\t2020-05-03\n"))[0])
    assert (got.report_id, got.text, got.source_format) == ("t1", NOTE, "tsv")


def test_csv_crlf_and_bom(write) -> None:
    data = "\ufeffid,text\r\n1,First report about a protest.\r\n2,Second one.\r\n".encode()
    items = [report(item) for item in read_all(write("w.csv", data), check_language=False)]
    assert [(r.report_id, r.source_line, r.text) for r in items] == [
        ("1", 2, "First report about a protest."),
        ("2", 3, "Second one."),
    ]


# --- ACLED ---------------------------------------------------------------------------------


def test_acled_export() -> None:
    first, second, third = read_all(FIXTURES / "acled_sample.csv")
    first, second = report(first), report(second)
    assert first.report_id == "XYZ101"
    assert first.source_format == "acled"
    assert first.published is None  # the date must come from the text, never event_date
    assert first.text.startswith("On 3 May 2020, around 200 traders protested")
    assert first.agencies == ("Daily Test", "Test Radio")
    assert first.extra["event_type"] == "Protests"
    assert first.extra["event_date"] == "2020-05-03"
    assert "notes" not in first.extra and "event_id_cnty" not in first.extra
    assert (first.source_line, second.source_line) == (2, 3)
    assert second.text.endswith("The attackers fled on motorbikes.")
    assert skipped(third, Skip.EMPTY[0]).source_line == 5


def test_csv_record_over_the_limit_across_lines(write) -> None:
    text = "id,text\n" + '1,"' + "\n".join(["word " * 20] * 5) + '"\n' + "2,A short report text.\n"
    items = read_all(write("big.csv", text), max_bytes=300, check_language=False)
    assert skipped(items[0], Skip.OVERSIZED[0]).source_line == 2
    assert report(items[1]).source_line == 7
