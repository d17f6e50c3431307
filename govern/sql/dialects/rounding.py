"""Quirk: the one rounding of a quantity, exactly, in the meter's mode.

Built from truncation and comparisons on DECIMALs, so every dialect rounds the same way
(`ROUND` is half-up in some warehouses and half-even in others, and a few round DECIMALs
through a double):

    t = TRUNC(x, s)                          toward zero, exact
    away = t + 10^-s  (t - 10^-s below zero)
    down       t
    up         t if x = t else away
    half_up    away if |x - t| >= 5*10^-(s+1) else t
    half_even  away if |x - t| > 5*10^-(s+1), or = and the last digit of t is odd, else t
"""

from __future__ import annotations

from decimal import Decimal

from sqlglot import exp

from govern.sql.dialects.base import Dialect, lit


class TruncRounding(Dialect):
    def trunc(self, value: exp.Expression, scale: int) -> exp.Expression:
        return exp.func("TRUNC", value, lit(scale), dialect=self.sqlglot)

    def round_decimal(self, value, scale, mode, working_scale):
        target = self.decimal_type(scale)
        if working_scale <= scale or mode not in ("down", "up", "half_up", "half_even"):
            return self.cast(value, target)
        t = self.trunc(value, scale)
        unit = self.decimal_literal(Decimal(1).scaleb(-scale), scale)
        half = self.decimal_literal(Decimal(5).scaleb(-(scale + 1)), scale + 1)
        negative = exp.LT(this=value.copy(), expression=lit(0))
        away = exp.Case(
            ifs=[exp.If(this=negative, true=exp.Sub(this=t.copy(), expression=unit.copy()))],
            default=exp.Add(this=t.copy(), expression=unit.copy()),
        )
        fraction = exp.Abs(this=exp.Sub(this=value.copy(), expression=t.copy()))
        if mode == "down":
            rounded: exp.Expression = t
        elif mode == "up":
            rounded = exp.If(this=exp.EQ(this=value.copy(), expression=t.copy()), true=t.copy())
            rounded = exp.Case(ifs=[rounded], default=away)
        elif mode == "half_up":
            test = exp.GTE(this=fraction, expression=half)
            rounded = exp.Case(ifs=[exp.If(this=test, true=away)], default=t.copy())
        else:
            halves = self.decimal_literal(Decimal(5).scaleb(scale - 1))
            doubled = exp.Mul(this=t.copy(), expression=halves)
            odd = exp.NEQ(this=self.trunc(doubled.copy(), 0), expression=doubled)
            tie = exp.and_(exp.EQ(this=fraction.copy(), expression=half.copy()), odd, copy=False)
            test = exp.or_(exp.GT(this=fraction, expression=half), tie, copy=False)
            rounded = exp.Case(ifs=[exp.If(this=test, true=away)], default=t.copy())
        return self.cast(rounded, target)


class SparkRounding(TruncRounding):
    """Spark has no `TRUNC(number, scale)`; toward zero is FLOOR above zero, CEIL below."""

    def trunc(self, value, scale):
        negative = exp.LT(this=value.copy(), expression=lit(0))
        return exp.Case(
            ifs=[exp.If(this=negative, true=exp.func("CEIL", value.copy(), lit(scale)))],
            default=exp.func("FLOOR", value.copy(), lit(scale)),
        )
