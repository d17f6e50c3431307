"""Parquet input whose `data` is a typed struct (as written from Avro or typed columns):
the DuckDB engine gives the reference's rows and counts over the events the struct can
hold, and refuses a struct that does not fit the contract."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings

from govern import Catalog
from govern.catalog.catalog import stream_contract
from govern.engines.duckdb_engine import aggregate as duckdb_aggregate
from govern.engines.loading import raw_rows
from govern.errors import InputError
from govern.events.reader import RawLine, read_lines
from govern.reference import aggregate as reference_aggregate
from tests.sql.engines import jsonl
from tests.sql.strategies import as_of_times, catalogs, customer_mappings, streams
from tests.sql.test_duckdb_engine import counted, unlocated, write_raw_events

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(ROOT)

SQL_TYPES = {
    "string": "VARCHAR",
    "timestamp": "VARCHAR",
    "integer": "DECIMAL(38, 18)",  # fractions fit: the query must reject them
    "number": "DECIMAL(38, 18)",
    "boolean": "BOOLEAN",
}
STRAY = {"colour": "VARCHAR"}
"""A struct field no contract has: an event that sets it is invalid, as an extra key is."""


def struct_type(catalog: Catalog, contract: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for version in catalog.contracts[contract].values():
        for name, spec in version.fields.items():
            found.setdefault(name, SQL_TYPES[spec.type])
    return {**found, **STRAY}


def fits(value: Any, sql_type: str) -> bool:
    """Whether a JSON value is exactly a value of the struct field's type."""
    if sql_type == "VARCHAR":
        return isinstance(value, str)
    if sql_type == "BOOLEAN":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return False
    return Decimal(value) == round(Decimal(value), 18) and abs(value) < 10**20


def struct_value(data: dict[str, Any] | None, types: dict[str, str]) -> dict | bool | None:
    """`data` as a struct value; False when the struct cannot hold it (a JSON null, a
    key the struct lacks, a value of another type)."""
    if data is None:
        return None
    if any(name not in types or not fits(value, types[name]) for name, value in data.items()):
        return False
    return {name: data.get(name) for name in types}


def write_struct_parquet(
    catalog: Catalog, contract: str, lines: list[RawLine], target: Path
) -> list[RawLine]:
    """The events of `lines` the struct layout can hold, written to `target`; returns
    their lines (a loader refuses the others), numbered as the rows are (seq from 0)."""
    types = struct_type(catalog, contract)
    rows, kept = [], []
    by_seq = {line.seq: line for line in lines}
    for row in raw_rows(lines, catalog.contract(contract)):
        data = None if row.data is None else json.loads(row.data, parse_float=Decimal)
        value = struct_value(data, types)
        if value is False:
            continue
        rows.append((*row.astuple()[:8], value, len(rows)))
        kept.append(by_seq[row.seq])
    struct = ", ".join(f'"{name}" {sql_type}' for name, sql_type in types.items())
    ddl = (
        "CREATE TABLE raw_events (id VARCHAR, source VARCHAR, type VARCHAR, subject VARCHAR, "
        "time TIMESTAMPTZ, recordedtime TIMESTAMPTZ, dataschema VARCHAR, voids VARCHAR, "
        f"data STRUCT({struct}), seq BIGINT)"
    )
    write_raw_events(ddl, rows, target)
    return [RawLine(index, line.file, line.line, line.text) for index, line in enumerate(kept)]


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(catalogs(), streams(), as_of_times(), customer_mappings())
def test_struct_parquet_matches_the_reference(
    tmp_path_factory, catalog, lines: list[RawLine], as_of: datetime | None, customers
) -> None:
    folder = tmp_path_factory.mktemp("events")
    kept = write_struct_parquet(catalog, "usage", lines, folder / "events.parquet")
    expected = reference_aggregate(catalog, "m", kept, as_of=as_of, customers=customers)
    found = duckdb_aggregate(
        catalog, "m", [folder / "events.parquet"], as_of=as_of, customers=customers
    )
    assert jsonl(found.rows) == jsonl(expected.rows)
    assert counted(found.counts) == counted(expected.counts)
    assert unlocated(found.exceptions) == unlocated(expected.exceptions)


@pytest.mark.parametrize("meter", list(CATALOG.meters))
def test_bundled_meters_from_struct_parquet(tmp_path: Path, meter: str) -> None:
    contract = stream_contract(CATALOG.meter(meter))
    source = ROOT / "contracts" / contract / "samples" / "events.jsonl"
    target = tmp_path / "events.parquet"
    kept = write_struct_parquet(CATALOG, contract, list(read_lines([source])), target)
    assert kept, "the samples have events the struct layout holds"
    expected = reference_aggregate(CATALOG, meter, kept)
    found = duckdb_aggregate(CATALOG, meter, [target])
    assert expected.rows and jsonl(found.rows) == jsonl(expected.rows)


def parquet_with(tmp_path: Path, struct: str) -> Path:
    target = tmp_path / "events.parquet"
    duckdb.sql(
        "COPY (SELECT 'e1' AS id, 'a' AS source, 'api_request' AS type, 'acme' AS subject, "
        "TIMESTAMPTZ '2026-11-02 00:00:00+00' AS time, NULL::TIMESTAMPTZ AS recordedtime, "
        "NULL::VARCHAR AS dataschema, NULL::VARCHAR AS voids, "
        f"{struct} AS data, 0 AS seq) TO '{target}' (FORMAT parquet)"
    )
    return target


GOOD = "{'route': '/v1/x', 'method': 'GET', 'status': 200, 'duration_ms': 1.5::DECIMAL(9, 3), "


@pytest.mark.parametrize(
    ("struct", "message"),
    [
        (
            GOOD.replace("1.5::DECIMAL(9, 3)", "1.5::DOUBLE") + "'region': 'eu-west'}",
            "data.duration_ms is DOUBLE in the Parquet file, but api_request@",
        ),
        (
            GOOD.replace("200", "'200'") + "'region': 'eu-west'}",
            "data.status is VARCHAR in the Parquet file, but api_request@",
        ),
        (
            GOOD.replace("DECIMAL(9, 3)", "DECIMAL(38, 20)") + "'region': 'eu-west'}",
            "decimals at most 18 places",
        ),
        (GOOD + "'zone': 'eu-west'}", "the data struct lacks required fields of api_request@"),
    ],
)
def test_a_struct_that_does_not_fit_the_contract_is_refused(
    tmp_path: Path, struct: str, message: str
) -> None:
    target = parquet_with(tmp_path, struct)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        duckdb_aggregate(CATALOG, "api_calls", [target])


def test_a_fitting_struct_is_counted(tmp_path: Path) -> None:
    target = parquet_with(tmp_path, GOOD + "'region': 'eu-west', 'extra': NULL::INTEGER[]}")
    found = duckdb_aggregate(CATALOG, "api_calls", [target])
    assert [(row.customer, row.quantity) for row in found.rows] == [("acme", Decimal(1))]


def test_a_field_the_contract_lacks_makes_the_event_invalid(tmp_path: Path) -> None:
    target = parquet_with(tmp_path, GOOD + "'region': 'eu-west', 'extra': [1]}")
    found = duckdb_aggregate(CATALOG, "api_calls", [target])
    assert found.rows == () and counted(found.counts)["excluded"] == {"invalid": 1}
