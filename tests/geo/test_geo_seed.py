"""The seed report's assault is placed at Qala-i-Naw (read from ../shared at test time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sitrep.pipeline import analyse

pytestmark = [pytest.mark.model, pytest.mark.shared]

SEED = Path(__file__).parents[2] / ".." / "shared" / "examples" / "afp_2021-07-08_qala-i-naw.txt"


def test_assault_is_at_qala_i_naw_in_badghis(nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available")
    events = analyse(SEED.read_text(encoding="utf-8"), language=nlp).events
    assaults = [
        e
        for e in events
        if e.plover_type == "ASSAULT" and e.location and e.location.name == "Qala-i-Naw"
    ]
    assert assaults, [(e.plover_type, e.location) for e in events]
    loc = assaults[0].location
    assert loc is not None
    assert loc.geonameid == 1129867
    assert (loc.admin1, loc.country_code, loc.geo_precision) == ("Badghis", "AFG", 1)
