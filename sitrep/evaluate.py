"""Measure: score sitrep against events that human coders coded (ACLED exports).

Each ACLED row's `notes` is fed to sitrep as a report with no publication date; the event
sitrep codes with the highest confidence is compared with the row.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language

from sitrep import geoparse, ingest, pipeline, temporal
from sitrep.acled import acled_actors, same_actor_name
from sitrep.actors import country_terms
from sitrep.classify import Classifier
from sitrep.gazetteer import gazetteer, row_of_geonameid
from sitrep.geoparse import distance_km
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
    gold_date: date | None = None
    gold_time_precision: int | None = None
    gold_admin1: str | None = None
    gold_country: str | None = None  # ISO3
    gold_point: tuple[float, float] | None = None
    gold_actor1: str | None = None
    gold_actor2: str | None = None
    gold_assoc1: str | None = None
    predicted_actor1: str | None = None
    predicted_actor2: str | None = None
    predicted_assoc1: str | None = None


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
    date_exact: float = 0.0
    time_precision_agreement: float = 0.0
    admin1_match: float = 0.0
    within_25km: float = 0.0
    actor1_name_match: float = 0.0
    actor2_name_match: float = 0.0
    assoc_actor_1_match: float = 0.0
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
    """The event sitrep puts forward for a one-event note: ACLED-typed, the first of those about
    as confident as the best.

    (Ranking by ACLED's precedence of violence over demonstrations was measured and scored
    lower: casualty words inside riots and protests then outrank the demonstration.)"""
    typed = [e for e in result.events if e.acled_event_type]
    if not typed:
        return None
    if any(e.plover_type == "PROTEST" for e in typed):
        # police dispersing a crowd is the answer to the demonstration, not the event itself
        typed = [e for e in typed if not is_intervention(e)] or typed
    # News and notes state their main event first (the lead): a later event is put forward
    # only when it is clearly better attested (two more parts found, not one).
    best = max(e.confidence for e in typed)
    close = [e for e in typed if e.confidence >= best - LEAD_MARGIN]
    return min(close, key=lambda e: e.trigger_start)


LEAD_MARGIN = 0.15 + 1e-9  # one part of `events.score`


def is_intervention(event: Event) -> bool:
    """An event of the authorities stepping in on a demonstration (dispersal, tear gas)."""
    return event.plover_type == "COERCE" and event.acled_event_type == "Protests"


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
        gold_date=gold_day(gold.get("event_date")),
        gold_time_precision=gold_int(gold.get("time_precision")),
        gold_admin1=(gold.get("admin1") or "").strip() or None,
        gold_country=gold_country(gold),
        gold_point=gold_coordinates(gold.get("latitude"), gold.get("longitude")),
        gold_actor1=(gold.get("actor1") or "").strip() or None,
        gold_actor2=(gold.get("actor2") or "").strip() or None,
        gold_assoc1=(gold.get("assoc_actor_1") or "").strip() or None,
    )
    if event is not None:
        coded = acled_actors(event)
        comparison.predicted_inter1 = coded.inter1
        comparison.predicted_inter2 = coded.inter2
        comparison.predicted_actor1 = coded.actor1
        comparison.predicted_actor2 = coded.actor2
        comparison.predicted_assoc1 = coded.assoc1
    return comparison


def acled_reports(paths: Sequence[str | Path], limit: int | None) -> list[Report]:
    """The rows of ACLED exports as reports; with a limit, an even spread over the rows."""
    reports = [
        r
        for r in ingest.iter_inputs(paths, check_language=False)
        if isinstance(r, Report) and r.source_format == "acled"
    ]
    return spread(reports, limit)


def spread(reports: list[Report], limit: int | None) -> list[Report]:
    """An even spread of `limit` reports over the list (all of them without a limit)."""
    if limit and len(reports) > limit:
        step = len(reports) / limit
        reports = [reports[int(i * step)] for i in range(limit)]
    return reports


def coded_rows(
    reports: Sequence[Report], language: Language | None, progress: Callable[[int], None] | None
) -> Iterator[ReportResult]:
    """sitrep's rules-only result for each row's notes."""
    nlp_pipeline = language or pipeline.nlp.load_pipeline()
    done = 0
    for result in pipeline.analyse_reports(
        nlp_pipeline, reports, pipeline.RunOptions(batch_size=128)
    ):
        if isinstance(result, ReportResult):
            yield result
            done += 1
        if progress:
            progress(done)


def run_acled(
    paths: Sequence[str | Path],
    *,
    limit: int | None = None,
    language: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[AcledComparison]:
    """Code every row's notes and compare with the row."""
    reports = acled_reports(paths, limit)
    return [compare(r.report, r) for r in coded_rows(reports, language, progress)]


