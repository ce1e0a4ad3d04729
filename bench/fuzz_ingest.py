"""Coverage-guided fuzzing of the readers with atheris (`pip install -e '.[fuzz]'`).

Each input's first byte picks a reader (report text, JSONL, CSV, TSV, HTML, each optionally
gzip-compressed) or one of the parsers (date, byline, report header); the rest is the file's
bytes or the parser's text. A finding is any exception out of `iter_inputs` or a parser, or an
item that breaks the contract (a Report without text, a text that cannot be stored, a skip code
not in the catalogue). The corpus starts from `bench/malformed.py`'s generated files.

    .venv/bin/python bench/fuzz_ingest.py -atheris_runs=200000      # libFuzzer flags pass through
    .venv/bin/python bench/fuzz_ingest.py -max_total_time=600
"""

from __future__ import annotations

import gzip
import random
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).parents[1]))

with atheris.instrument_imports():
    from sitrep import ingest
    from sitrep.errors import Skip
    from sitrep.models import Report, Skipped

from bench.malformed import inputs

SKIP_CODES = {value[0] for name, value in vars(Skip).items() if name.isupper()}
SUFFIXES = [".txt", ".jsonl", ".csv", ".tsv", ".html", ".txt.gz", ".jsonl.gz", ".csv.gz"]
PARSERS = ["date", "byline", "report"]
FOLDER = Path(tempfile.mkdtemp(prefix="sitrep-fuzz-"))


def check_item(item: object) -> None:
    if isinstance(item, Report):
        assert item.text.strip() and item.report_id, item
        item.text.encode("utf-8")  # no lone surrogates: spaCy and DuckDB would refuse it
    else:
        assert isinstance(item, Skipped) and item.code in SKIP_CODES, item


def one_input(data: bytes) -> None:
    if not data:
        return
    choice, body = data[0] % (len(SUFFIXES) + len(PARSERS)), data[1:]
    if choice >= len(SUFFIXES):
        text = body.decode("utf-8", "replace")
        parser = PARSERS[choice - len(SUFFIXES)]
        if parser == "date":
            ingest.parse_date(text)
        elif parser == "byline":
            ingest.parse_byline(text)
        else:
            check_item(ingest.read_text_report(text))
        return
    suffix = SUFFIXES[choice]
    path = FOLDER / f"input{suffix}"
    path.write_bytes(gzip.compress(body, mtime=0) if suffix.endswith(".gz") else body)
    for item in ingest.iter_inputs([path], max_bytes=100_000):
        check_item(item)


def seed_corpus(folder: Path, count: int = 200) -> Path:
    """Generated files as the first corpus, each prefixed with the byte choosing its reader."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    stream = inputs(rng)
    for n in range(count):
        suffix, data, _ = next(stream)
        plain = suffix.split(".gz")[0].split(".bz2")[0].split(".xz")[0].lower()
        index = SUFFIXES.index(plain) if plain in SUFFIXES else 0
        (folder / f"seed{n:04d}").write_bytes(bytes([index]) + data[:20_000])
    return folder


def main() -> None:
    corpus = seed_corpus(FOLDER / "corpus")
    argv = [sys.argv[0], *sys.argv[1:], str(corpus)]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
