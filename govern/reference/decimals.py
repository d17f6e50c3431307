"""Exact decimal arithmetic: the contexts every computation runs in, and the one rounding."""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

from govern.catalog.model import Precision

EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[Inexact, InvalidOperation, DivisionByZero, Overflow],
)
"""Sums, differences, products and remainders are never rounded (Inexact would raise)."""

_ROUNDER = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

DIVISION = Context(prec=38)
"""Quotients (filters only) are exact to 38 significant digits, the widest SQL DECIMAL."""

ROUNDING = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}
"""Meter rounding modes; `up` and `down` are away from and toward zero, like `half_up` ties."""


def rounder(precision: Precision) -> Callable[[int | Decimal], Decimal]:
    """The function that rounds a value once to the meter's scale with its rounding mode
    (never `-0`), its step and mode found once."""
    step, mode = Decimal(1).scaleb(-precision.scale), ROUNDING[precision.rounding]

    def rounded(value: int | Decimal) -> Decimal:
        exact = Decimal(value).quantize(step, rounding=mode, context=_ROUNDER)
        return exact.copy_abs() if exact.is_zero() else exact

    return rounded


def quantity_text(quantity: Decimal) -> str:
    """The quantity as plain decimal text (`1200`, `0.500`), never in exponent notation."""
    return format(quantity, "f")
