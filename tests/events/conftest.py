"""Fixtures of the event tests: code a short text with the session's pipeline."""

from __future__ import annotations

import pytest
from event_helpers import Coder
from spacy.language import Language

from sitrep.models import ReportResult
from sitrep.pipeline import analyse


@pytest.fixture
def code(nlp: Language) -> Coder:
    """Run `analyse` on a text with the session's pipeline."""

    def _code(text: str) -> ReportResult:
        return analyse(text, language=nlp)

    return _code
