"""`clocks_ok` answers for a batch what `clock_ok` answers pair by pair."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from govern.validation.clock import clock_ok, clocks_ok

_START = datetime(2026, 10, 31, 23, 59, 58, tzinfo=UTC)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """Instants a few seconds apart, written in every UTC shape and some others."""
    moment = _START + timedelta(microseconds=draw(st.integers(0, 4_000_000)))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 9))
    if digits:
        text += "." + f"{moment.microsecond:06d}000"[:digits]
    return text + draw(st.sampled_from(["Z", "Z", "Z", "z", "+00:00", "-01:00"]))


@given(
    st.lists(st.tuples(timestamps(), timestamps() | st.none()), max_size=12),
    st.sampled_from([timedelta(0), timedelta(milliseconds=500), timedelta(seconds=1)]),
)
def test_clocks_ok_is_clock_ok_pair_by_pair(
    pairs: list[tuple[str, str | None]], skew: timedelta
) -> None:
    times = [time for time, _ in pairs]
    recorded = [moment for _, moment in pairs]
    assert clocks_ok(times, recorded, skew) == [clock_ok(*pair, skew) for pair in pairs]


@given(st.lists(st.tuples(timestamps(), timestamps()), max_size=12))
def test_clocks_ok_of_utc_pairs(pairs: list[tuple[str, str]]) -> None:
    utc = [(time, moment) for time, moment in pairs if time[-1] == moment[-1] == "Z"]
    times, recorded = [time for time, _ in utc], [moment for _, moment in utc]
    for skew in (timedelta(0), timedelta(milliseconds=500), timedelta(seconds=1)):
        assert clocks_ok(times, recorded, skew) == [clock_ok(*pair, skew) for pair in utc]
