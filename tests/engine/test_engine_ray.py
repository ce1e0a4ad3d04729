"""The Ray engine in local mode codes the same events as the local engine (exports compared).

Starts one local Ray instance for the module; skips cleanly when ray (extra sitrep[ray]) is not
installed.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep import pipeline
from sitrep.cli import app
from sitrep.export import export_events
from sitrep.store import Store

ray = pytest.importorskip("ray", reason="the Ray engine needs the extra sitrep[ray]")

pytestmark = [pytest.mark.model, pytest.mark.ray]

DEMO = Path(str(resources.files("sitrep").joinpath("data", "demo")))
WIRE = {"id": "w-1", "text": "Police arrested 14 protesters in Dhaka on Monday after students "
        "marched to demand lower fees.", "date": "2023-05-02", "source": "AFP"}  # fmt: skip


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(
        num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False
    )
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus plus a second folder with a copy of a demo report and bad inputs."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(DEMO, root / "demo")
    extra = root / "extra"
    extra.mkdir()
    first = sorted(DEMO.iterdir())[0]
    shutil.copy(first, extra / "copy.txt")  # the same report again: stored once
    (extra / "wire.jsonl").write_text(json.dumps(WIRE) + "\n{not json\n", encoding="utf-8")
    (extra / "blob.bin").write_bytes(b"\x00\x01binary")
    return root


def exported(db: Path) -> str:
    out = db.with_suffix(".jsonl")
    with Store(db, read_only=True) as store:
        export_events(store, "jsonl", out)
    return out.read_text(encoding="utf-8")


def skipped_rows(db: Path) -> list[tuple[object, ...]]:
    with Store(db, read_only=True) as store:
        run_id = store.runs()[-1]["run_id"]
        return sorted(tuple(row.values()) for row in store.skipped_for_run(str(run_id)))


@pytest.fixture(scope="module")
def local_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    pipeline.run([corpus], db)
    return db


@pytest.fixture(scope="module")
def ray_db(local_ray: None, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ray")
    db = folder / "ray.duckdb"
    result = CliRunner().invoke(app, [
        "run", str(corpus), "--db", str(db), "--engine", "ray", "--workers", "2",
        "--batch-size", "8", "--parquet-dir", str(folder / "parts"), "--quiet",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    return db


def test_ray_engine_exports_the_same_events_as_the_local_engine(
    local_db: Path, ray_db: Path
) -> None:
    local = exported(local_db)
    assert local.count("\n") > 200
    assert exported(ray_db) == local


def test_ray_engine_counts_and_skips_like_the_local_engine(local_db: Path, ray_db: Path) -> None:
    counts = ("reports_read", "reports_stored", "reports_duplicate", "reports_skipped",
              "reports_failed", "events_stored")  # fmt: skip
    with Store(local_db, read_only=True) as a, Store(ray_db, read_only=True) as b:
        local_run, ray_run = a.runs()[-1], b.runs()[-1]
        assert a.stats() == b.stats()
    assert [local_run[c] for c in counts] == [ray_run[c] for c in counts]
    assert local_run["reports_duplicate"] == 1 and local_run["reports_skipped"] == 2
    assert ray_run["options"]["engine"] == "ray"
    assert skipped_rows(ray_db) == skipped_rows(local_db)


def test_parts_are_kept_as_parquet_per_table(ray_db: Path) -> None:
    (run_folder,) = (ray_db.parent / "parts").iterdir()
    for table in ("reports", "events", "actors", "evidence", "skipped"):
        assert list((run_folder / table).glob("*.parquet")), table


def test_a_second_ray_run_parses_nothing_already_stored(ray_db: Path, corpus: Path) -> None:
    from sitrep.engine_ray import RayOptions, run

    before = exported(ray_db)
    summary = run([corpus / "demo"], ray_db, ray_options=RayOptions(workers=1))
    assert (summary.reports_stored, summary.events_stored) == (0, 0)
    demo_reports = len(list((corpus / "demo").glob("*.txt")))
    assert summary.reports_duplicate == summary.reports_read == demo_reports
    assert exported(ray_db) == before
