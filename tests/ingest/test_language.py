"""Only English reports go on; short English notes full of local names must not be lost."""

from __future__ import annotations

import json

import pytest

from sitrep.errors import Skip
from sitrep.ingest import non_english

from .helpers import FRENCH, REPORT, SPANISH, only, read_all, report, skipped

# Short notes in the style of ACLED, written for these tests; names like these once made the
# identifier answer Nigerian Pidgin, Shona or Tagalog for English text.
ENGLISH_NOTES = [
    "On 3 May 2020, police arrested 12 protesters in Dhaka.",
    "On 28 April 2020, unidentified gunmen killed a shopkeeper in Kidal town (Kidal, Kidal).",
    "On 2 May 2020, Imbonerakure members beat a CNL supporter in Gatara (Kayanza, Kayanza).",
    "On 30 April 2020, boda boda riders protested in Kisumu over police harassment. "
    "[size=no report]",
    "On 1 May 2020, Fulani militia attacked Tiv farmers in Guma (Benue), killing 3.",
    "On 4 May 2020, RAB members shot dead an alleged robber at Bashundhara (Dhaka).",
    "Around 29 April 2020 (week of), VDP fighters killed two herders near Barsalogho (Sanmatenga).",
]


@pytest.mark.parametrize("note", ENGLISH_NOTES)
def test_short_english_notes_are_english(note: str) -> None:
    assert non_english(note) is None


def test_report_is_english() -> None:
    assert non_english(REPORT) is None


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (SPANISH, "es")])
def test_french_and_spanish_are_detected(text: str, language: str) -> None:
    found = non_english(text)
    assert found is not None and found[0] == language and found[1] >= 0.5


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (SPANISH, "es")])
def test_foreign_report_is_skipped(write, text: str, language: str) -> None:
    path = write("foreign.txt", f"date 2020-05-03 Titre\n\nAFP, GAO\n\n{text}\n")
    got = skipped(only(read_all(path)), Skip.NOT_ENGLISH[0])
    assert repr(language) in got.reason


def test_foreign_record_is_skipped_with_its_line(write) -> None:
    lines = [json.dumps({"text": t}, ensure_ascii=False) for t in (ENGLISH_NOTES[0], FRENCH)]
    items = read_all(write("mixed.jsonl", "\n".join(lines)))
    report(items[0])
    assert skipped(items[1], Skip.NOT_ENGLISH[0]).source_line == 2


def test_language_check_can_be_turned_off(write) -> None:
    got = report(only(read_all(write("fr.txt", FRENCH), check_language=False)))
    assert got.text == FRENCH


def test_too_short_to_tell_is_kept() -> None:
    assert non_english("Attaque à Gao.") is None
