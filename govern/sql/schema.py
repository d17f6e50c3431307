"""The canonical raw events table, and the customer alias table, with DDL per dialect.

Every compiled meter reads one table of raw events, loaded as they arrived:

| column | type | meaning |
| --- | --- | --- |
| `id` | text | CloudEvents `id`, unique within `source` |
| `source` | text | the emitter |
| `type` | text | the event type: the contract's name |
| `subject` | text | the customer as the product knows it |
| `time` | instant | event time (UTC) |
| `recordedtime` | instant, nullable | when the pipeline recorded it; NULL = at `time` |
| `dataschema` | text, nullable | the contract version the event claims |
| `voids` | text, nullable | id (same source) of the event this one cancels |
| `data` | JSON, nullable | the properties (a void may have none) |
| `seq` | bigint | ingestion order (e.g. a Kafka offset): breaks exact ties only |

Events of every type share the table; a contract that maps envelope roles to other paths
is loaded into these columns by the load step. The alias table maps `subject` to
`customer` (one row per subject).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from govern.sql.dialects import Dialect, get_dialect

RAW_EVENTS = "raw_events"
CUSTOMER_ALIASES = "customer_aliases"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    """`text`, `instant`, `json` or `bigint`: the dialect picks the type."""
    nullable: bool
    description: str


RAW_COLUMNS = (
    Column("id", "text", False, "CloudEvents id, unique within source"),
    Column("source", "text", False, "the emitter of the event"),
    Column("type", "text", False, "the event type: the contract's name"),
    Column("subject", "text", False, "the customer as the product knows it"),
    Column("time", "instant", False, "event time"),
    Column("recordedtime", "instant", True, "when the pipeline recorded it; NULL = at time"),
    Column("dataschema", "text", True, "the contract version the event claims"),
    Column("voids", "text", True, "id (same source) of the event this one cancels"),
    Column("data", "json", True, "the properties; a void may have none"),
    Column("seq", "bigint", False, "ingestion order (e.g. a Kafka offset); breaks exact ties"),
)

ALIAS_COLUMNS = (
    Column("subject", "text", False, "the subject of events"),
    Column("customer", "text", False, "the customer it belongs to"),
)


def column_type(dialect: Dialect, column: Column) -> exp.DataType:
    text = {
        "text": dialect.TEXT,
        "instant": dialect.INSTANT,
        "json": dialect.JSON,
        "bigint": dialect.BIGINT,
    }[column.kind]
    if dialect.name == "clickhouse" and column.nullable:
        text = f"Nullable({text})"
    return dialect.type_(text)


def _create(dialect: Dialect, table: str, columns: tuple[Column, ...], order: list[str]) -> str:
    definitions = []
    for column in columns:
        constraints = []
        if not column.nullable and dialect.name != "clickhouse":
            constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
        definitions.append(
            exp.ColumnDef(
                this=exp.to_identifier(column.name),
                kind=column_type(dialect, column),
                constraints=constraints,
            )
        )
    properties = None
    if dialect.name == "clickhouse":
        properties = exp.Properties(
            expressions=[
                exp.EngineProperty(this=exp.var("MergeTree")),
                exp.Order(
                    expressions=[
                        exp.Ordered(this=exp.Tuple(expressions=[exp.column(c) for c in order]))
                    ]
                ),
            ]
        )
    create = exp.Create(
        this=exp.Schema(this=exp.to_table(table), expressions=definitions),
        kind="TABLE",
        exists=True,
        properties=properties,
    )
    return create.sql(dialect=dialect.sqlglot, pretty=True) + ";\n"


def raw_events_ddl(dialect: str | Dialect, table: str = RAW_EVENTS) -> str:
    """`CREATE TABLE IF NOT EXISTS` for the raw events table in `dialect`."""
    return _create(get_dialect(dialect), table, RAW_COLUMNS, ["type", "source", "id"])


def customer_aliases_ddl(dialect: str | Dialect, table: str = CUSTOMER_ALIASES) -> str:
    """`CREATE TABLE IF NOT EXISTS` for the customer alias table in `dialect`."""
    return _create(get_dialect(dialect), table, ALIAS_COLUMNS, ["subject"])
