"""Lint rules for the drift and anomaly checks declared on meters (`checks:`)."""

from __future__ import annotations

from collections.abc import Iterator

from govern.catalog.catalog import Catalog
from govern.checks.kinds import CHECK_KINDS, PARAMETERS
from govern.issues import Issue
from govern.lint.rules import rule


@rule(
    "MTR017",
    "check parameters do not fit its kind",
    "a check missing its threshold cannot run, and a parameter its kind ignores "
    "suggests the wrong kind was meant",
)
def checks_well_formed(catalog: Catalog) -> Iterator[Issue]:
    for meter in catalog.meters.values():
        for index, check in enumerate(meter.checks):
            kind = CHECK_KINDS[check.kind]
            for name in kind.required:
                if getattr(check, name) is None:
                    yield Issue(
                        "MTR017",
                        f"meter {meter.meter}: check {check.kind} needs `{name}`",
                        meter.location_of("checks", index),
                    )
            for name in PARAMETERS:
                if name not in kind.allowed and getattr(check, name) is not None:
                    yield Issue(
                        "MTR017",
                        f"meter {meter.meter}: check {check.kind} takes no `{name}`",
                        check.location_of(name),
                        hint=f"{check.kind} takes: {', '.join(kind.allowed) or 'nothing'}",
                    )


CHECK_RULES = (checks_well_formed,)
