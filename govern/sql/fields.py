"""What a meter reads, and the typed SQL for it.

A name in a filter, `group_by`, `value` or dedup key is a data field of the contract, or
else an envelope attribute (the rule of `govern.reference.envelope.field_reader`). Data
fields are read once from the JSON `data` into typed columns `d_<name>` of the intake
step; envelope attributes are columns of the raw table.

| contract type | column type | read as |
| --- | --- | --- |
| string, timestamp | text | the JSON string (1) |
| integer | DECIMAL(38, 0) | the JSON number's digits |
| number | DECIMAL(38, working scale) | the JSON number's digits |
| boolean | BOOLEAN | |

(1) Timestamps stay text: they compare as instants only in filters, where the reference
parses them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from govern.catalog.catalog import ENVELOPE_TYPES
from govern.catalog.model import ENVELOPE_ROLES, Contract
from govern.sql.data import DataReader
from govern.sql.dialects.base import Dialect

ENVELOPE_COLUMNS = {"recordedtime": "recorded"}
"""Envelope roles whose intake column has another name (`recorded` is never NULL)."""


@dataclass(frozen=True)
class Field:
    """One name a meter reads: where it lives and its type (None: not in the contract)."""

    name: str
    kind: str | None
    envelope: bool

    @property
    def column(self) -> str:
        if self.envelope:
            return ENVELOPE_COLUMNS.get(self.name, self.name)
        return f"d_{self.name}"

    def ref(self, table: str | None = None) -> exp.Column:
        return exp.column(self.column, table=table)

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "number")


def resolve(contract: Contract, name: str) -> Field:
    """The field `name` of `contract` (data wins over the envelope, as in the reference)."""
    spec = contract.fields.get(name)
    if spec is not None or name not in ENVELOPE_ROLES:
        return Field(name, spec.type if spec else None, envelope=False)
    return Field(name, ENVELOPE_TYPES[name], envelope=True)


JSON_KINDS = {
    "string": "string",
    "timestamp": "string",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
}
"""Contract type -> the JSON type its values have."""


def json_kind(kind: str | None) -> str:
    """The JSON type of a value of contract type `kind` (None, a name the contract lacks:
    read as text)."""
    return JSON_KINDS.get(kind, "string")


def value_scale(field: Field, working_scale: int) -> int:
    """The DECIMAL scale a numeric field is read at."""
    return 0 if field.kind == "integer" else working_scale


def read(field: Field, working_scale: int, data: DataReader) -> exp.Expression:
    """The typed value of data field `field`, NULL when absent, null or of another type."""
    name, kind = field.name, json_kind(field.kind)
    if kind == "string":
        value = data.text(name)
    elif kind == "boolean":
        value = data.boolean(name)
    else:
        value = data.decimal(name, value_scale(field, working_scale))
    return exp.Case(ifs=[exp.If(this=data.is_(name, kind), true=value)])


def sql_type(dialect: Dialect, field: Field, working_scale: int) -> exp.DataType:
    """The SQL type of a field's intake column."""
    if field.numeric:
        return dialect.decimal_type(value_scale(field, working_scale))
    if field.kind == "boolean":
        return dialect.type_("BOOLEAN")
    if field.envelope and field.kind == "timestamp":
        return dialect.type_(dialect.TIMESTAMP)
    return dialect.type_(dialect.TEXT)
