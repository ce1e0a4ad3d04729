"""A few SIGKILLs of `sitrep run` on a small corpus: nothing lost, nothing doubled, the run
resumes (the long version is `bench/kill_test.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.kill_test import compare, failures, make_corpus, run_with_kills
from sitrep import pipeline

pytestmark = pytest.mark.model


def test_killed_runs_lose_and_double_nothing(tmp_path: Path, monkeypatch, nlp) -> None:
    corpus = make_corpus(tmp_path / "corpus", reports=40, demo=False)
    reference, db = tmp_path / "reference.duckdb", tmp_path / "killed.duckdb"
    monkeypatch.setattr(pipeline.nlp, "load_pipeline", lambda *_: nlp)
    pipeline.run([corpus], reference, pipeline.RunOptions(batch_size=4))
    done = run_with_kills(corpus, db, batch_size=4, kills=2, window=(0.5, 6.0), seed=3)
    figures = compare(reference, db, corpus, batch_size=4)
    assert done["kills"] + done["finished_before_kill"] >= 1
    assert figures["reports_reference"] == 40
    assert failures(figures) == [], figures
