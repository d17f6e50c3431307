"""Periods: half-open local calendar units across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govern.catalog.model import Meter
from govern.errors import InputError
from govern.reference.periods import Grid, Timeline, first_instant
from tests.reference.builders import meter_version

MICRO = timedelta(microseconds=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def bounds(unit: str, zone: str, moment: str) -> tuple[str, str]:
    start, end = Grid(unit, ZoneInfo(zone)).bounds(utc(moment))
    return start.isoformat(), end.isoformat()


@pytest.mark.parametrize(
    ("unit", "zone", "moment", "start", "end"),
    [
        # New York: the spring-forward day has 23 hours, the fall-back day 25.
        ("day", "America/New_York", "2026-03-08T12:00:00Z", "2026-03-08T05:00", "2026-03-09T04:00"),
        ("day", "America/New_York", "2026-11-01T12:00:00Z", "2026-11-01T04:00", "2026-11-02T05:00"),
        # The repeated 01:00 hour is one two-hour period; the skipped 02:00 hour has none.
        (
            "hour",
            "America/New_York",
            "2026-11-01T06:30:00Z",
            "2026-11-01T05:00",
            "2026-11-01T07:00",
        ),
        (
            "hour",
            "America/New_York",
            "2026-03-08T06:59:59Z",
            "2026-03-08T06:00",
            "2026-03-08T07:00",
        ),
        (
            "hour",
            "America/New_York",
            "2026-03-08T07:00:00Z",
            "2026-03-08T07:00",
            "2026-03-08T08:00",
        ),
        # UTC+05:30: the month turns at 18:30 UTC.
        ("month", "Asia/Kolkata", "2026-10-31T18:29:59Z", "2026-09-30T18:30", "2026-10-31T18:30"),
        ("month", "Asia/Kolkata", "2026-10-31T18:30:00Z", "2026-10-31T18:30", "2026-11-30T18:30"),
        ("hour", "Asia/Kolkata", "2026-10-31T18:59:00Z", "2026-10-31T18:30", "2026-10-31T19:30"),
        # Berlin: October 2026 has 31 days and one extra hour.
        ("month", "Europe/Berlin", "2026-10-15T00:00:00Z", "2026-09-30T22:00", "2026-10-31T23:00"),
        ("month", "UTC", "2026-12-31T23:59:59.999999Z", "2026-12-01T00:00", "2027-01-01T00:00"),
        # Sao Paulo 2018: midnight was skipped; the day began at 01:00 local.
        (
            "day",
            "America/Sao_Paulo",
            "2018-11-04T12:00:00Z",
            "2018-11-04T03:00",
            "2018-11-05T02:00",
        ),
        # Samoa skipped 30 December 2011 entirely.
        ("day", "Pacific/Apia", "2011-12-30T10:00:00Z", "2011-12-30T10:00", "2011-12-31T10:00"),
    ],
)
def test_bounds(unit: str, zone: str, moment: str, start: str, end: str) -> None:
    assert bounds(unit, zone, moment) == (f"{start}:00+00:00", f"{end}:00+00:00")


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "Europe/Berlin", "UTC"])
@pytest.mark.parametrize("unit", ["hour", "day", "month"])
def test_half_open_at_every_boundary(zone: str, unit: str) -> None:
    grid = Grid(unit, ZoneInfo(zone))
    moment = utc("2026-03-01T00:00:00Z")
    for _ in range(40):
        start, end = grid.bounds(moment)
        assert grid.bounds(start) == (start, end)
        assert grid.bounds(end - MICRO) == (start, end)
        assert grid.bounds(end)[0] == end
        assert grid.bounds(start - MICRO)[1] == start
        moment = end + timedelta(days=9)


def test_first_instant_of_an_ambiguous_and_a_skipped_wall_time() -> None:
    ny = ZoneInfo("America/New_York")
    assert first_instant(datetime(2026, 11, 1, 1, 30), ny) == utc("2026-11-01T05:30:00Z")
    assert first_instant(datetime(2026, 3, 8, 2, 30), ny) == utc("2026-03-08T07:00:00Z")


def two_versions(second_from: str, every: str = "month") -> Timeline:
    """v1: UTC, grace P3D; v2 from `second_from`: New York, no grace."""
    meter = Meter(
        meter="m",
        unit="u",
        line_item="L",
        versions=[
            meter_version(period={"every": every, "timezone": "UTC"}, late={"grace": "P3D"}),
            meter_version(
                version=2,
                effective_from=second_from,
                period={"every": every, "timezone": "America/New_York"},
            ),
        ],
    )
    return Timeline(meter)


def test_version_in_effect_at_the_period_start() -> None:
    timeline = two_versions("2026-11-01")
    october = timeline.period_of(utc("2026-10-31T23:59:59Z"))
    november = timeline.period_of(utc("2026-11-01T04:00:00Z"))
    assert october is not None and november is not None
    assert (october.version.version, november.version.version) == (1, 2)
    assert november.start == utc("2026-11-01T04:00:00Z")  # midnight in New York
    assert timeline.period_of(utc("2025-12-31T23:59:59Z")) is None


def test_a_version_stops_where_the_next_takes_effect() -> None:
    # v1's UTC November would overlap v2's New York November: it is cut short, so every
    # instant is in exactly one period, computed by exactly one version.
    timeline = two_versions("2026-11-01")
    stub = timeline.period_of(utc("2026-11-01T03:59:59Z"))
    assert stub is not None and stub.version.version == 1
    assert (stub.start, stub.end) == (utc("2026-11-01T00:00:00Z"), utc("2026-11-01T04:00:00Z"))
    assert stub.close == stub.end + timedelta(days=3)


def test_periods_are_interned() -> None:
    timeline = two_versions("2026-11-01")
    assert timeline.period_of(utc("2026-05-02T00:00:00Z")) is timeline.period_of(
        utc("2026-05-30T00:00:00Z")
    )


def test_posting_period_is_the_first_whose_close_is_at_or_after_the_change() -> None:
    timeline = two_versions("2027-01-01")
    october = timeline.period_of(utc("2026-10-10T00:00:00Z"))
    assert october is not None and october.close == utc("2026-11-04T00:00:00Z")
    november_close = utc("2026-12-04T00:00:00Z")
    posted = timeline.posting_period(october, november_close)
    assert posted.start == utc("2026-11-01T00:00:00Z")
    later = timeline.posting_period(october, november_close + MICRO)
    assert later.start == utc("2026-12-01T00:00:00Z")


def test_posting_skips_periods_that_close_before_the_change() -> None:
    # Version 1: days with a 3-day grace; version 2: days with none. The first v2 days
    # close before the last v1 day does, so they cannot carry its changes.
    timeline = two_versions("2026-11-01", "day")
    last_v1 = timeline.period_of(utc("2026-11-01T03:00:00Z"))
    assert last_v1 is not None and last_v1.version.version == 1
    assert last_v1.close == utc("2026-11-04T04:00:00Z")
    posted = timeline.posting_period(last_v1, last_v1.close + MICRO)
    assert posted.start == utc("2026-11-03T05:00:00Z")
    assert posted.close == utc("2026-11-04T05:00:00Z")


def test_versions_out_of_order_are_refused() -> None:
    with pytest.raises(InputError):
        Timeline(
            Meter(
                meter="m",
                unit="u",
                line_item="L",
                versions=[
                    meter_version(effective_from="2026-05-01"),
                    meter_version(version=2, effective_from="2026-02-01"),
                ],
            )
        )
