"""The events of a meter test, as the lines an engine reads.

Inline events are written in YAML for people: the keys a test leaves out are filled from
its defaults, and YAML values (timestamps, decimals) are written back as the JSON an
emitter would send. A file (`events_file`) is read as it is, before the inline events.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from govern.catalog.model import MeterTestCase, MeterTests
from govern.errors import InputError
from govern.events.reader import RawLine, read_lines
from govern.timestamps import format_utc


def merged_defaults(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers win; `data` mappings are merged key by key."""
    result: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "data" and isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = {**result[key], **value}
            else:
                result[key] = value
    return result


def inline_event(
    event: dict[str, Any], defaults: dict[str, Any], contract: str, number: int
) -> dict[str, Any]:
    """One inline event with every key it leaves out filled in (see `MeterTestCase`).

    A top-level key set to null is left out of the event (a void drops the default `data`
    with `data: null`); inside `data`, null stays null.
    """
    filled = merged_defaults(
        {"specversion": "1.0", "id": str(number), "source": "test", "type": contract},
        defaults,
        event,
    )
    return _json_ready({key: value for key, value in filled.items() if value is not None})


def _json_ready(value: Any) -> Any:
    """YAML values as the JSON an emitter sends: timestamps as RFC 3339 text."""
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, datetime):
        # A timestamp without an offset stays without one: the engine must reject it.
        return format_utc(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def event_lines(
    case: MeterTestCase, suite: MeterTests, contract: str, project: Path
) -> list[RawLine]:
    """The events of `case` in load order: `events_file` first, then the inline events."""
    lines: list[RawLine] = []
    if case.events_file:
        path = project / case.events_file
        if not path.is_file():
            raise InputError(f"{case.location}: events_file {case.events_file}: no such file")
        lines.extend(read_lines([path]))
    defaults = merged_defaults(suite.defaults, case.defaults)
    for number, event in enumerate(case.events, start=1):
        text = orjson.dumps(inline_event(event, defaults, contract, number))
        where = case.location_of("events", number - 1)
        lines.append(RawLine(len(lines), where.path, where.line, text))
    return lines
