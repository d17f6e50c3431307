"""docs/gate-rules.md carries the table of govern/gate/rules.py (GOVERN_REGEN=1 rewrites it)."""

from __future__ import annotations

import re

import yaml

from govern.gate.rules import GATE_RULES, rules_markdown
from tests.conftest import REPO, assert_generated_block


def test_rule_page_is_generated_from_the_table() -> None:
    assert_generated_block(REPO / "docs" / "gate-rules.md", "gate-rules", rules_markdown())


def test_rule_ids_are_unique_and_stable() -> None:
    ids = [rule.id for rule in GATE_RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(GOV|CMP)0\d\d", rule_id) for rule_id in ids)


def test_pre_commit_hooks_run_the_gate() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["govern-check"]["entry"] == "govern check"
    assert by_id["govern-check"]["pass_filenames"] is False


def test_ci_docs_show_the_workflow() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text.split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["govern"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = " ".join(step.get("run", "") for step in steps)
    assert 'govern check --base "origin/${{ github.base_ref }}" --format github' in runs
    assert "--format markdown" in runs
