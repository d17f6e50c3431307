"""The six aggregations in exact decimals, rounded once, null values skipped."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from govern.catalog.model import Precision
from govern.events.reader import RawLine
from govern.reference.aggregations import AGGREGATIONS, quantity_function
from govern.reference.decimals import quantity_text, rounder
from govern.reference.envelope import Event
from tests.reference.builders import meter_version


def made(
    value: object, time: str = "2026-10-01T00:00:00", recorded: str | None = None, seq: int = 0
) -> Event:
    moment = datetime.fromisoformat(time).replace(tzinfo=UTC)
    stamp = datetime.fromisoformat(recorded).replace(tzinfo=UTC) if recorded else moment
    event = Event(
        RawLine(seq, "-", seq + 1, b""), "s", f"e{seq}", "t", "acme", moment, stamp, None, {}, seq
    )
    event.value = value
    return event


VALUES = [made(Decimal("2.5"), seq=0), made(1, seq=1), made(None, seq=2), made(1, seq=3)]


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("count", 4),
        ("sum", Decimal("4.5")),
        ("min", 1),
        ("max", Decimal("2.5")),
        ("unique_count", 2),
        ("latest", 1),
    ],
)
def test_aggregations(aggregation: str, expected: object) -> None:
    assert AGGREGATIONS[aggregation](VALUES) == expected


@pytest.mark.parametrize("aggregation", ["count", "sum", "min", "max", "unique_count", "latest"])
def test_the_value_of_an_empty_set_is_zero(aggregation: str) -> None:
    assert AGGREGATIONS[aggregation]([]) == 0


def test_sum_is_exact() -> None:
    tenths = [made(Decimal("0.1"), seq=i) for i in range(10)]
    assert AGGREGATIONS["sum"](tenths) == 1
    huge = [made(Decimal("1e30")), made(Decimal("1e-30"))]
    assert str(AGGREGATIONS["sum"](huge)) == "1" + "0" * 30 + "." + "0" * 29 + "1"


def test_unique_count_keeps_booleans_apart_from_numbers() -> None:
    mixed = [made(True), made(1), made(Decimal("1.0")), made("1")]
    assert AGGREGATIONS["unique_count"](mixed) == 3


def test_latest_ties_go_to_recorded_time_then_seq() -> None:
    at = "2026-10-01T00:00:00"
    first = made(1, at, "2026-10-01T00:00:09", seq=5)
    later_recorded = made(2, at, "2026-10-01T00:00:10", seq=1)
    assert AGGREGATIONS["latest"]([first, later_recorded]) == 2
    same = [made(3, at, "2026-10-01T00:00:10", seq=7), later_recorded]
    assert AGGREGATIONS["latest"](same) == 3
    newer_time = made(4, "2026-10-01T00:00:01", "2026-10-01T00:00:01", seq=0)
    assert AGGREGATIONS["latest"]([*same, newer_time]) == 4


@pytest.mark.parametrize(
    ("value", "rounding", "scale", "expected"),
    [
        ("2.5", "half_up", 0, "3"),
        ("2.5", "half_even", 0, "2"),
        ("3.5", "half_even", 0, "4"),
        ("2.9", "down", 0, "2"),
        ("2.1", "up", 0, "3"),
        ("-2.5", "half_up", 0, "-3"),
        ("-0.0004", "half_up", 3, "0.000"),  # never -0
        ("180.0001", "up", 3, "180.001"),
        ("74.9994", "down", 3, "74.999"),
        ("7", "half_up", 2, "7.00"),
        ("0.000000123", "half_up", 9, "0.000000123"),  # never exponent notation
        ("1E+3", "half_up", 0, "1000"),
    ],
)
def test_rounding(value: str, rounding: str, scale: int, expected: str) -> None:
    precision = Precision(scale=scale, rounding=rounding)
    assert quantity_text(rounder(precision)(Decimal(value))) == expected


def test_rounding_happens_once_on_the_result() -> None:
    version = meter_version(aggregation="sum", value="n", precision={"scale": 2})
    thirds = [made(Decimal("0.005"), seq=i) for i in range(3)]
    # 0.015 rounds to 0.02; rounding each value first would give 0.03.
    assert quantity_function(version)(thirds) == Decimal("0.02")
