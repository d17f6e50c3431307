"""PostgreSQL: executed in the test suite against a local server (`scripts/start-postgres`)."""

from govern.sql.dialects.json import PostgresJson
from govern.sql.dialects.rounding import TruncRounding
from govern.sql.dialects.text import EscapeNothingLike
from govern.sql.dialects.timezones import PostgresTime


class Postgres(PostgresJson, PostgresTime, TruncRounding, EscapeNothingLike):
    name = "postgres"
    sqlglot = "postgres"
    title = "PostgreSQL"
    executed = True
    TEXT = "TEXT"
