"""The six aggregations, in exact decimals, over a set of billable events.

Like SQL aggregates, an event whose value is missing (null) adds nothing to `sum`, `min`,
`max`, `unique_count` or `latest` (it still counts for `count`). The value of an empty
set is 0. Rounding to the meter's scale happens once, on the result (`quantity`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache

from govern.catalog.model import MeterVersion
from govern.reference.decimals import EXACT, rounder
from govern.reference.envelope import Event

Aggregate = Callable[[Sequence[Event]], int | Decimal]


def _count(events: Sequence[Event]) -> int:
    return len(events)


def _sum(events: Sequence[Event]) -> int | Decimal:
    total: int | Decimal = 0
    for event in events:
        if event.value is not None:
            total = EXACT.add(total, event.value)
    return total


def _min(events: Sequence[Event]) -> int | Decimal:
    return min((e.value for e in events if e.value is not None), default=0)


def _max(events: Sequence[Event]) -> int | Decimal:
    return max((e.value for e in events if e.value is not None), default=0)


def _unique_count(events: Sequence[Event]) -> int:
    # `True == 1` in Python; tagging booleans keeps them apart from numbers.
    return len({(e.value.__class__ is bool, e.value) for e in events if e.value is not None})


def _latest(events: Sequence[Event]) -> int | Decimal:
    """The value of the event with the greatest time; ties: recorded time, then seq."""
    valued = [e for e in events if e.value is not None]
    if not valued:
        return 0
    return max(valued, key=lambda e: (e.time, e.recorded, e.seq)).value


AGGREGATIONS: dict[str, Aggregate] = {
    "count": _count,
    "sum": _sum,
    "min": _min,
    "max": _max,
    "unique_count": _unique_count,
    "latest": _latest,
}


def quantity_function(version: MeterVersion) -> Callable[[Sequence[Event]], Decimal]:
    """The rounded quantity of a set of events, as `version` computes it (each distinct
    result rounded once in the life of the function: one run)."""
    aggregate, precision = AGGREGATIONS[version.aggregation], version.precision
    rounded = lru_cache(maxsize=None, typed=True)(rounder(precision))
    return lambda events: rounded(aggregate(events))
