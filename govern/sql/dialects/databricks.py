"""Databricks (Spark SQL): generated and parsed back (not executed here).

The raw table keeps `time` and `recordedtime` as `TIMESTAMP_NTZ` holding UTC, so the
session time zone never takes part.
"""

from govern.sql.dialects.json import SparkJson
from govern.sql.dialects.rounding import SparkRounding
from govern.sql.dialects.text import BackslashLike
from govern.sql.dialects.timezones import SparkTime


class Databricks(SparkJson, SparkTime, SparkRounding, BackslashLike):
    name = "databricks"
    sqlglot = "databricks"
    title = "Databricks"
    TEXT = "STRING"
