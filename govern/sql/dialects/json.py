"""Quirk: reading typed values out of the JSON `data` column, exactly.

The trap is numbers. Most JSON readers parse a number into a binary double, so
`0.12345678901234567891` comes back as `0.12345678901234568`. Each dialect here reads a
number from its JSON *text* into a DECIMAL, never through a float:

- DuckDB: `json_transform_strict(data, '{"f": "DECIMAL(38,18)"}')` reads the digits
  exactly and fails on overflow (its `->>` and `json_extract_string` go through a double).
- PostgreSQL: `jsonb` keeps numbers as `numeric`; `data ->> 'f'` is the exact text.
- ClickHouse: every JSON function parses numbers as doubles, so the number's raw text is
  cut out with `simpleJSONExtractRaw` and checked: the key occurs once, and the text
  parses to the same double the JSON parser saw. An event that fails the check stops the
  query with an error (`throwIf`) instead of being counted wrong; so does an overflow.
- Snowflake (`VARIANT`), BigQuery (`JSON`), Spark (`from_json` with a DECIMAL schema) and
  Trino (`CAST(json AS DECIMAL)`) keep or parse numbers as decimals.
"""

from __future__ import annotations

import json
from typing import ClassVar

from sqlglot import exp

from govern.sql.dialects.base import Dialect, call, lit

KINDS = ("string", "number", "boolean", "null", "object")


def _json_path(name: str) -> exp.JSONPath:
    return exp.JSONPath(expressions=[exp.JSONPathRoot(), exp.JSONPathKey(this=name)])


def _in(value: exp.Expression, options: list[str]) -> exp.Expression:
    return exp.In(this=value, expressions=[lit(option) for option in options])


class DuckDBJson(Dialect):
    """Paths reach into nested objects, so `data` may sit inside a whole event. Every JSON
    function parses the document again, so when the fields are known (`Doc.fields`) each
    event is parsed three times in all, in a prelude: the types of the object and of every
    field, the keys, and the values (one `json_transform` to a struct: strings as text,
    numbers as DECIMALs)."""

    _TYPES: ClassVar[dict[str, list[str]]] = {
        "string": ["VARCHAR"],
        "number": ["BIGINT", "UBIGINT", "DOUBLE", "HUGEINT"],
        "boolean": ["BOOLEAN"],
        "null": ["NULL"],
        "object": ["OBJECT"],
    }

    def json_prelude(self, data):
        if not data.fields:
            return []
        paths = [data.path(), *(data.path(name) for name in data.fields)]
        listed = exp.Array(expressions=[lit(path) for path in paths])
        shape: object = {
            name: "DECIMAL(38,18)" if name in data.numbers else "VARCHAR" for name in data.fields
        }
        for key in reversed(data.prefix):
            shape = {key: shape}
        values = call("json_transform", data.column.copy(), lit(json.dumps(shape)))
        for key in data.prefix:
            values = call("struct_extract", values, lit(key))
        return [
            ("json_types", call("json_type", data.column.copy(), listed)),
            ("json_keys", call("json_keys", data.column.copy(), lit(data.path()))),
            ("json_values", values),
        ]

    def _type(self, data, name: str | None) -> exp.Expression:
        if data.fields:  # sqlglot indexes from 0 and writes DuckDB's 1-based index
            index = 0 if name is None else data.fields.index(name) + 1
            return exp.Bracket(this=exp.column("json_types"), expressions=[lit(index)])
        return call("json_type", data.column, lit(data.path(name)))

    def json_has(self, data, name):
        if data.fields:
            return exp.Not(this=exp.Is(this=self._type(data, name), expression=exp.null()))
        return call("json_exists", data.column, lit(data.path(name)))

    def json_is(self, data, name, kind):
        return _in(self._type(data, name), self._TYPES[kind])

    def json_text(self, data, name):
        if data.fields and name not in data.numbers:
            return call("struct_extract", exp.column("json_values"), lit(name))
        return call("json_extract_string", data.column, lit(data.path(name)))

    def json_decimal(self, data, name, scale):
        if data.fields:
            value = call("struct_extract", exp.column("json_values"), lit(name))
            return value if scale == 18 else self.cast(value, self.decimal_type(scale))
        keys = [*data.prefix, name]
        shape: object = f"DECIMAL(38,{scale})"
        for key in reversed(keys):
            shape = {key: shape}
        value = call("json_transform_strict", data.column, lit(json.dumps(shape)))
        for key in keys:
            value = call("struct_extract", value, lit(key))
        return value

    def number_guard(self, data, name):
        if not data.fields:
            return None  # json_transform_strict fails by itself
        message = f"govern: data.{name} does not fit DECIMAL(38, 18)"
        missing = exp.Is(this=self.json_decimal(data, name, 18), expression=exp.null())
        fail = self.cast(call("error", lit(message)), "BOOLEAN")
        return exp.Case(ifs=[exp.If(this=missing, true=fail)], default=exp.true())

    def json_boolean(self, data, name):
        return exp.EQ(this=self.json_text(data, name), expression=lit("true"))

    def json_is_object(self, data):
        return exp.EQ(this=self._type(data, None), expression=lit("OBJECT"))

    def json_keys_within(self, data, names):
        """No key outside `names` (a filter with IN: `list_has_all` is three times slower)."""
        keys = (
            exp.column("json_keys")
            if data.fields
            else call("json_keys", data.column, lit(data.path()))
        )
        key = exp.to_identifier("k")
        outside = exp.Not(this=_in(exp.column(key), list(names)))
        strays = call("list_filter", keys, exp.Lambda(this=outside, expressions=[key]))
        return exp.EQ(this=exp.Length(this=strays), expression=lit(0))


