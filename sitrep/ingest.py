"""Ingest: turn files, folders and strings into `Report`s, and every bad input into a `Skipped`.

Bad data never raises here: a corrupt file, a bad line or a foreign-language report becomes a
`Skipped` with a code from `sitrep.errors.Skip`, so one bad input cannot stop a batch. Only bad
configuration (a path that does not exist, a wrong setting) raises.

Formats are chosen by file suffix through `READERS`, a small registry that other formats can join
with `register_reader`. A compression suffix (`.gz`, `.bz2`, `.xz`) is removed first and the file
decompressed on the fly. JSONL and CSV files are streamed line by line, never loaded whole.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import hashlib
import io
import json
import logging
import lzma
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import cache, partial
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

import yaml

from sitrep.errors import E_JSONL, E_NO_INPUT, ConfigError, Skip, skip_message
from sitrep.models import Report, Skipped

logger = logging.getLogger(__name__)

Item = Report | Skipped

_SETTINGS_PATH = Path(__file__).parent / "data" / "ingest.yaml"

# Errors a file object raises when the file cannot be read or decompressed.
_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, lzma.LZMAError)


# --- settings --------------------------------------------------------------------------------


@cache
def _settings() -> dict[str, Any]:
    """The ingest settings from package data, read once."""
    with _SETTINGS_PATH.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = yaml.safe_load(fh)
    return loaded


@cache
def _field_aliases() -> dict[str, tuple[str, ...]]:
    """Report field -> accepted record keys, lower case, in order of preference."""
    fields = _settings()["fields"]
    return {name: tuple(alias.lower() for alias in aliases) for name, aliases in fields.items()}


# --- skips -----------------------------------------------------------------------------------


class _SkipInput(Exception):
    """Abandons one input; turned into a `Skipped` where the reader meets the caller."""

    def __init__(self, entry: tuple[str, str], line: int | None = None, **values: object) -> None:
        super().__init__(entry[0])
        self.entry = entry
        self.line = line
        self.values = values

    def skipped(self, path: str, line: int | None = None) -> Skipped:
        return _skipped(
            self.entry, path, self.line if self.line is not None else line, **self.values
        )


def _skipped(entry: tuple[str, str], path: str, line: int | None, **values: object) -> Skipped:
    code, reason = skip_message(entry, **values)
    logger.debug("skipped %s line %s: %s %s", path, line, code, reason)
    return Skipped(source_path=path, source_line=line, code=code, reason=reason)


def _describe(exc: BaseException) -> str:
    """A one-line description of an exception for a skip reason."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# --- stable ids ------------------------------------------------------------------------------


def report_id_for(text: str, source: str | None) -> str:
    """A stable id from the text and its source, not the file: one report read twice, one id.

    Whitespace runs are collapsed and the text NFC-normalised, so re-wrapped or re-indented
    copies of a report keep their id.
    """
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    key = (normalised + "\x00" + (source or "")).encode("utf-8", "surrogatepass")
    return "r" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20]


def _source_key(agencies: Sequence[str]) -> str | None:
    return "|".join(agencies) or None


# --- decoding --------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Codecs whose undecodable bytes can be escaped and decoded again line by line.
_ESCAPABLE = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252", "latin-1": "latin-1"}
_LOOSE_CODECS = ("utf-8", "cp1252", "latin-1")


# Not "printable" to Python, yet normal in text: whitespace controls and zero-width marks.
_READABLE_UNPRINTABLE = frozenset(
    "\t\n\r\f\v\u00ad\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u2060\ufeff"
)


def _looks_like_text(text: str) -> bool:
    """Whether the start of a decoded text is mostly printable (not binary read as text)."""
    sample = text[:8192]
    if not sample:
        return True
    readable = sum(1 for ch in sample if ch.isprintable() or ch in _READABLE_UNPRINTABLE)
    return readable / len(sample) >= _settings()["decoding"]["min_printable"]


