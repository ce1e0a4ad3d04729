"""`sitrep doctor` finds what is broken, says what to do, and fails only for required parts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from sitrep import doctor
from sitrep.cli import app
from sitrep.store import SCHEMA_VERSION, Store


def test_a_stored_database_is_fine(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db).close()
    check = doctor.check_database(db)
    assert check.status == doctor.OK and f"schema {SCHEMA_VERSION}" in check.detail


def test_a_missing_database_fails_only_when_named(tmp_path: Path, monkeypatch) -> None:
    assert doctor.check_database(tmp_path / "none.duckdb").broken
    monkeypatch.chdir(tmp_path)  # no sitrep.duckdb here: nothing to check, nothing wrong
    assert doctor.check_database(None).status == doctor.OK


def test_another_schema_version_fails_with_a_fix(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    Store(db).close()
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    check = doctor.check_database(db)
    assert check.broken and "schema 0" in check.detail and check.fix


def test_a_database_that_is_not_sitreps_fails(tmp_path: Path) -> None:
    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    assert doctor.check_database(db).broken
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    assert doctor.check_database(junk).broken


def test_a_missing_model_says_how_to_install_it() -> None:
    check = doctor.check_model("no_such_model_package")
    assert check.broken and "requirements-model.txt" in check.fix


def test_a_missing_optional_engine_only_warns() -> None:
    check = doctor._optional_module("Thing", ("no_such_module_xyz",), "nothing", "")
    assert check.status == doctor.WARN and not check.broken and "pip install" in check.fix


def test_python_version_is_checked() -> None:
    assert doctor.check_python().status == doctor.OK


def test_a_check_that_raises_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> doctor.Check:
        raise RuntimeError("kaput")

    monkeypatch.setattr(doctor, "check_java", boom)
    monkeypatch.setattr(doctor, "check_model", lambda _: doctor.Check("spaCy model", "ok", ""))
    found = doctor.run_checks()
    assert any("kaput" in check.detail and check.broken for check in found)


@pytest.mark.model
def test_cli_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db).close()
    good = CliRunner().invoke(app, ["doctor", "--db", str(db)])
    assert good.exit_code == 0, good.output
    assert "spaCy model" in good.output
    bad = CliRunner().invoke(app, ["doctor", "--db", str(tmp_path / "none.duckdb")])
    assert bad.exit_code == 1