class PostgresJson(Dialect):
    JSON = "JSONB"

    def _value(self, data: exp.Expression, name: str) -> exp.Expression:
        return exp.JSONExtract(this=data, expression=_json_path(name), only_json_types=True)

    def json_has(self, data, name):
        data = self.plain(data)
        return call("jsonb_exists", data, lit(name))

    def json_is(self, data, name, kind):
        data = self.plain(data)
        return exp.EQ(this=call("jsonb_typeof", self._value(data, name)), expression=lit(kind))

    def json_text(self, data, name):
        data = self.plain(data)
        return exp.JSONExtractScalar(this=data, expression=_json_path(name), only_json_types=True)

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return self.cast(self.json_text(data, name), self.decimal_type(scale))

    def json_boolean(self, data, name):
        data = self.plain(data)
        return self.cast(self.json_text(data, name), "BOOLEAN")

    def json_is_object(self, data):
        data = self.plain(data)
        return exp.EQ(this=call("jsonb_typeof", data), expression=lit("object"))

    def json_keys_within(self, data, names):
        data = self.plain(data)
        keys = self.cast(exp.Array(expressions=[lit(n) for n in names]), "TEXT[]")
        empty = self.cast(lit("{}"), "JSONB")
        return exp.EQ(this=exp.Sub(this=data, expression=keys), expression=empty)


class ClickHouseJson(Dialect):
    JSON = "String"
    _TYPES: ClassVar[dict[str, list[str]]] = {
        "string": ["String"],
        "number": ["Int64", "UInt64", "Double"],
        "boolean": ["Bool"],
        "null": ["Null"],
        "object": ["Object"],
    }

    @staticmethod
    def _text(data: exp.Expression) -> exp.Expression:
        """`data` is Nullable(String); array-valued JSON functions need a plain String."""
        return call("ifNull", data, lit(""))

    def json_has(self, data, name):
        data = self.plain(data)
        return call("JSONHas", self._text(data), lit(name))

    def json_is(self, data, name, kind):
        data = self.plain(data)
        found = _in(call("JSONType", self._text(data), lit(name)), self._TYPES[kind])
        if kind == "null":  # JSONType says Null for a missing key too
            return exp.and_(self.json_has(data, name), found, copy=False)
        return found

    def json_text(self, data, name):
        data = self.plain(data)
        return call("JSONExtractString", self._text(data), lit(name))

    def _raw(self, data: exp.Expression, name: str) -> exp.Expression:
        return call("simpleJSONExtractRaw", self._text(data), lit(name))

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return call("toDecimal128", self._raw(data, name), lit(scale))

    def number_guard(self, data, name):
        data = self.plain(data)
        once = exp.EQ(
            this=call("countSubstrings", self._text(data), lit(f'"{name}":')), expression=lit(1)
        )
        same = exp.EQ(
            this=call("toFloat64OrNull", self._raw(data, name)),
            expression=call("JSONExtractFloat", self._text(data), lit(name)),
        )
        message = (
            f"govern: cannot read the digits of data.{name} exactly; load events as compact JSON"
        )
        failed = exp.Not(this=exp.Paren(this=exp.and_(once, same, copy=False)))
        return exp.EQ(this=call("throwIf", failed, lit(message)), expression=lit(0))

    def json_boolean(self, data, name):
        data = self.plain(data)
        return self.cast(call("JSONExtractBool", self._text(data), lit(name)), "Bool")

    def json_is_object(self, data):
        data = self.plain(data)
        valid = call("isValidJSON", self._text(data))
        kind = call("JSONType", self._text(data))
        return exp.and_(valid, exp.EQ(this=kind, expression=lit("Object")), copy=False)

    def json_keys_within(self, data, names):
        data = self.plain(data)
        allowed = exp.Array(expressions=[lit(n) for n in names])
        key = exp.to_identifier("k")
        member = call("has", allowed, exp.column(key))
        return call(
            "arrayAll",
            exp.Lambda(this=member, expressions=[key]),
            call("JSONExtractKeys", self._text(data)),
        )


