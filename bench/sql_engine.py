"""Benchmark of the DuckDB engine (the compiled SQL) beside the reference engine.

    python bench/sql_engine.py                     # 10,000,000 events; reference on 1,000,000
    python bench/sql_engine.py --events 2000000 --reference-events 200000

Two meters of the bundled catalog: `api_calls` (count per region, UTC months) and
`compute_seconds` (sum of decimal seconds per instance type, India days). For each, a
stream of generated events (10,000 customers over October and November 2026, 2%
identical retries, 2% late arrivals, 0.1% voids) is written once as JSONL (CloudEvents,
one a line) and twice as Parquet in the raw events table's layout: `data` as JSON text,
and `data` as a typed struct (the types govern's Avro schema gives: long, decimal(38, 9),
string). Then, in one run:

- the DuckDB engine on each Parquet file, rows only and with accounting (counts by reason);
- the DuckDB engine on the JSONL file (loading included);
- the reference engine on the first `--reference-events` lines of the same JSONL.

Every engine's rows are checked against the reference on the reference-sized prefix.
Prints events per second (wall clock, both cores) for each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govern.catalog.catalog import Catalog  # noqa: E402
from govern.catalog.model import Contract  # noqa: E402
from govern.compile.avro import DECIMAL_PRECISION, DECIMAL_SCALE  # noqa: E402
from govern.engines.duckdb_engine import aggregate as duckdb_aggregate  # noqa: E402
from govern.reference import aggregate as reference_aggregate  # noqa: E402
from govern.reference.writers import jsonl_lines  # noqa: E402

METERS = {
    "api_calls": "api_request",
    "compute_seconds": "compute_job",
}

# One SELECT per contract, over range(N): deterministic pseudo-random fields from hashes.
_COMMON = """
    WITH base AS (
        SELECT i, CAST(hash(i * 7 + 3) % 1000000007 AS BIGINT) AS g
        FROM range({n}) AS t(i)
    ), numbered AS (
        SELECT *, CASE WHEN g % 100 < 2 THEN i - 1 - (g % 50) ELSE i END AS event_no
        FROM base
    ), drawn AS (
        SELECT
            *,
            CAST(hash(event_no) % 1000000007 AS BIGINT) AS h,
            TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_microseconds(
                CAST(hash(event_no) % 5270400000 AS BIGINT) * 1000
            ) AS occurred
        FROM numbered
    ), shaped AS (
        SELECT
            *,
            CASE
                WHEN g % 100 < 2 THEN occurred + INTERVAL 3 SECOND
                WHEN g % 100 < 4 THEN occurred + INTERVAL 5 DAY
                ELSE occurred + INTERVAL 2 SECOND
            END AS recorded
        FROM drawn
    )
