"""`sitrep run`'s engine options, checked before anything is read (no model, no Ray)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.engine_ray import start_ray


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "spark"], "is not one of: local, ray"),
        (["--workers", "2"], "need --engine ray"),
        (["--ray-address", "auto"], "need --engine ray"),
    ],
)
def test_engine_options_are_checked(tmp_path: Path, options: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--db", str(tmp_path / "x"), *options])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "x").exists()


class UnreachableRay:
    """Stands in for the ray module when no cluster answers."""

    @staticmethod
    def is_initialized() -> bool:
        return False

    @staticmethod
    def init(**_: object) -> None:
        raise ConnectionError("Failed to connect to Ray cluster at 10.0.0.9:6379")


def test_an_unreachable_cluster_is_a_clear_error() -> None:
    with pytest.raises(ConnectionError, match=r"E081 cannot join the Ray cluster at 10\.0\.0\.9"):
        start_ray(UnreachableRay, "10.0.0.9:6379")
