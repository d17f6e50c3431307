"""Usage rows -> one quantity per (meter, customer, period): the series the checks read.

The quantity of a period is its usage rows summed over dimensions and meter versions,
plus every adjustment of that period (whichever invoice carries it): the best known
value of the period. The timeline of a meter is every calendar period of the meter from
the first period with a row to the last one, without gaps (a period in which nobody
has usage is still a period), and, given `as_of`, on to the last period closed by then.
A customer counts from its first period on, with 0 where it has no row. A period is
open when any of its usage rows is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from govern.reconcile.records import UsageRow

if TYPE_CHECKING:
    from govern.catalog.model import Meter

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


def build_series(
    rows: Iterable[UsageRow],
    meters: dict[str, Meter] | None = None,
    as_of: datetime | None = None,
) -> dict[str, MeterSeries]:
    """The series of every meter that has rows, by meter name.

    With the meter definitions (`meters`), the timeline has no gaps; without them it is
    the periods that have rows.
    """
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
        meter = (meters or {}).get(name)
        if meter is not None:
            periods[name] |= _calendar(meter, periods[name], as_of)
        series.periods = sorted(periods[name])
        index = {period: i for i, period in enumerate(series.periods)}
        series.first = {c: min(index[p] for p in v) for c, v in series.values.items()}
    return dict(sorted(by_meter.items()))


def _calendar(meter: Meter, seen: set[Period], as_of: datetime | None) -> set[Period]:
    """The meter's periods from the first one seen to the last one seen (or closed)."""
    from govern.reference.periods import Timeline

    timeline = Timeline(meter)
    first, last = min(seen), max(seen)
    period = timeline.period_of(first[0])
    found: set[Period] = set()
    while period is not None:
        if period.start > last[0] and (as_of is None or period.close > as_of):
            break
        found.add((period.start, period.end))
        period = timeline.following(period)
    return found
