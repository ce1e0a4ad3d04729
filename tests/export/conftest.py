"""Fixtures of the export tests: a small store of hand-built events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from export_samples import meeting, protest, strike

from sitrep.models import Report, ReportResult
from sitrep.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    results = [
        ReportResult(Report("r1", "…", agencies=("AFP", "Reuters")), [strike()]),
        ReportResult(Report("r2", "…", agencies=("Nation",)), [protest(), meeting()]),
    ]
    with Store(tmp_path / "export.duckdb") as db:
        db.add_results(results, db.start_run([], {}))
        yield db
