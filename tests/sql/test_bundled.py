"""Every meter of the bundled catalog, in every executed dialect, returns exactly the
reference aggregator's rows on the bundled sample events (byte-identical JSONL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from govern import Catalog
from govern.events.reader import read_lines
from govern.reference import aggregate
from tests.sql.engines import SqlEngine, jsonl

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(ROOT)
METERS = list(CATALOG.meters)
AS_OF = [None, datetime(2026, 11, 1, 12, tzinfo=UTC), datetime(2026, 11, 3, 0, 0, 1, tzinfo=UTC)]
CUSTOMERS = {"acme": "ACME Corp", "acme-eu": "ACME Corp", "globex": "Globex"}
"""A mapping that merges two subjects into one customer and leaves `initech` unmapped."""


def sample_lines(meter: str):
    contract = CATALOG.meter(meter).versions[0].contract_name
    return list(read_lines([ROOT / "contracts" / contract / "samples" / "events.jsonl"]))


@pytest.mark.parametrize("as_of", AS_OF, ids=["everything", "nov-1-noon", "nov-3"])
@pytest.mark.parametrize("meter", METERS)
def test_bundled_meter(sql_engine: SqlEngine, meter: str, as_of: datetime | None) -> None:
    lines = sample_lines(meter)
    expected = jsonl(aggregate(CATALOG, meter, lines, as_of=as_of).rows)
    assert expected  # the samples exercise every meter
    assert jsonl(sql_engine.rows(CATALOG, meter, lines, as_of=as_of)) == expected


@pytest.mark.parametrize("meter", METERS)
def test_bundled_meter_with_customer_mapping(sql_engine: SqlEngine, meter: str) -> None:
    lines = sample_lines(meter)
    expected = jsonl(aggregate(CATALOG, meter, lines, customers=CUSTOMERS).rows)
    assert jsonl(sql_engine.rows(CATALOG, meter, lines, customers=CUSTOMERS)) == expected


@pytest.mark.parametrize("meter", METERS)
def test_recomputing_every_close_gives_the_same_rows(duckdb_engine: SqlEngine, meter: str) -> None:
    """The additive ledger (running sums) and the general one (recompute per close)
    agree; the general one is what min, max, unique_count and latest use."""
    lines = sample_lines(meter)
    fast = duckdb_engine.rows(CATALOG, meter, lines)
    assert jsonl(duckdb_engine.rows(CATALOG, meter, lines, ledger="recompute")) == jsonl(fast)
