"""How every replay renderer writes numbers, dimensions and versions."""

from __future__ import annotations

from decimal import Decimal

from govern.replay.impact import Dimensions, ImpactRow, MeterImpact

COLUMNS = (
    "customer",
    "period",
    "dimensions",
    "kind",
    "version",
    "old",
    "new",
    "difference",
    "change",
)


def quantity(value: Decimal) -> str:
    """`1,204` / `11,025.14`: thousands separated, exact digits kept."""
    return format(value.normalize() if value == value.to_integral() else value, ",f")


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + quantity(value) if value else "0"


def percent(value: Decimal | None, old: Decimal, new: Decimal) -> str:
    if value is None:
        return "new" if new else "-"
    return ("+" if value > 0 else "") + f"{value}%"


def dimensions(dims: Dimensions) -> str:
    if not dims:
        return "-"
    return ", ".join(f"{name}={'null' if value is None else value}" for name, value in dims)


def versions(row: ImpactRow) -> str:
    """`v2`, or `v2 -> v3` when the period is computed by another version now."""
    old = f"v{row.old_version}" if row.old_version else None
    new = f"v{row.new_version}" if row.new_version else None
    if old and new and old != new:
        return f"{old} -> {new}"
    return new or old or "-"


def cells(row: ImpactRow) -> list[str]:
    return [
        row.customer,
        row.period,
        dimensions(row.dimensions),
        row.kind,
        versions(row),
        quantity(row.old),
        quantity(row.new),
        signed(row.difference),
        percent(row.percent, row.old, row.new),
    ]


def total_cells(meter: MeterImpact) -> list[str]:
    return [
        "total",
        "",
        "",
        "",
        "",
        quantity(meter.old_total),
        quantity(meter.new_total),
        signed(meter.difference),
        percent(meter.percent, meter.old_total, meter.new_total),
    ]


def headline(meter: MeterImpact) -> str:
    """`definition changed: +1 request in total (+7.7%), 1 row changes` (or why the meter is
    listed without numbers)."""
    why = "; ".join(meter.reasons) or "unchanged"
    if meter.error:
        return f"{why}: could not replay: {meter.error}"
    changed = len(meter.changed_rows)
    if not changed:
        return f"{why}: no change on these events"
    rows = f"{changed} row{'s' if changed != 1 else ''} change{'s' if changed == 1 else ''}"
    if not meter.difference:
        return f"{why}: {rows}, the total stays {quantity(meter.new_total)} {meter.unit}"
    change = percent(meter.percent, meter.old_total, meter.new_total)
    return f"{why}: {signed(meter.difference)} {meter.unit} in total ({change}), {rows}"
