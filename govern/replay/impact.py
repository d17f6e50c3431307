"""Replay: the same events through the base and the working-tree definitions, row by row.

An impact row is keyed by (meter, customer, period, dimensions, kind), where the period
is the calendar hour, day or month in the meter's own time zone (`2026-10`): when a
change moves the zone, October in UTC and October in New York are compared as the one
invoice period they are, and both UTC starts are kept. Usage rows are what a period
bills; a period's adjustments are summed into one row of kind `adjustment` (wherever they
are posted), so that billed + adjustments is the period's whole value under each
definition. A row one side does not produce counts as 0 there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter, MeterVersion
from govern.errors import GovernError
from govern.events.reader import RawLine
from govern.replay.changes import change_reasons
from govern.timestamps import format_utc, parse_rfc3339

State = Literal["changed", "unchanged", "added", "removed"]
Dimensions = tuple[tuple[str, Any], ...]
Key = tuple[str, str, Dimensions, str]
"""(customer, period label, dimensions, kind) within one meter."""

HUNDRED = Decimal(100)


def change_percent(old: Decimal, new: Decimal) -> Decimal | None:
    """`new - old` as a percentage of `old`, to one decimal; None when `old` is 0."""
    if old == 0:
        return None
    return ((new - old) / abs(old) * HUNDRED).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ImpactRow:
    """One customer's quantity for one period (and dimensions, and kind), before and after."""

    meter: str
    customer: str
    period_start: datetime
    period_end: datetime
    period: str
    dimensions: Dimensions
    kind: str
    old: Decimal
    new: Decimal
    old_version: int | None
    new_version: int | None
    old_period_start: datetime | None = None
    """The period's start under the base definition, when it had the period at all."""

    @property
    def difference(self) -> Decimal:
        return self.new - self.old

    @property
    def percent(self) -> Decimal | None:
        """The difference as a percentage of the old quantity; None when that was 0."""
        return change_percent(self.old, self.new)

    def sort_key(self) -> tuple:
        return (-abs(self.difference), self.customer, self.period_start, _dims_key(self), self.kind)


def _dims_key(row: ImpactRow) -> tuple:
    return tuple((name, value is None, str(value)) for name, value in row.dimensions)


