"""The documentation of the command line matches the commands' own help."""

from __future__ import annotations

from pathlib import Path

import typer.main

from sitrep.cli import app

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"


def leaf_commands(command, prefix=()):
    """Every runnable command with its full name."""
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from leaf_commands(sub, (*prefix, name))
    else:
        yield " ".join(prefix), command


def test_every_command_and_option_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, command in leaf_commands(typer.main.get_command(app)):
        assert f"## sitrep {name}\n" in text, f"docs/cli.md has no section for `sitrep {name}`"
        summary = (command.help or "").strip().splitlines()[0]
        assert summary in text, f"summary of `sitrep {name}` drifted from docs/cli.md"
        for param in command.params:
            for flag in getattr(param, "opts", []):
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}`" in text, f"`sitrep {name} {flag}` is not in docs/cli.md"
