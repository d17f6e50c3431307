"""A cheap look at the `type` of a line the general path would otherwise decode whole,
only to ignore it as an event of another type.

The probe decodes `type` alone (msgspec skips, yet checks, every other value), so it says
"another type" only where `Intake.read` would: the line is JSON (ASCII, so UTF-8 too), an
object, and its `type` is present and not the contract's. Lines long enough to hold what
only a whole decode refuses (nesting near the recursion limit) are left to the general
path.
"""

from __future__ import annotations

from typing import Any

import msgspec

LONGEST = 1024
"""The longest line probed: too short for 512 levels of nesting."""

_Type = msgspec.defstruct("_Type", [("type", Any, None)])
_decode = msgspec.json.Decoder(_Type).decode


def other_type(text: bytes, contract: str) -> bool:
    """Whether `text` is certainly a JSON event whose `type` is given and not `contract`."""
    if len(text) > LONGEST or not text.isascii():
        return False
    try:
        kind = _decode(text).type
    except (msgspec.DecodeError, RecursionError):
        return False
    return kind is not None and kind != contract
