"""Evidence spans point at the words they came from; event ids are stable."""

from __future__ import annotations

import pytest
from event_helpers import Coder

from sitrep.events import event_id

pytestmark = pytest.mark.model

TEXTS = [
    "Al-Shabaab fighters clashed with the Somali army near Baidoa on Sunday. "
    "Five soldiers were wounded in the fighting.",
    "Police arrested 30 opposition supporters in Harare, Zimbabwe. "
    "The government will hold talks with the opposition next week.",
    "Afghan Minister of Defense Bismillah Mohammadi said the Taliban attacked the city of "
    "Herat. The insurgents seized two checkpoints, and Mohammadi vowed to retake them.",
    "Hundreds of people protested in Nairobi, Kenya, before police dispersed them with tear "
    "gas. A roadside bomb exploded in Mandera County, killing two police officers.",
]


@pytest.mark.parametrize("text", TEXTS, ids=[t[:30] for t in TEXTS])
def test_trigger_evidence_slices_to_trigger(code: Coder, text: str) -> None:
    result = code(text)
    assert result.events
    body = result.report.text
    for event in result.events:
        evidence = [e for e in event.evidence if e.field == "plover_type"]
        assert len(evidence) >= 1, f"{event.trigger}: no plover_type evidence"
        first = evidence[0]
        assert body[first.start : first.end] == event.trigger
        assert body[event.trigger_start : event.trigger_end] == event.trigger
        assert body[first.start : first.end] in first.sentence


@pytest.mark.parametrize("text", TEXTS, ids=[t[:30] for t in TEXTS])
def test_actor_evidence_slices_to_actor_text(code: Coder, text: str) -> None:
    result = code(text)
    body = result.report.text
    for event in result.events:
        for field in ("actor1", "actor2"):
            actor = getattr(event, field)
            if actor is None:
                continue
            assert actor.start is not None and actor.end is not None
            assert body[actor.start : actor.end] == actor.text
            spans = [e for e in event.evidence if e.field == field]
            assert spans, f"{event.trigger}: {field} {actor.text!r} has no evidence"
            assert any(body[e.start : e.end] == actor.text for e in spans)


@pytest.mark.parametrize("text", TEXTS, ids=[t[:30] for t in TEXTS])
def test_location_evidence_slices_to_place(code: Coder, text: str) -> None:
    result = code(text)
    body = result.report.text
    for event in result.events:
        if event.location is None:
            continue
        spans = [e for e in event.evidence if e.field == "location"]
        assert spans
        assert any(event.location.name in body[e.start : e.end] for e in spans)


@pytest.mark.parametrize("text", TEXTS, ids=[t[:30] for t in TEXTS])
def test_count_evidence_covers_the_figure(code: Coder, text: str) -> None:
    result = code(text)
    body = result.report.text
    for event in result.events:
        for field in ("fatalities", "injured", "arrested"):
            if getattr(event, field) is None:
                continue
            spans = [e for e in event.evidence if e.field == field]
            assert spans, f"{event.trigger}: {field} has no evidence"
            assert all(body[e.start : e.end] in e.sentence for e in spans)


def test_event_ids_are_stable_and_unique(code: Coder) -> None:
    text = TEXTS[2]
    first = [e.event_id for e in code(text).events]
    second = [e.event_id for e in code(text).events]
    assert first == second
    assert len(set(first)) == len(first)


def test_event_ids_differ_between_reports(code: Coder) -> None:
    a = {e.event_id for e in code(TEXTS[0]).events}
    b = {e.event_id for e in code(TEXTS[1]).events}
    assert a and b and not a & b


def test_event_id_function() -> None:
    assert event_id("r1", 10, "ASSAULT") == event_id("r1", 10, "ASSAULT")
    assert event_id("r1", 10, "ASSAULT") != event_id("r1", 11, "ASSAULT")
    assert event_id("r1", 10, "ASSAULT") != event_id("r2", 10, "ASSAULT")
    assert event_id("r1", 10, "ASSAULT") != event_id("r1", 10, "PROTEST")
