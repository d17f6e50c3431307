"""Trino: generated and parsed back (not executed here)."""

from sqlglot import exp

from govern.sql.dialects.calendar import TrinoCalendar
from govern.sql.dialects.json import TrinoJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import PlainLike
from govern.sql.dialects.timezones import TrinoTime


class Trino(TrinoJson, TrinoTime, TrinoCalendar, TruncRounding, PlainLike):
    name = "trino"
    sqlglot = "trino"
    title = "Trino"

    def placeholder(self, name):
        return exp.Placeholder()

    def trunc(self, value, scale):
        return exp.Anonymous(this="truncate", expressions=[value, exp.Literal.number(scale)])
