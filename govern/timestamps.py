"""RFC 3339 timestamps: parsing to aware UTC datetimes, and the one output format."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_rfc3339(text: str) -> datetime:
    """Parse an RFC 3339 timestamp into an aware UTC datetime.

    Fractions beyond microseconds are truncated (Python's resolution); a missing offset
    is an error, because a timestamp without one does not name an instant.
    """
    match = _RFC3339.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    day, clock, fraction, offset = match.groups()
    micros = (fraction or "").ljust(6, "0")[:6]
    zone = "+00:00" if offset in ("Z", "z") else offset
    parsed = datetime.fromisoformat(f"{day}T{clock}.{micros}{zone}")
    return parsed.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` only when there are microseconds."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
