"""The late-usage worked example of docs/semantics.md computes what the page says."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs/semantics.md").read_text(encoding="utf-8")


def console_blocks() -> list[tuple[str, str]]:
    """(command, output) of every `$ govern ...` block on the page that reads the example."""
    found = []
    for block in PAGE.split("```console\n")[1:]:
        text = block.split("```", 1)[0]
        for part in text.split("$ ")[1:]:
            command, _, output = part.partition("\n")
            if "docs/examples/late-usage.jsonl" in command:
                found.append((command, output))
    return found


@pytest.mark.parametrize(("command", "output"), console_blocks())
def test_documented_output_is_real(command: str, output: str) -> None:
    args = command.split()[1:]
    result = CliRunner().invoke(
        main,
        [a.replace("docs/", str(ROOT / "docs") + "/") for a in args] + ["--project", str(ROOT)],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.replace(str(ROOT) + "/", "") == output


def test_the_page_shows_every_example_command() -> None:
    assert len(console_blocks()) == 4
