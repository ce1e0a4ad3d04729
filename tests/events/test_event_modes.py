"""Modes: denied, threatened, planned and possible events, and no ACLED type for them."""

from __future__ import annotations

import pytest
from event_helpers import Coder, only

pytestmark = pytest.mark.model

MODES = [
    ("The army denied bombing the village.", "ASSAULT", "negated"),
    ("The army said it did not shell the market in Mopti.", "ASSAULT", "negated"),
    ("The militants threatened to attack the town.", "ASSAULT", "threatened"),
    ("The Taliban vowed to attack Kabul.", "ASSAULT", "threatened"),
    ("The government will hold talks with the rebels next week.", "CONSULT", "future"),
    ("Officials warned that the insurgents could attack the base.", "ASSAULT", "hypothetical"),
    ("Jihadists could attack the capital, officials said.", "ASSAULT", "hypothetical"),
    ("Al-Shabaab fighters attacked a police post in Baidoa on Sunday.", "ASSAULT", "asserted"),
]


@pytest.mark.parametrize(("text", "plover", "mode"), MODES, ids=[m[0][:40] for m in MODES])
def test_mode(code: Coder, text: str, plover: str, mode: str) -> None:
    assert only(code(text).events, plover).mode == mode


@pytest.mark.parametrize(
    "text",
    [m[0] for m in MODES if m[2] in {"negated", "threatened", "hypothetical"}],
)
def test_events_not_asserted_get_no_acled_type(code: Coder, text: str) -> None:
    for event in code(text).events:
        if event.mode != "asserted":
            assert event.acled_event_type is None
            assert event.acled_sub_event_type is None
            assert event.cameo_root is not None


def test_threat_is_the_mode_not_a_separate_event(code: Coder) -> None:
    events = code("The militants threatened to attack the town.").events
    assert [e.plover_type for e in events] == ["ASSAULT"]


def test_mode_cue_is_in_the_evidence(code: Coder) -> None:
    text = "The army denied bombing the village."
    event = only(code(text).events, "ASSAULT")
    (cue,) = [e for e in event.evidence if e.field == "mode"]
    assert text[cue.start : cue.end] == "denied"
