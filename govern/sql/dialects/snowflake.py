"""Snowflake: generated and parsed back (not executed here). `data` is a VARIANT."""

from govern.sql.dialects.json import SnowflakeJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import SnowflakeText
from govern.sql.dialects.timezones import SnowflakeTime


class Snowflake(SnowflakeJson, SnowflakeTime, TruncRounding, SnowflakeText):
    name = "snowflake"
    sqlglot = "snowflake"
    title = "Snowflake"
