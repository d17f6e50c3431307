"""Parquet input of the DuckDB engine: files in the raw events table's layout.

`data` is either JSON text (the canonical table) or a struct of typed fields, as a
pipeline writes events from their Avro schema or a warehouse from typed columns. A
struct's field types are checked against the contract before the query runs: a string
field must be VARCHAR, an integer or number field an integer or DECIMAL type (scale at
most 18: numbers are summed as DECIMAL(38, 18); never a float, which is not exact), a
boolean field BOOLEAN, a timestamp field VARCHAR holding RFC 3339 text. A required field
of the latest contract version must be in the struct. A field that is not in the
contract may be there, and makes an event invalid when it is not NULL, as an extra key
does in JSON. A struct has no JSON null: NULL is a missing field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb
from sqlglot import exp

from govern.catalog.model import Contract
from govern.errors import InputError
from govern.sql.fields import json_kind
from govern.sql.schema import RAW_COLUMNS, RAW_EVENTS

DIALECT = "duckdb"

_INTEGERS = ("tinyint", "smallint", "integer", "bigint", "hugeint")
_INTEGERS += tuple(f"u{name}" for name in _INTEGERS)
_KIND_OF = {"varchar": "string", "boolean": "boolean", **dict.fromkeys(_INTEGERS, "number")}
_SQL_OF = {"string": "VARCHAR", "number": "an integer type or DECIMAL", "boolean": "BOOLEAN"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
MAX_SCALE = 18


def _kind(sql_type: duckdb.typing.DuckDBPyType) -> str | None:
    """The JSON type a struct field of `sql_type` holds; None for any other SQL type."""
    if sql_type.id == "decimal":
        scale = _DECIMAL.fullmatch(str(sql_type).replace(" ", ""))
        return "number" if scale and int(scale.group(2)) <= MAX_SCALE else None
    return _KIND_OF.get(sql_type.id)


def struct_kinds(
    path: Path, data_type: duckdb.typing.DuckDBPyType, versions: Iterable[Contract]
) -> tuple[tuple[str, str], ...]:
    """The fields of a struct `data` column and their JSON types (`other` for a field
    the contract lacks, of a type no contract field could have); InputError where a field
    does not fit the contract."""
    kinds = {name: _kind(sql_type) or "other" for name, sql_type in data_type.children}
    types = dict(data_type.children)
    versions = list(versions)
    for contract in versions:
        for name, spec in contract.fields.items():
            expected = json_kind(spec.type)
            if name in kinds and kinds[name] != expected:
                raise InputError(
                    f"{path}: data.{name} is {types[name]} in the Parquet file, but "
                    f"{contract.ref} has it as {spec.type} ({_SQL_OF[expected]} expected; "
                    f"decimals at most {MAX_SCALE} places)"
                )
    latest = versions[-1]
    missing = [n for n, spec in latest.fields.items() if spec.required and n not in kinds]
    if missing:
        raise InputError(
            f"{path}: the data struct lacks required fields of {latest.ref}: {', '.join(missing)}"
        )
    return tuple(kinds.items())


def load_parquet(
    connection: duckdb.DuckDBPyConnection, paths: list[Path], versions: Iterable[Contract]
) -> tuple[int, tuple[tuple[str, str], ...] | None]:
    """A view over Parquet files in the raw table's layout (`seq` from file order if
    absent): the events read, and the struct fields of `data` (None: JSON text)."""
    files = [str(p) for p in paths]
    found = connection.sql("SELECT * FROM read_parquet(?)", params=[files])
    types = dict(zip(found.columns, found.types, strict=True))
    columns = [c.name for c in RAW_COLUMNS if c.name != "seq"]
    missing = [c for c in columns if c not in types]
    if missing:
        raise InputError(f"{files[0]}: Parquet file lacks raw event columns {', '.join(missing)}")
    struct = None
    casts = {"time": "TIMESTAMPTZ", "recordedtime": "TIMESTAMPTZ", "data": "VARCHAR"}
    if types["data"].id == "struct":
        struct = struct_kinds(paths[0], types["data"], versions)
        del casts["data"]
    listed = [
        exp.cast(exp.column(c), casts[c]).as_(c) if c in casts else exp.column(c) for c in columns
    ]
    if "seq" in types:
        select = exp.select(*listed, "seq").from_("read_parquet($files)")
    else:
        order = exp.Order(expressions=[exp.column("file_index"), exp.column("file_row_number")])
        rank = exp.Window(this=exp.RowNumber(), order=order)
        seq = exp.Sub(this=rank, expression=exp.Literal.number(1))
        files_read = exp.select("*", "list_position($files, filename) AS file_index").from_(
            "read_parquet($files, filename = true, file_row_number = true)"
        )
        select = exp.select(*listed, seq.as_("seq")).from_(files_read.subquery())
    relation = connection.sql(select.sql(dialect=DIALECT), params={"files": files})
    relation.create_view(RAW_EVENTS, replace=True)
    count = exp.select(exp.Count(this=exp.Star())).from_(RAW_EVENTS)
    read = connection.execute(count.sql(dialect=DIALECT)).fetchone()[0]
    return read, struct
