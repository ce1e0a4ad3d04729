"""ACLED inter codes and interaction codes (no model needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from sitrep.actors import build_context, inter_code, interaction_code, resolve_actor, sector_name


@pytest.mark.parametrize(
    ("sector", "actor_country", "event_country", "expected"),
    [
        ("MIL", "AFG", "AFG", 1),
        ("POL", "KEN", None, 1),
        ("MIL", None, "AFG", 1),
        ("MIL", "USA", "AFG", 8),  # state forces abroad are external forces
        ("GOV", "RWA", "MOZ", 8),
        ("INS", "AFG", "PAK", 2),  # only state forces change code abroad
        ("UAF", None, "NGA", 3),
        ("ETH", "MLI", "MLI", 4),
        ("RIO", "KEN", "KEN", 5),
        ("PRT", "KEN", "KEN", 6),
        ("CVL", "NGA", "NGA", 7),
        ("IGO", None, "COD", 8),
        (None, "AFG", "AFG", None),
        ("", "AFG", "AFG", None),
    ],
)
def test_inter_code(
    sector: str | None, actor_country: str | None, event_country: str | None, expected: int | None
) -> None:
    assert inter_code(sector, actor_country, event_country) == expected


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [
        (1, 2, 12),
        (2, 1, 12),  # the lower code first
        (1, 1, 11),
        (6, 1, 16),
        (8, 2, 28),
        (2, None, 20),  # a missing actor2 is X0
        (7, None, 70),
        (None, None, None),
    ],
)
def test_interaction_code(inter1: int | None, inter2: int | None, expected: int | None) -> None:
    assert interaction_code(inter1, inter2) == expected


codes = st.integers(min_value=1, max_value=8)


@given(codes, codes)
def test_interaction_code_is_symmetric_two_digits(a: int, b: int) -> None:
    code = interaction_code(a, b)
    assert code == interaction_code(b, a)
    assert code is not None
    assert code // 10 == min(a, b)
    assert code % 10 == max(a, b)


@pytest.mark.parametrize(
    ("sector", "country", "expected"),
    [
        ("MIL", "AFG", "Military Forces of Afghanistan"),
        ("POL", "KEN", "Police Forces of Kenya"),
        ("PRT", "SDN", "Protesters (Sudan)"),
        ("PRT", None, "Protesters"),
        ("GOV", "XXX", "Government"),
    ],
)
def test_sector_name(sector: str, country: str | None, expected: str) -> None:
    assert sector_name(sector, country) == expected


@pytest.mark.model
def test_a_party_wing_acts_as_supporters_not_as_a_state(nlp: Language) -> None:
    doc = nlp("Members of the Jubo League attacked a rival's shop in Feni on Monday.")
    ctx = build_context(doc)
    subject = next(t for t in doc if t.dep_ == "nsubj")
    actor = resolve_actor(subject, ctx)
    assert actor is not None and actor.sector == "OPP"
