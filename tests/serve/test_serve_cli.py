"""`sitrep serve` as a user runs it: a real process answering HTTP on a port."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from serve_samples import write_sample_db
from typer.testing import CliRunner

from sitrep.cli import app


def test_serve_needs_an_existing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "none.duckdb" in result.output


def test_serve_needs_the_token_file_it_is_given(tmp_path: Path) -> None:
    db = write_sample_db(tmp_path / "s.duckdb")
    result = CliRunner().invoke(
        app, ["serve", "--db", str(db), "--token-file", str(tmp_path / "no-token")]
    )
    assert result.exit_code == 1
    assert "no-token" in result.output


def test_sitrep_serve_answers_on_its_port(tmp_path: Path) -> None:
    db = write_sample_db(tmp_path / "s.duckdb")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sitrep = shutil.which("sitrep", path=str(Path(sys.executable).parent)) or "sitrep"
    server = subprocess.Popen(
        [sitrep, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        body = None
        deadline = time.monotonic() + 30
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=2) as r:
                    body = json.load(r)
            except OSError:
                time.sleep(0.1)
        assert body is not None, server.stderr.read().decode() if server.poll() else "no answer"
        assert body["totals"]["events"] == 7
    finally:
        server.terminate()
        server.wait(timeout=10)
