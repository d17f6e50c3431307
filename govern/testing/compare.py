"""Expected rows against produced rows: which match, and a readable account of the rest.

An expected row matches a produced row when every key it writes (and `kind`) is equal:
timestamps as instants, quantities and numeric dimension values as decimals (`3` equals
`3.00`), `dimensions` as a whole mapping. Rows match one to one, in any order; the test
passes when every expected row has its own produced row and no produced row is left over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from govern.catalog.model import ExpectedRow
from govern.timestamps import format_utc, parse_rfc3339

TIME_KEYS = ("period_start", "period_end", "posted_period_start", "posted_period_end")
IDENTITY_KEYS = ("kind", "customer", "period_start", "dimensions", "posted_period_start")
"""Keys that say which row a row is (as opposed to what it says): rows that agree on the
identity keys both give are shown side by side when they differ."""


def _number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def normalize(key: str, value: Any) -> Any:
    """A row value in the form it is compared in."""
    if value is None:
        return None
    if key in TIME_KEYS:
        moment = parse_rfc3339(value) if isinstance(value, str) else value
        return moment.astimezone(UTC)
    if key == "quantity":
        return _number(Decimal(value) if isinstance(value, str) else value)
    if key == "dimensions":
        return {name: _number(item) for name, item in value.items()}
    return value


def expected_values(row: ExpectedRow) -> dict[str, Any]:
    """The keys `row` is compared on, with their values normalized."""
    return {key: normalize(key, getattr(row, key)) for key in row.compared}


def actual_values(row: dict[str, Any]) -> dict[str, Any]:
    return {key: normalize(key, value) for key, value in row.items()}


def differing(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """The keys of `expected` whose value `actual` does not have."""
    return [key for key, value in expected.items() if actual.get(key) != value]


@dataclass
class RowDiff:
    """The outcome of comparing one test's expected rows with what an engine produced."""

    matched: int = 0
    changed: list[tuple[ExpectedRow, dict[str, Any], list[str]]] = field(default_factory=list)
    missing: list[ExpectedRow] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unexpected)


def compare_rows(expected: list[ExpectedRow], actual: list[dict[str, Any]]) -> RowDiff:
    """Match `expected` to `actual` one to one (a maximum matching, so the order of the
    rows never decides the verdict) and describe what is left."""
    wanted = [expected_values(row) for row in expected]
    produced = [actual_values(row) for row in actual]
    fits = [[j for j, got in enumerate(produced) if not differing(want, got)] for want in wanted]
    owner: dict[int, int] = {}

    def claim(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or claim(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(wanted)):
        claim(i, set())
    matched_expected = set(owner.values())
    diff = RowDiff(matched=len(owner))
    left = [j for j in range(len(produced)) if j not in owner]
    for i, want in enumerate(wanted):
        if i in matched_expected:
            continue
        partner = _closest(want, left, produced)
        if partner is None:
            diff.missing.append(expected[i])
        else:
            left.remove(partner)
            diff.changed.append((expected[i], actual[partner], differing(want, produced[partner])))
    diff.unexpected = [actual[j] for j in left]
    return diff


def _closest(want: dict[str, Any], left: list[int], produced: list[dict[str, Any]]) -> int | None:
    """The leftover produced row that agrees with `want` on every identity key it gives."""
    keys = [key for key in IDENTITY_KEYS if key in want]
    for j in left:
        if all(produced[j].get(key) == want[key] for key in keys):
            return j
    return None


# ---------------------------------------------------------------- showing rows


def show_value(key: str, value: Any) -> str:
    value = normalize(key, value)
    if value is None:
        return "null"
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_value('', v)}" for k, v in value.items()) + "}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


ROW_ORDER = (
    "kind",
    "customer",
    "period_start",
    "period_end",
    "dimensions",
    "posted_period_start",
    "posted_period_end",
    "meter_version",
    "status",
    "line_item",
    "quantity",
)


def show_row(values: dict[str, Any], keys: tuple[str, ...] | None = None) -> str:
    """`kind customer period_start ... quantity=N` for the keys given (all by default)."""
    parts = []
    for key in ROW_ORDER:
        if key not in values or (keys is not None and key not in keys):
            continue
        text = show_value(key, values[key])
        parts.append(text if key in ("kind", "customer") else f"{key}={text}")
    return " ".join(parts)


def show_expected(row: ExpectedRow) -> str:
    return show_row({key: getattr(row, key) for key in row.compared})
