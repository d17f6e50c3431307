"""Quirk: instants, naive UTC timestamps and the wall clock of an IANA time zone.

The compiler needs two conversions: an instant from the raw table to a naive UTC
timestamp (`utc`), and a naive UTC timestamp to the wall-clock reading of a zone
(`wall`). Wall clock back to an instant is ambiguous around daylight-saving changes and
every engine resolves it its own way, so the compiler never asks for it: it derives the
instant from `wall` alone (see `govern.sql.periods`).
"""

from __future__ import annotations

from sqlglot import exp

from govern.sql.dialects.base import Dialect, call, lit


def _at(value: exp.Expression, zone: str) -> exp.Expression:
    if not isinstance(value, (exp.Column, exp.Func, exp.Paren, exp.Cast)):
        value = exp.Paren(this=value)
    return exp.AtTimeZone(this=value, zone=lit(zone))


class AtTimeZone(Dialect):
    """PostgreSQL and DuckDB: `instant AT TIME ZONE z` is the naive wall clock in z, and
    `naive AT TIME ZONE 'UTC'` the instant of a naive UTC timestamp."""

    def utc(self, instant):
        return _at(instant, "UTC")

    def wall(self, naive_utc, zone):
        return _at(_at(naive_utc, "UTC"), zone)


class DuckDBTime(AtTimeZone):
    """`AT TIME ZONE 'UTC'` goes through ICU (about 40 ns a value); an instant's
    microseconds since the epoch, read back as a naive timestamp, are the same value for
    a sixth of the cost."""

    def utc(self, instant):
        return call("make_timestamp", call("epoch_us", instant))

    def parse_timestamp(self, text):
        return self.utc(exp.TryCast(this=text, to=self.type_("TIMESTAMPTZ")))


class PostgresTime(AtTimeZone):
    def parse_timestamp(self, text):
        # PostgreSQL rounds fractions beyond microseconds; the reference truncates.
        micros = call("regexp_replace", text, lit(r"(\.[0-9]{6})[0-9]+"), lit(r"\1"))
        return self.utc(self.cast(micros, "TIMESTAMPTZ"))


class ClickHouseTime(Dialect):
    """Instants and naive UTC values are both `DateTime64(6, 'UTC')`."""

    INSTANT = "DateTime64(6, 'UTC')"
    TIMESTAMP = "DateTime64(6, 'UTC')"

    def utc(self, instant):
        return call("toTimeZone", instant, lit("UTC"))

    def wall(self, naive_utc, zone):
        offset = call("timeZoneOffset", call("toTimeZone", naive_utc, lit(zone)))
        return call("addSeconds", naive_utc, offset)

    def parse_timestamp(self, text):
        return call("parseDateTime64BestEffortOrNull", text, lit(6), lit("UTC"))


class SnowflakeTime(Dialect):
    INSTANT = "TIMESTAMP_TZ"
    TIMESTAMP = "TIMESTAMP_NTZ"

    def utc(self, instant):
        converted = exp.ConvertTimezone(target_tz=lit("UTC"), timestamp=instant)
        return self.cast(converted, self.TIMESTAMP)

    def wall(self, naive_utc, zone):
        return exp.ConvertTimezone(source_tz=lit("UTC"), target_tz=lit(zone), timestamp=naive_utc)

    def parse_timestamp(self, text):
        return self.utc(call("TRY_TO_TIMESTAMP_TZ", text))


class BigQueryTime(Dialect):
    INSTANT = "TIMESTAMP"
    TIMESTAMP = "DATETIME"

    def utc(self, instant):
        return call("DATETIME", instant, lit("UTC"))

    def wall(self, naive_utc, zone):
        return call("DATETIME", call("TIMESTAMP", naive_utc), lit(zone))

    def parse_timestamp(self, text):
        return self.utc(exp.TryCast(this=text, to=self.type_("TIMESTAMP")))


class SparkTime(Dialect):
    """The raw table holds UTC as `TIMESTAMP_NTZ`, so no session time zone is involved."""

    INSTANT = "TIMESTAMP_NTZ"
    TIMESTAMP = "TIMESTAMP_NTZ"

    def utc(self, instant):
        return instant

    def wall(self, naive_utc, zone):
        return call("convert_timezone", lit("UTC"), lit(zone), naive_utc)

    def parse_timestamp(self, text):
        instant = call("to_timestamp", text, lit("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]XXX"))
        return call(
            "convert_timezone",
            call("current_timezone"),
            lit("UTC"),
            self.cast(instant, "TIMESTAMP_NTZ"),
        )


class TrinoTime(Dialect):
    INSTANT = "TIMESTAMP(6) WITH TIME ZONE"
    TIMESTAMP = "TIMESTAMP(6)"

    def utc(self, instant):
        return self.cast(_at(instant, "UTC"), self.TIMESTAMP)

    def wall(self, naive_utc, zone):
        return self.cast(_at(call("with_timezone", naive_utc, lit("UTC")), zone), self.TIMESTAMP)

    def parse_timestamp(self, text):
        return self.utc(call("try", call("from_iso8601_timestamp_nanos", text)))
