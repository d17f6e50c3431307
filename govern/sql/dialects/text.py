"""Quirk: LIKE without an escape character, code-point order, lengths, regular expressions.

The reference compares text by code point and its LIKE knows only `%` and `_`, with no
escape character. PostgreSQL's LIKE escapes with a backslash unless told `ESCAPE ''`, and
sorts by the database collation unless told `COLLATE "C"`; ClickHouse, BigQuery and Spark
always escape with a backslash, so a literal backslash in the pattern is doubled.
"""

from __future__ import annotations

from sqlglot import exp

from govern.sql.dialects.base import Dialect, call, lit


class PlainLike(Dialect):
    """LIKE has no escape character unless one is given (DuckDB, Trino)."""

    def like(self, text, pattern):
        return exp.Like(this=text, expression=pattern)


class EscapeNothingLike(Dialect):
    """PostgreSQL: `ESCAPE ''` turns the backslash escape off; code-point collation."""

    def like(self, text, pattern):
        return exp.Escape(this=exp.Like(this=text, expression=pattern), expression=lit(""))

    def binary(self, text):
        return exp.Collate(this=text, expression=exp.Identifier(this="C", quoted=True))


class BackslashLike(Dialect):
    """The backslash always escapes: double it in a constant pattern; refuse others."""

    def like(self, text, pattern):
        if not (isinstance(pattern, exp.Literal) and pattern.is_string):
            raise self.unsupported("LIKE with a pattern that is not a constant")
        return exp.Like(this=text, expression=lit(pattern.this.replace("\\", "\\\\")))


class ClickHouseText(BackslashLike):
    def text_length(self, text):
        return call("lengthUTF8", text)


class SnowflakeText(Dialect):
    """REGEXP_LIKE matches the whole text; a search is REGEXP_INSTR > 0. LIKE escapes with
    a backslash only when told to, so the default pattern is used as it is."""

    def like(self, text, pattern):
        return exp.Like(this=text, expression=pattern)

    def regex_search(self, text, pattern):
        return exp.GT(this=call("REGEXP_INSTR", text, lit(pattern)), expression=lit(0))
