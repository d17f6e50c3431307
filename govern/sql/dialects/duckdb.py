"""DuckDB: executed in-process; the engine behind `govern aggregate --engine duckdb`."""

from govern.sql.dialects.base import call
from govern.sql.dialects.json import DuckDBJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import PlainLike
from govern.sql.dialects.timezones import DuckDBTime


class DuckDB(DuckDBJson, DuckDBTime, TruncRounding, PlainLike):
    name = "duckdb"
    sqlglot = "duckdb"
    title = "DuckDB"
    executed = True

    def key_hash(self, key):
        return call("HASH", *key)
