"""Billing periods in SQL: local hours, days and months of a zone, and the meter's eras.

The rules are `govern.reference.periods`: a period is `[start, end)` in UTC, where
`start` is the first instant at which the zone's wall clock reads the period's local
start. A meter version computes the periods from its `effective_from` (its *era*) until
the next version takes over; a period that straddles a version change is cut there.

Wall clock to instant is the hard direction (a wall time can happen twice, or never), and
warehouses resolve it differently, so it is derived from `wall()` alone. For a local time
`w`, read as if it were UTC (`a`), the candidates are `a` minus the zone's offset one day
before and one day after (the offsets on either side of any nearby change):

    c1 = a - offset(a - 1 day)        c2 = a - offset(a + 1 day)
    first_instant(w) = c2 if wall(c2) = w and wall(c1) <> w, else c1

`c1` is right when the clock did not change, for the first of a repeated hour, and for
a period start the clock skipped (the instant the clock jumped). Zones that have kept
one UTC offset (UTC, Asia/Kolkata...) skip all this: wall time is a fixed shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlglot import exp

from govern.catalog.model import Meter, MeterVersion
from govern.sql.dialects.base import Dialect

MICROSECOND = timedelta(microseconds=1)
_HORIZON = datetime(2200, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=256)
def fixed_offset(zone: str, since: datetime) -> timedelta | None:
    """The zone's one UTC offset from a year before `since` to 2200, or None when it
    changes (daylight saving, or a change of standard time) in that stretch."""
    info = ZoneInfo(zone)
    moment = since - timedelta(days=366)
    offset = moment.astimezone(info).utcoffset()
    while moment < _HORIZON:
        if moment.astimezone(info).utcoffset() != offset:
            return None
        moment += timedelta(days=7)
    return offset


@dataclass(frozen=True)
class Era:
    """The stretch `[begins, ends)` one meter version computes, with its period grid."""

    version: MeterVersion
    begins: datetime
    ends: datetime | None
    unit: str
    zone: str
    grace: timedelta

    @property
    def grid(self):
        from govern.reference.periods import Grid

        return Grid(self.unit, ZoneInfo(self.zone))

    @property
    def offset(self) -> timedelta | None:
        return fixed_offset(self.zone, self.begins)

    def on_grid(self, moment: datetime) -> bool:
        """Whether `moment` is a period boundary of this era's grid."""
        return self.grid.bounds(moment)[0] == moment


def eras(meter: Meter) -> list[Era]:
    """The eras of `meter`'s versions, oldest first (as `govern.reference.periods`)."""
    from govern.reference.periods import first_instant

    begins = [
        first_instant(datetime.combine(v.effective_from, time()), ZoneInfo(v.period.timezone))
        for v in meter.versions
    ]
    ends: list[datetime | None] = [*begins[1:], None]
    return [
        Era(v, begin, end, v.period.every, v.period.timezone, v.late.grace_delta)
        for v, begin, end in zip(meter.versions, begins, ends, strict=True)
    ]


