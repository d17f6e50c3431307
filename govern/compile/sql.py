"""Compile target `sql`: every meter version as a query, per warehouse dialect.

`govern compile --target sql --dialect postgres --out DIR` writes `DIR/<meter>__v<N>.sql`
and `DIR/schema.sql` (the raw events and customer alias tables); without `--dialect`,
one folder per dialect. The bundled catalog's files are kept in `tests/golden/sql/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from govern.compile.artifacts import Artifact, Target
from govern.sql.compiler import CompileOptions, compile_meter
from govern.sql.dialects import DIALECTS
from govern.sql.render import file_name, sql_text
from govern.sql.schema import customer_aliases_ddl, raw_events_ddl

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

SCHEMA_FILE = "schema.sql"


def schema_text(dialect: str, options: CompileOptions | None = None) -> str:
    options = options or CompileOptions()
    text = "-- govern: the tables every compiled meter reads (see docs/warehouse.md).\n"
    text += raw_events_ddl(dialect, options.events_table)
    if options.customers_table:
        text += "\n" + customer_aliases_ddl(dialect, options.customers_table)
    return text


def dialect_artifacts(
    catalog: Catalog, dialect: str, folder: str = "", options: CompileOptions | None = None
) -> Iterator[Artifact]:
    """`schema.sql` and `<meter>__v<N>.sql` of every meter version, in one dialect."""
    options = options or CompileOptions()
    base = PurePosixPath(folder) if folder else PurePosixPath()
    yield Artifact(base / SCHEMA_FILE, schema_text(dialect, options))
    for meter in catalog.meters.values():
        for compiled in compile_meter(catalog, meter, dialect, options):
            yield Artifact(base / file_name(compiled), sql_text(compiled, options))


def sql_artifacts(
    catalog: Catalog, dialects: Iterable[str] = tuple(DIALECTS)
) -> Iterator[Artifact]:
    """Every dialect, one folder each."""
    for dialect in dialects:
        yield from dialect_artifacts(catalog, dialect, dialect)


TARGET = Target(
    "sql",
    "SQL of each meter version for a warehouse (--dialect: "
    + ", ".join(DIALECTS)
    + "; default: all, one folder each)",
    sql_artifacts,
    dialect_artifacts,
)
