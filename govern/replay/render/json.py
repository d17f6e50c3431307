"""A `ReplayReport` as JSON: exact decimals as strings, instants in UTC."""

from __future__ import annotations

from typing import Any

import orjson

from govern.replay.impact import ImpactRow, MeterImpact, ReplayReport
from govern.timestamps import format_utc


def _row(row: ImpactRow) -> dict[str, Any]:
    return {
        "customer": row.customer,
        "period": row.period,
        "period_start": format_utc(row.period_start),
        "period_end": format_utc(row.period_end),
        "old_period_start": format_utc(row.old_period_start) if row.old_period_start else None,
        "dimensions": {name: _value(value) for name, value in row.dimensions},
        "kind": row.kind,
        "old": str(row.old),
        "new": str(row.new),
        "difference": str(row.difference),
        "percent": None if row.percent is None else str(row.percent),
        "old_version": row.old_version,
        "new_version": row.new_version,
    }


def _value(value: Any) -> Any:
    return value if value is None or isinstance(value, str | bool) else str(value)


def _meter(meter: MeterImpact) -> dict[str, Any]:
    return {
        "meter": meter.meter,
        "state": meter.state,
        "reasons": list(meter.reasons),
        "unit": meter.unit,
        "error": meter.error,
        "old_total": str(meter.old_total),
        "new_total": str(meter.new_total),
        "difference": str(meter.difference),
        "percent": None if meter.percent is None else str(meter.percent),
        "rows": [_row(row) for row in meter.changed_rows],
        "unchanged_rows": sum(1 for row in meter.rows if row.difference == 0),
    }


def replay_data(report: ReplayReport) -> dict[str, Any]:
    return {
        "base": report.base,
        "as_of": format_utc(report.as_of) if report.as_of else None,
        "event_files": list(report.event_files),
        "events": report.events,
        "meters": [_meter(meter) for meter in report.meters],
    }


def render_json(report: ReplayReport) -> str:
    return orjson.dumps(replay_data(report), option=orjson.OPT_INDENT_2).decode()