class PeriodSQL:
    """Period bounds of one era as SQL over naive UTC timestamps."""

    def __init__(self, dialect: Dialect, era: Era):
        self.dialect = dialect
        self.era = era

    def local_start(self, moment: exp.Expression) -> exp.Expression:
        """The local (wall-clock) start of the period holding `moment`, naive."""
        dialect, era = self.dialect, self.era
        if era.offset is not None:
            return dialect.truncate(era.unit, dialect.add_duration(moment, era.offset))
        return dialect.truncate(era.unit, dialect.wall(moment, era.zone))

    def bounds(self, moment: exp.Expression) -> tuple[exp.Expression, exp.Expression]:
        """`(start, end)` of the era's period holding `moment` (cut to the era)."""
        return self.bounds_of_local(self.local_start(moment))

    def bounds_of_local(self, local: exp.Expression) -> tuple[exp.Expression, exp.Expression]:
        """`(start, end)` of the period whose local start is `local` (cut to the era)."""
        dialect, era = self.dialect, self.era
        offset = era.offset
        if offset is not None:
            start = dialect.add_duration(local, -offset)
            end = dialect.add_duration(dialect.add(local.copy(), 1, era.unit), -offset)
        else:
            start = self.first_instant(local)
            end = self.first_instant(dialect.add(local.copy(), 1, era.unit))
        if not era.on_grid(era.begins):
            start = exp.func("GREATEST", start, dialect.timestamp_literal(era.begins))
        if era.ends is not None and not era.on_grid(era.ends):
            end = exp.func("LEAST", end, dialect.timestamp_literal(era.ends))
        return start, end

    def first_instant(self, local: exp.Expression) -> exp.Expression:
        """The first instant at which the wall clock reads `local` (or later)."""
        dialect, zone = self.dialect, self.era.zone

        def offset(moment: exp.Expression) -> exp.Expression:
            return dialect.seconds_between(dialect.wall(moment, zone), moment.copy())

        def candidate(days: int) -> exp.Expression:
            shift = offset(dialect.add(local.copy(), days, "DAY"))
            return dialect.add_seconds(local.copy(), exp.Neg(this=exp.Paren(this=shift)))

        early, late = candidate(-1), candidate(1)
        early_ok = exp.EQ(this=dialect.wall(early.copy(), zone), expression=local.copy())
        late_ok = exp.EQ(this=dialect.wall(late.copy(), zone), expression=local.copy())
        use_late = exp.and_(late_ok, exp.Not(this=early_ok), copy=False)
        return exp.Case(ifs=[exp.If(this=use_late, true=late)], default=early)


class Timeline:
    """Every era of a meter, for the posting period of a late change."""

    def __init__(self, dialect: Dialect, meter: Meter):
        self.dialect = dialect
        self.eras = eras(meter)

    def era_of(self, version: MeterVersion) -> int:
        return next(i for i, era in enumerate(self.eras) if era.version.version == version.version)

    def posting_locals(
        self, index: int, changed: exp.Expression
    ) -> list[tuple[str, exp.Expression]]:
        """Columns for the posting of a change recorded at `changed` after a period of era
        `index` closed: per era j from `index` on, the instant `moment_j` whose period in
        era j is the candidate (`changed - grace_j - 1us`, not before the era starts) and
        that period's local start `local_j`."""
        dialect = self.dialect
        columns = []
        for j, era in enumerate(self.eras[index:], start=index):
            moment = dialect.add_duration(changed.copy(), -(era.grace + MICROSECOND))
            if j > index:
                moment = exp.func("GREATEST", moment, dialect.timestamp_literal(era.begins))
            columns.append((f"moment_{j}", moment))
            local = PeriodSQL(dialect, era).local_start(moment.copy())
            columns.append((f"local_{j}", local))
        return columns

    def posting(self, index: int) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
        """`(start, end, close)` of the first period, after a period of era `index`, whose
        close is at or after the change (over the `posting_locals` columns): the candidate
        of the first era j whose candidate lies before the era ends."""
        dialect = self.dialect
        starts, ends, closes = [], [], []
        conditions: list[exp.Expression | None] = []
        for j, era in enumerate(self.eras[index:], start=index):
            start, end = PeriodSQL(dialect, era).bounds_of_local(exp.column(f"local_{j}"))
            starts.append(start)
            ends.append(end)
            closes.append(dialect.add_duration(end.copy(), era.grace))
            inside = None
            if era.ends is not None:
                moment = exp.column(f"moment_{j}")
                inside = exp.LT(this=moment, expression=dialect.timestamp_literal(era.ends))
            conditions.append(inside)
        return tuple(_first(conditions, values) for values in (starts, ends, closes))  # type: ignore[return-value]


def _first(conditions: list[exp.Expression | None], values: list[exp.Expression]) -> exp.Expression:
    """`values[i]` for the first `conditions[i]` that holds (None: always holds)."""
    ifs = []
    for condition, value in zip(conditions, values, strict=True):
        if condition is None:
            return exp.Case(ifs=ifs, default=value) if ifs else value
        ifs.append(exp.If(this=condition, true=value))
    return exp.Case(ifs=ifs)
