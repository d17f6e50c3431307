"""Tolerances: how far two values may differ before it is an exception."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from govern.errors import InputError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tolerance:
    """`0.5` (absolute, in the measure's unit) or `1%` (relative to the upstream value).

    The default is exact: any difference is an exception. A relative tolerance of an
    upstream value of 0 allows no difference.
    """

    value: Decimal = Decimal(0)
    relative: bool = False

    @classmethod
    def parse(cls, text: str) -> Tolerance:
        raw = text.strip()
        relative = raw.endswith("%")
        try:
            value = Decimal(raw.removesuffix("%").strip())
        except InvalidOperation:
            raise InputError(f"tolerance {text!r} is not a number or a percentage") from None
        if not value.is_finite() or value < 0:
            raise InputError(f"tolerance {text!r} must be zero or more")
        return cls(value, relative)

    def allows(self, upstream: Decimal, downstream: Decimal) -> bool:
        """True when `downstream` is close enough to `upstream`."""
        gap = abs(downstream - upstream)
        if not self.relative:
            return gap <= self.value
        return gap * HUNDRED <= abs(upstream) * self.value

    def __str__(self) -> str:
        text = format(self.value.normalize(), "f") if self.value else "0"
        return f"{text}%" if self.relative else text


EXACT = Tolerance()