class SnowflakeJson(Dialect):
    """`data` is a VARIANT (from PARSE_JSON): numbers up to 38 digits stay fixed-point."""

    JSON = "VARIANT"

    def _get(self, data: exp.Expression, name: str) -> exp.Expression:
        return call("GET", data, lit(name))

    def json_has(self, data, name):
        data = self.plain(data)
        return exp.Not(this=exp.Is(this=self._get(data, name), expression=exp.null()))

    def json_is(self, data, name, kind):
        data = self.plain(data)
        names = {
            "string": ["VARCHAR"],
            "number": ["INTEGER", "DECIMAL", "DOUBLE"],
            "boolean": ["BOOLEAN"],
            "null": ["NULL_VALUE"],
            "object": ["OBJECT"],
        }[kind]
        return _in(call("TYPEOF", self._get(data, name)), names)

    def json_text(self, data, name):
        data = self.plain(data)
        return self.cast(self._get(data, name), "VARCHAR")

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return self.cast(self._get(data, name), self.decimal_type(scale))

    def json_boolean(self, data, name):
        data = self.plain(data)
        return self.cast(self._get(data, name), "BOOLEAN")

    def json_is_object(self, data):
        data = self.plain(data)
        return exp.EQ(this=call("TYPEOF", data), expression=lit("OBJECT"))

    def json_keys_within(self, data, names):
        data = self.plain(data)
        allowed = exp.Array(expressions=[lit(n) for n in names])
        return call("ARRAY_SIZE", call("ARRAY_EXCEPT", call("OBJECT_KEYS", data), allowed)).eq(0)


class BigQueryJson(Dialect):
    """`data` is a JSON column; BigQuery refuses, at load, numbers it cannot keep exactly."""

    JSON = "JSON"

    def json_has(self, data, name):
        data = self.plain(data)
        return exp.Not(
            this=exp.Is(this=call("JSON_QUERY", data, lit(f"$.{name}")), expression=exp.null())
        )

    def json_is(self, data, name, kind):
        data = self.plain(data)
        names = {"string": "string", "number": "number", "boolean": "boolean", "null": "null"}
        found = call("JSON_TYPE", call("JSON_QUERY", data, lit(f"$.{name}")))
        return exp.EQ(this=found, expression=lit(names.get(kind, kind)))

    def json_text(self, data, name):
        data = self.plain(data)
        return call("JSON_VALUE", data, lit(f"$.{name}"))

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return self.cast(self.json_text(data, name), "BIGNUMERIC")

    def json_boolean(self, data, name):
        data = self.plain(data)
        return call("BOOL", call("JSON_QUERY", data, lit(f"$.{name}")))

    def json_is_object(self, data):
        data = self.plain(data)
        return exp.EQ(this=call("JSON_TYPE", data), expression=lit("object"))

    def json_keys_within(self, data, names):
        data = self.plain(data)
        allowed = exp.Array(expressions=[lit(n) for n in names])
        key = exp.to_identifier("k")
        unnest = exp.Unnest(
            expressions=[call("JSON_KEYS", data, lit(1))], alias=exp.TableAlias(this=key)
        )
        outside = (
            exp.select("1")
            .from_(unnest)
            .where(
                exp.Not(this=exp.In(this=exp.column(key), unnest=exp.Unnest(expressions=[allowed])))
            )
        )
        return exp.Not(this=exp.Exists(this=outside))


