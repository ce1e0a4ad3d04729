"""Killed, injured and arrested figures read from single sentences, ACLED's way."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.counts import counts_in

pytestmark = pytest.mark.model


def figures(nlp: Language, text: str) -> list[tuple[str, int]]:
    doc = nlp(text)
    return [(c.field, c.value) for sentence in doc.sents for c in counts_in(sentence)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen killed at least 12 people in the village.", [("fatalities", 12)]),
        ("At least 12 people were killed in the raid.", [("fatalities", 12)]),
        ("Five soldiers were wounded in the ambush.", [("injured", 5)]),
        ("Dozens of protesters were arrested by police.", [("arrested", 12)]),
        ("Two policemen and three civilians were killed in the attack.", [("fatalities", 5)]),
        ("The bomb killed two policemen and three civilians.", [("fatalities", 5)]),
        ("No one was killed in the blast.", [("fatalities", 0)]),
        ("Hundreds of people were detained after the march.", [("arrested", 100)]),
        ("Police arrested hundreds of demonstrators.", [("arrested", 100)]),
        ("The army said 1,250 fighters were killed.", [("fatalities", 1250)]),
        ("The floods and landslides killed 1,200 people.", [("fatalities", 1200)]),
        ("Several civilians were injured in the shelling.", [("injured", 3)]),
        ("Nine villagers were kidnapped and two were killed.", [("fatalities", 2)]),
        ("Police rounded up 40 suspects in the market.", [("arrested", 40)]),
    ],
)
def test_figure(nlp: Language, text: str, expected: list[tuple[str, int]]) -> None:
    assert figures(nlp, text) == expected


def test_killed_and_injured_in_one_sentence(nlp: Language) -> None:
    found = dict(figures(nlp, "The blast killed four people and wounded 11 others."))
    assert found == {"fatalities": 4, "injured": 11}


def test_twenty_five_is_one_number(nlp: Language) -> None:
    assert figures(nlp, "Twenty-five villagers were killed in the attack.") == [("fatalities", 25)]


def test_nobody_hurt_is_zero(nlp: Language) -> None:
    assert figures(nlp, "Nobody was hurt in the explosion.") == [("injured", 0)]


def test_no_figure_without_casualty_word(nlp: Language) -> None:
    assert figures(nlp, "Twelve trucks crossed the border at dawn.") == []


def test_round_without_up_is_not_an_arrest(nlp: Language) -> None:
    assert figures(nlp, "The talks went into a second round with 12 delegates.") == []


def test_count_span_covers_figure_and_casualty_word(nlp: Language) -> None:
    text = "Gunmen killed at least 12 people in the village."
    doc = nlp(text)
    (count,) = [c for s in doc.sents for c in counts_in(s)]
    covered = text[count.start : count.end]
    assert "12" in covered
    assert "killed" in covered
    assert doc[count.anchor].text == "killed"
