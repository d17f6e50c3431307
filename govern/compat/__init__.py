"""Schema compatibility checks."""

from govern.compat.jsonschema_diff import (
    Difference,
    DifferenceType,
    Incompatibility,
    Policy,
    check_mode,
    compare,
    is_compatible,
)

__all__ = [
    "Difference",
    "DifferenceType",
    "Incompatibility",
    "Policy",
    "check_mode",
    "compare",
    "is_compatible",
]
