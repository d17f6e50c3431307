"""Helpers for the reference aggregator tests: tiny in-memory catalogs and events."""

from __future__ import annotations

from typing import Any

import msgspec

from govern.catalog.catalog import Catalog
from govern.catalog.model import Contract, FieldSpec, Meter, MeterVersion
from govern.events.reader import RawLine
from govern.reference import aggregate

FIELDS = {
    "n": FieldSpec(type="number", required=True),
    "region": FieldSpec(type="string"),
    "user": FieldSpec(type="string"),
    "flag": FieldSpec(type="boolean"),
    "at": FieldSpec(type="timestamp"),
}


def meter_version(**overrides: Any) -> MeterVersion:
    settings: dict[str, Any] = {
        "version": 1,
        "status": "released",
        "effective_from": "2026-01-01",
        "contract": "usage",
        "aggregation": "count",
        "period": {"every": "month", "timezone": "UTC"},
    }
    settings.update(overrides)
    return MeterVersion.model_validate(settings)


def make_catalog(*versions: MeterVersion, **contract: Any) -> Catalog:
    """A catalog with contract `usage` (FIELDS) and meter `m` with `versions`."""
    spec = Contract.model_validate(
        {"contract": "usage", "version": 1, "status": "released", "fields": FIELDS, **contract}
    )
    meter = Meter(meter="m", unit="unit", line_item="LINE", versions=list(versions))
    return Catalog(contracts={"usage": {1: spec}}, meters={"m": meter})


def event(
    id: str,
    time: str,
    recorded: str | None = None,
    *,
    subject: str = "acme",
    source: str = "src",
    type: str = "usage",
    voids: str | None = None,
    **data: Any,
) -> dict[str, Any]:
    """A CloudEvent whose data is `{"n": 1, **data}`; a void has no data."""
    body: dict[str, Any] = {
        "specversion": "1.0",
        "id": id,
        "source": source,
        "type": type,
        "subject": subject,
        "time": time,
    }
    if recorded is not None:
        body["recordedtime"] = recorded
    if voids is not None:
        body["voids"] = voids
    else:
        body["data"] = {"n": 1, **data}
    return body


_json = msgspec.json.Encoder(decimal_format="number")


def lines(*events: dict[str, Any]) -> list[RawLine]:
    """The events as input lines of one file (decimals stay JSON numbers)."""
    return [
        RawLine(seq, "events.jsonl", seq + 1, _json.encode(body)) for seq, body in enumerate(events)
    ]


def rows(catalog: Catalog, *events: dict[str, Any], **options: Any) -> list[dict[str, Any]]:
    return [row.to_dict() for row in aggregate(catalog, "m", lines(*events), **options).rows]


def summary(found: list[dict[str, Any]]) -> list[tuple]:
    """(kind, customer, period_start, posted_period_start, quantity, status) per row."""
    return [
        (
            r["kind"],
            r["customer"],
            r["period_start"],
            r.get("posted_period_start"),
            r["quantity"],
            r["status"],
        )
        for r in found
    ]
