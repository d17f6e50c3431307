"""Rows of a compiled query -> the reference's `UsageRow`s, so every engine writes its
output with the reference's own writers (byte-identical JSONL by construction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from govern.catalog.model import Meter
from govern.reference.plan import canonical
from govern.reference.rows import UsageRow
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
    reference."""
    dimensions = {v.version: list(v.group_by) for v in meter.versions}
    rows = []
    for record in records:
        version = int(record[3])
        names = dimensions[version]
        head = record[:6]
        values = record[6 : 6 + len(names)]
        tail = record[6 + len(names) :]
        if len(tail) != len(OUTPUT) - 6:
            raise ValueError(f"unexpected row shape: {record!r}")
        quantity, status, line_item, posted_start, posted_end = tail
        rows.append(
            UsageRow(
                kind=head[0],
                customer=head[1],
                meter=head[2],
                meter_version=version,
                period_start=_instant(head[4]),
                period_end=_instant(head[5]),
                dimensions=tuple(
                    (name, canonical(_dimension(value)))
                    for name, value in zip(names, values, strict=True)
                ),
                quantity=Decimal(quantity),
                status=status,
                line_item=line_item,
                posted_period_start=_instant(posted_start),
                posted_period_end=_instant(posted_end),
            )
        )
    return sorted(rows, key=UsageRow.sort_key)


def _dimension(value: Any) -> Any:
    if isinstance(value, datetime):
        return _instant(value)
    return value
