"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The English pipeline with sitrep's components, loaded once per test session."""
    return load_pipeline()
