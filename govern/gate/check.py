"""`run_check`: the governance gate as one call (what `govern check` prints and exits on).

1. Load the working tree's catalog and lint it.
2. With a base ref, load the catalog as committed there (read with git, no checkout).
3. Run every gate step `(base, head, context) -> issues` of `GATE_STEPS`.
4. Apply the acknowledgements written in the YAML.

A gate step is a plain function, so a later stage (e.g. replaying sample events through
the old and new meter versions) plugs in by adding itself to the tuple, or by passing
`steps=` to `run_check`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.errors import CatalogLoadError
from govern.gate.acknowledge import apply_acknowledgements
from govern.gate.change_rules import change_rules
from govern.gate.context import (
    DEFAULT_POLICY,
    CheckContext,
    GateStep,
    Policy,
    ReportSection,
    guarded,
)
from govern.gate.contract_compat import contract_compatibility
from govern.issues import Issue, Location, Severity
from govern.replay.gate_step import billing_impact

GATE_STEPS: tuple[GateStep, ...] = (contract_compatibility, change_rules, billing_impact)
"""The stages `govern check` runs after lint, in order."""


@dataclass(frozen=True)
class CheckReport:
    """Everything `govern check` found, and what it compared."""

    issues: tuple[Issue, ...]
    project: str
    base: str | None
    today: date
    policy: Policy
    contract_versions: int
    meters: int
    sections: tuple[ReportSection, ...] = ()
    """Blocks gate steps added besides findings (the billing-impact table of a replay)."""

    @property
    def blocking(self) -> list[Issue]:
        """Errors that no acknowledgement covers: any of them fails the check."""
        return [i for i in self.issues if i.severity is Severity.ERROR and not i.acknowledged]

    @property
    def acknowledged(self) -> list[Issue]:
        return [i for i in self.issues if i.acknowledged]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking else 0


def run_check(
    project: str | Path = ".",
    base: str | None = None,
    today: date | None = None,
    policy: Policy = DEFAULT_POLICY,
    steps: Sequence[GateStep] = GATE_STEPS,
) -> CheckReport:
    """Lint the catalog in `project`, compare it with git ref `base`, apply every rule.

    Raises `CatalogLoadError` / `InputError` (exit code 2) when either catalog cannot be
    read or `base` is not a git ref.
    """
    head = Catalog.load(project)
    base_catalog = _load_base(project, base) if base else None
    context = CheckContext(today=today or date.today(), policy=policy, base_ref=base)
    issues = head.lint() + run_steps(base_catalog, head, context, steps)
    issues = apply_acknowledgements(issues, head, context, report_unused=base is not None)
    return CheckReport(
        issues=tuple(sorted(issues, key=Issue.sort_key)),
        project=str(project),
        base=base,
        today=context.today,
        policy=policy,
        contract_versions=sum(len(v) for v in head.contracts.values()),
        meters=len(head.meters),
        sections=tuple(context.sections),
    )


def run_steps(
    base: Catalog | None,
    head: Catalog,
    context: CheckContext,
    steps: Sequence[GateStep] = GATE_STEPS,
) -> list[Issue]:
    """The findings of every gate step, in order (a step that crashes is one GOV000)."""
    issues: list[Issue] = []
    for step in steps:
        name = getattr(step, "__name__", repr(step))
        issues += guarded(name, lambda step=step: step(base, head, context), _root(head))
    return issues


def _load_base(project: str | Path, ref: str) -> Catalog:
    """The catalog at `ref`; its loading problems say they come from that ref."""
    try:
        return Catalog.load(project, ref=ref)
    except CatalogLoadError as exc:
        raise CatalogLoadError(
            [dataclasses.replace(i, message=f"(at {ref}) {i.message}") for i in exc.issues]
        ) from None


def _root(head: Catalog) -> Location:
    return Location(head.label)
