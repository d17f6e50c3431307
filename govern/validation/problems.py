"""Why an event is invalid: one `Problem` per broken rule, naming the field path and the rule.

Messages read `data.status: 700 is above the maximum 599`. `reason` drops the value
(`data.status: maximum`) so that counts by reason stay few however varied the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson

from govern.compile.jsonschema import TIMESTAMP_PATTERN

ROOT = "event"
MISSING = "required field is missing"
_SHOWN_CHARS = 80


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One broken rule: where (dotted path, `event` for the whole event), which, and a message."""

    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return self.message

    @property
    def reason(self) -> str:
        return f"{self.path}: {self.rule}"


def problem(path: str, rule: str, text: str) -> Problem:
    return Problem(path, rule, f"{path}: {text}")


def join_path(parts: Any) -> str:
    return ".".join(str(part) for part in parts) or ROOT


def show(value: Any) -> str:
    """A value as it would appear in JSON, shortened."""
    if isinstance(value, bool) or value is None:
        return orjson.dumps(value).decode()
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, list):
        return "[...]"
    text = orjson.dumps(str(value)).decode()
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 4] + '..."'


def json_kind(value: Any) -> str:
    """`a string`, `a number`, ...: the JSON type of a decoded value."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def from_schema_error(error: Any) -> list[Problem]:
    """Problems for one `jsonschema_rs.ValidationError` (one per unexpected property)."""
    kind = error.kind
    rule = kind.name
    path = join_path(error.instance_path)
    value = error.instance
    if rule == "required":
        return [problem(join_path([*error.instance_path, kind.property]), rule, MISSING)]
    if rule == "additionalProperties":
        return [
            problem(path, rule, f"unknown field {show(name)} (not in the contract)")
            for name in kind.unexpected
        ]
    if rule == "type":
        expected = " or ".join(kind.types)
        return [problem(path, rule, f"{show(value)} is {json_kind(value)}, expected {expected}")]
    if rule == "minLength" and value == "":
        return [problem(path, rule, "must not be empty")]
    if rule == "pattern" and kind.pattern == TIMESTAMP_PATTERN:
        text = f"{show(value)} is not an RFC 3339 timestamp with offset (e.g. 2026-10-01T00:00:00Z)"
        return [problem(path, "timestamp", text)]
    texts = {
        "minimum": lambda: f"{show(value)} is below the minimum {kind.limit}",
        "maximum": lambda: f"{show(value)} is above the maximum {kind.limit}",
        "enum": lambda: f"{show(value)} is not one of {', '.join(map(show, kind.options))}",
        "const": lambda: f"{show(value)} is not {show(kind.expected_value)}",
        "minLength": lambda: f"{show(value)} is shorter than {kind.limit} characters",
        "maxLength": lambda: f"{show(value)} is longer than {kind.limit} characters",
        "pattern": lambda: f"{show(value)} does not match the pattern {kind.pattern}",
    }
    text = texts.get(rule, lambda: error.message)()
    return [problem(path, rule, text)]
