"""Fixtures of the geography tests: the compiled gazetteer, loaded (or built) once."""

from __future__ import annotations

import pytest

from sitrep.gazetteer import Gazetteer, gazetteer


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The gazetteer index of the installed packages (built on first use, then cached)."""
    return gazetteer()
