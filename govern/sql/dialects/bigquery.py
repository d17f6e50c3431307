"""BigQuery: generated and parsed back (not executed here). Decimals are BIGNUMERIC."""

from sqlglot import exp

from govern.sql.dialects.calendar import BigQueryCalendar
from govern.sql.dialects.json import BigQueryJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import BackslashLike
from govern.sql.dialects.timezones import BigQueryTime


class BigQuery(BigQueryJson, BigQueryTime, BigQueryCalendar, TruncRounding, BackslashLike):
    name = "bigquery"
    sqlglot = "bigquery"
    title = "BigQuery"
    TEXT = "STRING"
    BIGINT = "INT64"

    def decimal_type(self, scale):
        return self.type_("BIGNUMERIC")

    def cast(self, expression, to):
        if isinstance(to, exp.DataType) and to.is_type(exp.DataType.Type.BIGDECIMAL):
            return exp.Cast(this=expression, to=to)
        return super().cast(expression, to)
