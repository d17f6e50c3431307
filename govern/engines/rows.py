"""Rows of a compiled query -> the reference's `UsageRow`s, so every engine writes its
output with the reference's own writers (byte-identical JSONL by construction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from govern.catalog.model import Meter
from govern.reference.plan import canonical
from govern.reference.rows import KINDS, UsageRow, dimensions_key
from govern.sql.compiler import OUTPUT


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_usage_rows(meter: Meter, records: Iterable[Sequence[Any]]) -> list[UsageRow]:
    """`records`: tuples in the compiled query's column order (dimensions after
    `period_end`, as many as the row's meter version groups by). Sorted like the
    reference (`UsageRow.sort_key`).

    A meter has few distinct period bounds and dimension values and may have millions of
    rows, so each distinct one is converted once."""
    names_of = {v.version: tuple(v.group_by) for v in meter.versions}
    instants: dict[Any, datetime | None] = {None: None}
    groups: dict[tuple, tuple[tuple, tuple]] = {}

    def instant(value: Any) -> datetime | None:
        found = instants.get(value)
        if found is None and value is not None:
            found = instants[value] = _instant(value)
        return found

    keyed = []
    for record in records:
        version = int(record[3])
        names = names_of[version]
        end = 6 + len(names)
        if len(record) != end + len(OUTPUT) - 6:
            raise ValueError(f"unexpected row shape: {record!r}")
        values = (version, *record[6:end])
        dimensions = groups.get(values)
        if dimensions is None:
            named = tuple(
                (name, canonical(_dimension(value)))
                for name, value in zip(names, record[6:end], strict=True)
            )
            dimensions = groups[values] = (named, dimensions_key(named))
        kind, customer = record[0], record[1]
        start, posted_start = instant(record[4]), instant(record[end + 3])
        row = UsageRow(
            kind=kind,
            customer=customer,
            meter=record[2],
            meter_version=version,
            period_start=start,
            period_end=instant(record[5]),
            dimensions=dimensions[0],
            quantity=Decimal(record[end]),
            status=record[end + 1],
            line_item=record[end + 2],
            posted_period_start=posted_start,
            posted_period_end=instant(record[end + 4]),
        )
        # UsageRow.sort_key, with the dimensions' part computed once per group
        key = (KINDS.index(kind), customer, start, posted_start or start, dimensions[1])
        keyed.append((key, row))
    keyed.sort(key=itemgetter(0))
    return [row for _, row in keyed]


def _dimension(value: Any) -> Any:
    if isinstance(value, datetime):
        return _instant(value)
    return value