def _is_utf8(data: bytes, *, complete: bool) -> bool:
    """Whether data is UTF-8; a sample cut inside a character still counts."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            not complete and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
        )
    return True


def _guess_non_latin(sample: bytes) -> str | None:
    """charset-normalizer's codec, trusted only for a confident guess of a non-Latin script.

    On short Latin-script text it cannot tell cp1250 from cp1252 or mac_roman (French came out as
    mac_latin2 in tests); English news in a legacy encoding is almost always cp1252.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or best.chaos > _settings()["decoding"]["guess_max_chaos"]:
        return None
    text = str(best)
    letters = [ch for ch in text if ch.isalpha() and ord(ch) > 0x7F]
    # English with a stray cp1252 dash or "café" reads as a few letters of some Cyrillic or Urdu
    # code page: a non-Latin script is believed only when most letters are outside ASCII.
    decoding = _settings()["decoding"]
    all_letters = sum(1 for ch in text if ch.isalpha())
    if len(letters) < max(decoding["guess_min_letters"], decoding["guess_min_share"] * all_letters):
        return None
    non_latin = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
    if non_latin * 2 <= len(letters):
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _strict_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 LE or BE when the start of a file reads as such: text in the Latin range has a NUL
    byte in every other position. None when the NULs mean binary."""
    evens, odds = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    share = _settings()["decoding"]["utf16_nul_share"]
    for codec, zeros, others in (("utf-16-le", odds, evens), ("utf-16-be", evens, odds)):
        if zeros.count(0) >= share * len(zeros) and others.count(0) <= 0.02 * len(others):
            text = head[: len(head) - len(head) % 2].decode(codec, errors="replace")
            if _looks_like_text(text.rstrip("\ufffd")):
                return codec
    return None


def detect_encoding(data: bytes, *, complete: bool = True) -> str:
    """The codec for these bytes: BOM, UTF-8, a confident guess, cp1252, Latin-1 — in that order.

    `complete` is false when data is only the start of a stream. Raises `_SkipInput` (BINARY,
    UNDECODABLE) when the bytes are not text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[: _settings()["decoding"]["binary_sniff_bytes"]]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise _SkipInput(Skip.BINARY)
        return utf16
    if _is_utf8(data, complete=complete):
        return "utf-8"
    guessed = _guess_non_latin(data[: _settings()["decoding"]["sniff_bytes"]])
    if guessed is not None:
        return guessed
    for codec in ("cp1252", "latin-1"):
        text = _strict_decode(data, codec)
        if text is not None and _looks_like_text(text):
            return codec
    raise _SkipInput(Skip.UNDECODABLE, detail="not UTF-8, and not readable as Latin-1 either")


def decode_bytes(data: bytes) -> str:
    """Decode a whole file to text and repair mojibake; raises `_SkipInput` when it is not text."""
    codec = detect_encoding(data)
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _SkipInput(Skip.UNDECODABLE, detail=_describe(exc)) from exc
    if not _looks_like_text(text):
        raise _SkipInput(Skip.BINARY)
    return fix_mojibake(text)


def _decode_loose(data: bytes) -> str:
    """Decode one line whatever it takes: a stray non-UTF-8 line must not sink a whole file."""
    for codec in _LOOSE_CODECS:
        text = _strict_decode(data, codec)
        if text is not None:
            return text
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


def _high_byte_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # the five bytes cp1252 leaves undefined come through as Latin-1


_HIGH_CHARS = "".join(_high_byte_char(b) for b in range(0x80, 0x100))
_CHAR_TO_BYTE = {ch: 0x80 + i for i, ch in enumerate(_HIGH_CHARS)}
# A UTF-8 lead byte (0xC2-0xF4) followed by a continuation byte (0x80-0xBF), seen as cp1252.
_MOJIBAKE_MARKER = re.compile(
    f"[{re.escape(_HIGH_CHARS[0x42:0x75])}][{re.escape(_HIGH_CHARS[:0x40])}]"
)
_HIGH_RUN = re.compile(f"[{re.escape(_HIGH_CHARS)}]{{2,}}")


# What mojibake in English news decodes to: Latin letters, punctuation, currency, (TM).
# Anything else (CJK, NKo...) means the "mojibake" was genuine text such as "Straße”".
_PLAUSIBLE_REPAIR = re.compile("[\u00a0-\u024f\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]+")


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    markers = len(_MOJIBAKE_MARKER.findall(run))
    if not markers:
        return run
    fixed = _strict_decode(bytes(_CHAR_TO_BYTE[ch] for ch in run), "utf-8")
    if fixed is None or not _PLAUSIBLE_REPAIR.fullmatch(fixed):
        return run
    return fixed if len(_MOJIBAKE_MARKER.findall(fixed)) < markers else run


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252/Latin-1 ("donâ€™t", "cafÃ©"), leaving everything else alone.

    Only runs of non-ASCII characters that hold a typical marker and decode as UTF-8 are changed,
    so genuine Latin-1 text survives. Twice-garbled text gets a second pass.
    """
    for _ in range(3):
        if not _MOJIBAKE_MARKER.search(text):
            break
        repaired = _HIGH_RUN.sub(_repair_run, text)
        if repaired == text:
            break
        text = repaired
    return text


# --- language --------------------------------------------------------------------------------


@cache
def _identifier() -> Any:
    """The py3langid identifier, loaded once (its model ships inside the package)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def non_english(text: str) -> tuple[str, float] | None:
    """The language and score when text is confidently not English; None for English or too short.

    English-looking labels (see `language.accept` in ingest.yaml) count as English, so short
    ACLED-style notes full of local names are kept.
    """
    cfg = _settings()["language"]
    sample = text[: cfg["sample_chars"]]
    letters = [ch for ch in sample if ch.isalpha()]
    # English is written in Latin letters: a short text mostly in another script is not English
    # even where the identifier has too little to go on.
    other_script = len(letters) >= cfg["min_letters_other_script"] and sum(
        1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN")
    ) > len(letters) * cfg["other_script_share"]
    if len(letters) < cfg["min_letters"] and not other_script:
        return None
    scores = dict(_identifier().rank(sample))
    accept, ignore = set(cfg["accept"]), set(cfg["ignore"])
    english = sum(scores.get(code, 0.0) for code in accept)
    others = [(code, score) for code, score in scores.items() if code not in accept | ignore]
    if not others:
        return None
    language, score = max(others, key=itemgetter(1))
    if other_script or (score >= cfg["min_confidence"] and score > english):
        return language, float(score)
    return None


