"""Figures given outside the event's sentence, and ACLED notes' stated figures (hand-written)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep import pipeline
from sitrep.counts import stated_fatalities


def main_fatalities(nlp: Language, text: str) -> int | None:
    result = pipeline.analyse(text, language=nlp)
    typed = [e for e in result.events if e.acled_event_type]
    assert typed, f"no ACLED event in {text!r}"
    best = max(typed, key=lambda e: (e.confidence, -e.trigger_start))
    return best.fatalities


def test_a_figure_in_a_sentence_of_its_own_belongs_to_the_event_before(nlp: Language) -> None:
    text = "On 3 June 2019, gunmen attacked a farm near Lodu. Two farmers died in hospital."
    assert main_fatalities(nlp, text) == 2


def test_a_repeated_figure_is_not_added_again(nlp: Language) -> None:
    text = "On 3 June 2019, gunmen killed three traders near Lodu. 3 fatalities."
    assert main_fatalities(nlp, text) == 3


def test_one_victim_named_by_a_noun_or_pronoun_counts_one(nlp: Language) -> None:
    assert main_fatalities(nlp, "On 3 June 2019, a mob lynched a thief in Lodu.") == 1
    text = "On 3 June 2019, soldiers opened fire on a farmer in Lodu, killing him."
    assert main_fatalities(nlp, text) == 1


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Militants were killed. Fatalities coded as 0 (the group reported 4).", 0),
        ("Several fighters were killed. Unknown reported fatalities coded as 10.", 10),
        ("Fatalities are split across 3 events (2).", 2),
        ("Four people were killed.", None),
    ],
)
def test_the_figure_a_note_says_was_coded(note: str, expected: int | None) -> None:
    assert stated_fatalities(note) == expected
