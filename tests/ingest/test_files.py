"""Files and folders: formats by suffix, compression, encodings, and every kind of bad file."""

from __future__ import annotations

import bz2
import gzip
import json
import os
from datetime import date
from hashlib import sha1
from pathlib import Path

import pytest

from sitrep.errors import Skip
from sitrep.ingest import READERS, fix_mojibake, iter_inputs, register_reader
from sitrep.models import Report

from .helpers import FIXTURES, REPORT, REPORT_BODY, only, read_all, report, skipped

# --- HTML ------------------------------------------------------------------------------------


def test_html_article() -> None:
    got = report(only(read_all(FIXTURES / "article.html")))
    assert got.source_format == "html"
    assert got.title == "Gunmen attack cattle market near Gao"
    assert got.published == date(2020, 5, 3)
    assert got.agencies == ("Sahel Test Wire",)
    assert got.url == "https://news.example.org/2020/05/03/gao-market"
    assert got.text.startswith("Unidentified gunmen attacked a cattle market")
    assert "\n\nThe army said" in got.text
    for boilerplate in ("Home", "Copyright", "Ten tips"):
        assert boilerplate not in got.text


def test_html_without_text_is_empty(write) -> None:
    path = write("empty.htm", "<html><head><title>Nothing</title></head><body></body></html>")
    skipped(only(read_all(path)), Skip.EMPTY[0])


# --- compression -----------------------------------------------------------------------------


def test_gzip_text_and_jsonl(write) -> None:
    txt = write("r.txt.gz", gzip.compress(REPORT.encode()))
    lines = json.dumps({"text": REPORT_BODY, "source": "AFP"}) + "\n"
    jsonl = write("r.jsonl.gz", gzip.compress(lines.encode()))
    from_txt, from_jsonl = read_all(txt, jsonl)
    assert report(from_txt).text == REPORT_BODY
    assert report(from_txt).source_path == str(txt)
    assert report(from_jsonl).source_format == "jsonl"
    # the same report through two files has one id
    assert report(from_txt).report_id == report(from_jsonl).report_id


def test_bz2_csv(write) -> None:
    first = REPORT_BODY.splitlines()[0]
    path = write("r.csv.bz2", bz2.compress(f'id,text\n7,"{first}"\n'.encode()))
    assert report(only(read_all(path))).report_id == "7"


def test_broken_gzip_is_unreadable(write) -> None:
    skipped(only(read_all(write("broken.txt.gz", b"\x1f\x8bnot really gzip"))), Skip.UNREADABLE[0])


