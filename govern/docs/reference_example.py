"""Worked examples computed by the reference aggregator (`govern.reference`).

`reference_example` is the `ExampleRunner` the site uses: it evaluates a meter over sample
events as of their latest recorded time, and says what became of every event with the
words `govern trace` uses (billed, late, voided, duplicate, filtered out, invalid...).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter
from govern.docs.samples import Samples
from govern.docs.worked_example import (
    ExampleEvent,
    ExampleRow,
    WorkedExample,
    fields_read,
)
from govern.reference import Evaluation, UsageRow, evaluate
from govern.reference.decimals import quantity_text
from govern.reference.periods import Period
from govern.reference.trace import TracedEntry, TracedEvent, trace
from govern.timestamps import format_utc, parse_rfc3339

_REASONS = {
    "duplicate": "duplicate, not counted",
    "conflicting_duplicate": "conflicting duplicate, not counted",
    "void": "a void, never usage",
    "voided": "voided",
    "filtered_out": "filtered out",
    "unmapped_subject": "subject not in the customer mapping",
    "recorded_after_as_of": "recorded after the as-of time",
    "invalid": "invalid, not counted",
}


def period_label(start: datetime, version_timezone: str, unit: str) -> str:
    """`2026-10` for a month, `2026-10-31` for a day, `2026-10-31 04:00` for an hour,
    named in the meter's time zone (the bounds themselves are in UTC in the data)."""
    local = start.astimezone(ZoneInfo(version_timezone))
    return local.strftime({"month": "%Y-%m", "day": "%Y-%m-%d", "hour": "%Y-%m-%d %H:%M"}[unit])


def _label(period: Period) -> str:
    return period_label(period.start, period.version.period.timezone, period.version.period.every)


def _value(data: Any, name: str) -> str:
    if not isinstance(data, dict) or name not in data:
        return "(missing)"
    value = data[name]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _dims(dimensions: tuple[tuple[str, Any], ...]) -> str:
    return "".join(f", {name} {_value(dict(dimensions), name)}" for name, _ in dimensions)


def _entry_outcome(customer: str, period: Period, entry: TracedEntry, event: TracedEvent) -> str:
    where = f"{customer} {_label(period)}{_dims(entry.dimensions)}"
    if entry.kind == "usage":
        return f"billed: {where}"
    posted = _label(entry.posted) if entry.posted else "?"
    return f"{event.status} ({event.detail}): adjustment of {where}, posted to {posted}"


def _outcomes(evaluation: Evaluation) -> dict[int, str]:
    """What became of each line read, by `seq`."""
    timeline, mapping = evaluation.plan.timeline, evaluation.mapping
    outcomes: dict[int, str] = {}
    pairs: set[tuple[str, datetime]] = set()
    for event in evaluation.events:
        period = timeline.period_of(event.time)
        if period is None:
            outcomes[event.seq] = "not counted: before the first version takes effect"
            continue
        owner = event.subject if mapping is None else mapping.get(event.subject, event.subject)
        pairs.add((owner, period.start))
    for customer, start in sorted(pairs):
        traced = trace(evaluation, customer, start)
        for entry in traced.entries:
            for event in entry.events:
                outcomes[event.line.seq] = _entry_outcome(customer, traced.period, entry, event)
        for event in traced.excluded:
            reason = _REASONS.get(event.status, event.status.replace("_", " "))
            outcomes.setdefault(event.line.seq, f"{reason}: {event.detail}")
    for record in evaluation.exceptions:
        if record.kind == "invalid_event" and record.line is not None:
            outcomes.setdefault(
                record.line.seq, "invalid, not counted: " + "; ".join(record.reasons)
            )
    return outcomes


def _row(row: UsageRow, meter: Meter) -> ExampleRow:
    version = meter.version(row.meter_version)
    zone, unit = version.period.timezone, version.period.every
    names = meter.dimensions
    values = dict(row.dimensions)
    kind = "billed" if row.kind == "usage" else "adjustment"
    if row.posted_period_start is not None:
        kind += f", posted to {period_label(row.posted_period_start, zone, unit)}"
    if row.status == "open":
        kind += " (open: provisional)"
    quantity = quantity_text(row.quantity)
    if row.kind == "adjustment" and row.quantity > Decimal(0):
        quantity = "+" + quantity
    return ExampleRow(
        customer=row.customer,
        period=period_label(row.period_start, zone, unit),
        dimensions=tuple(_value(values, name) if name in values else "" for name in names),
        quantity=quantity,
        kind=kind,
        version=row.meter_version,
    )


def _as_of(samples: Samples) -> str | None:
    """The latest recorded time among the samples (`time` where `recordedtime` is absent)."""
    latest = None
    for event in samples.events:
        if not isinstance(event, dict):
            continue
        text = event.get("recordedtime") or event.get("time")
        try:
            moment = parse_rfc3339(text)
        except ValueError:
            continue
        latest = moment if latest is None or moment > latest else latest
    return format_utc(latest) if latest else None


def reference_example(catalog: Catalog, meter: Meter, samples: Samples) -> WorkedExample:
    """The worked example of `meter` over `samples`, as of their latest recorded time."""
    as_of = _as_of(samples)
    evaluation = evaluate(catalog, meter.meter, samples.lines, as_of=as_of)
    result = evaluation.result()
    contracts = {v.contract_name for v in meter.versions}
    fields = fields_read(meter)
    outcomes = _outcomes(evaluation)
    events = []
    for line, event in zip(samples.lines, samples.events, strict=True):
        if not isinstance(event, dict) or event.get("type") not in contracts:
            continue
        events.append(
            ExampleEvent(
                line=line.line,
                id=str(event.get("id", "")),
                time=str(event.get("time", "")),
                recorded=str(event.get("recordedtime", "= time")),
                subject=str(event.get("subject", "")),
                values=tuple(
                    _value(event["data"], name) if "data" in event else "" for name in fields
                ),
                outcome=outcomes.get(line.seq, "ignored"),
            )
        )
    notes = tuple(
        f"line {record.line.line if record.line else '-'}: {record.kind.replace('_', ' ')}: "
        + "; ".join(record.reasons)
        for record in result.exceptions
    )
    return WorkedExample(
        as_of=as_of or "everything recorded",
        sources=tuple(sorted({line.file for line in samples.lines})),
        fields=fields,
        dimensions=meter.dimensions,
        events=tuple(events),
        rows=tuple(_row(row, meter) for row in result.rows),
        notes=notes,
    )
