"""Fixtures of the store tests: a fresh database file and a started run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "test.duckdb") as db:
        yield db


@pytest.fixture
def run_id(store: Store) -> str:
    return store.start_run(["in/"], {"model": "en_core_web_sm", "model_version": "3.8.0"})
