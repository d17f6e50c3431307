"""Lint: every rule is a small `Rule` in an explicit registry, so one can run alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govern.issues import Issue, Location
from govern.lint.check_rules import CHECK_RULES
from govern.lint.contract_rules import CONTRACT_RULES
from govern.lint.meter_rules import METER_RULES
from govern.lint.rules import LOAD_RULES, Rule

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

RULES: tuple[Rule, ...] = (*CONTRACT_RULES, *METER_RULES, *CHECK_RULES)
"""Every rule `govern lint` runs on a loaded catalog, in order."""

ALL_RULES: tuple[Rule, ...] = (*LOAD_RULES, *RULES)
"""Every lint rule id govern can report (loading problems first), for docs and suppressions."""


def lint_catalog(catalog: Catalog, rules: tuple[Rule, ...] = RULES) -> list[Issue]:
    """Run `rules` over `catalog`. A rule that crashes becomes an issue, not a traceback."""
    issues: list[Issue] = []
    for lint_rule in rules:
        assert lint_rule.check is not None
        try:
            issues.extend(lint_rule.check(catalog))
        except Exception as exc:  # a bug in one rule must not hide the others' findings
            issues.append(
                Issue("LNT000", f"rule {lint_rule.id} crashed: {exc!r}", Location(catalog.label))
            )
    return sorted(issues, key=Issue.sort_key)


def rules_markdown(rules: tuple[Rule, ...] = ALL_RULES) -> str:
    """The rule table for the README and the docs site: id, severity, title, why."""
    lines = ["| rule | severity | what | why |", "| --- | --- | --- | --- |"]
    lines += [f"| `{r.id}` | {r.severity.value} | {r.title} | {r.why} |" for r in rules]
    return "\n".join(lines)


__all__ = ["ALL_RULES", "RULES", "Rule", "lint_catalog", "rules_markdown"]
