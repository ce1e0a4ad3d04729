"""Measure: score sitrep against events that human coders coded (ACLED exports).

Each ACLED row's `notes` is fed to sitrep as a report with no publication date; the event
sitrep codes with the highest confidence is compared with the row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from sitrep import ingest, pipeline
from sitrep.acled import acled_actors
from sitrep.models import Event, Report, ReportResult

INTER_LABELS = {
    "state forces": 1,
    "rebel groups": 2,
    "rebel group": 2,
    "political militias": 3,
    "political militia": 3,
    "identity militias": 4,
    "identity militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
    "external forces": 8,
}
REQUIRED_COLUMNS = ("event_id_cnty", "notes", "event_type", "sub_event_type")


@dataclass
class AcledComparison:
    """One ACLED row next to the event sitrep chose for it."""

    row_id: str
    gold_type: str
    gold_sub_type: str
    gold_inter1: int | None
    gold_inter2: int | None
    gold_fatalities: int | None
    predicted: Event | None
    predicted_inter1: int | None = None
    predicted_inter2: int | None = None


@dataclass
class AcledScores:
    """The figures `sitrep eval acled` reports."""

    rows: int = 0
    coded: int = 0
    event_type_accuracy: float = 0.0
    sub_event_type_weighted_f1: float = 0.0
    inter1_accuracy: float = 0.0
    inter2_accuracy: float = 0.0
    fatalities_exact: float = 0.0
    per_type_accuracy: dict[str, tuple[int, float]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


def gold_inter(value: str | None) -> int | None:
    """An inter code written as a number ("2", "2.0") or as ACLED's label ("Rebel Groups");
    0 means the row has no such actor."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return INTER_LABELS.get(text.lower(), 0)


def gold_int(value: str | None) -> int | None:
    """An integer column, None when blank or malformed."""
    text = (value or "").strip()
    return int(float(text)) if text.replace(".", "", 1).isdigit() else None


def main_event(result: ReportResult) -> Event | None:
    """The event sitrep puts forward for a one-event note: ACLED-typed, most confident, first.

    (Ranking by ACLED's precedence of violence over demonstrations was measured and scored
    lower: casualty words inside riots and protests then outrank the demonstration.)"""
    typed = [e for e in result.events if e.acled_event_type]
    if not typed:
        return None
    return max(typed, key=lambda e: (e.confidence, -e.trigger_start))


def compare(report: Report, result: ReportResult) -> AcledComparison:
    """Set a report's gold columns beside sitrep's main event."""
    gold = report.extra
    event = main_event(result)
    comparison = AcledComparison(
        row_id=report.report_id,
        gold_type=gold.get("event_type", ""),
        gold_sub_type=gold.get("sub_event_type", ""),
        gold_inter1=gold_inter(gold.get("inter1")),
        gold_inter2=gold_inter(gold.get("inter2")),
        gold_fatalities=gold_int(gold.get("fatalities")),
        predicted=event,
    )
    if event is not None:
        coded = acled_actors(event)
        comparison.predicted_inter1 = coded.inter1
        comparison.predicted_inter2 = coded.inter2
    return comparison


def acled_reports(paths: Sequence[str | Path], limit: int | None) -> list[Report]:
    """The rows of ACLED exports as reports; with a limit, an even spread over the rows."""
    reports = [
        r
        for r in ingest.iter_inputs(paths, check_language=False)
        if isinstance(r, Report) and r.source_format == "acled"
    ]
    if limit and len(reports) > limit:
        step = len(reports) / limit
        reports = [reports[int(i * step)] for i in range(limit)]
    return reports


def run_acled(
    paths: Sequence[str | Path],
    *,
    limit: int | None = None,
    language: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[AcledComparison]:
    """Code every row's notes and compare with the row."""
    nlp_pipeline = language or pipeline.nlp.load_pipeline()
    reports = acled_reports(paths, limit)
    comparisons = []
    options = pipeline.RunOptions(batch_size=128)
    for result in pipeline.analyse_reports(nlp_pipeline, reports, options):
        if isinstance(result, ReportResult):
            comparisons.append(compare(result.report, result))
        if progress:
            progress(len(comparisons))
    return comparisons


def weighted_f1(pairs: Iterable[tuple[str, str]]) -> float:
    """F1 per gold class, weighted by the class's support."""
    pairs = list(pairs)
    support = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    correct = Counter(g for g, p in pairs if g == p)
    total = sum(support.values())
    score = 0.0
    for label, n in support.items():
        precision = correct[label] / predicted[label] if predicted[label] else 0.0
        recall = correct[label] / n
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        score += f1 * n / total
    return score


def ratio(hits: int, total: int) -> float:
    """A share in percent, 0 when there is nothing to count."""
    return round(100.0 * hits / total, 1) if total else 0.0


def score_acled(comparisons: Sequence[AcledComparison]) -> AcledScores:
    """The figures over all rows; a row sitrep coded no ACLED event for counts as wrong."""
    n = len(comparisons)
    types = [
        (c.gold_type, c.predicted.acled_event_type if c.predicted else "(none)")
        for c in comparisons
    ]
    subs = [
        (c.gold_sub_type, c.predicted.acled_sub_event_type if c.predicted else "(none)")
        for c in comparisons
    ]
    inter1 = [c for c in comparisons if c.gold_inter1 is not None]
    inter2 = [c for c in comparisons if c.gold_inter2 is not None]
    fatal = [c for c in comparisons if c.gold_fatalities is not None]
    scores = AcledScores(
        rows=n,
        coded=sum(1 for c in comparisons if c.predicted is not None),
        event_type_accuracy=ratio(sum(g == p for g, p in types), n),
        sub_event_type_weighted_f1=round(100.0 * weighted_f1(subs), 1),
        inter1_accuracy=ratio(
            sum(c.gold_inter1 == (c.predicted_inter1 or 0) for c in inter1), len(inter1)
        ),
        inter2_accuracy=ratio(
            sum(c.gold_inter2 == (c.predicted_inter2 or 0) for c in inter2), len(inter2)
        ),
        fatalities_exact=ratio(
            sum(c.gold_fatalities == predicted_fatalities(c) for c in fatal), len(fatal)
        ),
    )
    by_type = Counter(g for g, _ in types)
    hits = Counter(g for g, p in types if g == p)
    scores.per_type_accuracy = {t: (k, ratio(hits[t], k)) for t, k in by_type.most_common()}
    scores.confusions = [(g, p, k) for (g, p), k in Counter(types).most_common() if g != p][:10]
    return scores


def predicted_fatalities(comparison: AcledComparison) -> int:
    """ACLED writes 0 when no deaths are reported; so does sitrep's ACLED view."""
    event = comparison.predicted
    return event.fatalities or 0 if event is not None else 0
