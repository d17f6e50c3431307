"""A meter filter (the safe subset of `govern.catalog.filters`) as a typed SQL condition.

It keeps the reference's meaning (`govern.reference.filter_eval`), not just its text:

- field names become the typed intake columns; a missing field is NULL, so SQL's
  three-valued logic is the reference's;
- numbers are exact DECIMALs, literals included (`0.5` is `CAST('0.5' AS DECIMAL(38, 1))`,
  never a float);
- where either side of a comparison is a timestamp, both are instants: text fields are
  parsed, literals are parsed here (an unreadable one is NULL, as in the reference);
- text compares by code point (`COLLATE "C"` in PostgreSQL); LIKE has no escape character;
- `%` is the remainder of integers with the dividend's sign; a zero divisor gives NULL.

Division is refused (`UnsupportedError`): the reference divides to 38 significant digits,
and no two warehouses agree on the precision of a decimal quotient. So is `%` on numbers
with a fraction (DuckDB and ClickHouse compute it through a double or truncate it).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlglot import exp

from govern.sql.dialects.base import Dialect
from govern.sql.fields import Field
from govern.timestamps import parse_rfc3339

Resolve = Callable[[str], Field]

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_ORDERING = (exp.GT, exp.GTE, exp.LT, exp.LTE)


class Typed:
    """A translated operand: its SQL and its type (`string`, `integer`, `number`,
    `boolean`, `timestamp`, `null`, or `condition`)."""

    __slots__ = ("kind", "sql", "text_timestamp")

    def __init__(self, sql: exp.Expression, kind: str | None, text_timestamp: bool = False):
        self.sql, self.kind = sql, kind
        self.text_timestamp = text_timestamp
        """A timestamp held as text (a data field, or a string literal): parse to compare."""


class FilterSQL:
    """Translates filters of one meter version for one dialect."""

    def __init__(self, dialect: Dialect, resolve: Resolve, where: str):
        self.dialect = dialect
        self.resolve = resolve
        self.where = where

    def condition(self, node: exp.Expression) -> exp.Expression:
        return self.translate(node).sql

    def translate(self, node: exp.Expression) -> Typed:
        dialect = self.dialect
        if isinstance(node, exp.Paren):
            inner = self.translate(node.this)
            return Typed(exp.Paren(this=inner.sql), inner.kind, inner.text_timestamp)
        if isinstance(node, exp.Column):
            field = self.resolve(node.name)
            if field.kind is None:
                return Typed(exp.null(), "null")
            text_timestamp = field.kind == "timestamp" and not field.envelope
            return Typed(field.ref(), field.kind, text_timestamp)
        if isinstance(node, exp.Literal):
            if node.is_string:
                return Typed(exp.Literal.string(node.this), "string")
            value = Decimal(node.this)
            kind = (
                "integer"
                if value == value.to_integral_value() and "." not in node.this
                else "number"
            )
            return Typed(dialect.decimal_literal(value), kind)
        if isinstance(node, exp.Boolean):
            return Typed(exp.Boolean(this=bool(node.this)), "boolean")
        if isinstance(node, exp.Null):
            return Typed(exp.null(), "null")
        if isinstance(node, (exp.And, exp.Or)):
            left, right = self.condition(node.this), self.condition(node.expression)
            return Typed(type(node)(this=left, expression=right), "condition")
        if isinstance(node, exp.Not):
            return Typed(exp.Not(this=self.condition(node.this)), "condition")
        if isinstance(node, exp.Is):
            target = node.expression
            copy = (
                exp.null() if isinstance(target, exp.Null) else exp.Boolean(this=bool(target.this))
            )
            return Typed(exp.Is(this=self.translate(node.this).sql, expression=copy), "condition")
        if isinstance(node, _COMPARISONS):
            left, (right,) = self.operands(node.this, [node.expression], type(node) in _ORDERING)
            return Typed(type(node)(this=left, expression=right), "condition")
        if isinstance(node, exp.In):
            left, items = self.operands(node.this, node.expressions, ordering=False)
            return Typed(exp.In(this=left, expressions=items), "condition")
        if isinstance(node, exp.Between):
            bounds = [node.args["low"], node.args["high"]]
            left, (low, high) = self.operands(node.this, bounds, ordering=True)
            return Typed(exp.Between(this=left, low=low, high=high), "condition")
        if isinstance(node, exp.Like):
            text, pattern = self.translate(node.this), self.translate(node.expression)
            like = dialect.like(text.sql, pattern.sql)
            return Typed(exp.Not(this=like) if node.args.get("negate") else like, "condition")
        if isinstance(node, exp.Neg):
            inner = self.translate(node.this)
            return Typed(exp.Neg(this=inner.sql), inner.kind)
        if isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
            left, right = self.translate(node.this), self.translate(node.expression)
            kind = "integer" if left.kind == right.kind == "integer" else "number"
            return Typed(type(node)(this=left.sql, expression=right.sql), kind)
        if isinstance(node, exp.Mod):
            return self.remainder(node)
        if isinstance(node, exp.Div):
            raise dialect.unsupported(
                "division in a filter (the precision of a decimal quotient differs between "
                "engines)",
                self.where,
            )
        raise dialect.unsupported(f"{node.key.upper()} in a filter", self.where)

    def operands(
        self, left: exp.Expression, rights: list[exp.Expression], ordering: bool
    ) -> tuple[exp.Expression, list[exp.Expression]]:
        """Both sides of a comparison: as instants when either side is a timestamp, in
        code-point order when text is ordered."""
        sides = [self.translate(node) for node in (left, *rights)]
        if any(side.kind == "timestamp" for side in sides):
            converted = [self.instant(side) for side in sides]
        elif ordering and any(side.kind == "string" for side in sides):
            converted = [
                self.dialect.binary(side.sql) if side.kind == "string" else side.sql
                for side in sides
            ]
        else:
            converted = [side.sql for side in sides]
        return converted[0], converted[1:]

    def instant(self, side: Typed) -> exp.Expression:
        if side.kind == "string" and isinstance(side.sql, exp.Literal):
            try:
                return self.dialect.timestamp_literal(parse_rfc3339(side.sql.this))
            except ValueError:
                return exp.null()
        if side.text_timestamp or side.kind == "string":
            return self.dialect.parse_timestamp(side.sql)
        return side.sql

    def remainder(self, node: exp.Mod) -> Typed:
        left, right = self.translate(node.this), self.translate(node.expression)
        if {left.kind, right.kind} - {"integer", "null"}:
            raise self.dialect.unsupported(
                "% on numbers with a fraction (only integers have an exact remainder in every "
                "engine)",
                self.where,
            )
        bigint = self.dialect.BIGINT
        divisor = exp.func("NULLIF", self.dialect.cast(right.sql, bigint), exp.Literal.number(0))
        return Typed(
            exp.Mod(this=self.dialect.cast(left.sql, bigint), expression=divisor), "integer"
        )
