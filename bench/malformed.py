"""Generated bad input for the soak run, the fuzzer and the robustness tests.

`inputs(rng)` yields files as (name, bytes, inputs in it): report files with malformed headers
and dates, JSON lines and CSV rows with broken fields and quoting, HTML tag soup, every encoding
and BOM, binary junk, huge lines and compressed junk. Each JSON line or CSV row counts as one
input, every other file as one. The English sentences are written for sitrep's tests; some are
garbled on purpose (absurd figures, impossible dates) to reach the event coder with odd text.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import random
import string
from collections.abc import Callable, Iterator

SENTENCES = [
    "Gunmen attacked a village near Gao on Sunday, killing five civilians, officials said.",
    "Police fired tear gas at hundreds of protesters in Nairobi on Tuesday.",
    "The army said it had retaken the town of Malam Fatori from the insurgents.",
    "Two soldiers were wounded when a roadside bomb hit their patrol in Helmand province.",
    "Rebels seized the market town after heavy fighting with government forces.",
    "A drone strike on a compound in Idlib killed at least 12 people, a monitor said.",
    "Hundreds of students marched to parliament in Dhaka to demand the release of a teacher.",
    "Militants abducted 40 passengers from a bus on the road to Maiduguri on Friday.",
    "Security forces arrested 15 opposition supporters after the rally in Bamako.",
    "The governor denied that troops had opened fire on the crowd.",
]
ODD_SENTENCES = [
    "Gunmen killed 99999999999999999999999 people in the village on 31 February 2020.",
    "An attack on 0000-00-00 left -5 dead and 1e309 wounded near Gao.",
    "Rebels seized the town on 45/13/2021, killing 2,147,483,648 fighters.",
    "Troops clashed with militants in the year 99999 and in 10000 BC near Kabul.",
    "Police arrested 4294967296 protesters last Monday, the 32nd of Smarch.",
    "A bomb killed twelve hundred thousand million billion people yesterday.",
    "Fighting killed 1.5e10 people on 2020-02-30 at 25:61 in Mogadishu.",
    "On Monday on Tuesday on Wednesday the day before yesterday next year last decade.",
    "Attack attack attack killed killed killed " * 20,
    "Gunmen from the the the of of of , , , ; ; ( ( ( ) ) attacked.",
]
DATES = [
    "2020-05-03", "2020-13-45", "2020-02-30", "0000-00-00", "9999-12-31", "20200101",
    "2020/5/3", "3 May 2020", "May 3, 2020", "Smarch 3, 2020", "1588464000", "1588464000000",
    "99999999999999999", "Sun, 03 May 2020 10:00:00 +0000", "Sun, 99 Foo 2020 99:99:99",
    "", " ", "yesterday", "2020-05-03T", "2020-05-03T25:00", "٢٠٢٠-٠٥-٠٣", "2020‐05‐03",
    "1e300", "nan", "-1", "0", "True", "2020-5-3", "１９９９-０１-０１", "\x00", "date",
]  # fmt: skip
HEADER_LINES = [
    "date {date} {title}", "DATE: {date} {title}", "Date:\t{date}", "date {date}",
    "date  {date}   {title}   ", "datex {date} {title}", "date: {title}", "date 2020 {title}",
    "\ufeffdate {date} {title}", "  \n\n date {date} {title}", "date\u00a0{date} {title}",
    "date {date}{title}", "date {date} " + "x" * 5000,
]  # fmt: skip
BYLINES = [
    "AFP, BAMAKO", "AP/Reuters, DHAKA", ", ,", "AFP,", "a, b, c, d, e, f, g", "x" * 100 + ", Y",
    "AFP, bamako", "dpa, KABUL", "", "Reuters, Dar es Salaam", "é, Ω", "1, 2",
]  # fmt: skip
ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252",
    "cp1251", "shift_jis", "gb18030", "mac_roman", "utf-7",
]  # fmt: skip
FOREIGN = [
    "Des hommes armés ont attaqué dimanche un marché près de Gao, tuant quatre commerçants.",
    "Hombres armados atacaron el domingo un mercado cerca de Gao y mataron a cuatro personas.",
    "Bewaffnete griffen am Sonntag einen Markt in der Nähe von Gao an und töteten vier Händler.",
    "Вооружённые люди напали на рынок недалеко от Гао и убили четырёх торговцев.",
    "مسلحون هاجموا سوقا قرب غاو يوم الأحد وقتلوا أربعة تجار",
    "武装分子周日袭击了加奥附近的一个市场，打死了四名商人。",
]
MOJIBAKE = ["donâ€™t", "cafÃ©", "Ã¢â‚¬â„¢", "Ã\x83Â©", "â€œquotedâ€\x9d", "Ã", "â€"]
JUNK_CHARS = "\x00\x01\x07\x1b\x7f\u200b\u202e\ufeff\ufffd\ud7ff\U0001f4a3\u0301\u2028\r\t\"',;|"


def _text(rng: random.Random, words: int = 3) -> str:
    """A few English sentences, sometimes odd or with junk characters mixed in."""
    pool = SENTENCES if rng.random() < 0.7 else SENTENCES + ODD_SENTENCES
    parts = [rng.choice(pool) for _ in range(rng.randint(1, words))]
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(MOJIBAKE))
    if rng.random() < 0.15:
        parts.append("".join(rng.choice(JUNK_CHARS) for _ in range(rng.randint(1, 20))))
    if rng.random() < 0.05:
        parts = [rng.choice(FOREIGN)]
    sep = rng.choice([" ", "\n", "\n\n", "\r\n", "\r", "\n \n\t\n"])
    return sep.join(parts)


def _noise(rng: random.Random, size: int) -> str:
    alphabet = string.printable + JUNK_CHARS + "éü’“”—Ωж中"
    return "".join(rng.choice(alphabet) for _ in range(size))


def _encode(rng: random.Random, text: str) -> bytes:
    codec = rng.choice(ENCODINGS) if rng.random() < 0.4 else "utf-8"
    data = text.encode(codec, errors="replace" if codec != "utf-8" else "surrogatepass")
    if rng.random() < 0.1:
        data = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE]) + data
    if rng.random() < 0.1:
        data = _corrupt(rng, data)
    return data


def _corrupt(rng: random.Random, data: bytes) -> bytes:
    """Flip, drop, insert or truncate a few bytes."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        at = rng.randrange(len(buf))
        action = rng.randrange(4)
        if action == 0:
            buf[at] = rng.randrange(256)
        elif action == 1:
            del buf[at]
        elif action == 2:
            buf.insert(at, rng.randrange(256))
        else:
            del buf[at:]
    return bytes(buf)


