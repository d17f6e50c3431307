"""The bundled catalog's meter tests: a second, independent check of the reference
aggregator (their expectations are worked out by hand from docs/semantics.md)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from govern import Catalog
from govern.testing import run_meter_tests

REPO = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(REPO)


def test_every_bundled_meter_has_tests() -> None:
    assert set(CATALOG.tests) == set(CATALOG.meters)


@pytest.mark.parametrize(
    ("meter", "test"),
    [(suite.meter, case.name) for suite in CATALOG.tests.values() for case in suite.tests],
)
def test_bundled_meter_test_passes_on_every_engine(meter: str, test: str) -> None:
    results = [r for r in _run_on_every_engine(meter).results if r.test == test]
    assert [r.engine for r in results] == ["reference", "duckdb"]
    for result in results:
        assert result.outcome == "passed", (result.engine, result.error, result.diff)


@cache
def _run_on_every_engine(meter: str):
    return run_meter_tests(CATALOG, meter, "all", REPO)


@pytest.mark.parametrize("meter", sorted(CATALOG.meters))
def test_each_meter_covers_its_filter_period_edges_and_late_events(meter: str) -> None:
    """Every suite has a test on period edges and one with an adjustment (a late event)."""
    cases = CATALOG.tests[meter].tests
    assert any("edge" in case.name or "_day_has_" in case.name for case in cases)
    assert any(row.kind == "adjustment" for case in cases for row in case.expect)