def _check_language(item: Item) -> Item:
    if isinstance(item, Skipped):
        return item
    found = non_english(item.text)
    if found is None:
        return item
    language, score = found
    return _skipped(
        Skip.NOT_ENGLISH,
        item.source_path or "<string>",
        item.source_line,
        language=language,
        score=score,
    )


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})$")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?$")


def _make_date(year: str, month: str | int, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _from_epoch(seconds: float) -> date | None:
    """A Unix timestamp (seconds, or milliseconds when too large for seconds) as a UTC date.

    Numbers outside 1973-5138 are refused: a bare year such as 2020 is not a timestamp.
    """
    if not 1e8 <= seconds < 1e14:
        return None
    if seconds >= 1e11:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _parse_date_text(value: str) -> date | None:
    text = value.strip()
    if match := _ISO_DATE.match(text):
        return _make_date(*match.groups())
    if match := _SLASH_DATE.match(text) or _COMPACT_DATE.match(text):
        return _make_date(*match.groups())
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = match.groups()
        number = _MONTHS.get(month.lower())
        return _make_date(year, number, day) if number else None
    if match := _MONTH_DAY_YEAR.match(text):
        month, day, year = match.groups()
        number = _MONTHS.get(month.lower())
        return _make_date(year, number, day) if number else None
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    try:
        return parsedate_to_datetime(text).date()  # RFC 2822, as in RSS feeds
    except (TypeError, ValueError, IndexError):
        return None


def parse_date(value: object) -> date | None:
    """A publication date from a record field; None when it cannot be read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, str):
        return _parse_date_text(value)
    return None


# --- the report format -----------------------------------------------------------------------

_HEADER = re.compile(r"date:?[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
_HEADER_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LEADING_SPACE = re.compile(r"[\s\ufeff]+")
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")  # a newline, then whitespace-only lines
_MAX_BYLINE = 80
_MAX_NAME = 40


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_header(line: str, line_number: int) -> tuple[date, str | None] | None:
    """(date, headline) from a `date YYYY-MM-DD headline` line; None when it is not a header.

    A `date` word followed by something with digits is a header attempt: its date must be a
    real ISO date or the report is skipped (BAD_DATE). `date palms ...` is just text.
    """
    match = _HEADER.fullmatch(line.rstrip())
    if match is None:
        return None
    value, headline = match.groups()
    if not any(ch.isdigit() for ch in value):
        return None
    date_match = _HEADER_DATE.fullmatch(value)
    published = _make_date(*date_match.groups()) if date_match else None
    if published is None:
        raise _SkipInput(Skip.BAD_DATE, line=line_number, value=value)
    return published, headline.strip() or None


def _is_name(part: str) -> bool:
    """Whether a byline part reads like a name, not like part of a sentence."""
    words = part.split()
    if not words or len(part) > _MAX_NAME or len(words) > 5:
        return False
    if not any(ch.isalpha() for ch in part) or not part[0].isalnum():
        return False
    # Short lower-case words pass ("Dar es Salaam"); longer ones ("attacked") mean a sentence.
    return not any(word.isalpha() and word.islower() and len(word) > 3 for word in words)


def _is_agency(part: str) -> bool:
    """One word is always a possible agency ("dpa", "bdnews24"); more words must read as a name."""
    words = part.split()
    if len(words) == 1:
        return len(part) <= _MAX_NAME and part[0].isalnum() and any(ch.isalpha() for ch in part)
    return _is_name(part)


def parse_byline(line: str) -> tuple[tuple[str, ...], str] | None:
    """(agencies, dateline) from `AFP/Reuters, BAMAKO` or `AP, AFP, DHAKA`; None if not a byline.

    The dateline is the last comma part; the parts before it are agencies, split on `/` too.
    """
    stripped = line.strip()
    if len(stripped) > _MAX_BYLINE or "," not in stripped:
        return None
    *agency_parts, dateline = (part.strip() for part in stripped.split(","))
    agencies = tuple(name.strip() for part in agency_parts for name in part.split("/"))
    if not _is_name(dateline) or dateline[0].islower():
        return None
    if not all(_is_agency(name) for name in agencies):
        return None
    return agencies, dateline


def _paragraphs(lines: Sequence[str]) -> str:
    """Body paragraphs, separated by one blank line; the text of each paragraph is kept."""
    joined = "\n".join(lines)
    parts = (part.strip() for part in _BLANK_LINES.split(joined))
    return "\n\n".join(part for part in parts if part)


def _plain_text_report(text: str, source_path: str) -> Report:
    body = text.strip()
    if not body:
        raise _SkipInput(Skip.EMPTY)
    return Report(
        report_id=report_id_for(body, None),
        text=body,
        source_path=source_path,
        source_format="text",
    )


def _header_report(text: str, source_path: str) -> Report | None:
    """A report in the header format, or None when the text has no header."""
    prefix = _LEADING_SPACE.match(text)
    skipped_lines = prefix.group(0).count("\n") if prefix else 0
    lines = text[prefix.end() if prefix else 0 :].split("\n")
    header = _parse_header(lines[0], skipped_lines + 1)
    if header is None:
        return None
    published, headline = header
    rest = lines[1:]
    first = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    byline = parse_byline(rest[first]) if first < len(rest) else None
    agencies, dateline = byline if byline else ((), None)
    body = _paragraphs(rest[first + 1 :] if byline else rest[first:])
    if not body:
        raise _SkipInput(Skip.EMPTY)
    return Report(
        report_id=report_id_for(body, _source_key(agencies)),
        text=body,
        title=headline,
        published=published,
        agencies=agencies,
        dateline=dateline,
        source_path=source_path,
        source_format="report",
    )


def read_text_report(
    text: str, *, source_path: str = "<string>", source_format: str = "report"
) -> Report | Skipped:
    """One report from a string: the `date YYYY-MM-DD headline` format, else plain text.

    `source_format="text"` reads the string as plain text even when it starts with a header.
    Strict with the date, lenient with the byline: a missing byline leaves agencies empty.
    """
    if source_format not in ("report", "text"):
        raise ConfigError("source_format", source_format, "report, text")
    text = _normalise_newlines(text)
    try:
        report = _header_report(text, source_path) if source_format == "report" else None
        return report or _plain_text_report(text.lstrip("\ufeff"), source_path)
    except _SkipInput as exc:
        return exc.skipped(source_path)


# --- structured records (JSONL, CSV) ---------------------------------------------------------


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def _split_fields(record: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Report fields found under their aliases, and every other field as text for `extra`."""
    keys: dict[str, str] = {}
    for key in record:
        keys.setdefault(str(key).strip().lower(), key)
    fields: dict[str, object] = {}
    used: set[str] = set()
    for name, aliases in _field_aliases().items():
        for alias in aliases:
            key = keys.get(alias)
            if key is not None and not _is_blank(record[key]):
                fields[name] = record[key]
                used.add(key)
                break
    extra = {str(k): _as_text(v) for k, v in record.items() if k not in used and v is not None}
    return fields, extra


def _record_text(value: object) -> str:
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = "\n\n".join(part.strip() for part in value if part.strip())
    if value is None:
        raise _SkipInput(Skip.EMPTY)
    if not isinstance(value, str):
        raise _SkipInput(Skip.BAD_RECORD, detail=f"text is a {type(value).__name__}, not a string")
    text = fix_mojibake(_normalise_newlines(value)).strip()
    if not text:
        raise _SkipInput(Skip.EMPTY)
    return text


def _record_agencies(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value if isinstance(value, list) else re.split(r"[;|]", _as_text(value))
    return tuple(name for name in (_as_text(part).strip() for part in parts) if name)


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    return fix_mojibake(_as_text(value)).strip() or None


def _record_date(value: object) -> date | None:
    if value is None:
        return None
    published = parse_date(value)
    if published is None:
        raise _SkipInput(Skip.BAD_DATE, value=_as_text(value)[:100])
    return published


def record_to_report(
    record: Mapping[str, object], *, source_path: str, source_line: int, source_format: str
) -> Report:
    """A report from one JSON object or CSV row, its fields found under their aliases."""
    fields, extra = _split_fields(record)
    text = _record_text(fields.get("text"))
    agencies = _record_agencies(fields.get("source"))
    given_id = _optional_text(fields.get("id"))
    return Report(
        report_id=given_id or report_id_for(text, _source_key(agencies)),
        text=text,
        title=_optional_text(fields.get("title")),
        published=_record_date(fields.get("date")),
        agencies=agencies,
        url=_optional_text(fields.get("url")),
        source_path=source_path,
        source_line=source_line,
        source_format=source_format,
        extra=extra,
    )


def _acled_columns(header: Sequence[str]) -> dict[str, str] | None:
    """Role -> column name when the header is an ACLED export's, else None."""
    cfg = _settings()["acled"]
    by_lower = {name.strip().lower(): name for name in header}
    if not all(column in by_lower for column in cfg["required"]):
        return None
    roles = {"id": cfg["id"], "text": cfg["text"], "source": cfg["source"]}
    return {role: by_lower[column] for role, column in roles.items() if column in by_lower}


def acled_row_to_report(
    row: Mapping[str, str], columns: Mapping[str, str], *, source_path: str, source_line: int
) -> Report:
    """A report from an ACLED row: the notes are the text; the date must come from the text.

    event_date is kept in `extra` with every other column, for evaluation, never as `published`.
    """
    text = fix_mojibake(_normalise_newlines(row[columns["text"]])).strip()
    if not text:
        raise _SkipInput(Skip.EMPTY)
    separator = _settings()["acled"]["source_separator"]
    sources = row.get(columns.get("source", ""), "") or ""
    agencies = tuple(name.strip() for name in sources.split(separator) if name.strip())
    given_id = row[columns["id"]].strip()
    return Report(
        report_id=given_id or report_id_for(text, _source_key(agencies)),
        text=text,
        agencies=agencies,
        source_path=source_path,
        source_line=source_line,
        source_format="acled",
        extra={k: v for k, v in row.items() if k not in (columns["id"], columns["text"])},
    )


# --- files -----------------------------------------------------------------------------------

_COMPRESSED: dict[str, Callable[[Path], IO[bytes]]] = {
    ".gz": partial(gzip.open, mode="rb"),
    ".bz2": partial(bz2.open, mode="rb"),
    ".xz": partial(lzma.open, mode="rb"),
}


@dataclass(frozen=True)
class InputFile:
    """One file to read: where it is, its format suffix and the size limit. Readers get this."""

    path: Path
    suffix: str
    compression: str | None
    max_bytes: int

    @property
    def name(self) -> str:
        return str(self.path)

    def open(self) -> IO[bytes]:
        """The file's bytes, decompressed when it has a compression suffix."""
        if self.compression is None:
            return self.path.open("rb")
        return _COMPRESSED[self.compression](self.path)

    def size_on_disk(self) -> int | None:
        """The size of the bytes to read when known without reading (not for compressed files)."""
        return None if self.compression else self.path.stat().st_size


def input_file(path: Path, max_bytes: int) -> InputFile:
    """Describe a file by its suffixes: `x.jsonl.gz` is JSONL compressed with gzip."""
    last = path.suffix.lower()
    if last in _COMPRESSED:
        return InputFile(path, Path(path.stem).suffix.lower(), last, max_bytes)
    return InputFile(path, last, None, max_bytes)


def _drain(fh: IO[bytes]) -> int:
    """Read to the end without keeping anything; the number of bytes read."""
    total = 0
    while chunk := fh.read(1 << 20):
        total += len(chunk)
    return total


def _read_limited(src: InputFile) -> bytes:
    """All bytes of a small file; OVERSIZED without loading a file over the limit."""
    size = src.size_on_disk()
    if size is not None and size > src.max_bytes:
        raise _SkipInput(Skip.OVERSIZED, size=size, limit=src.max_bytes)
    with src.open() as fh:
        data = fh.read(src.max_bytes + 1)
        if len(data) > src.max_bytes:
            raise _SkipInput(Skip.OVERSIZED, size=len(data) + _drain(fh), limit=src.max_bytes)
    return data


def _read_text_file(src: InputFile) -> str:
    """A whole file as text: EMPTY, OVERSIZED, BINARY, UNDECODABLE raised as skips."""
    data = _read_limited(src)
    if not data.strip():
        raise _SkipInput(Skip.EMPTY)
    text = decode_bytes(data)
    if not text.strip():
        raise _SkipInput(Skip.EMPTY)
    return text


@contextmanager
def _text_stream(src: InputFile) -> Iterator[tuple[TextIO, str]]:
    """The file as a text stream, its encoding chosen from the first bytes."""
    sniff = _settings()["decoding"]["sniff_bytes"]
    with src.open() as fh:
        sample = fh.read(sniff)
    if not sample.strip():
        raise _SkipInput(Skip.EMPTY)
    codec = detect_encoding(sample, complete=len(sample) < sniff)
    head = sample.decode(codec, errors="replace")
    if not _looks_like_text(head):
        raise _SkipInput(Skip.BINARY)
    errors = "surrogateescape" if codec in _ESCAPABLE else "replace"
    with src.open() as fh, io.TextIOWrapper(fh, encoding=codec, errors=errors, newline="") as text:
        yield text, codec


def _repair_line(line: str, codec: str) -> str:
    """Decode again a line whose bytes did not fit the file's encoding (escaped as surrogates)."""
    plain = _ESCAPABLE.get(codec)
    if plain is None or not re.search("[\udc80-\udcff]", line):
        return line
    return _decode_loose(line.encode(plain, "surrogateescape"))


class _Line(NamedTuple):
    """One physical line; `text` is None when the line is over the size limit.

    `quotes` counts the double quotes of a dropped line, so a CSV reader can keep its quoting
    state across it.
    """

    number: int
    text: str | None
    size: int
    quotes: int = 0


def _drain_line(stream: TextIO, start: str) -> tuple[int, int]:
    """Read the rest of a long line without keeping it: its size in bytes and its quotes."""
    size, quotes, chunk = 0, 0, start
    while chunk:
        size += len(chunk.encode("utf-8", "surrogateescape"))
        quotes += chunk.count('"')
        if chunk.endswith(("\n", "\r")):
            break
        chunk = stream.readline(1 << 20)
    return size, quotes


def _physical_lines(stream: TextIO, codec: str, max_bytes: int) -> Iterator[_Line]:
    """The lines of a stream with their numbers, never holding one over the limit in memory."""
    number = 0
    while True:
        try:
            line = stream.readline(max_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) > max_bytes and not line.endswith(("\n", "\r")):
                yield _Line(number, None, *_drain_line(stream, line))
                continue
        except UnicodeDecodeError as exc:
            raise _SkipInput(Skip.UNDECODABLE, line=number + 1, detail=_describe(exc)) from exc
        except _READ_ERRORS as exc:
            raise _SkipInput(Skip.UNREADABLE, line=number + 1, detail=_describe(exc)) from exc
        line = _repair_line(line, codec)
        size = len(line.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            yield _Line(number, None, size, line.count('"'))
        else:
            yield _Line(number, line, size)


# --- readers ---------------------------------------------------------------------------------

Reader = Callable[[InputFile], Iterator[Item]]


def read_txt(src: InputFile) -> Iterator[Item]:
    """A text file: one report in the header format, or plain text."""
    yield read_text_report(_read_text_file(src), source_path=src.name)


# A JSON escape of a UTF-16 surrogate ("\ud800"); alone, it becomes a str no codec can write.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """A JSON value with every lone surrogate replaced by U+FFFD (spaCy and DuckDB refuse them)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(part) for part in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _json_line(line: str, number: int, src: InputFile) -> Item | None:
    stripped = line.strip().lstrip("\ufeff")
    if not stripped:
        return None
    try:
        record = json.loads(stripped)
        if _SURROGATE_ESCAPE.search(stripped):
            record = _without_surrogates(record)
    except (ValueError, RecursionError) as exc:
        return _skipped(Skip.BAD_RECORD, src.name, number, detail=f"not JSON: {_describe(exc)}")
    if not isinstance(record, dict):
        kind = type(record).__name__
        return _skipped(Skip.BAD_RECORD, src.name, number, detail=f"a JSON {kind}, not an object")
    try:
        return record_to_report(
            record, source_path=src.name, source_line=number, source_format="jsonl"
        )
    except _SkipInput as exc:
        return exc.skipped(src.name, number)


def read_jsonl(src: InputFile) -> Iterator[Item]:
    """JSON Lines, one object per line, streamed; each bad line is skipped with its number."""
    found = False
    with _text_stream(src) as (stream, codec):
        for line in _physical_lines(stream, codec, src.max_bytes):
            if line.text is None:
                item: Item | None = _skipped(
                    Skip.OVERSIZED, src.name, line.number, size=line.size, limit=src.max_bytes
                )
            else:
                item = _json_line(line.text, line.number, src)
            if item is not None:
                found = True
                yield item
    if not found:
        raise _SkipInput(Skip.EMPTY)


class _CsvLines:
    """Physical lines fed to the csv module, counting where each record starts and its size.

    A line over the limit is replaced by an empty line (with a quote when it had an odd number,
    to keep the quoting state) and flagged, so the csv module never holds it and the record it
    belongs to is reported as OVERSIZED.
    """

    def __init__(self, stream: TextIO, codec: str, max_bytes: int) -> None:
        self._lines = _physical_lines(stream, codec, max_bytes)
        self.number = 0
        self.record_start = 1
        self.record_bytes = 0
        self.oversized = False

    def start_record(self) -> None:
        self.record_start = self.number + 1
        self.record_bytes = 0
        self.oversized = False

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number = line.number
        self.record_bytes += line.size
        if line.text is None:
            self.oversized = True
            return '"\n' if line.quotes % 2 else "\n"
        return line.text


def _csv_rows(lines: _CsvLines, delimiter: str, max_bytes: int) -> Iterator[tuple[int, Any]]:
    """(start line, row) per record, or (start line, _SkipInput) for a record that is bad."""
    new_reader = partial(csv.reader, lines, delimiter=delimiter, strict=True)
    reader = new_reader()
    while True:
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reader = new_reader()  # a failed reader may hold half a record: start afresh
            if lines.record_bytes > max_bytes:
                yield (
                    lines.record_start,
                    _SkipInput(Skip.OVERSIZED, size=lines.record_bytes, limit=max_bytes),
                )
            else:
                yield lines.record_start, _SkipInput(Skip.BAD_RECORD, detail=_describe(exc))
            continue
        if lines.oversized or lines.record_bytes > max_bytes:
            yield (
                lines.record_start,
                _SkipInput(Skip.OVERSIZED, size=lines.record_bytes, limit=max_bytes),
            )
        elif any(field.strip() for field in row):
            yield lines.record_start, row


def _allow_fields_up_to(max_bytes: int) -> None:
    """Raise the csv module's field limit (process-wide, only ever raised) to our own limit."""
    if csv.field_size_limit() <= max_bytes:
        csv.field_size_limit(max_bytes + 1)


def _row_item(
    row: list[str], header: list[str], acled: Mapping[str, str] | None, start: int, src: InputFile
) -> Item:
    if len(row) != len(header):
        detail = f"{len(row)} fields where the header has {len(header)}"
        return _skipped(Skip.BAD_RECORD, src.name, start, detail=detail)
    record = dict(zip(header, row, strict=True))
    try:
        if acled is not None:
            return acled_row_to_report(record, acled, source_path=src.name, source_line=start)
        fmt = src.suffix.lstrip(".")
        return record_to_report(record, source_path=src.name, source_line=start, source_format=fmt)
    except _SkipInput as exc:
        return exc.skipped(src.name, start)


def _read_delimited(src: InputFile, delimiter: str) -> Iterator[Item]:
    """CSV or TSV with a header row, streamed; an ACLED export is recognised by its header."""
    _allow_fields_up_to(src.max_bytes)
    header: list[str] | None = None
    acled: dict[str, str] | None = None
    with _text_stream(src) as (stream, codec):
        lines = _CsvLines(stream, codec, src.max_bytes)
        for start, row in _csv_rows(lines, delimiter, src.max_bytes):
            if isinstance(row, _SkipInput):
                yield row.skipped(src.name, start)
            elif header is None:
                header = [name.strip().lstrip("\ufeff") for name in row]
                acled = _acled_columns(header)
            else:
                yield _row_item(row, header, acled, start, src)
    if header is None:
        raise _SkipInput(Skip.EMPTY)


def read_csv(src: InputFile) -> Iterator[Item]:
    """Comma-separated records with a header row."""
    return _read_delimited(src, ",")


def read_tsv(src: InputFile) -> Iterator[Item]:
    """Tab-separated records with a header row."""
    return _read_delimited(src, "\t")


# htmldate's extensive search guesses dates from any text in the page; a wrong publication
# date is worse than none, since event dates are resolved against it.
_HTML_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _extract_html(html: str) -> Any:
    """trafilatura's main text and metadata, without network access; None when nothing found."""
    import trafilatura
    from lxml.etree import LxmlError

    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_HTML_DATE_PARAMS),
        )
    except (ValueError, TypeError, RecursionError, LxmlError, AssertionError) as exc:
        # lxml asserts on some broken trees (drop_tree of a detached element): a bad page.
        raise _SkipInput(Skip.FAILED, detail=f"HTML extraction: {_describe(exc)}") from exc


def html_to_report(html: str, *, source_path: str) -> Report:
    """A report from an HTML page: the main text as paragraphs, title, date, site, URL."""
    doc = _extract_html(html)
    raw = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [line.strip() for line in fix_mojibake(raw).splitlines() if line.strip()]
    title = _optional_text(doc.title) if doc is not None else None
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline repeated as the first block
    if not paragraphs:
        raise _SkipInput(Skip.EMPTY)
    text = "\n\n".join(paragraphs)
    site = _optional_text(doc.sitename) or _optional_text(doc.author)
    agencies = _record_agencies(site)
    return Report(
        report_id=report_id_for(text, _source_key(agencies)),
        text=text,
        title=title,
        published=parse_date(doc.date) if doc.date else None,
        agencies=agencies,
        url=_optional_text(doc.url),
        source_path=source_path,
        source_format="html",
    )


def read_html(src: InputFile) -> Iterator[Item]:
    """An HTML page, whole (pages are small); its main text through trafilatura."""
    yield html_to_report(_read_text_file(src), source_path=src.name)


def _parquet_value(value: object) -> object:
    """A Parquet cell as JSON would give it: dates and times as ISO text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def read_parquet(src: InputFile) -> Iterator[Item]:
    """Parquet, one record per row under the same field names as JSONL, read a row group at a
    time; `source_line` is the row number (from 1)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    found = False
    try:
        with src.open() as fh:
            number = 0
            for batch in pq.ParquetFile(fh).iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    number += 1
                    found = True
                    record = {key: _parquet_value(value) for key, value in row.items()}
                    try:
                        report = record_to_report(
                            record, source_path=src.name, source_line=number,
                            source_format="parquet",
                        )  # fmt: skip
                    except _SkipInput as exc:
                        yield exc.skipped(src.name, number)
                        continue
                    size = len(report.text.encode("utf-8", "surrogatepass"))
                    if size > src.max_bytes:
                        yield _skipped(
                            Skip.OVERSIZED, src.name, number, size=size, limit=src.max_bytes
                        )
                    else:
                        yield report
    except pa.ArrowException as exc:
        raise _SkipInput(Skip.UNREADABLE, detail=_describe(exc)) from exc
    if not found:
        raise _SkipInput(Skip.EMPTY)


READERS: dict[str, Reader] = {
    "": read_txt,
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_tsv,
    ".html": read_html,
    ".htm": read_html,
    ".parquet": read_parquet,
}


def register_reader(suffix: str, reader: Reader) -> None:
    """Read files with this suffix (e.g. ".xml") with `reader`; the built-in ones are registered
    the same way."""
    if suffix and not suffix.startswith("."):
        raise ConfigError("suffix", suffix, "a file suffix starting with '.', or ''")
    READERS[suffix.lower()] = reader


# --- walking ---------------------------------------------------------------------------------


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Visible files under folder, sorted by name at each level; hidden names are left out.

    Symbolic links to folders are not followed (no loops); broken links are reported.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield _skipped(Skip.UNREADABLE, str(folder), None, detail=_describe(exc))
        return
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_file():
            yield path
        elif entry.is_symlink():
            yield _skipped(Skip.UNREADABLE, str(path), None, detail="broken symbolic link")
        else:
            logger.debug("not a regular file, left out: %s", path)


def _read_one(path: Path, max_bytes: int) -> Iterator[Item]:
    """Every report and skip from one file, whatever goes wrong inside it."""
    src = input_file(path, max_bytes)
    reader = READERS.get(src.suffix)
    if reader is None:
        yield _skipped(Skip.UNSUPPORTED, src.name, None, suffix=src.suffix or path.name)
        return
    try:
        yield from reader(src)
    except _SkipInput as exc:
        yield exc.skipped(src.name)
    except _READ_ERRORS as exc:
        yield _skipped(Skip.UNREADABLE, src.name, None, detail=_describe(exc))
    except Exception as exc:  # a reader's bug or a library's on odd bytes: report, don't stop
        logger.warning("reading %s failed", src.name, exc_info=True)
        detail = f"reading failed: {type(exc).__name__}: {_describe(exc)}"
        yield _skipped(Skip.FAILED, src.name, None, detail=detail)


def iter_files(roots: Sequence[Path]) -> Iterator[Path | Skipped]:
    """Every file `iter_inputs` reads, in its order (the Ray engine shards inputs by file)."""
    for root in roots:
        yield from _walk(root) if root.is_dir() else iter([root])


def read_file(path: Path, *, max_bytes: int, check_language: bool) -> Iterator[Item]:
    """Every report and skip of one file, as `iter_inputs` gives them."""
    for item in _read_one(path, max_bytes):
        yield _check_language(item) if check_language else item


def _iter_items(roots: Sequence[Path], max_bytes: int, check_language: bool) -> Iterator[Item]:
    for path in iter_files(roots):
        if isinstance(path, Skipped):
            yield path
        else:
            yield from read_file(path, max_bytes=max_bytes, check_language=check_language)


def iter_inputs(
    paths: Sequence[str | Path], *, max_bytes: int = 2_000_000, check_language: bool = True
) -> Iterator[Report | Skipped]:
    """One `Report` per report and one `Skipped` per bad input, from files and folders.

    Folders are walked recursively in sorted order, hidden files and folders left out. Never
    raises for bad data; a path that does not exist is bad configuration and raises
    FileNotFoundError at once, before anything is read.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    if max_bytes <= 0:
        raise ConfigError("max_bytes", max_bytes, "a positive number of bytes")
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(E_NO_INPUT.format(path=root))
    return _iter_items(roots, max_bytes, check_language)


def read_text_records(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-lines file of texts (`sitrep timex`, `geoparse` and the scorers'
    inputs), each with a "text"; blank lines are skipped and a bad line raises ValueError
    naming it, since these files are the user's own test sets, not a stream of reports."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(E_JSONL.format(path=path, line=number, detail=exc)) from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(E_JSONL.format(path=path, line=number, detail="no text"))
            yield row
