"""Stable report ids: from the text and its source, never from the file."""

from __future__ import annotations

import json

from sitrep.ingest import read_text_report, report_id_for

from .helpers import REPORT, REPORT_BODY, read_all, report


def test_same_text_same_id() -> None:
    assert report_id_for(REPORT_BODY, "AFP") == report_id_for(REPORT_BODY, "AFP")


def test_shape() -> None:
    rid = report_id_for("text", None)
    assert rid.startswith("r") and len(rid) == 21
    int(rid[1:], 16)


def test_whitespace_does_not_change_the_id() -> None:
    rewrapped = "  " + REPORT_BODY.replace(" ", "\n", 3).replace("\n\n", "\n \t\n") + "\n"
    assert report_id_for(rewrapped, "AFP") == report_id_for(REPORT_BODY, "AFP")


def test_unicode_normal_form_does_not_change_the_id() -> None:
    assert report_id_for("Yaounde\u0301", None) == report_id_for("Yaoundé", None)


def test_source_changes_the_id() -> None:
    assert report_id_for(REPORT_BODY, "AFP") != report_id_for(REPORT_BODY, "Reuters")
    assert report_id_for(REPORT_BODY, None) == report_id_for(REPORT_BODY, "")


def test_same_report_in_two_files_has_one_id(write) -> None:
    one = write("one/r.txt", REPORT)
    two = write("two/copy.txt", REPORT.replace("\n\n", "\n\n\n"))
    first, second = (report(item) for item in read_all(one, two))
    assert first.report_id == second.report_id
    assert first.source_path != second.source_path


def test_report_format_id_uses_agencies() -> None:
    got = report(read_text_report(REPORT))
    assert got.report_id == report_id_for(REPORT_BODY, "AFP")


def test_given_ids_are_kept_as_text(write) -> None:
    path = write("r.jsonl", json.dumps({"id": "  A-17 ", "text": REPORT_BODY}) + "\n")
    assert report(read_all(path)[0]).report_id == "A-17"
