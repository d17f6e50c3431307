"""Billing periods: local calendar hours, days and months of a meter's time zone.

A period is half-open, `[start, end)`, in UTC. Its bounds are the first instants at which
the zone's wall clock reads the period's local start (`2026-11-01 00:00` for a day): a
New York day is 23 or 25 hours long across daylight-saving changes, an hour skipped by
the clock has no period, and the hour the clock repeats is one two-hour period.

A `Timeline` joins the grids of a meter's versions: each version computes the periods
from its `effective_from` (midnight in its zone) until the next version takes over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from govern.catalog.model import Meter, MeterVersion
from govern.errors import InputError

MICROSECOND = timedelta(microseconds=1)

HORIZON = datetime(9000, 1, 1, tzinfo=UTC)
"""Events at or after this instant are not billed: periods, closes and postings past it
could run beyond the year 9999, the last Python can represent."""


@dataclass(frozen=True, slots=True, eq=False)
class Period:
    """One billing period of a meter; interned by its `Timeline`, so identity is equality."""

    start: datetime
    end: datetime
    close: datetime
    version: MeterVersion

    def __repr__(self) -> str:
        return f"Period({self.start.isoformat()}..{self.end.isoformat()} v{self.version.version})"


def _wall_start(wall: datetime, unit: str) -> datetime:
    """The local start of the hour, day or month that the wall-clock time `wall` is in."""
    if unit == "hour":
        return wall.replace(minute=0, second=0, microsecond=0)
    if unit == "day":
        return datetime.combine(wall.date(), time())
    return datetime(wall.year, wall.month, 1)


def _wall_step(wall: datetime, unit: str, steps: int) -> datetime:
    """The local start `steps` hours, days or months after the start `wall`."""
    if unit == "hour":
        return wall + timedelta(hours=steps)
    if unit == "day":
        return wall + timedelta(days=steps)
    months = wall.year * 12 + wall.month - 1 + steps
    return datetime(months // 12, months % 12 + 1, 1)


@lru_cache(maxsize=65536)
def first_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The earliest instant at which the clock of `zone` reads `wall` or later.

    An ambiguous `wall` (the clock turned back) gives its first occurrence; a skipped one
    (the clock jumped forward) gives the instant of the jump.
    """
    earliest = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if earliest.astimezone(zone).replace(tzinfo=None) == wall:
        return earliest
    low, high = wall.replace(tzinfo=zone, fold=1).astimezone(UTC), earliest
    while high - low > MICROSECOND:
        middle = low + (high - low) // 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high


@dataclass(frozen=True)
class Grid:
    """The periods of one unit (hour, day, month) in one IANA time zone."""

    unit: str
    zone: ZoneInfo

    def bounds(self, moment: datetime) -> tuple[datetime, datetime]:
        """`(start, end)` of the period holding `moment`: `start <= moment < end`."""
        wall = _wall_start(moment.astimezone(self.zone).replace(tzinfo=None), self.unit)
        step = 0
        while True:
            start = first_instant(_wall_step(wall, self.unit, step), self.zone)
            end = first_instant(_wall_step(wall, self.unit, step + 1), self.zone)
            if moment < start:
                step -= 1
            elif moment >= end:
                step += 1
            else:
                return start, end


@dataclass(frozen=True)
class _Era:
    """The stretch of time `[begins, ends)` that one meter version computes."""

    version: MeterVersion
    grid: Grid
    begins: datetime
    ends: datetime | None


def _eras(meter: Meter) -> list[_Era]:
    grids = [Grid(v.period.every, ZoneInfo(v.period.timezone)) for v in meter.versions]
    begins = [
        first_instant(datetime.combine(v.effective_from, time()), grid.zone)
        for v, grid in zip(meter.versions, grids, strict=True)
    ]
    if begins != sorted(set(begins)):
        raise InputError(f"meter {meter.meter}: each version must take effect after the last")
    ends: list[datetime | None] = [*begins[1:], None]
    return [
        _Era(version, grid, begin, end)
        for version, grid, begin, end in zip(meter.versions, grids, begins, ends, strict=True)
    ]


class Timeline:
    """Every period of a meter, across its versions, in time order (computed on demand)."""

    def __init__(self, meter: Meter):
        self._eras = _eras(meter)
        self._max_grace = max(era.version.late.grace_delta for era in self._eras)
        self._periods: dict[tuple[int, datetime], Period] = {}
        self._by_hour: dict[tuple[int, int, int, int], list[Period]] = {}
        self._last: Period | None = None

    def period_of(self, moment: datetime) -> Period | None:
        """The period holding `moment`, or None before the first version takes effect.

        Events come roughly in time order, so the period found last usually holds the next
        event too; periods do not overlap, so one that holds `moment` is the answer."""
        last = self._last
        if last is not None and last.start <= moment < last.end:
            return last
        hour = (moment.year, moment.month, moment.day, moment.hour)
        for period in self._by_hour.get(hour, ()):
            if period.start <= moment < period.end:
                self._last = period
                return period
        period = self._compute(moment)
        if period is not None:
            self._by_hour.setdefault(hour, []).append(period)
            self._last = period
        return period

    def _compute(self, moment: datetime) -> Period | None:
        eras = [era for era in self._eras if era.begins <= moment]
        if not eras:
            return None
        era = eras[-1]
        start, end = era.grid.bounds(moment)
        start = max(start, era.begins)
        end = end if era.ends is None else min(end, era.ends)
        key = (era.version.version, start)
        if key not in self._periods:
            grace = era.version.late.grace_delta
            self._periods[key] = Period(start, end, end + grace, era.version)
        return self._periods[key]

    def following(self, period: Period) -> Period:
        """The period that starts where `period` ends."""
        found = self.period_of(period.end)
        assert found is not None, "a later instant is never before the first version"
        return found

    def posting_period(self, period: Period, recorded: datetime) -> Period:
        """Where a change to `period` recorded at `recorded` is posted: the first period
        after `period` whose close is at or after `recorded`."""
        candidate = self.following(period)
        # A period that ends before `recorded - max grace` cannot close at or after it.
        floor = self.period_of(recorded - self._max_grace - MICROSECOND)
        if floor is not None and floor.start > candidate.start:
            candidate = floor
        while candidate.close < recorded:
            candidate = self.following(candidate)
        return candidate