@dataclass
class ModelComparisons:
    """The same rows scored twice: with the rules alone and with a trained model's types."""

    rules: list[AcledComparison]
    trained: list[AcledComparison]
    left_out: int  # rows of the files the model was trained on: never scored


def run_acled_with_model(
    paths: Sequence[str | Path],
    model: Classifier,
    *,
    limit: int | None = None,
    language: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> ModelComparisons:
    """Code every row the model was not trained on, once; compare the rules' ACLED types and
    the model's with the row (one spaCy pass serves both)."""
    every = acled_reports(paths, None)
    reports = spread([r for r in every if r.report_id not in model.trained_rows], limit)
    rules, trained = [], []
    for result in coded_rows(reports, language, progress):
        rules.append(compare(result.report, result))
        trained.append(compare(result.report, model.relabel(result)))
    left_out = sum(r.report_id in model.trained_rows for r in every)
    return ModelComparisons(rules, trained, left_out)


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
    dated = [c for c in comparisons if c.gold_date is not None]
    precise = [c for c in comparisons if c.gold_time_precision is not None]
    placed = [c for c in comparisons if c.gold_point is not None]
    in_unit = [c for c in comparisons if c.gold_admin1 is not None]
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
        date_exact=ratio(sum(c.gold_date == predicted_day(c) for c in dated), len(dated)),
        time_precision_agreement=ratio(
            sum(c.gold_time_precision == predicted_precision(c) for c in precise), len(precise)
        ),
        admin1_match=ratio(sum(same_admin1(c) for c in in_unit), len(in_unit)),
        within_25km=ratio(sum(near_gold_point(c) for c in placed), len(placed)),
        **actor_name_scores(comparisons),
    )
    by_type = Counter(g for g, _ in types)
    hits = Counter(g for g, p in types if g == p)
    scores.per_type_accuracy = {t: (k, ratio(hits[t], k)) for t, k in by_type.most_common()}
    scores.confusions = [(g, p, k) for (g, p), k in Counter(types).most_common() if g != p][:10]
    return scores


def actor_name_scores(comparisons: Sequence[AcledComparison]) -> dict[str, float]:
    """Actor names as ACLED writes them, over the rows that name the actor: exact match, a
    regime's open period ("(2013-)") matching its closed form ("(2013-2022)"); the associated
    actors of actor1 match when one of sitrep's is one of the row's (both list them with "; ")."""
    named1 = [c for c in comparisons if c.gold_actor1]
    named2 = [c for c in comparisons if c.gold_actor2]
    assoc = [c for c in comparisons if c.gold_assoc1]
    return {
        "actor1_name_match": ratio(
            sum(same_actor_name(c.gold_actor1 or "", c.predicted_actor1) for c in named1),
            len(named1),
        ),
        "actor2_name_match": ratio(
            sum(same_actor_name(c.gold_actor2 or "", c.predicted_actor2) for c in named2),
            len(named2),
        ),
        "assoc_actor_1_match": ratio(
            sum(
                any(
                    same_actor_name(g, p)
                    for g in (c.gold_assoc1 or "").split(";")
                    for p in (c.predicted_assoc1 or "").split(";")
                    if p.strip()
                )
                for c in assoc
            ),
            len(assoc),
        ),
    }


