"""Compatibility modes, in Confluent Schema Registry's words: what a new contract version
promises about the versions before it, and the directions each mode checks."""

from __future__ import annotations

from typing import Literal, get_args

Compatibility = Literal[
    "backward",
    "backward_transitive",
    "forward",
    "forward_transitive",
    "full",
    "full_transitive",
    "none",
]
COMPATIBILITY_MODES: tuple[str, ...] = get_args(Compatibility)
"""Every mode a contract may declare, in this order."""

BACKWARD = "backward"
FORWARD = "forward"

MODE_DIRECTIONS: dict[str, tuple[str, ...]] = {
    "backward": (BACKWARD,),
    "forward": (FORWARD,),
    "full": (BACKWARD, FORWARD),
    "none": (),
}
"""What each mode checks: backward = consumers on the new version read events of the
previous one; forward = consumers on the previous version read events of the new one.
A `_transitive` mode checks the same directions against every earlier version."""


def base_mode(mode: str) -> str:
    """`full_transitive` -> `full`: the directions a mode checks."""
    return mode.removesuffix("_transitive")


def is_transitive(mode: str) -> bool:
    """Whether `mode` checks against every earlier version, not only the latest."""
    return mode.endswith("_transitive")