"""
# A retry (2%) repeats an earlier event (`event_no`): its fields are drawn from that
# number, so the copies differ only in their recorded time.

_DATA = {
    "api_request": """
        {{'route': CASE WHEN h % 50 = 0 THEN '/health' ELSE '/v1/chat/completions' END,
          'method': 'POST',
          'status': CASE WHEN h % 40 = 0 THEN 503 ELSE 200 END,
          'duration_ms': CAST((h % 200000) AS DECIMAL(12, 2)) / 100,
          'region': ['us-east', 'eu-west', 'ap-south'][1 + h % 3]}}
    """,
    "compute_job": """
        {{'job_id': 'j-' || event_no,
          'seconds': CAST((h % 90000000) AS DECIMAL(18, 3)) / 1000,
          'instance_type': ['cpu-small', 'cpu-large', 'gpu-a100'][1 + h % 3],
          'region': 'ap-south'}}
    """,
}


def _events_sql(contract: str, n: int) -> str:
    data = _DATA[contract].format()
    return (
        _COMMON.format(n=n)
        + f"""
    SELECT
        '1.0' AS specversion,
        CASE WHEN g % 1000 = 0 AND event_no > 10 THEN 'void-' || i ELSE 'e-' || event_no END
            AS id,
        'bench/source' AS source,
        '{contract}' AS type,
        'customer-' || (h % 10000) AS subject,
        strftime(occurred AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS time,
        strftime(recorded AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS recordedtime,
        CASE WHEN g % 1000 = 0 AND event_no > 10 THEN 'e-' || (event_no - 7) END AS voids,
        CASE WHEN g % 1000 = 0 AND event_no > 10 THEN NULL ELSE {data} END AS data,
        i AS seq
    FROM shaped
    ORDER BY i
    """
    )


STRUCT_TYPES = {
    "string": "VARCHAR",
    "timestamp": "VARCHAR",
    "integer": "BIGINT",
    "number": f"DECIMAL({DECIMAL_PRECISION},{DECIMAL_SCALE})",
    "boolean": "BOOLEAN",
}


def struct_shape(contract: Contract) -> str:
    """The `json_transform` shape of the contract's data as a typed struct."""
    return json.dumps({name: STRUCT_TYPES[spec.type] for name, spec in contract.fields.items()})


def generate(contract: Contract, n: int, folder: Path) -> tuple[Path, Path, Path]:
    """JSONL (CloudEvents lines), and Parquet (raw events table) with `data` as JSON text
    and as a typed struct, of the same n events."""
    name = contract.contract
    jsonl, parquet = folder / f"{name}.jsonl", folder / f"{name}.parquet"
    struct = folder / f"{name}.struct.parquet"
    if jsonl.exists() and struct.exists() and _rows(parquet) == n and _rows(struct) == n:
        return jsonl, parquet, struct  # kept from an earlier run (--keep)
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(f"CREATE TABLE events AS {_events_sql(name, n)}")
    envelope = (
        "'specversion', specversion, 'id', id, 'source', source, 'type', type, "
        "'subject', subject, 'time', time, 'recordedtime', recordedtime"
    )
    connection.execute(
        f"""COPY (
            SELECT CASE WHEN voids IS NULL
                THEN json_object({envelope}, 'data', data)
                ELSE json_object({envelope}, 'voids', voids)
            END
            FROM events ORDER BY seq
        ) TO '{jsonl}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')"""
    )
    connection.execute(
        f"""COPY (
            SELECT id, source, type, subject,
                   CAST(time AS TIMESTAMPTZ) AS time,
                   CAST(recordedtime AS TIMESTAMPTZ) AS recordedtime,
                   CAST(NULL AS VARCHAR) AS dataschema, voids,
                   CAST(to_json(data) AS VARCHAR) AS data, seq
            FROM events ORDER BY seq
        ) TO '{parquet}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"""
    )
    connection.execute(
        f"""COPY (
            SELECT * REPLACE (json_transform(data, ?) AS data)
            FROM read_parquet('{parquet}')
        ) TO '{struct}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""",
        [struct_shape(contract)],
    )
    connection.close()
    return jsonl, parquet, struct


def _rows(parquet: Path) -> int:
    return duckdb.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchall()[0][0]


def head(path: Path, lines: int, target: Path) -> Path:
    with path.open("rb") as source, target.open("wb") as out:
        for index, line in enumerate(source):
            if index >= lines:
                break
            out.write(line)
    return target


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--reference-events", type=int, default=1_000_000)
    parser.add_argument(
        "--keep", type=Path, help="Keep the generated files in this folder (and reuse them)."
    )
    args = parser.parse_args()
    catalog = Catalog.load(ROOT)
    print(f"DuckDB engine on {args.events:,} events, reference on {args.reference_events:,}")
    print(f"{os.cpu_count()} cores, duckdb {duckdb.__version__}")
    print()
    header = f"{'meter':<16} {'engine':<38} {'events':>12} {'seconds':>9} {'events/s':>12}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for meter, name in METERS.items():
            contract = catalog.contract(name)
            seconds, (jsonl, parquet, struct) = timed(
                lambda c=contract: generate(c, args.events, folder)
            )
            sample = head(jsonl, args.reference_events, folder / f"{name}.head.jsonl")
            layouts = {"Parquet struct": struct, "Parquet": parquet}
            runs = [
                (
                    f"duckdb, {layout}, {what}",
                    args.events,
                    partial(duckdb_aggregate, catalog, meter, [path], accounting=counts),
                )
                for layout, path in layouts.items()
                for what, counts in (("rows", False), ("rows + counts", True))
            ]
            runs += [
                (
                    "duckdb, JSONL, rows + counts",
                    args.events,
                    partial(duckdb_aggregate, catalog, meter, [jsonl]),
                ),
                (
                    "reference, JSONL",
                    args.reference_events,
                    partial(reference_aggregate, catalog, meter, [sample]),
                ),
            ]
            rates, results = {}, {}
            for name, count, run in runs:
                elapsed, results[name] = timed(run)
                rates[name] = count / elapsed
                print(f"{meter:<16} {name:<38} {count:>12,} {elapsed:>9.2f} {rates[name]:>12,.0f}")
            for layout in layouts:
                speedup = rates[f"duckdb, {layout}, rows"] / rates["reference, JSONL"]
                label = f"{layout} rows vs reference"
                print(f"{meter:<16} {label:<38} {'':>12} {'':>9} {speedup:>11.0f}x")
            # Same rows on the reference-sized prefix.
            expected = jsonl_lines(
                r.to_dict() for r in reference_aggregate(catalog, meter, [sample]).rows
            )
            found = jsonl_lines(
                r.to_dict() for r in duckdb_aggregate(catalog, meter, [sample]).rows
            )
            assert found == expected, f"{meter}: the DuckDB engine differs from the reference"
            struct_rows, json_rows = (results[f"duckdb, {layout}, rows"].rows for layout in layouts)
            assert struct_rows == json_rows, f"{meter}: the two Parquet layouts differ"
            print(
                f"{meter:<16} (generated in {seconds:.1f} s; rows identical to the reference;"
                " both Parquet layouts give the same rows)"
            )
            print()


if __name__ == "__main__":
    main()
