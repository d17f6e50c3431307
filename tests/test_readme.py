"""The README's rule table is generated from the registry (regenerate: GOVERN_REGEN=1)."""

from __future__ import annotations

from govern.lint import rules_markdown
from tests.conftest import REPO, assert_generated_block

README = REPO / "README.md"


def test_readme_lists_every_rule() -> None:
    assert_generated_block(README, "rules", rules_markdown())


def test_readme_starts_with_the_two_commands() -> None:
    commands = [line for line in README.read_text().splitlines()[:12] if line.startswith("make ")]
    assert [c.split()[:2] for c in commands] == [["make", "demo"], ["make", "test"]]
