"""The report format: `date YYYY-MM-DD headline`, a byline, then the body."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import ConfigError, Skip
from sitrep.ingest import parse_byline, read_text_report

from .helpers import FIXTURES, REPORT, REPORT_BODY, only, read_all, report, skipped

SHARED_EXAMPLE = Path(__file__).parents[3] / "shared" / "examples" / "afp_2021-07-08_qala-i-naw.txt"


def test_header_fields() -> None:
    got = report(read_text_report(REPORT, source_path="a.txt"))
    assert got.published == date(2020, 5, 3)
    assert got.title == "Gunmen kill four traders near Gao market"
    assert got.agencies == ("AFP",)
    assert got.dateline == "BAMAKO"
    assert got.source_format == "report"
    assert got.source_path == "a.txt"
    assert got.text == REPORT_BODY


def test_body_keeps_paragraphs_apart() -> None:
    got = report(read_text_report(REPORT))
    assert got.text.count("\n\n") == 2
    assert got.text.startswith("Unidentified gunmen killed four traders")
    assert got.text.endswith("sent a patrol to the area.")


def test_leading_space_and_several_agencies_from_a_file() -> None:
    got = report(only(read_all(FIXTURES / "report_two_agencies.txt")))
    assert got.published == date(2021, 3, 14)
    assert got.agencies == ("AP", "AFP")
    assert got.dateline == "DHAKA"
    assert got.text.startswith("Heavy rain on Saturday")


@pytest.mark.parametrize(
    ("byline", "agencies", "dateline"),
    [
        ("AFP, KABUL", ("AFP",), "KABUL"),
        ("AFP/Reuters, BAMAKO", ("AFP", "Reuters"), "BAMAKO"),
        ("AP, AFP, DHAKA", ("AP", "AFP"), "DHAKA"),
        ("AFP/dpa, Dar es Salaam", ("AFP", "dpa"), "Dar es Salaam"),
        ("Reuters, WASHINGTON D.C.", ("Reuters",), "WASHINGTON D.C."),
        ("  AFP ,  Kabul  ", ("AFP",), "Kabul"),
        ("bdnews24, CHATTOGRAM", ("bdnews24",), "CHATTOGRAM"),
        ("Dhaka Tribune, NARAYANGANJ", ("Dhaka Tribune",), "NARAYANGANJ"),
    ],
)
def test_bylines(byline: str, agencies: tuple[str, ...], dateline: str) -> None:
    assert parse_byline(byline) == (agencies, dateline)
    got = report(read_text_report(f"date 2020-01-02 Title\n\n{byline}\n\nBody text here."))
    assert (got.agencies, got.dateline, got.text) == (agencies, dateline, "Body text here.")


@pytest.mark.parametrize(
    "line",
    [
        "On Sunday, gunmen attacked the market.",
        "In Kabul, Taliban fighters attacked a checkpoint",
        "The army said the attackers, who came on motorbikes, fled towards the border after the "
        "raid on the market",
        "No comma in this opening line",
        "However, the army denied it",
        "Witnesses said the gunmen, who wore uniforms",
    ],
)
def test_a_sentence_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None
    got = report(read_text_report(f"date 2020-01-02 Title\n\n{line}\n\nSecond paragraph."))
    assert got.agencies == ()
    assert got.dateline is None
    assert got.text == f"{line}\n\nSecond paragraph."


def test_bom_crlf_and_leading_whitespace(write) -> None:
    text = "\ufeff  \r\n " + REPORT.replace("\n", "\r\n")
    got = report(only(read_all(write("crlf.txt", text))))
    assert got.published == date(2020, 5, 3)
    assert got.agencies == ("AFP",)
    assert got.text == REPORT_BODY
    assert "\r" not in got.text


def test_header_without_headline() -> None:
    got = report(read_text_report("date 2020-01-02\n\nAFP, KABUL\n\nBody."))
    assert got.title is None
    assert got.published == date(2020, 1, 2)


def test_hard_wrapped_paragraph_lines_are_kept() -> None:
    got = report(
        read_text_report("date 2020-01-02 T\n\nAFP, KABUL\n\nOne line\nand its tail.\n\nNext.")
    )
    assert got.text == "One line\nand its tail.\n\nNext."


@pytest.mark.parametrize("value", ["2021-13-45", "2021-02-30", "08/07/2021", "2021-7-8"])
def test_bad_date_is_skipped_with_its_line(value: str) -> None:
    got = skipped(read_text_report(f"date {value} Title\n\nAFP, KABUL\n\nBody."), Skip.BAD_DATE[0])
    assert got.source_line == 1
    assert value in got.reason


def test_bad_date_line_counts_leading_blank_lines() -> None:
    got = skipped(read_text_report("\n\ndate 2021-13-45 Title\n\nBody."), Skip.BAD_DATE[0])
    assert got.source_line == 3


def test_date_word_without_digits_is_plain_text() -> None:
    text = "date palms were burned in the raid on the oasis, residents said."
    got = report(read_text_report(text))
    assert got.source_format == "text"
    assert got.text == text


def test_header_with_no_body_is_empty() -> None:
    skipped(read_text_report("date 2020-01-02 Title\n\nAFP, KABUL\n\n   \n"), Skip.EMPTY[0])


def test_plain_text(write) -> None:
    text = "Gunmen attacked a market near Gao on Sunday.\n\nFour traders were killed.\n"
    got = report(only(read_all(write("plain.txt", text))))
    assert got.source_format == "text"
    assert got.published is None
    assert got.agencies == ()
    assert got.text == text.strip()


def test_source_format_text_ignores_the_header() -> None:
    got = report(read_text_report(REPORT, source_format="text"))
    assert got.source_format == "text"
    assert got.text.startswith("date 2020-05-03")


def test_unknown_source_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="source_format"):
        read_text_report(REPORT, source_format="pdf")


def test_file_without_suffix_is_read_as_text(write) -> None:
    got = report(only(read_all(write("REPORT", REPORT))))
    assert got.source_format == "report"


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="../shared is not available")
def test_the_users_example_report() -> None:
    got = report(only(read_all(SHARED_EXAMPLE)))
    assert got.published == date(2021, 7, 8)
    assert got.agencies == ("AFP",)
    assert got.dateline == "KABUL"
    assert got.title and got.title.startswith("Taliban")
    assert not got.text.startswith(("date", "AFP"))
