"""Merging through `sitrep run`: the demo corpus and the bundled cluster set, ingested in two
orders and in batches of different sizes, twice, and re-coded with --force, give the same
merged events; a report arriving later joins the event already stored."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from sitrep import merge
from sitrep.lexicon import data_text
from sitrep.pipeline import RunOptions, run
from sitrep.store import Store

pytestmark = pytest.mark.model

DEMO = Path(__file__).parents[2] / "sitrep" / "data" / "demo"


def split_clusters(folder: Path) -> list[Path]:
    """The cluster set, one report a file, so the run order can be chosen."""
    folder.mkdir()
    paths = []
    for line in data_text("eval/merge_clusters.jsonl").splitlines():
        record = json.loads(line)
        path = folder / f"{record['id']}.jsonl"
        path.write_text(line + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def merged_state(db: Path) -> list[tuple[object, ...]]:
    with Store(db, read_only=True) as store:
        return [
            (m.merged_id, tuple(m.event_ids), m.fatalities, m.location and m.location.name,
             m.date and m.date.value, m.reports, m.sources, tuple(m.agencies))
            for m in store.merged_events()
        ]  # fmt: skip


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    clusters = split_clusters(tmp_path_factory.mktemp("c") / "clusters")
    return [*sorted(DEMO.glob("*.txt")), *clusters]


def test_any_order_any_batch_twice_and_forced_give_the_same_merged_events(
    inputs: list[Path], tmp_path: Path
) -> None:
    forward, backward = tmp_path / "f.duckdb", tmp_path / "b.duckdb"
    run(inputs, forward, RunOptions(batch_size=64))
    state = merged_state(forward)
    assert any(row[5] >= 3 for row in state), "the cluster set should give multi-report events"
    run(list(reversed(inputs)), backward, RunOptions(batch_size=7))
    assert merged_state(backward) == state
    run(inputs, forward, RunOptions(batch_size=64))
    assert merged_state(forward) == state
    run(inputs[:20], backward, RunOptions(batch_size=5, force=True))
    assert merged_state(backward) == state


def test_a_later_report_joins_the_stored_event(inputs: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "later.duckdb"
    first = [p for p in inputs if p.name in {"b1.jsonl", "b3.jsonl"}]
    later = [p for p in inputs if p.name in {"i1.jsonl", "b2.jsonl"}]
    run(first, db, RunOptions())
    with Store(db, read_only=True) as store:
        before = {m.merged_id: m for m in store.merged_events()}
    joined = [m for m in before.values() if m.reports == 2]
    assert joined, before
    run(later, db, RunOptions())
    with Store(db, read_only=True) as store:
        after = {m.merged_id: m for m in store.merged_events()}
    assert joined[0].merged_id in after
    assert after[joined[0].merged_id].report_ids == ["b1", "b2", "b3"]


def test_what_a_run_keeps_between_batches_changes_nothing(
    inputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sitrep run` keeps the events merging read in a `merge.Cache` from batch to batch: the
    merged events are those of reading everything afresh (`rebuild`), and those of a cache
    emptied at almost every batch."""
    cached = tmp_path / "cached.duckdb"
    run(list(reversed(inputs)), cached, RunOptions(batch_size=7))
    state = merged_state(cached)
    with Store(cached) as store:
        merge.rebuild(store)
    assert merged_state(cached) == state
    small = tmp_path / "small.duckdb"
    monkeypatch.setattr(merge, "Cache", partial(merge.Cache, max_events=10))
    run(inputs, small, RunOptions(batch_size=7))
    assert merged_state(small) == state
    run(inputs[30:50], small, RunOptions(batch_size=3, force=True))
    assert merged_state(small) == state
