"""Fixtures of the serve tests: the demo database, built once per session by the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_samples import DEMO


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 45 demo reports coded into a database (needs the spaCy model; a few seconds)."""
    from sitrep.pipeline import run

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run([DEMO], path)
    return path
