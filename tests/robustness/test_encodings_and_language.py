"""Every encoding a news file comes in is read or reported; text not in English is skipped with
the language named (texts written for these tests)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from sitrep.errors import Skip
from sitrep.ingest import iter_inputs
from sitrep.models import Report, Skipped

TEXT = "Gunmen attacked a market near Gao on Sunday, killing four traders, the café owner said."
BOMS = {"utf-8-sig": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


def read(path: Path) -> list[Report | Skipped]:
    return list(iter_inputs([path]))


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv"])
@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-8", False), ("utf-8-sig", True), ("utf-16-le", True), ("utf-16-le", False),
     ("utf-16-be", True), ("utf-16-be", False), ("utf-32", True), ("cp1252", False),
     ("latin-1", False)],
)  # fmt: skip
def test_each_encoding_reads_back(tmp_path: Path, suffix: str, codec: str, bom: bool) -> None:
    content = {
        ".txt": f"date 2020-05-03 Market attack\n\nAFP, GAO\n\n{TEXT}\n",
        ".jsonl": json.dumps({"text": TEXT, "date": "2020-05-03"}, ensure_ascii=False) + "\n",
        ".csv": f'date,text\n2020-05-03,"{TEXT}"\n',
    }[suffix]
    data = (BOMS.get(codec, b"") if bom else b"") + content.encode(codec)
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data)
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Report), items
    assert items[0].text == TEXT


def test_mojibake_in_every_reader_is_repaired(tmp_path: Path) -> None:
    garbled = TEXT.replace("café", "cafÃ©") + " They donâ€™t know."
    (tmp_path / "a.txt").write_text(garbled, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": garbled}) + "\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(f'text\n"{garbled}"\n', encoding="utf-8")
    texts = [item.text for item in read(tmp_path)]
    assert texts == [TEXT + " They don’t know."] * 3


def test_utf16_without_bom_that_is_really_binary_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(bytes([0x41, 0, 0x07, 0, 0x01, 0, 0x02, 0]) * 200)
    assert [item.code for item in read(path)] == [Skip.BINARY[0]]


FOREIGN = {
    "fr": "Des hommes armés ont attaqué un marché près de Gao, tuant quatre commerçants.",
    "ru": "Вооружённые люди напали на рынок недалеко от Гао.",
    "ar": "مسلحون هاجموا سوقا قرب غاو",
    "zh": "武装分子袭击了加奥附近的市场。",
}


@pytest.mark.parametrize(("language", "text"), FOREIGN.items())
def test_text_not_in_english_is_skipped_with_its_language(tmp_path: Path, language, text) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, Skipped) and item.code == Skip.NOT_ENGLISH[0]
    assert repr(language) in item.reason and item.source_line == 1


def test_an_english_note_with_a_name_in_another_script_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    note = "On 3 May 2020, gunmen killed 3 traders in Gao (غاو)."
    path.write_text(json.dumps({"text": note}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert isinstance(read(path)[0], Report)
