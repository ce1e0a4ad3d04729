"""Regression guard: how much of our hand-coding of the demo corpus sitrep finds.

An expected asserted event is found when sitrep gives an event of the same PLOVER type whose
actor1 or location matches (case-insensitive substring either way). The floors sit a few
points under what the code measured when they were set; raise them as the code improves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from spacy.language import Language

from sitrep.models import Event
from sitrep.pipeline import analyse

pytestmark = pytest.mark.model

DEMO = Path(__file__).parents[2] / "sitrep" / "data" / "demo"
EXPECTED = Path(__file__).parent / "demo_expected.yaml"

# Measured on 2026-11-24: recall 58/71 = 0.817, ACLED sub-event agreement 44/53 = 0.830.
RECALL_FLOOR = 0.78
ACLED_FLOOR = 0.75


def similar(a: str | None, b: str | None) -> bool:
    """Case-insensitive substring match either way; a missing side never matches."""
    if not a or not b:
        return False
    a, b = a.lower(), b.lower()
    return a in b or b in a


def matches(expected: dict[str, Any], event: Event) -> bool:
    """Same PLOVER type and the same actor1 or the same place."""
    if event.plover_type != expected["plover_type"]:
        return False
    actor = event.actor1.name if event.actor1 else None
    place = event.location.name if event.location else None
    return similar(actor, expected.get("actor1")) or similar(place, expected.get("location"))


def describe(event: Event) -> str:
    actor = event.actor1.name if event.actor1 else "-"
    place = event.location.name if event.location else "-"
    return f"{event.plover_type}/{event.mode} {event.trigger!r} {actor} @ {place}"


@dataclass
class Score:
    """Recall and ACLED agreement over the demo corpus, with what was missed per file."""

    expected: int = 0
    found: int = 0
    acled_expected: int = 0
    acled_agreed: int = 0
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    acled_misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def recall(self) -> float:
        return self.found / self.expected

    @property
    def acled(self) -> float:
        return self.acled_agreed / self.acled_expected


def report_lines(misses: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in sorted(misses.items()))


def score_file(score: Score, name: str, expected: list[dict[str, Any]], got: list[Event]) -> None:
    for wanted in expected:
        if wanted["mode"] != "asserted":
            continue
        score.expected += 1
        found = [e for e in got if matches(wanted, e)]
        if not found:
            produced = "; ".join(describe(e) for e in got) or "no events"
            score.misses[name].append(
                f"{wanted['plover_type']} {wanted.get('actor1')} @ {wanted.get('location')}"
                f" | got: {produced}"
            )
            continue
        score.found += 1
        sub = wanted.get("acled_sub_event_type")
        if sub:
            score.acled_expected += 1
            if any(e.acled_sub_event_type == sub for e in found):
                score.acled_agreed += 1
            else:
                subs = sorted({str(e.acled_sub_event_type) for e in found})
                score.acled_misses[name].append(f"{wanted['plover_type']} {sub} | got: {subs}")


@pytest.fixture(scope="module")
def score(nlp: Language) -> Score:
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    result = Score()
    for name, entry in sorted(expected.items()):
        text = (DEMO / name).read_text(encoding="utf-8")
        score_file(result, name, entry["events"], analyse(text, language=nlp).events)
    return result


def test_every_demo_report_is_hand_coded() -> None:
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    assert sorted(expected) == sorted(p.name for p in DEMO.glob("*.txt"))


def test_demo_recall_floor(score: Score) -> None:
    print(f"demo recall {score.found}/{score.expected} = {score.recall:.3f}")
    assert score.recall >= RECALL_FLOOR, (
        f"recall {score.found}/{score.expected} = {score.recall:.3f} < {RECALL_FLOOR}; "
        f"misses:\n{report_lines(score.misses)}"
    )


def test_demo_acled_agreement_floor(score: Score) -> None:
    print(f"ACLED agreement {score.acled_agreed}/{score.acled_expected} = {score.acled:.3f}")
    assert score.acled >= ACLED_FLOOR, (
        f"ACLED sub-event agreement {score.acled_agreed}/{score.acled_expected} = "
        f"{score.acled:.3f} < {ACLED_FLOOR}; disagreements:\n{report_lines(score.acled_misses)}"
    )
