"""Which contract version an event names in its CloudEvents `dataschema`."""

from __future__ import annotations

import re

_DATASCHEMA = re.compile(
    r"(?:^|[/:])(?P<name>[a-z][a-z0-9_]*)(?:/v|@)(?P<version>\d+)(?:\.\w+)*/?$"
)


def parse_dataschema(uri: str) -> tuple[str, int] | None:
    """`https://schemas.example.com/api_request/v2` (or `.../v2.json`, `api_request@2`)
    -> ("api_request", 2); None when the URI names no contract version."""
    match = _DATASCHEMA.search(uri) if isinstance(uri, str) else None
    if not match:
        return None
    return match["name"], int(match["version"])
