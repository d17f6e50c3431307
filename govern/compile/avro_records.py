"""Events <-> Avro records of the schema `contract_to_avro` writes.

Timestamps become aware datetimes (timestamp-micros: fractions beyond microseconds are
cut, the offset becomes UTC); numbers become Decimals that must fit decimal(38, 9).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Context, Decimal
from typing import Any
from uuid import UUID

from govern.catalog.model import Contract
from govern.compile.avro import DECIMAL_PRECISION, DECIMAL_SCALE
from govern.compile.layout import event_layout, get_path
from govern.timestamps import format_utc, parse_rfc3339

_QUANTUM = Decimal(1).scaleb(-DECIMAL_SCALE)
_LIMIT = Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_SCALE)
_CONTEXT = Context(prec=DECIMAL_PRECISION + 1)


def event_to_avro_record(event: dict, contract: Contract) -> dict:
    """The Avro record of a valid event (decoded with exact decimals), every field present
    (None when absent); raises ValueError for a number that does not fit decimal(38, 9)."""
    record: dict[str, Any] = {}
    for role, path in event_layout(contract).roles.items():
        value = get_path(event, path)
        if value is not None and role in ("time", "recordedtime"):
            value = parse_rfc3339(value)
        elif value is not None and role == "data":
            value = {
                name: _field_value(value.get(name), spec.type, name)
                for name, spec in contract.fields.items()
            }
        _put(record, path, value)
    return record


def avro_record_to_event(record: dict) -> dict:
    """The event of an Avro record: datetimes as RFC 3339 UTC text, other logical types
    (date, time, uuid) as their text, nulls left out; bytes stay bytes, which no contract
    type accepts."""
    return {key: _event_value(value) for key, value in record.items() if value is not None}


def _field_value(value: Any, kind: str, name: str) -> Any:
    if value is None:
        return None
    if kind == "timestamp":
        return parse_rfc3339(value)
    if kind == "number":
        exact = Decimal(value)
        scaled = exact.quantize(_QUANTUM, context=_CONTEXT) if abs(exact) < _LIMIT else None
        if scaled != exact:
            raise ValueError(f"data.{name}: {value} does not fit decimal(38, 9)")
        return scaled
    return value


def _event_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return avro_record_to_event(value)
    if isinstance(value, list):
        return [_event_value(item) for item in value]
    return value


def _put(record: dict, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value