def test_truncated_gzip_jsonl_keeps_what_was_read(write) -> None:
    lines = "".join(
        json.dumps({"id": n, "text": f"Report {n}: {sha1(str(n).encode()).hexdigest()}."}) + "\n"
        for n in range(5000)
    )
    data = gzip.compress(lines.encode())
    items = read_all(write("cut.jsonl.gz", data[: len(data) // 2]), check_language=False)
    assert isinstance(items[0], Report)
    last = skipped(items[-1], Skip.UNREADABLE[0])
    assert last.source_line is not None and last.source_line > 1


# --- folders ---------------------------------------------------------------------------------


def test_folder_recursion_order_hidden_and_unsupported(write, tmp_path: Path) -> None:
    write("b.txt", REPORT)
    write("a/z.txt", REPORT.replace("four", "five"))
    write("a/sub/m.txt", REPORT.replace("four", "six"))
    write("c.pdf", b"%PDF-1.4 not really")
    write(".hidden.txt", REPORT)
    write(".git/x.txt", REPORT)
    items = read_all(tmp_path)
    paths = [Path(item.source_path).relative_to(tmp_path).as_posix() for item in items]
    assert paths == ["a/sub/m.txt", "a/z.txt", "b.txt", "c.pdf"]
    assert skipped(items[-1], Skip.UNSUPPORTED[0]).reason.endswith("'.pdf'")


def test_several_paths_keep_their_order(write) -> None:
    second, first = write("2.txt", REPORT), write("1.txt", REPORT)
    items = read_all(second, first)
    assert [item.source_path for item in items] == [str(second), str(first)]


def test_missing_path_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="E007"):
        iter_inputs([tmp_path / "nope.txt"])


def test_single_path_string_is_accepted(write) -> None:
    path = write("r.txt", REPORT)
    assert len(list(iter_inputs(str(path)))) == 1  # type: ignore[arg-type]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_broken_symlink_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    skipped(only(read_all(tmp_path)), Skip.UNREADABLE[0])


def test_unreadable_file(write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("r.txt", REPORT)

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    got = skipped(only(read_all(path)), Skip.UNREADABLE[0])
    assert "Permission denied" in got.reason


def test_register_reader(write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(READERS, ".md", READERS[".txt"])
    assert report(only(read_all(write("r.md", REPORT)))).title is not None
    monkeypatch.delitem(READERS, ".md")
    register_reader(".MD", READERS[".txt"])
    assert ".md" in READERS


# --- bad files -------------------------------------------------------------------------------


def test_binary(write) -> None:
    skipped(only(read_all(write("x.txt", b"abc\x00\x01\x02" * 50))), Skip.BINARY[0])
    skipped(only(read_all(write("x.jsonl", b'{"text": "a"}\n\x00\x00'))), Skip.BINARY[0])


def test_control_characters_are_binary(write) -> None:
    skipped(only(read_all(write("x.txt", bytes(range(1, 9)) * 40))), Skip.BINARY[0])


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", "\ufeff".encode("utf-16")])
def test_empty(write, content: bytes) -> None:
    skipped(only(read_all(write("e.txt", content))), Skip.EMPTY[0])


def test_oversized_file(write) -> None:
    got = skipped(only(read_all(write("big.txt", REPORT), max_bytes=100)), Skip.OVERSIZED[0])
    assert str(len(REPORT.encode())) in got.reason


def test_oversized_compressed_file(write) -> None:
    path = write("big.txt.gz", gzip.compress(REPORT.encode()))
    skipped(only(read_all(path, max_bytes=100)), Skip.OVERSIZED[0])


def test_undecodable(write) -> None:
    data = bytes([0x81, 0x01, 0x8D, 0x02]) * 50  # not UTF-8, not cp1252, not text in Latin-1
    skipped(only(read_all(write("x.txt", data))), Skip.UNDECODABLE[0])


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_unicode_with_bom(write, codec: str) -> None:
    data = REPORT.replace("Gao", "Gaó").encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    got = report(only(read_all(write("u.txt", data))))
    assert got.published == date(2020, 5, 3)
    assert "Gaó" in got.text


def test_utf16_jsonl(write) -> None:
    data = (json.dumps({"text": REPORT_BODY}, ensure_ascii=False) + "\n").encode("utf-16")
    assert report(only(read_all(write("u.jsonl", data)))).text == REPORT_BODY


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_legacy_single_byte(write, codec: str) -> None:
    text = REPORT.replace("Gao", "Yaoundé").replace("the area", "the café area")
    if codec == "cp1252":
        text = text.replace('"The', "“The").replace('border,"', "border,”")
    got = report(only(read_all(write("l.txt", text.encode(codec)))))
    assert "Yaoundé" in got.text and "café" in got.text
    assert (codec == "cp1252") == ("“The" in got.text)


def test_legacy_csv_is_streamed_as_cp1252(write) -> None:
    data = "id,text\n1,Gunmen attacked a café in Yaoundé on Sunday.\n".encode("cp1252")
    assert "café in Yaoundé" in report(only(read_all(write("l.csv", data)))).text


def test_mojibake_is_repaired(write) -> None:
    clean = REPORT.replace("Gao", "Gaó").replace("attackers", "attackers’")
    garbled = clean.encode("utf-8").decode("cp1252")
    assert "â€™" in garbled and "Ã³" in garbled
    got = report(only(read_all(write("m.txt", garbled))))
    assert "attackers’" in got.text and "Gaó" in got.text


@pytest.mark.parametrize(
    ("garbled", "clean"),
    [
        ("donâ€™t", "don’t"),
        ("cafÃ© in YaoundÃ©", "café in Yaoundé"),
        ("Â£5 million", "£5 million"),
        ("Ã¢â‚¬Å“twiceâ€", "“twiceâ€"),  # the cut-off "â€" is left alone
        ("Ã¢â‚¬â„¢", "’"),  # garbled twice
    ],
)
def test_fix_mojibake(garbled: str, clean: str) -> None:
    assert fix_mojibake(garbled) == clean


@pytest.mark.parametrize(
    "text", ["café", "Straße”", "« à la une »", "señor Pérez", "Dr. Müller’s", "—“quoted”—"]
)
def test_fix_mojibake_leaves_real_text_alone(text: str) -> None:
    assert fix_mojibake(text) == text
