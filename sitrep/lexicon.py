"""Loading of the rule tables shipped in `sitrep/data`, each read once and cached."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    """Return the text of a data file shipped in the package."""
    return resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")


@cache
def csv_rows(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV data file as dicts; blank lines and lines starting with '#' are skipped."""
    lines = [ln for ln in data_text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines))


@cache
def yaml_data(name: str) -> Any:
    """A YAML data file, parsed."""
    return yaml.safe_load(data_text(name))


@cache
def inter_codes() -> dict[str, int]:
    """ACLED inter code (1-8) for each actor sector."""
    return {row["sector"]: int(row["inter"]) for row in csv_rows("acled_inter.csv")}