# --- one generator per kind of input: each returns (suffix, bytes, inputs) --------------------


def report_file(rng: random.Random) -> tuple[str, bytes, int]:
    header = rng.choice(HEADER_LINES).format(date=rng.choice(DATES), title=_noise(rng, 20))
    parts = [header, rng.choice(BYLINES), _text(rng)] if rng.random() < 0.9 else [header]
    gap = rng.choice(["\n", "\n\n", "\r\n\r\n", "\n \n", ""])
    return rng.choice([".txt", "", ".TXT"]), _encode(rng, gap.join(parts)), 1


def plain_file(rng: random.Random) -> tuple[str, bytes, int]:
    text = _text(rng, 5) if rng.random() < 0.8 else _noise(rng, rng.randint(0, 400))
    return ".txt", _encode(rng, text), 1


def _json_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(10 if depth < 3 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, -1, 2**63, 1e300, -0.0, 1588464000])
    if kind == 2:
        return rng.choice(DATES)
    if kind == 3:
        return _text(rng)
    if kind == 4:
        return _noise(rng, rng.randint(0, 30))
    if kind in (5, 6):
        return rng.choice(["", " ", "\ud800", "x\udfff", "\U0001f4a3", "a\x00b"])
    if kind in (7, 8):
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {_noise(rng, 3): _json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


FIELDS = ["id", "text", "body", "content", "date", "published", "timestamp", "title", "source",
          "agencies", "url", "TEXT", " Text ", "extra"]  # fmt: skip


def _json_line(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        record: dict[str, object] = {"text": _text(rng)}
        for name in rng.sample(FIELDS, rng.randint(0, 4)):
            record[name] = _json_value(rng)
        line = json.dumps(record, ensure_ascii=rng.random() < 0.5)
    elif roll < 0.7:
        line = json.dumps(_json_value(rng))
    elif roll < 0.75:
        line = "[" * rng.choice([10, 1000, 100_000]) + "]" * rng.randint(0, 10)
    elif roll < 0.8:
        line = '{"text": "' + _text(rng).replace('"', "") + '", "date": ' + rng.choice(
            ["NaN", "Infinity", "-Infinity", "1e999", "01", "0x10", "'x'", "}", ""]
        )
    elif roll < 0.85:
        line = json.dumps({"text": _text(rng), "id": "dup"})  # one id for different texts
    elif roll < 0.9:
        line = _noise(rng, rng.randint(0, 80))
    else:
        # JSON escapes of lone surrogates, NULs and other odd code points inside the text
        escapes = ["\\ud800", "\\udfff", "\\u0000", "\\ud83d\\ude00", "\\uffff", "\\ud83d"]
        escape = rng.choice(escapes)
        line = '{"text": "' + _text(rng).replace('"', "").replace("\\", "") + escape + '"}'
    return line


def jsonl_file(rng: random.Random) -> tuple[str, bytes, int]:
    lines = [_json_line(rng) for _ in range(rng.randint(1, 40))]
    newline = rng.choice(["\n", "\r\n", "\r", "\n\n"])
    data = _encode(rng, newline.join(lines) + rng.choice(["", newline]))
    return rng.choice([".jsonl", ".ndjson", ".JSONL"]), data, len(lines)


def _csv_field(rng: random.Random) -> str:
    value = rng.choice([_text(rng), rng.choice(DATES), _noise(rng, 10), "", '"', '""', "a\nb"])
    style = rng.randrange(5)
    if style == 0:
        return '"' + value.replace('"', '""') + '"'
    if style == 1:
        return '"' + value  # unbalanced quote
    if style == 2:
        return value.replace('"', "")
    return value


def csv_file(rng: random.Random) -> tuple[str, bytes, int]:
    delimiter, suffix = rng.choice([(",", ".csv"), ("\t", ".tsv"), (";", ".csv")])
    acled = rng.random() < 0.3
    if acled:
        header = ["event_id_cnty", "event_date", "notes", "source", "fatalities"]
    else:
        header = rng.sample(FIELDS, rng.randint(1, 5))
        if "text" not in header and rng.random() < 0.8:
            header.append("text")
    if rng.random() < 0.1:
        header = header + header[:1]  # a duplicate column
    rows = [delimiter.join(header)]
    count = rng.randint(0, 30)
    for _ in range(count):
        width = len(header) + (rng.choice([-1, 1, 5]) if rng.random() < 0.1 else 0)
        rows.append(delimiter.join(_csv_field(rng) for _ in range(max(width, 0))))
    newline = rng.choice(["\n", "\r\n", "\r"])
    return suffix, _encode(rng, newline.join(rows) + newline), max(count, 1)


HTML_PARTS = [
    "<html>", "</html>", "<head>", "<title>Gunmen attack market</title>", "<body>", "<article>",
    "</article>", "<p>", "</p>", "<div>", "</div>", "<script>var x = '</p>';</script>",
    "<style>p{}</style>", "<!--", "-->", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<![CDATA[",
    "<meta charset='shift_jis'>", '<meta property="article:published_time" content="2020-13-45">',
    '<time datetime="0000-00-00">', "<br/>", "<table><tr><td>", "<?xml version='1.0'?>",
    "<svg><foreignObject>", "<a href='javascript:alert(1)'>", "\x00", "<p " + "a=b " * 200 + ">",
]  # fmt: skip


def html_file(rng: random.Random) -> tuple[str, bytes, int]:
    roll = rng.random()
    if roll < 0.6:
        parts = [rng.choice(HTML_PARTS) if rng.random() < 0.6 else _text(rng) for _ in range(30)]
        page = "".join(parts)
    elif roll < 0.7:
        depth = rng.choice([100, 1000, 5000])
        page = "<html><body>" + "<div>" * depth + _text(rng) + "</div>" * (depth // 2)
    elif roll < 0.8:
        page = "<html><body><article>" + "".join(
            f"<p>{_text(rng)}</p>" for _ in range(rng.randint(1, 6))
        )
    else:
        page = _noise(rng, rng.randint(0, 500))
    return rng.choice([".html", ".htm"]), _encode(rng, page), 1


def binary_file(rng: random.Random) -> tuple[str, bytes, int]:
    magic = rng.choice([b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x7fELF"])
    data = magic + rng.randbytes(rng.randint(0, 3000))
    suffix = rng.choice([".txt", ".jsonl", ".csv", ".html", "", ".pdf", ".docx", ".tsv"])
    return suffix, data, 1


def huge_file(rng: random.Random) -> tuple[str, bytes, int]:
    """A line longer than the soak's size limit, alone or among good lines."""
    size = rng.choice([70_000, 300_000])
    line = rng.choice(["x", "word ", '"', "\u00e9", "\n"]) * (size // 2)
    if rng.random() < 0.5:
        good = json.dumps({"text": _text(rng)})
        return ".jsonl", _encode(rng, f'{good}\n{{"text": "{line}"}}\n{good}\n'), 3
    suffix = rng.choice([".txt", ".csv", ".html", ".tsv"])
    return suffix, _encode(rng, "text\n" + line if suffix in (".csv", ".tsv") else line), 1


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}


def compressed_file(rng: random.Random) -> tuple[str, bytes, int]:
    suffix, data, count = rng.choice([report_file, jsonl_file, csv_file, plain_file])(rng)
    ext = rng.choice(list(COMPRESSORS))
    packed = COMPRESSORS[ext](data)
    roll = rng.random()
    if roll < 0.2:
        packed = packed[: rng.randrange(len(packed) + 1)]  # truncated stream
    elif roll < 0.35:
        packed = _corrupt(rng, packed)
    elif roll < 0.45:
        packed = rng.randbytes(rng.randint(0, 200))  # junk with a compression suffix
    elif roll < 0.5:
        packed = COMPRESSORS[ext](packed)  # compressed twice
    return suffix + ext, packed, count


KINDS: list[tuple[Callable[[random.Random], tuple[str, bytes, int]], int]] = [
    (report_file, 20),
    (plain_file, 8),
    (jsonl_file, 20),
    (csv_file, 15),
    (html_file, 10),
    (binary_file, 8),
    (compressed_file, 12),
    (huge_file, 1),
]


def inputs(rng: random.Random) -> Iterator[tuple[str, bytes, int]]:
    """An endless stream of (suffix, content, inputs in it), in the proportions of KINDS."""
    makers = [maker for maker, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    while True:
        yield rng.choices(makers, weights)[0](rng)
