"""Usage rows -> one quantity per (meter, customer, period): the series the checks read.

The quantity of a period is its usage rows summed over dimensions and meter versions,
plus every adjustment of that period (whichever invoice carries it): the best known
value of the period. The timeline of a meter is the sorted periods in which any
customer has a row; a customer counts from its first period on, with 0 where it has
no row. A period is open when any of its usage rows is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from govern.reconcile.records import UsageRow

Period = tuple[datetime, datetime]
ZERO = Decimal(0)


@dataclass
class MeterSeries:
    meter: str
    periods: list[Period] = field(default_factory=list)
    open: set[Period] = field(default_factory=set)
    values: dict[str, dict[Period, Decimal]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)

    def value(self, customer: str, index: int) -> Decimal:
        return self.values[customer].get(self.periods[index], ZERO)

    def customers(self) -> list[str]:
        return sorted(self.values)


def build_series(rows: Iterable[UsageRow]) -> dict[str, MeterSeries]:
    """The series of every meter that has rows, by meter name."""
    by_meter: dict[str, MeterSeries] = {}
    periods: dict[str, set[Period]] = {}
    for row in rows:
        series = by_meter.get(row.meter)
        if series is None:
            series = by_meter[row.meter] = MeterSeries(row.meter)
            periods[row.meter] = set()
        period = (row.period_start, row.period_end)
        periods[row.meter].add(period)
        if row.kind == "usage" and row.status != "closed":
            series.open.add(period)
        customer = series.values.setdefault(row.customer, {})
        customer[period] = customer.get(period, ZERO) + row.quantity
    for name, series in by_meter.items():
        series.periods = sorted(periods[name])
        index = {period: i for i, period in enumerate(series.periods)}
        series.first = {c: min(index[p] for p in v) for c, v in series.values.items()}
    return dict(sorted(by_meter.items()))
