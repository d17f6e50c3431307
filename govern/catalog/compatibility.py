"""Compatibility modes, in Confluent Schema Registry's words: what a new contract version
promises about the versions before it."""

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
