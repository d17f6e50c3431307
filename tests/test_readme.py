"""The README's rule table is generated from the registry (regenerate: GOVERN_REGEN=1)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from govern.lint import rules_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n)(.*?)(\n<!-- rules:end -->)", re.S)


def test_readme_lists_every_rule() -> None:
    text = README.read_text(encoding="utf-8")
    if os.environ.get("GOVERN_REGEN"):
        README.write_text(BLOCK.sub(lambda m: m[1] + rules_markdown() + m[3], text), "utf-8")
        text = README.read_text(encoding="utf-8")
    match = BLOCK.search(text)
    assert match, "README lost its rules block"
    assert match[2] == rules_markdown()


def test_readme_starts_with_the_two_commands() -> None:
    commands = [line for line in README.read_text().splitlines()[:12] if line.startswith("make ")]
    assert [c.split()[:2] for c in commands] == [["make", "demo"], ["make", "test"]]
