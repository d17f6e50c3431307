"""Drift and anomaly checks declared per meter (`checks:` in the meter's YAML).

    from govern import Catalog
    from govern.checks import run_checks, render
    from govern.reconcile import read_usage

    findings = run_checks(Catalog.load("."), read_usage(["usage.jsonl"]))
    print(render(findings, "text"))   # exit 1 when findings, like every govern check

Kinds (govern.checks.kinds): period_over_period (CHK001), drop_to_zero (CHK002),
spike (CHK003). They read usage rows; events go through the reference aggregator first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from govern.checks.findings import CheckFinding
from govern.checks.kinds import CHECK_KINDS, CheckKind
from govern.checks.report import FORMATS, render
from govern.checks.rules import CHECK_RULES, Declared
from govern.checks.series import MeterSeries, build_series
from govern.errors import InputError
from govern.reconcile.records import UsageRow

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog


def run_checks(
    catalog: Catalog,
    rows: Iterable[UsageRow],
    *,
    include_open: bool = False,
    meters: Sequence[str] | None = None,
    as_of: datetime | None = None,
) -> list[CheckFinding]:
    """Every check declared on the catalog's meters (or on `meters`), over `rows`; sorted.

    `as_of` extends each meter's timeline to the last period closed by then, so usage
    that stopped for everyone is still seen to stop.
    """
    if meters:
        for name in meters:
            catalog.meter(name)
    wanted = set(meters) if meters else None
    series = build_series(
        (r for r in rows if wanted is None or r.meter in wanted), catalog.meters, as_of
    )
    findings: list[CheckFinding] = []
    for name, meter_series in series.items():
        meter = catalog.meters.get(name)
        if meter is None:
            continue
        for check in meter.checks:
            rule = CHECK_RULES.get(check.kind)
            if rule is None:
                raise InputError(f"meter {name}: unknown check kind '{check.kind}'")
            findings.extend(rule(meter_series, Declared.of(check), include_open))
    return sorted(findings, key=CheckFinding.sort_key)


def exit_code(findings: Sequence[CheckFinding]) -> int:
    return 1 if findings else 0


__all__ = [
    "CHECK_KINDS",
    "FORMATS",
    "CheckFinding",
    "CheckKind",
    "MeterSeries",
    "build_series",
    "exit_code",
    "render",
    "run_checks",
]
