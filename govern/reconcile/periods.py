"""Reading period bounds as billing systems write them, into aware UTC datetimes.

govern's periods are half-open `[start, end)` in UTC. Exports write bounds as RFC 3339,
unix seconds, naive date-times or calendar dates in some time zone, sometimes with the
last day or second included; `PeriodReader` turns each into govern's form. Results are
cached per distinct text, because a million invoice lines share a few hundred bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from govern.reconcile.mapping import PeriodSpec
from govern.timestamps import format_utc, parse_rfc3339

Period = tuple[datetime, datetime]
ONE_SECOND = timedelta(seconds=1)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_of(text: str) -> date:
    """`YYYY-MM`, or the month of `YYYY-MM-DD...` (a posting date)."""
    head = text.strip()[:7]
    if len(head) != 7 or head[4] != "-":
        raise ValueError(f"not a month (YYYY-MM or a date): {text!r}")
    return date(int(head[:4]), int(head[5:7]), 1)


def _naive(text: str, zone: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _unix(text: str) -> datetime:
    return datetime.fromtimestamp(int(text.strip()), UTC)


class PeriodReader:
    """Reads `(start, end)` bounds according to a `PeriodSpec`, for one time zone at a time."""

    def __init__(self, spec: PeriodSpec):
        self.spec = spec
        self._starts: dict[tuple[str, str], datetime] = {}
        self._ends: dict[tuple[str, str], datetime] = {}
        self._zones: dict[str, ZoneInfo] = {}

    def _zone(self, name: str) -> ZoneInfo:
        zone = self._zones.get(name)
        if zone is None:
            zone = self._zones[name] = ZoneInfo(name)
        return zone

    def start(self, text: str, zone: str) -> datetime:
        key = (text, zone)
        found = self._starts.get(key)
        if found is None:
            found = self._starts[key] = self._parse_start(text, self._zone(zone))
        return found

    def end(self, text: str | None, start_text: str, zone: str) -> datetime:
        """The exclusive end; for `format: month` without an end column, the next month."""
        key = (text if text is not None else "\0" + start_text, zone)
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = self._parse_end(text, start_text, self._zone(zone))
        return found

    def _parse_start(self, text: str, zone: ZoneInfo) -> datetime:
        return _STARTS[self.spec.format](text, zone)

    def _parse_end(self, text: str | None, start_text: str, zone: ZoneInfo) -> datetime:
        fmt = self.spec.format
        if fmt == "month":
            month = _month_of(text if text is not None else start_text)
            if text is None or self.spec.end_inclusive:
                month = _next_month(month)
            return _local_midnight(month, zone)
        assert text is not None
        if fmt == "date":
            day = date.fromisoformat(text.strip())
            if self.spec.end_inclusive:
                day += timedelta(days=1)
            return _local_midnight(day, zone)
        moment = _STARTS[fmt](text, zone)
        return moment + ONE_SECOND if self.spec.end_inclusive else moment


_STARTS: dict[str, Callable[[str, ZoneInfo], datetime]] = {
    "rfc3339": lambda text, _zone: parse_rfc3339(text.strip()),
    "unix": lambda text, _zone: _unix(text),
    "datetime": _naive,
    "date": lambda text, zone: _local_midnight(date.fromisoformat(text.strip()), zone),
    "month": lambda text, zone: _local_midnight(_month_of(text), zone),
}


def show(period: Period) -> str:
    """`start/end` in UTC, the ISO 8601 interval notation."""
    return f"{format_utc(period[0])}/{format_utc(period[1])}"


def contains(outer: Period, inner: Period) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def overlaps(one: Period, other: Period) -> bool:
    return one[0] < other[1] and other[0] < one[1]
