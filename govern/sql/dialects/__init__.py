"""The SQL dialects govern compiles meters to, by name.

Each dialect is one small module: a class that mixes in the quirks it needs (one module
per quirk: `json`, `timezones`, `calendar`, `rounding`, `text`) over the defaults of
`base.Dialect`. DuckDB, PostgreSQL and ClickHouse are executed by the test suite;
Snowflake, BigQuery, Databricks and Trino are generated, kept as golden files and parsed
back by sqlglot.
"""

from __future__ import annotations

from govern.errors import InputError
from govern.sql.dialects.base import Dialect
from govern.sql.dialects.bigquery import BigQuery
from govern.sql.dialects.clickhouse import ClickHouse
from govern.sql.dialects.databricks import Databricks
from govern.sql.dialects.duckdb import DuckDB
from govern.sql.dialects.postgres import Postgres
from govern.sql.dialects.snowflake import Snowflake
from govern.sql.dialects.trino import Trino

DIALECTS: dict[str, Dialect] = {
    dialect.name: dialect
    for dialect in (
        DuckDB(),
        Postgres(),
        ClickHouse(),
        Snowflake(),
        BigQuery(),
        Databricks(),
        Trino(),
    )
}
"""Every dialect, by its name on the command line."""

EXECUTED = tuple(name for name, dialect in DIALECTS.items() if dialect.executed)


def get_dialect(name: str | Dialect) -> Dialect:
    """The dialect called `name` (a Dialect passes through); InputError if unknown."""
    if isinstance(name, Dialect):
        return name
    found = DIALECTS.get(name)
    if found is None:
        raise InputError(f"unknown SQL dialect '{name}' (known: {', '.join(DIALECTS)})")
    return found


__all__ = ["DIALECTS", "EXECUTED", "Dialect", "get_dialect"]
