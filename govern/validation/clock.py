"""The event-level check JSON Schema cannot express: clock skew between `time` and
`recordedtime` (and that both name instants Python can represent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from govern.catalog.durations import format_duration
from govern.timestamps import parse_rfc3339
from govern.validation.problems import Problem, problem, show

_MICROSECOND = timedelta(microseconds=1)


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
    """True when schema-valid `time` and `recorded` pass `clock_problems`; fast for the usual
    case, UTC timestamps recorded in a later second than they happened."""
    if time[-1] in "Zz":
        if recorded is None:
            return True
        if recorded[-1] in "Zz" and time[10] == recorded[10] and time[:19] < recorded[:19]:
            return True
    return not clock_problems(time, recorded, skew, ("time", "recordedtime"))


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
