"""One function per check kind: a meter's series and one declared check -> findings.

Every rule reads the periods `evaluate` allows (closed ones, unless open ones are asked
for) and compares a customer's quantity with its own history only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from govern.catalog.model import MeterCheck
from govern.checks.findings import CheckFinding
from govern.checks.kinds import CHECK_KINDS, DROP_TO_ZERO, PERIOD_OVER_PERIOD, SPIKE
from govern.checks.series import MeterSeries
from govern.reconcile.exceptions import number

ZERO = Decimal(0)


@dataclass(frozen=True)
class Declared:
    """One check as declared on a meter, with every default filled in."""

    check: MeterCheck
    max_factor: Decimal
    window: int
    min_quantity: Decimal

    @classmethod
    def of(cls, check: MeterCheck) -> Declared:
        defaults = CHECK_KINDS[check.kind].defaults
        return cls(
            check=check,
            max_factor=check.max_factor or Decimal(0),
            window=check.window or int(defaults.get("window", 1)),  # type: ignore[arg-type]
            min_quantity=check.min_quantity
            if check.min_quantity is not None
            else Decimal(defaults.get("min_quantity", 0)),  # type: ignore[arg-type]
        )


def _finding(kind, series: MeterSeries, customer: str, index: int, value, baseline, message, d):
    start, end = series.periods[index]
    return CheckFinding(
        kind, series.meter, customer, start, end, value, baseline, message, d.check.location
    )


def _evaluated(series: MeterSeries, include_open: bool) -> list[int]:
    return [
        i for i, period in enumerate(series.periods) if include_open or period not in series.open
    ]


def period_over_period(
    series: MeterSeries, declared: Declared, include_open: bool
) -> Iterator[CheckFinding]:
    """CHK001: value(P) / value(P-1) above max_factor or below 1 / max_factor.

    Skipped when either period is 0 (drop_to_zero covers that; growth from 0 has no
    factor) or when both are below min_quantity.
    """
    limit = declared.max_factor
    for customer in series.customers():
        for i in _evaluated(series, include_open):
            if i == 0 or i - 1 < series.first[customer]:
                continue
            before, now = series.value(customer, i - 1), series.value(customer, i)
            if before <= 0 or now <= 0 or max(before, now) < declared.min_quantity:
                continue
            if now > before * limit or before > now * limit:
                word = "rose" if now > before else "fell"
                yield _finding(
                    PERIOD_OVER_PERIOD,
                    series,
                    customer,
                    i,
                    now,
                    before,
                    f"{series.meter} {word} from {number(before)} to {number(now)} "
                    f"(more than x{number(limit)} the period before)",
                    declared,
                )


def drop_to_zero(
    series: MeterSeries, declared: Declared, include_open: bool
) -> Iterator[CheckFinding]:
    """CHK002: value(P-1) above min_quantity (default: above 0), and value(P) = 0."""
    for customer in series.customers():
        for i in _evaluated(series, include_open):
            if i == 0 or i - 1 < series.first[customer]:
                continue
            before, now = series.value(customer, i - 1), series.value(customer, i)
            if now == 0 and before > declared.min_quantity and before > 0:
                yield _finding(
                    DROP_TO_ZERO,
                    series,
                    customer,
                    i,
                    now,
                    before,
                    f"{series.meter} dropped to 0 after {number(before)} the period before",
                    declared,
                )


def spike(series: MeterSeries, declared: Declared, include_open: bool) -> Iterator[CheckFinding]:
    """CHK003: value(P) above max_factor x the median of the `window` periods before P.

    Needs a full window of the customer's own history, a median above 0, and a value
    of at least min_quantity.
    """
    window = declared.window
    for customer in series.customers():
        for i in _evaluated(series, include_open):
            if i - window < series.first[customer]:
                continue
            trailing = [series.value(customer, j) for j in range(i - window, i)]
            baseline = Decimal(median(trailing))
            now = series.value(customer, i)
            if baseline <= 0 or now < declared.min_quantity:
                continue
            if now > baseline * declared.max_factor:
                yield _finding(
                    SPIKE,
                    series,
                    customer,
                    i,
                    now,
                    baseline,
                    f"{series.meter} is {number(now)}, above x{number(declared.max_factor)} "
                    f"the median {number(baseline)} of the {window} periods before",
                    declared,
                )


CheckRule = Callable[[MeterSeries, Declared, bool], Iterator[CheckFinding]]
CHECK_RULES: dict[str, CheckRule] = {
    PERIOD_OVER_PERIOD.kind: period_over_period,
    DROP_TO_ZERO.kind: drop_to_zero,
    SPIKE.kind: spike,
}