@dataclass(frozen=True)
class MeterImpact:
    """What one meter bills on the replayed events, at the base and in the working tree."""

    meter: str
    state: State
    reasons: tuple[str, ...]
    unit: str
    rows: tuple[ImpactRow, ...] = ()
    error: str | None = None

    @property
    def changed_rows(self) -> list[ImpactRow]:
        """The rows whose quantity differs, largest absolute difference first."""
        return sorted((r for r in self.rows if r.difference != 0), key=ImpactRow.sort_key)

    @property
    def old_total(self) -> Decimal:
        return sum((r.old for r in self.rows), Decimal(0))

    @property
    def new_total(self) -> Decimal:
        return sum((r.new for r in self.rows), Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.old_total

    @property
    def percent(self) -> Decimal | None:
        return change_percent(self.old_total, self.new_total)

    @property
    def absolute_impact(self) -> Decimal:
        return sum((abs(r.difference) for r in self.rows), Decimal(0))

    @property
    def impacted(self) -> bool:
        return bool(self.changed_rows) or self.error is not None


@dataclass(frozen=True)
class ReplayReport:
    """Every meter's impact, most impacted first, then the unchanged ones by name."""

    base: str
    as_of: datetime | None
    event_files: tuple[str, ...]
    events: int
    meters: tuple[MeterImpact, ...] = field(default=())

    @property
    def impacted(self) -> list[MeterImpact]:
        return [m for m in self.meters if m.impacted]

    @property
    def without_impact(self) -> list[MeterImpact]:
        """Changed meters whose change moves nothing on these events."""
        return [m for m in self.meters if m.state != "unchanged" and not m.impacted]

    @property
    def unchanged(self) -> list[MeterImpact]:
        return [m for m in self.meters if m.state == "unchanged"]


# ---------------------------------------------------------------- running


def replay(
    base_catalog: Catalog,
    head_catalog: Catalog,
    events: Sequence[RawLine],
    as_of: datetime | None = None,
    *,
    base_label: str = "base",
    event_files: Sequence[str] = (),
) -> ReplayReport:
    """Run every meter over `events` with the base and the working-tree definitions.

    Meters whose definition (or contract) differs are run with both; the others once,
    for their totals. `as_of` is used as given (see `govern.replay.events` for the
    default the CLI and the gate use).
    """
    impacts = []
    for name in sorted(set(base_catalog.meters) | set(head_catalog.meters)):
        reasons = change_reasons(base_catalog, head_catalog, name)
        impacts.append(_meter_impact(base_catalog, head_catalog, name, reasons, events, as_of))
    changed = sorted(
        (m for m in impacts if m.state != "unchanged"),
        key=lambda m: (not m.impacted, -m.absolute_impact, m.meter),
    )
    unchanged = [m for m in impacts if m.state == "unchanged"]
    return ReplayReport(
        base=base_label,
        as_of=as_of,
        event_files=tuple(str(f) for f in event_files),
        events=len(events),
        meters=(*changed, *unchanged),
    )


def _meter_impact(
    base: Catalog,
    head: Catalog,
    name: str,
    reasons: list[str],
    events: Sequence[RawLine],
    as_of: datetime | None,
) -> MeterImpact:
    state: State = "changed" if reasons else "unchanged"
    if "meter added" in reasons:
        state = "added"
    elif "meter removed" in reasons:
        state = "removed"
    meter = head.meters.get(name) or base.meters[name]
    common = {"meter": name, "state": state, "reasons": tuple(reasons), "unit": meter.unit}
    try:
        new = _cells(head, name, events, as_of) if name in head.meters else {}
        if state == "unchanged":
            old = new
        else:
            old = _cells(base, name, events, as_of) if name in base.meters else {}
    except GovernError as exc:
        return MeterImpact(**common, error=str(exc))
    rows = []
    for key in set(old) | set(new):
        before, after = old.get(key), new.get(key)
        customer, label, dimensions, kind = key
        shown = after or before
        assert shown is not None
        zones = [cell.zone for cell in (before, after) if cell]
        rows.append(
            ImpactRow(
                meter=name,
                customer=customer,
                period_start=shown.start,
                period_end=shown.end,
                period=_period_text(label, zones),
                dimensions=dimensions,
                kind=kind,
                old=before.quantity if before else Decimal(0),
                new=after.quantity if after else Decimal(0),
                old_version=before.version if before else None,
                new_version=after.version if after else None,
                old_period_start=before.start if before else None,
            )
        )
    rows.sort(key=lambda r: (r.customer, r.period_start, _dims_key(r), r.kind))
    return MeterImpact(**common, rows=tuple(rows))


@dataclass(frozen=True)
class Cell:
    """One impact key on one side: quantity, the version that computed it, the period."""

    quantity: Decimal
    version: int
    start: datetime
    end: datetime
    zone: str


def _cells(catalog: Catalog, name: str, events: Sequence[RawLine], as_of) -> dict[Key, Cell]:
    """The rows of meter `name`, adjustments of a period summed, by impact key."""
    meter = catalog.meter(name)
    result = catalog.aggregate(name, list(events), as_of=as_of)
    cells: dict[Key, Cell] = {}
    for row in result.rows:
        data = row.to_dict()
        start = parse_rfc3339(data["period_start"])
        version = meter.version(data["meter_version"])
        label = period_label(start, version)
        dims = tuple((k, _plain(v)) for k, v in data["dimensions"].items())
        key = (data["customer"], label, dims, data["kind"])
        quantity = Decimal(data["quantity"])
        if key in cells:
            quantity += cells[key].quantity
        cells[key] = Cell(
            quantity,
            version.version,
            start,
            parse_rfc3339(data["period_end"]),
            version.period.timezone,
        )
    return cells


def _plain(value: Any) -> Any:
    """A dimension value in one hashable form (JSON numbers as Decimal)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


# ---------------------------------------------------------------- periods


def period_label(start: datetime, version: MeterVersion) -> str:
    """A period as people name it, in its own time zone: `2026-10`, `2026-10-31`,
    `2026-10-31 04:00`. Two definitions' periods with one label are one invoice period."""
    local = start.astimezone(ZoneInfo(version.period.timezone))
    return {
        "month": local.strftime("%Y-%m"),
        "day": local.strftime("%Y-%m-%d"),
        "hour": local.strftime("%Y-%m-%d %H:%M"),
    }[version.period.every]


def _period_text(label: str, zones: list[str]) -> str:
    """The label, with the time zones when the change moved the period to another zone."""
    if len(zones) == 2 and zones[0] != zones[1]:
        return f"{label} ({zones[0]} -> {zones[1]})"
    return label


def version_in_effect(meter: Meter, moment: datetime) -> MeterVersion | None:
    """The version of `meter` that computes the period starting at `moment`, if any."""
    found = None
    for version in meter.versions:
        zone = ZoneInfo(version.period.timezone)
        begins = datetime.combine(version.effective_from, time(), zone).astimezone(UTC)
        if begins <= moment:
            found = version
    return found


def format_instant(moment: datetime | None) -> str:
    return format_utc(moment) if moment else "(everything recorded)"
