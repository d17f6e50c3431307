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

A row has no raw line to quarantine: `parquet_lines` writes the rows an exceptions list
needs as the JSON events they stand for, located by file and row, for the reference
aggregator to explain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import msgspec
from sqlglot import exp

from govern.catalog.model import Contract
from govern.compile.layout import event_layout
from govern.errors import InputError
from govern.events.reader import RawLine
from govern.sql.fields import json_kind
from govern.sql.schema import RAW_COLUMNS, RAW_EVENTS
from govern.timestamps import format_utc

DIALECT = "duckdb"

_INTEGERS = ("tinyint", "smallint", "integer", "bigint", "hugeint")
_INTEGERS += tuple(f"u{name}" for name in _INTEGERS)
_KIND_OF = {"varchar": "string", "boolean": "boolean", **dict.fromkeys(_INTEGERS, "number")}
_SQL_OF = {"string": "VARCHAR", "number": "an integer type or DECIMAL", "boolean": "BOOLEAN"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
MAX_SCALE = 18
_COLUMNS = [c.name for c in RAW_COLUMNS if c.name != "seq"]
"""The raw table's columns a Parquet file must have (`seq` may come from file order)."""
PARQUET_ROWS = "parquet_rows"
"""The rows of `RAW_EVENTS`, with the file (`file`) and the row in it (`file_row`, from 1)
each came from."""


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
    missing = [c for c in _COLUMNS if c not in types]
    if missing:
        raise InputError(f"{files[0]}: Parquet file lacks raw event columns {', '.join(missing)}")
    struct = None
    casts = {"time": "TIMESTAMPTZ", "recordedtime": "TIMESTAMPTZ", "data": "VARCHAR"}
    if types["data"].id == "struct":
        struct = struct_kinds(paths[0], types["data"], versions)
        del casts["data"]
    listed = [
        exp.cast(exp.column(c), casts[c]).as_(c) if c in casts else exp.column(c) for c in _COLUMNS
    ]
    origin = [
        exp.column("filename").as_("file"),
        exp.Add(this=exp.column("file_row_number"), expression=exp.Literal.number(1)).as_(
            "file_row"
        ),
    ]
    files_read = "read_parquet($files, filename = true, file_row_number = true)"
    if "seq" in types:
        select = exp.select(*listed, "seq", *origin).from_(files_read)
    else:
        order = exp.Order(expressions=[exp.column("file_index"), exp.column("file_row_number")])
        rank = exp.Window(this=exp.RowNumber(), order=order)
        seq = exp.Sub(this=rank, expression=exp.Literal.number(1))
        numbered = exp.select("*", "list_position($files, filename) AS file_index").from_(
            files_read
        )
        select = exp.select(*listed, seq.as_("seq"), *origin).from_(numbered.subquery())
    relation = connection.sql(select.sql(dialect=DIALECT), params={"files": files})
    relation.create_view(PARQUET_ROWS, replace=True)
    raw = exp.select(*_COLUMNS, "seq").from_(PARQUET_ROWS)
    connection.sql(raw.sql(dialect=DIALECT)).create_view(RAW_EVENTS, replace=True)
    count = exp.select(exp.Count(this=exp.Star())).from_(RAW_EVENTS)
    read = connection.execute(count.sql(dialect=DIALECT)).fetchone()[0]
    return read, struct


def parquet_lines(
    connection: duckdb.DuckDBPyConnection, contract: Contract, seqs: Iterable[int]
) -> list[RawLine]:
    """The loaded rows `seqs`, in seq order, each as the JSON event of `contract` it stands
    for (roles at the contract's envelope paths, `specversion` 1.0, NULLs absent), located
    by its Parquet file and row."""
    wanted = exp.func("list_contains", exp.Placeholder(this="seqs"), exp.column("seq"))
    query = (
        exp.select("seq", "file", "file_row", *_COLUMNS)
        .from_(PARQUET_ROWS)
        .where(wanted)
        .order_by("seq")
    )
    found = connection.execute(query.sql(dialect=DIALECT), {"seqs": sorted(seqs)}).fetchall()
    roles = event_layout(contract).roles
    lines = []
    for seq, file, row, *values in found:
        event: dict[str, Any] = {}
        for role, value in (("specversion", "1.0"), *zip(_COLUMNS, values, strict=True)):
            if role in roles and value is not None:
                _place(event, roles[role], _json_value(role, value))
        lines.append(RawLine(seq, file, row, _encode(event)))
    return lines


_encode = msgspec.json.Encoder(decimal_format="number").encode


def _json_value(role: str, value: Any) -> Any:
    """A column's value as the event holds it: instants as RFC 3339 UTC text, a struct
    `data` without its NULL (missing) fields and with its decimals in their shortest form
    (`700`, not `700.000000000000000000`), JSON text `data` as it is."""
    if role in ("time", "recordedtime"):
        return format_utc(value)
    if role == "data":
        if isinstance(value, dict):
            return {name: _shortest(field) for name, field in value.items() if field is not None}
        return msgspec.Raw(value.encode())
    return value


def _shortest(value: Any) -> Any:
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else value.normalize()


def _place(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Sets `value` at `path` in `event`, making the objects on the way."""
    *parents, name = path
    for parent in parents:
        event = event.setdefault(parent, {})
    event[name] = value
