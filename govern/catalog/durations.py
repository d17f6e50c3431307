"""ISO 8601 durations of fixed length (weeks, days, hours, minutes, seconds)."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """Parse `P3D`, `PT36H`, `P1W`, `PT0S`...; raise ValueError with a reason otherwise.

    Years and months are refused: their length depends on the calendar, and a grace
    window must mean the same number of seconds in every period.
    """
    match = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
    if not match:
        if isinstance(text, str) and re.match(r"^P(\d+Y)?(\d+M)", text.upper()):
            raise ValueError(
                f"'{text}' uses years or months, whose length varies; use days (e.g. P30D)"
            )
        raise ValueError(f"'{text}' is not an ISO 8601 duration such as P3D or PT12H")
    parts = {name: float(value) for name, value in match.groupdict().items() if value}
    return timedelta(**parts)


def format_duration(value: timedelta) -> str:
    """The shortest ISO 8601 text for `value` (inverse of `parse_duration`)."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "PT0S"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    clock += f"{secs}S" if secs else ""
    return text + ("T" + clock if clock else "")
