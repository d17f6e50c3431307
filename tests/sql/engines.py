"""The warehouses the SQL tests run compiled queries in: DuckDB, PostgreSQL, ClickHouse.

Each engine loads raw event lines into the canonical raw events table (with the Python
load step, `govern.engines.loading`), runs every version's compiled query and returns the
reference's `UsageRow`s, so tests compare JSONL bytes with the reference aggregator.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from govern.catalog.catalog import Catalog
from govern.engines.loading import raw_rows
from govern.engines.rows import to_usage_rows
from govern.events.reader import RawLine
from govern.reference.rows import UsageRow
from govern.reference.writers import jsonl_lines
from govern.sql import CompileOptions, compile_meter, customer_aliases_ddl, raw_events_ddl
from govern.sql.compiler import AS_OF_PARAMETER, PARAMETER
from govern.sql.schema import ALIAS_COLUMNS, RAW_COLUMNS


def jsonl(rows: Sequence[UsageRow]) -> str:
    return jsonl_lines(row.to_dict() for row in rows)


class SqlEngine:
    """Runs a meter's compiled SQL over events in one warehouse."""

    name: str
    binds_as_of = False
    """Whether the as-of time is bound as a query parameter (else compiled in)."""

    def rows(
        self,
        catalog: Catalog,
        meter: str,
        lines: Sequence[RawLine],
        *,
        as_of: datetime | None = None,
        customers: Mapping[str, str] | None = None,
        ledger: str = "auto",
    ) -> list[UsageRow]:
        found = catalog.meter(meter)
        contract = catalog.contract(found.versions[0].contract_name)
        loaded = [row.astuple() for row in raw_rows(lines, contract)]
        options = CompileOptions(
            customers_table="customer_aliases" if customers is not None else None,
            as_of=AS_OF_PARAMETER if self.binds_as_of else as_of,
            ledger=ledger,  # type: ignore[arg-type]
        )
        queries = [c.sql(pretty=False) for c in compile_meter(catalog, found, self.name, options)]
        cut = None if as_of is None else as_of.astimezone(UTC).replace(tzinfo=None)
        records = self.execute(loaded, dict(customers or {}), queries, cut)
        return to_usage_rows(found, records)

    def execute(
        self,
        events: list[tuple],
        customers: dict[str, str],
        queries: list[str],
        as_of: datetime | None,
    ) -> list[tuple[Any, ...]]:
        """Load `events` and `customers`, run `queries`; `as_of` (naive UTC) is for
        engines that bind it."""
        raise NotImplementedError


class DuckDBTables(SqlEngine):
    """DuckDB with the canonical tables (the warehouse layout, not the JSONL engine)."""

    name = "duckdb"
    binds_as_of = True

    def execute(self, events, customers, queries, as_of):
        import duckdb

        connection = duckdb.connect()
        try:
            connection.execute("SET TimeZone = 'UTC'")
            connection.execute(raw_events_ddl("duckdb"))
            connection.execute(customer_aliases_ddl("duckdb"))
            if events:
                connection.executemany(
                    "INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events
                )
            if customers:
                connection.executemany(
                    "INSERT INTO customer_aliases VALUES (?, ?)", list(customers.items())
                )
            found = []
            for query in queries:
                found += connection.execute(query, {PARAMETER: as_of}).fetchall()
            return found
        finally:
            connection.close()


class Postgres(SqlEngine):
    name = "postgres"

    def __init__(self, connection):
        self.connection = connection

    def execute(self, events, customers, queries, as_of):
        schema = f"govern_test_{uuid.uuid4().hex[:12]}"
        connection = self.connection
        connection.execute(f"CREATE SCHEMA {schema}")
        try:
            connection.execute(f"SET search_path TO {schema}")
            connection.execute(raw_events_ddl("postgres"))
            connection.execute(customer_aliases_ddl("postgres"))
            with connection.cursor().copy("COPY raw_events FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
            with connection.cursor().copy("COPY customer_aliases FROM STDIN") as copy:
                for row in customers.items():
                    copy.write_row(row)
            found = []
            for query in queries:
                found += connection.execute(query).fetchall()
            return found
        finally:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
            connection.execute("SET search_path TO public")


class ClickHouse(SqlEngine):
    name = "clickhouse"

    def __init__(self, session):
        self.session = session

    def execute(self, events, customers, queries, as_of):
        import pyarrow as pa

        database = f"govern_test_{uuid.uuid4().hex[:12]}"
        session = self.session
        session.query(f"CREATE DATABASE {database}")
        try:
            session.query(f"USE {database}")
            session.query(raw_events_ddl("clickhouse"))
            session.query(customer_aliases_ddl("clickhouse"))
            if events:
                columns = list(zip(*events, strict=True))
                table = pa.table(  # noqa: F841 (read by name by the query)
                    {
                        column.name: list(values)
                        for column, values in zip(RAW_COLUMNS, columns, strict=True)
                    }
                )
                # chdb's Python() table function finds `table` among the local variables.
                session.query("INSERT INTO raw_events SELECT * FROM Python(table)")
            if customers:
                aliases = pa.table(  # noqa: F841 (read by name by the query)
                    {
                        ALIAS_COLUMNS[0].name: list(customers),
                        ALIAS_COLUMNS[1].name: list(customers.values()),
                    }
                )
                session.query("INSERT INTO customer_aliases SELECT * FROM Python(aliases)")
            found = []
            for query in queries:
                result = session.query(query, "ArrowTable")
                found += [tuple(row.values()) for row in result.to_pylist()]
            return found
        finally:
            session.query("USE default")
            session.query(f"DROP DATABASE {database}")
