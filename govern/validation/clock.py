"""The event-level check JSON Schema cannot express: clock skew between `time` and
`recordedtime` (and that both name instants Python can represent)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import compress, count, repeat

from govern.catalog.durations import format_duration
from govern.timestamps import parse_rfc3339
from govern.validation.problems import Problem, problem, show

_MICROSECOND = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)


def clock_problems(
    time: object, recorded: object, skew: timedelta, paths: tuple[str, str]
) -> list[Problem]:
    """Problems when `time` is more than `skew` after `recorded` (absent: recorded at time).

    Values that are not timestamps are left to the schema, which reports them.
    """
    time_path, recorded_path = paths
    found: list[Problem] = []
    moment = _instant(time, time_path, found)
    recorded_moment = _instant(recorded, recorded_path, found)
    if moment is not None and recorded_moment is not None and moment - recorded_moment > skew:
        found.append(
            problem(
                time_path,
                "clock_skew",
                f"{show(time)} is {_seconds(moment - recorded_moment)} seconds after "
                f"{recorded_path} {show(recorded)}, more than the allowed clock skew "
                f"{format_duration(skew)}",
            )
        )
    return found


def clock_ok(time: str, recorded: str | None, skew: timedelta) -> bool:
    """True when schema-valid `time` and `recorded` pass `clock_problems`; without parsing
    in the usual case, UTC timestamps recorded in the same or a later second."""
    if time[-1] in "Zz":
        if recorded is None:
            return True
        if recorded[-1] in "Zz" and time[10] == recorded[10]:
            second, recorded_second = time[:19], recorded[:19]
            if second < recorded_second or (second == recorded_second and skew >= _SECOND):
                return True
    return not clock_problems(time, recorded, skew, ("time", "recordedtime"))


def clocks_ok(times: list[str], recorded: list[str | None], skew: timedelta) -> list[bool]:
    """`clock_ok` of each pair of schema-valid timestamps; by builtins where every one is
    UTC in the common shape (`utc_shaped`), and only pairs those find skewed by `clock_ok`."""
    if None in recorded or not (utc_shaped(times) and utc_shaped(recorded)):
        return list(map(clock_ok, times, recorded, repeat(skew)))
    if skew >= _SECOND:
        # A time that sorts no later than its recorded time, as written, is in the same
        # second or an earlier one: so, mostly, without slicing out the seconds.
        found = list(map(operator.le, times, recorded))
    else:
        found = list(map(operator.lt, map(_SECOND_OF, times), map(_SECOND_OF, recorded)))
    if not all(found):
        for index in compress(count(), map(operator.not_, found)):
            found[index] = clock_ok(times[index], recorded[index], skew)
    return found


def utc_shaped(texts: Sequence[str]) -> bool:
    """Whether every timestamp (each valid: `TIMESTAMP_PATTERN`) is UTC with an upper-case
    `T` and `Z`: one of each in each, as a valid timestamp holds at most one of each."""
    joined = "".join(texts)
    return joined.count("T") == joined.count("Z") == len(texts)


_SECOND_OF = operator.itemgetter(slice(19))
"""`YYYY-MM-DDTHH:MM:SS` of a UTC timestamp in the common shape."""


def _instant(value: object, path: str, found: list[Problem]) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_rfc3339(value)
    except ValueError:
        return None
    except OverflowError:
        found.append(
            problem(
                path,
                "timestamp",
                f"{show(value)} is outside the range of instants (years 1 to 9999 in UTC)",
            )
        )
        return None


def _seconds(delta: timedelta) -> str:
    whole, micros = divmod(delta // _MICROSECOND, 1_000_000)
    return f"{whole}.{micros:06d}".rstrip("0") if micros else str(whole)
