"""Temporary tables and views of the DuckDB engine's connection, built through sqlglot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
from sqlglot import exp

DIALECT = "duckdb"


def create_table(
    connection: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str]
) -> None:
    """CREATE OR REPLACE TEMPORARY TABLE `name` with `columns` (name -> DuckDB type)."""
    schema = exp.Schema(
        this=exp.to_table(name),
        expressions=[
            exp.ColumnDef(this=exp.to_identifier(column), kind=exp.DataType.build(kind, DIALECT))
            for column, kind in columns.items()
        ],
    )
    _create(connection, schema, "TABLE")


def create_temporary(
    connection: duckdb.DuckDBPyConnection,
    kind: str,
    name: str,
    query: exp.Query,
    parameters: Mapping[str, Any] | None = None,
) -> None:
    """CREATE OR REPLACE TEMPORARY `kind` (TABLE or VIEW) `name` AS `query`."""
    _create(connection, exp.to_table(name), kind, query, parameters)


def drop_table(connection: duckdb.DuckDBPyConnection, name: str) -> None:
    """DROP TABLE `name` (a temporary table made here)."""
    connection.execute(exp.Drop(tables=[exp.to_table(name)], kind="TABLE").sql(dialect=DIALECT))


def _create(
    connection: duckdb.DuckDBPyConnection,
    this: exp.Expression,
    kind: str,
    query: exp.Query | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> None:
    create = exp.Create(
        this=this,
        kind=kind,
        expression=query,
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )
    connection.execute(create.sql(dialect=DIALECT), parameters)
