"""The dialect base: what every warehouse shares, as sqlglot expressions.

A dialect is a subclass that sets class-level attributes (its sqlglot name, its types)
and mixes in the quirk classes it needs (`json`, `timezones`, `calendar`, `rounding`,
`text`), each overriding only what differs from the defaults here. The compiler builds
the whole query from these methods and lets sqlglot write it in the dialect's syntax.

Timestamps inside the compiled SQL are *naive UTC* values (`TIMESTAMP` without a zone,
holding UTC); the raw events table holds instants in the dialect's instant type, and
`utc()` converts once, at the top of the query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect as SqlglotDialect

from govern.sql.errors import UnsupportedError

sqlglot_dialect = SqlglotDialect.get_or_raise

MAX_PRECISION = 38
"""The widest DECIMAL every supported warehouse has."""


def lit(value: str | int | Decimal) -> exp.Expression:
    """A SQL literal: text for `str`, a number otherwise."""
    if isinstance(value, str):
        return exp.Literal.string(value)
    return exp.Literal.number(str(value))


def call(name: str, *args: exp.Expression) -> exp.Expression:
    """A call of a function sqlglot does not model: written as named, in every dialect."""
    return exp.Anonymous(this=name, expressions=list(args))


def is_null(value: exp.Expression) -> exp.Expression:
    return exp.Is(this=value, expression=exp.null())


def not_null(value: exp.Expression) -> exp.Expression:
    return exp.Not(this=is_null(value))


class Dialect:
    """Defaults shared by the dialects; every method returns a sqlglot expression."""

    name: ClassVar[str]
    """The dialect's name in govern (`govern compile --target sql --dialect NAME`)."""
    sqlglot: ClassVar[str]
    """sqlglot's name for it."""
    title: ClassVar[str]
    """How people write its name."""
    executed: ClassVar[bool] = False
    """Whether the test suite runs its SQL (else: generated, golden, parsed back)."""

    INSTANT: ClassVar[str] = "TIMESTAMPTZ"
    """Type of `time` and `recordedtime` in the raw events table: an instant."""
    TIMESTAMP: ClassVar[str] = "TIMESTAMP"
    """Type of naive UTC timestamps inside the query."""
    JSON: ClassVar[str] = "JSON"
    """Type of `data` in the raw events table."""
    TEXT: ClassVar[str] = "VARCHAR"
    BIGINT: ClassVar[str] = "BIGINT"
    VOIDS_BY_WINDOW: ClassVar[bool] = False
    """When each event is voided: a window over the winners instead of a join to the
    voids (no second read of the winners, which ClickHouse would plan twice)."""

    def __repr__(self) -> str:
        return f"<dialect {self.name}>"

    def key_hash(self, key: list[exp.Expression]) -> exp.Expression | None:
        """A hash of a dedup key, where ranking only the events whose hash another event
        shares is cheaper than ranking every event (`govern.sql.dedup`); None: rank all."""
        return None

    # ---------------------------------------------------------------- types

    def type_(self, text: str) -> exp.DataType:
        return exp.DataType.build(text, dialect=self.sqlglot)

    def decimal_type(self, scale: int) -> exp.DataType:
        return self.type_(f"DECIMAL({MAX_PRECISION}, {scale})")

    def cast(self, expression: exp.Expression, to: str | exp.DataType) -> exp.Expression:
        target = self.type_(to) if isinstance(to, str) else to
        return exp.Cast(this=expression, to=target)

    # ---------------------------------------------------------------- literals

    def decimal_literal(self, value: Decimal, scale: int | None = None) -> exp.Expression:
        """An exact decimal constant, typed DECIMAL(38, scale) (never a float literal)."""
        text = format(value, "f")
        if scale is None:
            scale = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
        return self.cast(lit(text), self.decimal_type(scale))

    def timestamp_literal(self, moment: datetime) -> exp.Expression:
        """A naive UTC timestamp constant for an aware `moment`."""
        from datetime import UTC

        naive = moment.astimezone(UTC).replace(tzinfo=None)
        text = naive.isoformat(sep=" ", timespec="microseconds")
        return self.cast(lit(text), self.TIMESTAMP)

    def interval(self, amount: int | str, unit: str) -> exp.Interval:
        return exp.Interval(this=lit(str(amount)), unit=exp.var(unit))

    def placeholder(self, name: str) -> exp.Expression:
        """A named query parameter in the dialect's own style."""
        return exp.Placeholder(this=name)

    def order(
        self, expression: exp.Expression, desc: bool = False, nulls_last: bool | None = None
    ) -> exp.Ordered:
        """`expression` in an ORDER BY; NULLs placed as asked, else as the dialect does by
        itself (so that no NULLS FIRST/LAST is written for columns that are never NULL)."""
        if nulls_last is None:
            ordering = sqlglot_dialect(self.sqlglot).NULL_ORDERING
            nulls_first = (ordering == "nulls_are_small") != desc and ordering != "nulls_are_last"
        else:
            nulls_first = not nulls_last
        return exp.Ordered(this=expression, desc=desc, nulls_first=nulls_first)

    # ---------------------------------------------------------------- conditions

    def null_safe_eq(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return exp.NullSafeEQ(this=left, expression=right)

    def unsupported(self, construct: str, where: str | None = None) -> UnsupportedError:
        return UnsupportedError(self.title, construct, where)

    # ---------------------------------------------------------------- time (see mixins)

    def utc(self, instant: exp.Expression) -> exp.Expression:
        """An instant from the raw table as a naive UTC timestamp."""
        raise NotImplementedError

    def wall(self, naive_utc: exp.Expression, zone: str) -> exp.Expression:
        """The wall-clock reading of `zone` at a naive UTC timestamp, naive."""
        raise NotImplementedError

    def truncate(self, unit: str, naive: exp.Expression) -> exp.Expression:
        """The start of the hour, day or month of a naive timestamp."""
        return exp.TimestampTrunc(this=naive, unit=exp.var(unit.upper()))

    def add(self, naive: exp.Expression, amount: int, unit: str) -> exp.Expression:
        """`naive` plus a constant number of calendar units (no zone involved)."""
        if amount < 0:
            return exp.Sub(this=naive, expression=self.interval(-amount, unit.upper()))
        return exp.Add(this=naive, expression=self.interval(amount, unit.upper()))

    def add_duration(self, naive: exp.Expression, delta: timedelta) -> exp.Expression:
        """`naive` plus a fixed duration, in seconds and microseconds."""
        micros = delta // timedelta(microseconds=1)
        if micros == 0:
            return naive
        sign, micros = (1, micros) if micros > 0 else (-1, -micros)
        seconds, rest = divmod(micros, 1_000_000)
        result = naive
        for amount, unit in ((seconds, "SECOND"), (rest, "MICROSECOND")):
            if amount:
                result = self.add(result, sign * amount, unit)
        return result

    def add_seconds(self, naive: exp.Expression, seconds: exp.Expression) -> exp.Expression:
        """`naive` plus a computed whole number of seconds."""
        return exp.DateAdd(this=naive, expression=seconds, unit=exp.var("SECOND"))

    def seconds_between(self, later: exp.Expression, earlier: exp.Expression) -> exp.Expression:
        """Whole seconds from `earlier` to `later` (both naive, whole seconds apart)."""
        return exp.DateDiff(this=later, expression=earlier, unit=exp.var("SECOND"))

    def parse_timestamp(self, text: exp.Expression) -> exp.Expression:
        """An RFC 3339 text (validated elsewhere) as a naive UTC timestamp, microseconds
        truncated like the reference; NULL when it does not parse."""
        raise NotImplementedError

    # ---------------------------------------------------------------- decimals (mixin)

    def round_decimal(
        self, value: exp.Expression, scale: int, mode: str, working_scale: int
    ) -> exp.Expression:
        raise NotImplementedError

    # ---------------------------------------------------------------- text (mixin)

    def like(self, text: exp.Expression, pattern: exp.Expression) -> exp.Expression:
        raise NotImplementedError

    def binary(self, text: exp.Expression) -> exp.Expression:
        """`text` compared and sorted by code point (a collation where the default isn't)."""
        return text

    def text_length(self, text: exp.Expression) -> exp.Expression:
        """Length in characters (Unicode code points)."""
        return exp.Length(this=text)

    def regex_search(self, text: exp.Expression, pattern: str) -> exp.Expression:
        """Whether `pattern` matches somewhere in `text` (JSON Schema `pattern`)."""
        return exp.RegexpLike(this=text, expression=lit(pattern))

    # ---------------------------------------------------------------- JSON (mixin)
    # `data` is a `govern.sql.fields.Doc`: the JSON column and the path of the object in it.

    def json_prelude(self, data) -> list[tuple[str, exp.Expression]]:
        """Columns computed once per event before any field is read (none by default)."""
        return []

    def plain(self, data) -> exp.Expression:
        """The JSON column of `data`, which must be the object itself (no path)."""
        if isinstance(data, exp.Expression):
            return data
        if data.prefix:
            raise self.unsupported("event data at a path inside the data column")
        return data.column

    def json_has(self, data: exp.Expression, name: str) -> exp.Expression:
        """Whether the object `data` has the key `name` (its value may be null)."""
        raise NotImplementedError

    def json_is(self, data: exp.Expression, name: str, kind: str) -> exp.Expression:
        """Whether `data.name` is a JSON `kind`: string, number, boolean, null or object."""
        raise NotImplementedError

    def json_text(self, data: exp.Expression, name: str) -> exp.Expression:
        """The string `data.name`, unescaped (call only where it is a string)."""
        raise NotImplementedError

    def json_decimal(self, data: exp.Expression, name: str, scale: int) -> exp.Expression:
        """The number `data.name` as DECIMAL(38, scale), read exactly from its JSON text
        (call only where it is a number)."""
        raise NotImplementedError

    def json_boolean(self, data: exp.Expression, name: str) -> exp.Expression:
        raise NotImplementedError

    def json_is_object(self, data: exp.Expression) -> exp.Expression:
        raise NotImplementedError

    def json_keys_within(self, data: exp.Expression, names: list[str]) -> exp.Expression:
        """Whether every key of the object `data` is one of `names`."""
        raise NotImplementedError

    def number_guard(self, data: exp.Expression, name: str) -> exp.Expression | None:
        """A condition that must hold for `json_decimal` to be exact, or None."""
        return None

    # ---------------------------------------------------------------- query settings

    def finish(self, query: exp.Query) -> exp.Query:
        """Last touches on the whole statement (e.g. settings a dialect needs)."""
        return query