def gold_day(value: str | None) -> date | None:
    """ACLED's event_date: ISO in recent exports, "09 May 2020" or "09-05-2020" in older ones."""
    text = (value or "").strip()
    for parse in (
        date.fromisoformat,
        lambda t: datetime.strptime(t, "%d %B %Y").date(),
        lambda t: datetime.strptime(t, "%d-%m-%Y").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


NEAR_GOLD_KM = 25.0


def gold_coordinates(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """An ACLED row's point, None when either coordinate is missing or malformed."""
    try:
        return float(lat or ""), float(lon or "")
    except ValueError:
        return None


def gold_country(gold: dict[str, str]) -> str | None:
    """A row's country as ISO3: its iso3 column, else its country's name."""
    code = (gold.get("iso3") or "").strip().upper()
    if len(code) == 3 and code.isalpha():
        return code
    return country_terms().get((gold.get("country") or "").strip().lower())


def same_admin1(comparison: AcledComparison) -> bool:
    """Whether sitrep's place lies in the row's first-level unit.

    ACLED and GeoNames spell units differently ("Donetsk" / "Donetska oblast", "Idleb" /
    "Idlib"), so besides equal plain names, the row's unit name is read through the gazetteer:
    the first-level units of the row's own country that carry it as a name or alternate name
    (or, failing that, as a transliteration skeleton). The place counts only when its own
    unit is one of them: the same unit under another spelling, never a neighbour."""
    event = comparison.predicted
    if event is None or event.location is None or not event.location.admin1:
        return False
    location = event.location
    if comparison.gold_country and location.country_code not in (None, comparison.gold_country):
        return False  # a namesake unit abroad ("Punjab" of the other country) is no match
    if plain_key(location.admin1) == plain_key(comparison.gold_admin1 or ""):
        return True
    unit = admin1_row_of(location.geonameid)
    country = geoparse.iso2_of(comparison.gold_country)
    if unit is None or country is None or not comparison.gold_admin1:
        return False
    return unit in geoparse.admin1_rows_named(comparison.gold_admin1, country)


def admin1_row_of(geonameid: int | None) -> int | None:
    """The gazetteer row of the first-level unit a resolved place lies in (itself for one)."""
    if geonameid is None:
        return None
    gaz = gazetteer()
    row = row_of_geonameid().get(geonameid)
    if row is None:
        return None
    unit = geoparse.admin1_row(gaz, row)
    return unit if unit >= 0 else None


def plain_key(name: str) -> str:
    """A unit name without accents, case or punctuation ("Bādghīs" == "badghis")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def near_gold_point(comparison: AcledComparison) -> bool:
    """Whether sitrep's point lies within 25 km of the row's coded point."""
    event = comparison.predicted
    location = event.location if event is not None else None
    if location is None or location.lat is None or location.lon is None:
        return False
    point = comparison.gold_point
    return point is not None and distance_km(point, (location.lat, location.lon)) <= NEAR_GOLD_KM


def predicted_day(comparison: AcledComparison) -> date | None:
    """The date sitrep gave the event, if any."""
    event = comparison.predicted
    return event.date.value if event is not None and event.date is not None else None


def predicted_precision(comparison: AcledComparison) -> int | None:
    """ACLED's time_precision code of the date sitrep gave the event."""
    event = comparison.predicted
    if event is None or event.date is None:
        return None
    return temporal.acled_time_precision(event.date.precision)


def predicted_fatalities(comparison: AcledComparison) -> int:
    """ACLED writes 0 when no deaths are reported; so does sitrep's ACLED view."""
    event = comparison.predicted
    return event.fatalities or 0 if event is not None else 0


# --- temporal expressions (TempEval-3 scoring) ------------------------------------------------


@dataclass
class TimexDoc:
    """One gold document: its id, creation date, text and gold expressions."""

    doc_id: str
    dct: str | None
    text: str
    timexes: list[dict]


@dataclass
class TimexScores:
    """The figures `sitrep eval timex` reports, TempEval-3 style, in percent."""

    documents: int = 0
    gold: int = 0
    system: int = 0
    strict_precision: float = 0.0
    strict_recall: float = 0.0
    strict_f1: float = 0.0
    relaxed_precision: float = 0.0
    relaxed_recall: float = 0.0
    relaxed_f1: float = 0.0
    type_accuracy: float = 0.0
    type_precision: float = 0.0
    type_recall: float = 0.0
    type_f1: float = 0.0
    value_accuracy: float = 0.0
    value_precision: float = 0.0
    value_recall: float = 0.0
    value_f1: float = 0.0


@dataclass
class TimexCounts:
    """Match counts summed over documents."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_hits: int = 0
    value_hits: int = 0
    errors: list[tuple[str, dict, dict | None]] = field(default_factory=list)


def read_timex_docs(path: str | Path) -> list[TimexDoc]:
    """The documents of a gold JSONL file (`{"id","dct","text","timexes":[...]}`)."""
    from sitrep.ingest import read_text_records

    return [
        TimexDoc(str(row.get("id")), row.get("dct"), row["text"], row.get("timexes") or [])
        for row in read_text_records(Path(path))
    ]


def match_timexes(gold: list[dict], system: list[dict], counts: TimexCounts, doc_id: str) -> None:
    """Pair gold and system expressions one to one by overlap, and count the agreements."""
    counts.gold += len(gold)
    counts.system += len(system)
    used: set[int] = set()
    for g in gold:
        pick = None
        for i, s in enumerate(system):
            if i in used or s["end"] <= g["start"] or s["start"] >= g["end"]:
                continue
            if s["start"] == g["start"] and s["end"] == g["end"]:
                pick = i
                break
            if pick is None:
                pick = i
        if pick is None:
            counts.errors.append((doc_id, g, None))
            continue
        used.add(pick)
        s = system[pick]
        counts.relaxed += 1
        counts.strict += s["start"] == g["start"] and s["end"] == g["end"]
        counts.type_hits += s["type"] == g["type"]
        counts.value_hits += s["value"] == g["value"]
        if s["value"] != g["value"]:
            counts.errors.append((doc_id, g, s))


def prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 in percent."""
    p = hits / system if system else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(100 * p, 1), round(100 * r, 1), round(100 * f, 1)


def run_timex(paths: Sequence[str | Path]) -> tuple[TimexScores, TimexCounts]:
    """Tag every gold document with sitrep's tagger and score it against the gold."""
    from sitrep.temporal import parse_dct, tag

    counts = TimexCounts()
    documents = 0
    for path in paths:
        for doc in read_timex_docs(path):
            documents += 1
            system = [t.record() for t in tag(doc.text, parse_dct(doc.dct))]
            match_timexes(doc.timexes, system, counts, doc.doc_id)
    return score_timex(counts, documents), counts


def score_timex(counts: TimexCounts, documents: int) -> TimexScores:
    """TempEval-3 figures: strict and relaxed span P/R/F1; type and value accuracy over the
    relaxed matches, and their F1 (a relaxed match whose attribute also agrees)."""
    sp, sr, sf = prf(counts.strict, counts.system, counts.gold)
    rp, rr, rf = prf(counts.relaxed, counts.system, counts.gold)
    tp, tr, tf = prf(counts.type_hits, counts.system, counts.gold)
    vp, vr, vf = prf(counts.value_hits, counts.system, counts.gold)
    return TimexScores(
        documents=documents,
        gold=counts.gold,
        system=counts.system,
        strict_precision=sp,
        strict_recall=sr,
        strict_f1=sf,
        relaxed_precision=rp,
        relaxed_recall=rr,
        relaxed_f1=rf,
        type_accuracy=ratio(counts.type_hits, counts.relaxed),
        type_precision=tp,
        type_recall=tr,
        type_f1=tf,
        value_accuracy=ratio(counts.value_hits, counts.relaxed),
        value_precision=vp,
        value_recall=vr,
        value_f1=vf,
    )


# --- geoparsing (issue 3): `sitrep eval geo` ----------------------------------------------------

NEAR_KM = 161.0  # 100 miles, the customary geoparsing threshold


@dataclass
class GeoScores:
    """The figures `sitrep eval geo` reports for one corpus."""

    documents: int = 0
    gold: int = 0
    # Given the gold spans: each toponym resolved with the others of its document as context.
    with_id: int = 0
    exact_id: float = 0.0
    with_point: int = 0
    acc_161: float = 0.0
    median_error_km: float | None = None
    unresolved: int = 0
    # End to end: toponyms recognised by sitrep itself against the gold spans.
    system: int = 0
    span_precision: float = 0.0
    span_recall: float = 0.0
    span_f1: float = 0.0
    end_to_end_acc_161: float = 0.0  # strict: over all gold toponyms
    # Over the gold toponyms sitrep recognised (exact offsets), as Gritta et al. score
    # end-to-end geocoding: resolution quality apart from recall.
    recognised_acc_161: float = 0.0


def gold_point(toponym: dict) -> tuple[float, float] | None:
    """A gold toponym's (lat, lon), None when it has none."""
    if toponym.get("lat") is None or toponym.get("lon") is None:
        return None
    return float(toponym["lat"]), float(toponym["lon"])


def run_geo(path: str | Path, *, end_to_end: bool = True, nlp: Language | None = None) -> GeoScores:
    """Score geoparsing on a corpus of the shared geo format (see `geoparse.geoparse_records`)."""
    from sitrep.geoparse import geoparse_records
    from sitrep.ingest import read_text_records

    docs = list(read_text_records(Path(path)))
    scores = GeoScores(documents=len(docs), gold=sum(len(d.get("toponyms") or []) for d in docs))
    errors: list[float] = []
    id_hits = point_hits = 0
    for doc, out in zip(docs, geoparse_records(docs, gold_spans=True), strict=True):
        predicted = {(t["start"], t["end"]): t for t in out["toponyms"]}
        for gold in doc.get("toponyms") or []:
            system = predicted.get((int(gold["start"]), int(gold["end"])))
            scores.unresolved += system is None
            if gold.get("geonameid"):
                scores.with_id += 1
                id_hits += bool(system) and str(system["geonameid"]) == str(gold["geonameid"])
            point = gold_point(gold)
            if point is not None:
                scores.with_point += 1
                if system and system["lat"] is not None:
                    error = distance_km(point, (system["lat"], system["lon"]))
                    errors.append(error)
                    point_hits += error <= NEAR_KM
                else:
                    errors.append(math.inf)
    scores.exact_id = ratio(id_hits, scores.with_id)
    scores.acc_161 = ratio(point_hits, scores.with_point)
    if errors:
        median = sorted(errors)[len(errors) // 2]
        scores.median_error_km = None if math.isinf(median) else round(median, 1)
    if end_to_end:
        score_geo_end_to_end(docs, scores, nlp)
    return scores


def score_geo_end_to_end(docs: list[dict], scores: GeoScores, nlp: Language | None) -> None:
    """Span precision and recall of the toponyms sitrep recognises (exact offsets), and the
    share placed within 161 km of the gold point two ways: of all gold toponyms (strict, a
    missed toponym counts as a miss) and of the gold toponyms sitrep recognised."""
    from sitrep.geoparse import geoparse_records

    matched = near = 0
    for doc, out in zip(docs, geoparse_records(docs, nlp=nlp), strict=True):
        gold = {(int(t["start"]), int(t["end"])): t for t in doc.get("toponyms") or []}
        scores.system += len(out["toponyms"])
        for system in out["toponyms"]:
            hit = gold.get((system["start"], system["end"]))
            if hit is None:
                continue
            matched += 1
            point = gold_point(hit)
            if point and system["lat"] is not None:
                near += distance_km(point, (system["lat"], system["lon"])) <= NEAR_KM
    scores.span_precision = ratio(matched, scores.system)
    scores.span_recall = ratio(matched, scores.gold)
    p, r = scores.span_precision, scores.span_recall
    scores.span_f1 = round(2 * p * r / (p + r), 1) if p + r else 0.0
    scores.end_to_end_acc_161 = ratio(near, scores.gold)
    scores.recognised_acc_161 = ratio(near, matched)


# --- merging (issue 6): pairwise precision and recall of cross-report event merging -----------


@dataclass
class MergeScores:
    """The figures `sitrep eval merge` reports: pairs of reports whose main events were merged."""

    reports: int = 0
    gold_clusters: int = 0
    gold_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    acled_rows: int = 0
    acled_groups: int = 0
    acled_pairs: int = 0
    acled_false_merges: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str]] = field(default_factory=list)


def cluster_reports(paths: Sequence[str | Path]) -> list[Report]:
    """Reports of a cluster test set: JSON lines with a `cluster` label beside each text."""
    return [r for r in ingest.iter_inputs(paths, check_language=False) if isinstance(r, Report)]


def acled_neighbours(paths: Sequence[str | Path], groups: int) -> list[Report]:
    """ACLED rows that share date, place and event type but are different events (their notes
    differ): each is its own gold cluster. An even spread of `groups` such groups."""
    by_key: dict[tuple[str, ...], list[Report]] = {}
    for report in acled_reports(paths, None):
        gold = report.extra
        key = tuple(gold.get(k, "") for k in ("event_date", "admin1", "location", "event_type"))
        by_key.setdefault(key, []).append(report)
    found = [
        rows
        for _, rows in sorted(by_key.items())
        if len(rows) > 1 and len({r.text for r in rows}) == len(rows)
    ]
    if len(found) > groups:
        step = len(found) / groups
        found = [found[int(i * step)] for i in range(groups)]
    for number, rows in enumerate(found):
        for report in rows:
            report.extra["neighbours"] = str(number)
    return [r for rows in found for r in rows]


def pair_counts(gold: dict[str, str], predicted: dict[str, str]) -> tuple[int, int, int]:
    """(gold pairs, predicted pairs, pairs in both) over every pair of items."""
    items = sorted(gold)
    g = p = both = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
            g += same_gold
            p += same_pred
            both += same_gold and same_pred
    return g, p, both


def run_merge(
    paths: Sequence[str | Path],
    *,
    acled_paths: Sequence[str | Path] = (),
    acled_groups: int = 50,
    background: Sequence[str | Path] = (),
    language: Language | None = None,
) -> MergeScores:
    """Code the reports into a database in memory, merge them, and score the merged pairs.

    `background` reports (the demo corpus) are each their own event: merging one of them with
    anything is an error, as it would be in a database holding many other reports."""
    from sitrep import merge
    from sitrep.store import MEMORY, Store

    reports = cluster_reports(paths) + cluster_reports(background)
    neighbours = acled_neighbours(acled_paths, acled_groups) if acled_paths else []
    nlp_pipeline = language or pipeline.nlp.load_pipeline()
    options = pipeline.RunOptions(batch_size=64)
    results = [
        r
        for r in pipeline.analyse_reports(nlp_pipeline, [*reports, *neighbours], options)
        if isinstance(r, ReportResult)
    ]
    with Store(MEMORY) as store:
        store.add_results(results, "eval-merge")
        merge.update(store, [r.report.report_id for r in results])
        mains = {r.report.report_id: main_event(r) for r in results}
        merged = store.merged_ids([e.event_id for e in mains.values() if e is not None])
    predicted = {
        rid: merged.get(e.event_id, rid) if e is not None else f"none:{rid}"
        for rid, e in mains.items()
    }
    gold = {r.report.report_id: r.report.extra.get("cluster") or r.report.report_id
            for r in results}  # fmt: skip
    groups = {r.report_id: r.extra["neighbours"] for r in neighbours}
    return merge_scores(gold, predicted, groups)


def merge_scores(
    gold: dict[str, str], predicted: dict[str, str], acled: dict[str, str] | None = None
) -> MergeScores:
    """Pairwise scores over all reports; the ACLED neighbours (report id -> group) counted apart
    too: pairs in one group, and how many of them were merged although different events."""
    acled = acled or {}
    g, p, both = pair_counts(gold, predicted)
    precision = both / p if p else 1.0
    recall = both / g if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = MergeScores(
        reports=len(gold), gold_clusters=len(set(gold.values())), gold_pairs=g,
        predicted_pairs=p, correct_pairs=both, precision=round(100 * precision, 1),
        recall=round(100 * recall, 1), f1=round(100 * f1, 1),
    )  # fmt: skip
    items = sorted(gold)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
            if same_gold and not same_pred:
                scores.missed.append((a, b))
            elif same_pred and not same_gold:
                scores.wrong.append((a, b))
    sizes = Counter(acled.values())
    scores.acled_rows = len(acled)
    scores.acled_groups = len(sizes)
    scores.acled_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    scores.acled_false_merges = sum(
        1 for a, b in scores.wrong if a in acled and b in acled and acled[a] == acled[b]
    )
    return scores


# --- event ontologies: the PLOVER gold standard and IndiaPoliceEvents -------------------------


@dataclass
class PloverScores:
    """The figures `sitrep eval plover` reports, in percent of the records scored."""

    records: int = 0
    with_event: int = 0
    type_accuracy: float = 0.0
    type_found: float = 0.0
    source_country: tuple[int, float] = (0, 0.0)
    source_sector: tuple[int, float] = (0, 0.0)
    target_country: tuple[int, float] = (0, 0.0)
    target_sector: tuple[int, float] = (0, 0.0)
    per_type_accuracy: dict[str, tuple[int, float]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


def gold_table(name: str):
    """One section of sitrep/data/gold_codes.yaml."""
    from sitrep.lexicon import yaml_data

    return yaml_data("gold_codes.yaml")[name]


def plover_gsr_type(event: Event) -> str:
    """sitrep's PLOVER type under PLOVER 0.5's names (ASSAULT between forces is FIGHT)."""
    table = gold_table("plover_gsr")
    if event.plover_type == "ASSAULT" and event.cameo_root in table["fight_roots"]:
        return "FIGHT"
    return table["types"].get(event.plover_type, event.plover_type)


def top_event(result: ReportResult) -> Event | None:
    """sitrep's most confident event of a one-event text, the first on a tie."""
    if not result.events:
        return None
    return max(result.events, key=lambda e: (e.confidence, -e.trigger_start))


def actor_codes(actor) -> tuple[str | None, str | None]:
    """An actor's country (or IGO) and its sector under the gold's names."""
    if actor is None:
        return None, None
    sector = gold_table("plover_gsr")["sectors"].get(actor.sector, actor.sector)
    country = actor.country or ("IGO" if actor.sector == "IGO" else None)
    return country, sector


def gold_actor_codes(actors: object) -> tuple[set[str], set[str]]:
    """The countries and sectors (first three letters) of one side of a gold event."""
    unknown = set(gold_table("plover_gsr")["unknown_sectors"])
    countries, sectors = set(), set()
    for actor in actors if isinstance(actors, list) else []:
        if not isinstance(actor, dict):
            continue
        if actor.get("code"):
            countries.add(str(actor["code"]))
        sector = str(actor.get("sector") or "")
        if sector and sector not in unknown:
            sectors.add(sector[:3])
    return countries, sectors


def run_plover(path: str | Path, language: Language | None = None) -> PloverScores:
    """Code each gold sentence and compare sitrep's most confident event with its event."""
    from sitrep.ingest import read_text_records

    nlp_pipeline = language or pipeline.nlp.load_pipeline()
    records = [r for r in read_text_records(Path(path)) if r.get("events")]
    types: list[tuple[str, str]] = []
    found = 0
    sides = {key: [0, 0] for key in ("source_country", "source_sector")}
    sides |= {key: [0, 0] for key in ("target_country", "target_sector")}
    for record in records:
        result = pipeline.analyse(record["text"], language=nlp_pipeline)
        gold = record["events"][0]
        event = top_event(result)
        types.append((gold["type"], plover_gsr_type(event) if event else "(none)"))
        found += any(plover_gsr_type(e) == gold["type"] for e in result.events)
        for side, actor in (("source", event and event.actor1), ("target", event and event.actor2)):
            countries, sectors = gold_actor_codes(gold.get(f"{side}_actor"))
            country, sector = actor_codes(actor)
            for key, wanted, got in (("country", countries, country), ("sector", sectors, sector)):
                if wanted:
                    sides[f"{side}_{key}"][0] += 1
                    sides[f"{side}_{key}"][1] += got in wanted
    n = len(records)
    by_type = Counter(g for g, _ in types)
    hits = Counter(g for g, p in types if g == p)
    return PloverScores(
        records=n,
        with_event=sum(1 for _, p in types if p != "(none)"),
        type_accuracy=ratio(sum(hits.values()), n),
        type_found=ratio(found, n),
        **{key: (total, ratio(right, total)) for key, (total, right) in sides.items()},
        per_type_accuracy={t: (k, ratio(hits[t], k)) for t, k in by_type.most_common()},
        confusions=[(g, p, k) for (g, p), k in Counter(types).most_common() if g != p][:10],
    )


POLICE_CLASSES = ("KILL", "ARREST", "FORCE")


@dataclass
class PoliceScores:
    """Document-level precision, recall and F1 per IndiaPoliceEvents class, in percent."""

    documents: int = 0
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)


def police_classes(events: Iterable[Event]) -> set[str]:
    """The IndiaPoliceEvents classes sitrep's events give a document (gold_codes.yaml)."""
    classes = set()
    for event in events:
        if event.mode != "asserted":
            continue
        sector = event.actor1.sector if event.actor1 and event.actor1.sector else "-"
        for row in gold_table("india_police_events"):
            count = row["count"]
            if (
                rule_cell(row["plover_type"], event.plover_type)
                and rule_cell(row["acled_sub_event_type"], event.acled_sub_event_type or "-")
                and rule_cell(row["actor1_sector"], sector)
                and (count == "*" or (getattr(event, count) or 0) > 0)
            ):
                classes.add(row["class"])
    return classes


def rule_cell(cell: str, value: str) -> bool:
    """A cell of a mapping table: "*" matches anything, "a|b" either value."""
    return cell == "*" or value in cell.split("|")


def run_police(path: str | Path, language: Language | None = None) -> PoliceScores:
    """Code each document and score its classes against the gold labels, class by class."""
    from sitrep.ingest import read_text_records

    nlp_pipeline = language or pipeline.nlp.load_pipeline()
    records = list(read_text_records(Path(path)))
    reports = [
        Report(str(r.get("id", i)), r["text"], published=gold_day(r.get("date")))
        for i, r in enumerate(records)
    ]
    gold = {
        report.report_id: {e.get("type") for e in r.get("events") or [] if isinstance(e, dict)}
        for report, r in zip(reports, records, strict=True)
    }
    counts = {c: Counter() for c in POLICE_CLASSES}
    options = pipeline.RunOptions(batch_size=32)
    documents = 0
    for result in pipeline.analyse_reports(nlp_pipeline, reports, options):
        if not isinstance(result, ReportResult):
            continue
        documents += 1
        predicted = police_classes(result.events)
        for name in POLICE_CLASSES:
            wanted, got = name in gold[result.report.report_id], name in predicted
            counts[name]["tp" if wanted and got else "fp" if got else "fn" if wanted else "tn"] += 1
    per_class = {}
    for name, c in counts.items():
        p, r, f = prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        per_class[name] = {
            "gold": c["tp"] + c["fn"],
            "predicted": c["tp"] + c["fp"],
            "precision": p,
            "recall": r,
            "f1": f,
        }
    return PoliceScores(documents, per_class)
