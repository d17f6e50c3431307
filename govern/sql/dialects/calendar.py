"""Quirk: truncating naive timestamps to an hour, day or month, and adding intervals.

sqlglot writes `DATE_TRUNC` and `+ INTERVAL` for most dialects; the exceptions are here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from sqlglot import exp

from govern.sql.dialects.base import Dialect, call, lit


class ClickHouseCalendar(Dialect):
    """`toStartOfMonth` gives a `Date`; everything goes back to `DateTime64(6, 'UTC')`."""

    _STARTS: ClassVar[dict[str, str]] = {
        "hour": "toStartOfHour",
        "day": "toDate",
        "month": "toStartOfMonth",
    }

    def truncate(self, unit, naive):
        return call("toDateTime64", call(self._STARTS[unit], naive), lit(6), lit("UTC"))

    def add(self, naive, amount, unit):
        return call(f"add{unit.title()}s", naive, lit(amount))

    def add_seconds(self, naive, seconds):
        return call("addSeconds", naive, seconds)

    def seconds_between(self, later, earlier):
        return call("dateDiff", lit("second"), earlier, later)


class BigQueryCalendar(Dialect):
    """Naive timestamps are `DATETIME`s, with their own functions."""

    def truncate(self, unit, naive):
        return exp.DatetimeTrunc(this=naive, unit=exp.var(unit.upper()))

    def add(self, naive, amount, unit):
        return exp.DatetimeAdd(this=naive, expression=lit(amount), unit=exp.var(unit.upper()))

    def add_seconds(self, naive, seconds):
        return exp.DatetimeAdd(this=naive, expression=seconds, unit=exp.var("SECOND"))

    def seconds_between(self, later, earlier):
        return exp.DatetimeDiff(this=later, expression=earlier, unit=exp.var("SECOND"))


class TrinoCalendar(Dialect):
    """Trino has no MICROSECOND interval: durations are fractional seconds."""

    def add_duration(self, naive, delta):
        micros = delta // timedelta(microseconds=1)
        if micros == 0:
            return naive
        seconds, rest = divmod(abs(micros), 1_000_000)
        amount = f"{seconds}.{rest:06d}" if rest else str(seconds)
        operator = exp.Add if micros > 0 else exp.Sub
        return operator(this=naive, expression=self.interval(amount, "SECOND"))
