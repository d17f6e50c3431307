"""ClickHouse: executed in the test suite through its embedded build, chdb.

LEFT JOINs fill missing columns with NULL only under `join_use_nulls = 1`, which the
statement sets for itself.
"""

from sqlglot import exp

from govern.sql.dialects.calendar import ClickHouseCalendar
from govern.sql.dialects.json import ClickHouseJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import ClickHouseText
from govern.sql.dialects.timezones import ClickHouseTime


class ClickHouse(ClickHouseJson, ClickHouseTime, ClickHouseCalendar, TruncRounding, ClickHouseText):
    name = "clickhouse"
    sqlglot = "clickhouse"
    title = "ClickHouse"
    executed = True
    TEXT = "String"
    BIGINT = "Int64"
    VOIDS_BY_WINDOW = True

    def cast(self, expression, to):
        """Every CAST target is Nullable: ClickHouse refuses NULL in plain types."""
        target = self.type_(to) if isinstance(to, str) else to.copy()
        if not target.args.get("nullable"):
            target.set("nullable", True)
        return exp.Cast(this=expression, to=target)

    def placeholder(self, name):
        return exp.Placeholder(this=name, kind=self.type_(f"Nullable({self.TIMESTAMP})"))

    def finish(self, query):
        setting = exp.EQ(this=exp.column("join_use_nulls"), expression=exp.Literal.number(1))
        query.set("settings", [setting])
        return query
