"""The "events plus meters" path: usage rows computed by the reference aggregator.

Reconciliation and the drift checks work on usage rows; when they are given events
instead, every meter of the catalog aggregates them through the public API
`govern.reference.aggregate`, and its rows go through the same reader as a usage file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govern.errors import InputError
from govern.reconcile.inputs import usage_row
from govern.reconcile.records import UsageRow

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog


def usage_from_events(
    catalog: Catalog | None,
    events: Sequence[str | Path],
    *,
    as_of: datetime | None = None,
    customers: Any = None,
    meters: Sequence[str] | None = None,
) -> Iterator[UsageRow]:
    """Usage and adjustment rows of every meter (or of `meters`) over the event files."""
    if catalog is None:
        raise InputError("events need a catalog to aggregate them (pass --project)")
    from govern.reference import aggregate

    moments: dict[str, Any] = {}
    for name in meters or list(catalog.meters):
        result = aggregate(catalog, name, list(events), as_of=as_of, customers=customers)
        for row in result.rows:
            yield usage_row(row.to_dict(), moments, f"aggregate:{name}")
