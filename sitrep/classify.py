"""An optional trained classifier for ACLED event and sub-event types, fitted on a user's own
ACLED export (`sitrep train`), used by `sitrep run --model` and `sitrep eval acled --model`.

The rules stay the default: sitrep codes events with no model at all. With a model, the rules
still find the events, their mode, actors, places, dates and counts; the classifier only
replaces the ACLED event type and sub-event type of the events the rules gave an ACLED type
(a threatened or denied attack stays untyped, as without a model). It reads the paragraph the
event's trigger is in: an ACLED note is one paragraph, and a news paragraph is about as long.

Features are TF-IDF weights of words, word pairs and character n-grams within words; two linear
models score them, one for the event type and one for the sub-event type; the sub-event type
is the best one under the chosen event type. Fitting needs scikit-learn (the `train` extra);
using a model needs only numpy, which spaCy already brings. The model file is a compressed
numpy archive read without pickle, so opening one runs no code from it. A model fitted on
ACLED rows is the user's own file under ACLED's terms: the project never ships one.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from sitrep import __version__
from sitrep.models import Event, Report, ReportResult, Skipped

FORMAT = "sitrep-acled-classifier/1"
WORD = re.compile(r"\w\w+")
DIGIT = re.compile(r"\d")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
CHAR_NGRAMS = (2, 5)
MIN_DOCS = 2  # a feature seen in a single training note says nothing about unseen text
MAX_FEATURES = {"word": 150_000, "char": 300_000}
SVM_C = 0.5
GOLD_COLUMNS = ("event_type", "sub_event_type")
SPLITS = ("country", "year")
HELD_OUT_SHARE = 0.2  # --split-by year without --hold-out keeps about the latest fifth out


class ClassifierError(ValueError):
    """A model file that cannot be used, or training input that cannot be fitted."""


E_MODEL_FILE = "E030 {path} is not a sitrep classifier model: {detail}"
E_TRAIN = "E031 cannot train: {detail}"
E_NEEDS_SKLEARN = (
    "E032 training needs scikit-learn, which sitrep installs only with the train extra: "
    "pip install 'sitrep[train]'"
)


# --- features ---------------------------------------------------------------------------------


def word_terms(text: str) -> list[str]:
    """Words and word pairs, lower-cased, digits folded (a date or a count is not a type)."""
    words = WORD.findall(DIGIT.sub("0", text.lower()))
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def char_terms(text: str) -> list[str]:
    """Character n-grams inside words padded with a space, so spellings and inflections of
    one stem ("shelled", "shelling") share features."""
    low, high = CHAR_NGRAMS
    grams = []
    for word in DIGIT.sub("0", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def rule_terms(event: Event | None) -> list[str]:
    """What the rules made of an event, as features: their ACLED types, PLOVER type, mode and
    ACLED inter codes. The model learns where the rules are reliable and where not."""
    if event is None:
        return ["none"]
    from sitrep.acled import acled_actors

    coded = acled_actors(event)
    return [
        f"type={event.acled_event_type}",
        f"sub={event.acled_sub_event_type}",
        f"plover={event.plover_type}",
        f"mode={event.mode}",
        f"inter1={coded.inter1}",
        f"inter2={coded.inter2}",
    ]


ANALYSERS = {"word": word_terms, "char": char_terms}
RULES_BLOCK = "rules"


@dataclass
class Block:
    """One TF-IDF feature block: its vocabulary and inverse document frequencies."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int = 0

    def weights(self, terms: list[str]) -> dict[int, float]:
        """Sublinear tf times idf, normalised to unit length (as scikit-learn's TfidfVectorizer
        with sublinear_tf does), keyed by column in the whole feature space."""
        counts = Counter(t for t in terms if t in self.vocabulary)
        raw = {
            self.vocabulary[t]: (1.0 + math.log(k)) * float(self.idf[self.vocabulary[t]])
            for t, k in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {self.offset + i: v / norm for i, v in raw.items()}


@dataclass
class Head:
    """A linear model over the features: one row of weights per class."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)

    def scores(self, features: dict[int, float]) -> np.ndarray:
        if not features:
            return self.intercept.astype(np.float64)
        columns = np.fromiter(features.keys(), dtype=np.int64)
        values = np.fromiter(features.values(), dtype=np.float64)
        return self.coef[:, columns].astype(np.float64) @ values + self.intercept


@dataclass
class Classifier:
    """A fitted model: feature blocks, the two heads and what it was trained on."""

    blocks: dict[str, Block]
    event_head: Head
    sub_head: Head
    sub_event_types: dict[str, str]  # sub-event type -> its event type
    trained_rows: frozenset[str] = frozenset()
    info: dict = field(default_factory=dict)

    def features(self, text: str, rules: list[str] | None = None) -> dict[int, float]:
        merged: dict[int, float] = {}
        for name, block in self.blocks.items():
            terms = (rules or []) if name == RULES_BLOCK else ANALYSERS[name](text)
            merged.update(block.weights(terms))
        return merged

    def predict(self, text: str, rules: list[str] | None = None) -> tuple[str, str]:
        """Event type and sub-event type for a text (and, for a model that reads them, the
        rules' reading of its event); the sub-event type always belongs to the event type."""
        features = self.features(text, rules)
        event_scores = self.event_head.scores(features)
        sub_scores = self.sub_head.scores(features)
        event_type = self.event_head.classes[int(np.argmax(event_scores))]
        allowed = [
            i
            for i, sub in enumerate(self.sub_head.classes)
            if self.sub_event_types.get(sub) == event_type
        ]
        if not allowed:  # cannot happen for a model fitted here; kept for hand-made files
            sub = self.sub_head.classes[int(np.argmax(sub_scores))]
            return self.sub_event_types.get(sub, event_type), sub
        best = max(allowed, key=lambda i: sub_scores[i])
        return event_type, self.sub_head.classes[best]

    def relabel(self, result: ReportResult) -> ReportResult:
        """The same result with the classifier's ACLED types on every ACLED-typed event."""
        events = []
        for event in result.events:
            if event.acled_event_type is not None:
                kind, sub = self.predict(
                    paragraph_at(result.report.text, event.trigger_start), rule_terms(event)
                )
                event = dataclasses.replace(event, acled_event_type=kind, acled_sub_event_type=sub)
            events.append(event)
        return dataclasses.replace(result, events=events)


def paragraph_at(text: str, offset: int) -> str:
    """The paragraph (text between blank lines) that holds a character offset."""
    start = 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        if brk.start() > offset:
            return text[start : brk.start()]
        start = brk.end()
    return text[start:]


# --- model files --------------------------------------------------------------------------------


def save(classifier: Classifier, path: str | Path) -> None:
    """Write a model as a compressed numpy archive (no pickle)."""
    arrays: dict[str, np.ndarray] = {}
    blocks = {}
    for name, block in classifier.blocks.items():
        terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"terms_{name}"] = encode("\n".join(terms))
        arrays[f"idf_{name}"] = block.idf.astype(np.float32)
        blocks[name] = block.offset
    for name, head in (("event", classifier.event_head), ("sub", classifier.sub_head)):
        arrays[f"coef_{name}"] = head.coef.astype(np.float32)
        arrays[f"intercept_{name}"] = head.intercept.astype(np.float32)
    meta = {
        "format": FORMAT,
        "blocks": blocks,
        "event_classes": list(classifier.event_head.classes),
        "sub_classes": list(classifier.sub_head.classes),
        "sub_event_types": classifier.sub_event_types,
        "info": classifier.info,
    }
    arrays["meta"] = encode(json.dumps(meta))
    arrays["trained_rows"] = encode("\n".join(sorted(classifier.trained_rows)))
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def load(path: str | Path) -> Classifier:
    """Read a model written by `save`; a wrong or damaged file raises ClassifierError."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(decode(archive["meta"]))
            if meta.get("format") != FORMAT:
                raise ClassifierError(
                    E_MODEL_FILE.format(path=path, detail=f"format {meta.get('format')!r}")
                )
            blocks = {}
            for name, offset in meta["blocks"].items():
                terms = decode(archive[f"terms_{name}"]).split("\n")
                blocks[name] = Block(
                    {t: i for i, t in enumerate(terms)}, archive[f"idf_{name}"], int(offset)
                )
            heads = {
                name: Head(
                    tuple(meta[f"{name}_classes"]),
                    archive[f"coef_{name}"],
                    archive[f"intercept_{name}"],
                )
                for name in ("event", "sub")
            }
            rows = decode(archive["trained_rows"])
    except ClassifierError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClassifierError(E_MODEL_FILE.format(path=path, detail=exc)) from None
    return Classifier(
        blocks,
        heads["event"],
        heads["sub"],
        dict(meta["sub_event_types"]),
        frozenset(rows.split("\n")) if rows else frozenset(),
        meta.get("info", {}),
    )


def encode(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def decode(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")


# --- training ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRow:
    """One ACLED row as a training example: its notes, gold types and what splits it."""

    row_id: str
    text: str
    event_type: str
    sub_event_type: str
    country: str
    year: int | None
    rules: tuple[str, ...] = ()  # rule_terms of sitrep's main event for the notes


def training_rows(reports: Iterable[Report | Skipped]) -> list[TrainingRow]:
    """ACLED rows with notes and both gold types; other reports and skipped inputs are left
    out."""
    rows = []
    for report in reports:
        if not isinstance(report, Report) or report.source_format != "acled":
            continue
        gold = report.extra
        kind, sub = (gold.get(c, "").strip() for c in GOLD_COLUMNS)
        if kind and sub:
            rows.append(
                TrainingRow(
                    report.report_id,
                    report.text,
                    kind,
                    sub,
                    gold.get("country", "").strip(),
                    row_year(gold),
                )
            )
    return rows


def row_year(gold: dict[str, str]) -> int | None:
    """The row's year: the `year` column, else the first four-digit number of event_date."""
    for text in (gold.get("year", ""), gold.get("event_date", "")):
        found = re.search(r"\b(\d{4})\b", text or "")
        if found:
            return int(found.group(1))
    return None


def with_rules(
    rows: Sequence[TrainingRow], reports: Iterable[Report], progress=None
) -> list[TrainingRow]:
    """The rows with what sitrep's rules make of their notes (one spaCy pass)."""
    from sitrep import nlp, pipeline
    from sitrep.evaluate import main_event

    wanted = {r.row_id for r in rows}
    todo = [r for r in reports if isinstance(r, Report) and r.report_id in wanted]
    readings: dict[str, tuple[str, ...]] = {}
    options = pipeline.RunOptions(batch_size=128)
    for result in pipeline.analyse_reports(nlp.load_pipeline(), todo, options):
        if isinstance(result, ReportResult):
            readings[result.report.report_id] = tuple(rule_terms(main_event(result)))
        if progress:
            progress(len(readings))
    return [dataclasses.replace(r, rules=readings.get(r.row_id, ("none",))) for r in rows]


def split_rows(
    rows: Sequence[TrainingRow], split_by: str | None, hold_out: Sequence[str] = ()
) -> tuple[list[TrainingRow], list[TrainingRow], str]:
    """Training rows, held-out rows and a description of the split.

    By country: rows of the countries named are held out. By year: rows of the year named and
    later are held out; with no year named, the latest years holding about a fifth of the rows.
    """
    if split_by is None:
        if hold_out:
            raise ClassifierError(E_TRAIN.format(detail="--hold-out needs --split-by"))
        return list(rows), [], "none (all rows trained on)"
    if split_by == "country":
        if not hold_out:
            raise ClassifierError(
                E_TRAIN.format(detail="--split-by country needs --hold-out COUNTRY")
            )
        names = {h.strip().lower() for h in hold_out}
        known = {r.country.lower() for r in rows}
        missing = [h for h in hold_out if h.strip().lower() not in known]
        if missing:
            raise ClassifierError(
                E_TRAIN.format(detail=f"no rows from {', '.join(missing)} in the files")
            )
        test = [r for r in rows if r.country.lower() in names]
        train = [r for r in rows if r.country.lower() not in names]
        return train, test, f"by country: held out {', '.join(sorted(hold_out))}"
    if split_by == "year":
        if len(hold_out) > 1:
            raise ClassifierError(E_TRAIN.format(detail="--split-by year takes one --hold-out"))
        try:
            cut = int(hold_out[0]) if hold_out else default_cut_year(rows)
        except ValueError:
            raise ClassifierError(
                E_TRAIN.format(detail=f"--hold-out {hold_out[0]!r} is not a year")
            ) from None
        undated = [r for r in rows if r.year is None]
        test = [r for r in rows if r.year is not None and r.year >= cut]
        train = [r for r in rows if r.year is not None and r.year < cut]
        note = f"; {len(undated)} undated rows left out" if undated else ""
        return train, test, f"by year: trained before {cut}, held out {cut} and later{note}"
    raise ClassifierError(
        E_TRAIN.format(detail=f"--split-by {split_by!r}; choose one of: {', '.join(SPLITS)}")
    )


def default_cut_year(rows: Sequence[TrainingRow]) -> int:
    """The year from which on about a fifth of the dated rows lie (at least one year kept)."""
    years = sorted(r.year for r in rows if r.year is not None)
    if not years:
        raise ClassifierError(E_TRAIN.format(detail="no row has a year to split by"))
    cut = years[min(len(years) - 1, int(len(years) * (1 - HELD_OUT_SHARE)))]
    if cut == years[0]:  # every row in one year: nothing would be left to train on
        raise ClassifierError(E_TRAIN.format(detail=f"every dated row is from {cut}"))
    return cut


def fit(rows: Sequence[TrainingRow], info: dict | None = None) -> Classifier:
    """Fit the feature blocks and both heads on the rows (needs scikit-learn)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC
    except ImportError:
        raise ClassifierError(E_NEEDS_SKLEARN) from None
    from scipy.sparse import hstack

    if len({r.event_type for r in rows}) < 2:
        raise ClassifierError(E_TRAIN.format(detail="the rows need at least two event types"))
    texts = [r.text for r in rows]
    blocks: dict[str, Block] = {}
    matrices = []
    offset = 0
    for name, analyser in ANALYSERS.items():
        vectoriser = TfidfVectorizer(
            analyzer=analyser,
            min_df=min(MIN_DOCS, len(rows)),
            sublinear_tf=True,
            max_features=MAX_FEATURES[name],
            dtype=np.float32,
        )
        matrices.append(vectoriser.fit_transform(texts))
        blocks[name] = Block(dict(vectoriser.vocabulary_), vectoriser.idf_, offset)
        offset += len(vectoriser.vocabulary_)
    if any(r.rules for r in rows):  # one-hot readings of the rules, unit length, no idf
        vectoriser = TfidfVectorizer(analyzer=list, use_idf=False, dtype=np.float32)
        matrices.append(vectoriser.fit_transform([r.rules for r in rows]))
        size = len(vectoriser.vocabulary_)
        blocks[RULES_BLOCK] = Block(
            dict(vectoriser.vocabulary_), np.ones(size, dtype=np.float32), offset
        )
        offset += size
    matrix = hstack(matrices).tocsr()
    heads = {}
    for name, labels in (
        ("event", [r.event_type for r in rows]),
        ("sub", [r.sub_event_type for r in rows]),
    ):
        if len(set(labels)) == 1:  # one sub-event type under two event types cannot happen
            raise ClassifierError(E_TRAIN.format(detail=f"only one {name} type in the rows"))
        model = LinearSVC(C=SVM_C).fit(matrix, labels)
        heads[name] = linear_head(model.classes_, model.coef_, model.intercept_)
    sub_types = {r.sub_event_type: r.event_type for r in rows}
    info = {**(info or {}), "sitrep": __version__, "rows": len(rows), "features": offset}
    return Classifier(
        blocks,
        heads["event"],
        heads["sub"],
        sub_types,
        frozenset(r.row_id for r in rows),
        info,
    )


def linear_head(classes, coef, intercept) -> Head:
    """A head from a fitted linear model; a two-class model has one row, for the second class."""
    coef = np.asarray(coef, dtype=np.float32)
    intercept = np.asarray(intercept, dtype=np.float32)
    if len(classes) == 2 and coef.shape[0] == 1:
        coef = np.vstack([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
    return Head(tuple(str(c) for c in classes), coef, intercept)


@dataclass
class HeldOutScores:
    """The classifier alone on held-out notes (whole notes, no rules, no spaCy)."""

    rows: int = 0
    event_type_accuracy: float = 0.0
    sub_event_type_weighted_f1: float = 0.0


def score_held_out(classifier: Classifier, rows: Sequence[TrainingRow]) -> HeldOutScores:
    """Event type accuracy and sub-event type weighted F1 on rows the model did not see."""
    from sitrep.evaluate import ratio, weighted_f1

    predicted = [classifier.predict(r.text, list(r.rules)) for r in rows]
    return HeldOutScores(
        rows=len(rows),
        event_type_accuracy=ratio(
            sum(r.event_type == p[0] for r, p in zip(rows, predicted, strict=True)), len(rows)
        ),
        sub_event_type_weighted_f1=round(
            100.0
            * weighted_f1((r.sub_event_type, p[1]) for r, p in zip(rows, predicted, strict=True)),
            1,
        ),
    )