class SparkJson(Dialect):
    """`data` is a STRING; `from_json` with a typed schema parses numbers as decimals."""

    JSON = "STRING"

    def _typed(self, data: exp.Expression, name: str, kind: str) -> exp.Expression:
        field = call("from_json", data, lit(f"`{name}` {kind}"))
        return exp.Dot(this=field, expression=exp.to_identifier(name))

    def json_has(self, data, name):
        data = self.plain(data)
        return call("ARRAY_CONTAINS", call("JSON_OBJECT_KEYS", data), lit(name))

    def json_is(self, data, name, kind):
        data = self.plain(data)
        raw = call("GET_JSON_OBJECT", data, lit(f"$.{name}"))
        if kind == "null":
            return exp.and_(
                self.json_has(data, name), exp.Is(this=raw, expression=exp.null()), copy=False
            )
        checks = {
            "string": exp.Not(
                this=exp.Is(this=self._typed(data, name, "STRING"), expression=exp.null())
            ),
            "number": exp.Not(
                this=exp.Is(this=self._typed(data, name, "DECIMAL(38,18)"), expression=exp.null())
            ),
            "boolean": exp.Not(
                this=exp.Is(this=self._typed(data, name, "BOOLEAN"), expression=exp.null())
            ),
            "object": exp.Not(
                this=exp.Is(
                    this=self._typed(data, name, "MAP<STRING,STRING>"), expression=exp.null()
                )
            ),
        }
        return checks[kind]

    def json_text(self, data, name):
        data = self.plain(data)
        return self._typed(data, name, "STRING")

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return self._typed(data, name, f"DECIMAL(38,{scale})")

    def json_boolean(self, data, name):
        data = self.plain(data)
        return self._typed(data, name, "BOOLEAN")

    def json_is_object(self, data):
        data = self.plain(data)
        return exp.Not(this=exp.Is(this=call("JSON_OBJECT_KEYS", data), expression=exp.null()))

    def json_keys_within(self, data, names):
        data = self.plain(data)
        allowed = exp.Array(expressions=[lit(n) for n in names])
        return exp.EQ(
            this=call("SIZE", call("ARRAY_EXCEPT", call("JSON_OBJECT_KEYS", data), allowed)),
            expression=lit(0),
        )


class TrinoJson(Dialect):
    """`data` is a JSON column; `CAST(json AS DECIMAL)` reads the number's digits."""

    JSON = "JSON"

    def _value(self, data: exp.Expression, name: str) -> exp.Expression:
        return call("json_extract", data, lit(f"$.{name}"))

    def json_has(self, data, name):
        data = self.plain(data)
        return call("contains", call("map_keys", self.cast(data, "MAP(VARCHAR, JSON)")), lit(name))

    def json_is(self, data, name, kind):
        data = self.plain(data)
        text = call("json_format", self._value(data, name))
        if kind == "null":
            return exp.and_(
                self.json_has(data, name), exp.EQ(this=text, expression=lit("null")), copy=False
            )
        if kind == "number":
            return call("regexp_like", text, lit("^-?[0-9]"))
        if kind == "boolean":
            return _in(text, ["true", "false"])
        return text.like(lit('"%' if kind == "string" else "{%"))

    def json_text(self, data, name):
        data = self.plain(data)
        return call("json_extract_scalar", data, lit(f"$.{name}"))

    def json_decimal(self, data, name, scale):
        data = self.plain(data)
        return self.cast(self._value(data, name), self.decimal_type(scale))

    def json_boolean(self, data, name):
        data = self.plain(data)
        return self.cast(self._value(data, name), "BOOLEAN")

    def json_is_object(self, data):
        data = self.plain(data)
        return call("json_format", data).like(lit("{%"))

    def json_keys_within(self, data, names):
        data = self.plain(data)
        allowed = exp.Array(expressions=[lit(n) for n in names])
        keys = call("map_keys", self.cast(data, "MAP(VARCHAR, JSON)"))
        return exp.EQ(
            this=call("cardinality", call("array_except", keys, allowed)), expression=lit(0)
        )
