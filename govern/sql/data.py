"""Where the compiled SQL reads an event's `data` fields from: JSON, or a typed struct.

The raw events table holds `data` as JSON (`JsonData`: each field found, typed and read
through the dialect's JSON functions, `govern.sql.dialects.json`). A table or Parquet
file written from typed records (Avro, a warehouse's typed columns) holds it as a struct
whose fields have SQL types (`StructData`): a field's JSON type is then its column's type,
known before the query runs, and a field is present when it is not NULL. Both answer the
same questions, so validation (`govern.sql.validation`) and typed reads
(`govern.sql.fields`) are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlglot import exp

from govern.sql.dialects.base import Dialect


@dataclass(frozen=True)
class Doc:
    """Where the event's `data` object is: a JSON column, and a path inside it (empty: the
    column is the object; the DuckDB engine keeps whole events and reads `data` inside)."""

    column: exp.Column
    prefix: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    """Every data field the query reads or checks: a dialect that parses the JSON once per
    event into lists (`Dialect.json_prelude`) finds each field at its index here."""
    numbers: tuple[str, ...] = ()
    """The fields among `fields` that are read as numbers."""

    def path(self, name: str | None = None) -> str:
        """A JSON path (`$.data.name`) to the object (no name) or one of its keys."""
        keys = [*self.prefix, *([name] if name else [])]
        return "$" + "".join(f".{key}" for key in keys)


class DataReader(Protocol):
    """The questions the compiler asks of an event's `data`."""

    def prelude(self) -> list[tuple[str, exp.Expression]]:
        """Columns computed once per event before any field is read."""

    def has(self, name: str) -> exp.Expression:
        """Whether `data` has the field `name`."""

    def is_(self, name: str, kind: str) -> exp.Expression:
        """Whether field `name` is a JSON `kind`: string, number, boolean or null."""

    def text(self, name: str) -> exp.Expression:
        """The string field `name` (read only where it is a string)."""

    def decimal(self, name: str, scale: int) -> exp.Expression:
        """The number field `name` as DECIMAL(38, scale), exactly (only where a number)."""

    def number(self, name: str) -> exp.Expression:
        """The number field `name` as an exact SQL number, to compare with DECIMAL
        literals and truncate (only where a number)."""

    def boolean(self, name: str) -> exp.Expression:
        """The boolean field `name` (read only where it is a boolean)."""

    def is_object(self) -> exp.Expression:
        """Whether `data` is an object."""

    def keys_within(self, names: list[str]) -> exp.Expression:
        """Whether every field `data` has is one of `names`."""

    def number_guard(self, name: str) -> exp.Expression | None:
        """A condition that must hold for `decimal` to be exact, or None."""


@dataclass(frozen=True)
class JsonData:
    """`data` as JSON text, read with the dialect's JSON functions."""

    dialect: Dialect
    doc: Doc

    def prelude(self):
        return self.dialect.json_prelude(self.doc)

    def has(self, name):
        return self.dialect.json_has(self.doc, name)

    def is_(self, name, kind):
        return self.dialect.json_is(self.doc, name, kind)

    def text(self, name):
        return self.dialect.json_text(self.doc, name)

    def decimal(self, name, scale):
        return self.dialect.json_decimal(self.doc, name, scale)

    def number(self, name):
        return self.decimal(name, 18)

    def boolean(self, name):
        return self.dialect.json_boolean(self.doc, name)

    def is_object(self):
        return self.dialect.json_is_object(self.doc)

    def keys_within(self, names):
        return self.dialect.json_keys_within(self.doc, names)

    def number_guard(self, name):
        return self.dialect.number_guard(self.doc, name)


@dataclass(frozen=True)
class StructData:
    """`data` as a struct column: `kinds` gives each of its fields' JSON type (string,
    number, boolean; `other` for a type no contract field has). NULL is absence: a struct
    cannot tell a field set to JSON null from a missing one, so a null is read as missing."""

    dialect: Dialect
    column: exp.Column
    kinds: Mapping[str, str]

    def _field(self, name: str) -> exp.Expression:
        return exp.Dot(this=self.column.copy(), expression=exp.to_identifier(name))

    def _present(self, name: str) -> exp.Expression:
        return exp.Not(this=exp.Is(this=self._field(name), expression=exp.null()))

    def prelude(self):
        return []

    def has(self, name):
        return self._present(name) if name in self.kinds else exp.false()

    def is_(self, name, kind):
        return self._present(name) if self.kinds.get(name) == kind else exp.false()

    def text(self, name):
        return self._field(name)

    def decimal(self, name, scale):
        return self.dialect.cast(self._field(name), self.dialect.decimal_type(scale))

    def number(self, name):
        return self._field(name)  # an integer or DECIMAL: compared as it is, exactly

    def boolean(self, name):
        return self._field(name)

    def is_object(self):
        return exp.Not(this=exp.Is(this=self.column.copy(), expression=exp.null()))

    def keys_within(self, names):
        strays = [name for name in self.kinds if name not in names]
        absent = [exp.Is(this=self._field(name), expression=exp.null()) for name in strays]
        return exp.and_(*absent, copy=False) if absent else exp.true()

    def number_guard(self, name):
        return None  # a struct's decimals are exact; an overflowing cast fails the query
