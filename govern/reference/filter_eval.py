"""Evaluate a meter filter with SQL three-valued logic, compiled once into a closure.

Every node becomes a function of the event returning a value, True, False or None
(SQL NULL, "unknown"). A missing field is NULL, and a comparison with NULL is unknown;
only TRUE lets an event through. Numbers compare exactly as decimals, timestamps as
instants, text by code point. LIKE knows `%` and `_` and has no escape character.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Any

from sqlglot import exp

from govern.catalog.catalog import field_type
from govern.catalog.model import Contract
from govern.reference.decimals import DIVISION, EXACT
from govern.reference.envelope import Event, field_reader, parse_instant

Compiled = Callable[[Event], Any]

_COMPARE = {
    exp.EQ: operator.eq,
    exp.NEQ: operator.ne,
    exp.LT: operator.lt,
    exp.LTE: operator.le,
    exp.GT: operator.gt,
    exp.GTE: operator.ge,
}


def compile_filter(expression: exp.Expression | None, contract: Contract) -> Compiled:
    """A function of an event: True when the filter holds, False or None (unknown) if not.

    No filter lets every event through.
    """
    if expression is None:
        return lambda event: True
    return _Compiler(contract).compile(expression)


_ARITHMETIC = {
    exp.Add: EXACT.add,
    exp.Sub: EXACT.subtract,
    exp.Mul: EXACT.multiply,
    exp.Mod: EXACT.remainder,
    exp.Div: DIVISION.divide,
}
"""Exact, except quotients (38 significant digits); `%` takes the sign of the dividend."""


@lru_cache(maxsize=256)
def like_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression for a LIKE pattern: `%` any text, `_` any one character."""
    parts = ("." if c == "_" else ".*" if c == "%" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


class _Compiler:
    def __init__(self, contract: Contract):
        self.contract = contract

    def is_timestamp(self, node: exp.Expression) -> bool:
        while isinstance(node, exp.Paren):
            node = node.this
        return isinstance(node, exp.Column) and (
            field_type(self.contract, node.name) == "timestamp"
        )

    def compile(self, node: exp.Expression, instants: bool = False) -> Compiled:
        """Compile `node`; with `instants`, text (literal or field) is read as a timestamp."""
        if isinstance(node, exp.Paren):
            return self.compile(node.this, instants)
        if isinstance(node, exp.Column):
            return self.column(node, instants)
        if isinstance(node, exp.Literal):
            constant = self.literal(node, instants)
            return lambda event: constant
        if isinstance(node, exp.Boolean):
            truth = bool(node.this)
            return lambda event: truth
        if isinstance(node, exp.Null):
            return lambda event: None
        if isinstance(node, (exp.And, exp.Or)):
            dominant = isinstance(node, exp.Or)
            return _junction(self.compile(node.this), self.compile(node.expression), dominant)
        if isinstance(node, exp.Not):
            return _not(self.compile(node.this))
        if isinstance(node, exp.Is):
            return self.is_(node)
        if isinstance(node, tuple(_COMPARE)):
            left, right = self.operands(node.this, [node.expression])
            return _comparison(_COMPARE[type(node)], left, right[0])
        if isinstance(node, exp.In):
            left, items = self.operands(node.this, node.expressions)
            return _in(left, items)
        if isinstance(node, exp.Between):
            left, (low, high) = self.operands(node.this, [node.args["low"], node.args["high"]])
            low_ok, high_ok = (
                _comparison(operator.ge, left, low),
                _comparison(operator.le, left, high),
            )
            return _junction(low_ok, high_ok, dominant=False)
        if isinstance(node, exp.Like):
            like = _like(self.compile(node.this), node.expression, self.compile(node.expression))
            return _not(like) if node.args.get("negate") else like
        if isinstance(node, exp.Neg):
            return _negative(self.compile(node.this))
        if isinstance(node, tuple(_ARITHMETIC)):
            calc = _ARITHMETIC[type(node)]
            return _binary(calc, self.compile(node.this), self.compile(node.expression))
        raise ValueError(f"{node.key.upper()} is not in the filter subset")

    def operands(
        self, left: exp.Expression, rights: list[exp.Expression]
    ) -> tuple[Compiled, list[Compiled]]:
        """Compile both sides of a comparison, as instants when either side is a timestamp."""
        instants = any(self.is_timestamp(side) for side in (left, *rights))
        return self.compile(left, instants), [self.compile(r, instants) for r in rights]

    def column(self, node: exp.Column, instants: bool) -> Compiled:
        read = field_reader(node.name, self.contract)
        if not instants or field_type(self.contract, node.name) != "timestamp":
            return read
        return lambda event: _instant_or_null(read(event))

    def literal(self, node: exp.Literal, instants: bool) -> Any:
        if not node.is_string:
            return Decimal(node.this)
        return _instant_or_null(node.this) if instants else node.this

    def is_(self, node: exp.Is) -> Compiled:
        value = self.compile(node.this)
        target = node.expression
        if isinstance(target, exp.Null):
            return lambda event: value(event) is None
        truth = bool(target.this)
        return lambda event: value(event) is truth


def _instant_or_null(text: Any) -> Any:
    """A timestamp's instant; an unreadable one is NULL (it compares with nothing)."""
    if text is None or text.__class__ is not str:
        return text
    try:
        return parse_instant(text)
    except ValueError:
        return None


def _junction(left: Compiled, right: Compiled, dominant: bool) -> Compiled:
    """AND (`dominant` False) or OR (`dominant` True) in Kleene's three-valued logic: the
    dominant value wins whatever the other side is; else unknown beats the rest."""

    def evaluate(event: Event) -> bool | None:
        a = left(event)
        if a is dominant:
            return dominant
        b = right(event)
        if b is dominant:
            return dominant
        return None if a is None or b is None else not dominant

    return evaluate


def _not(inner: Compiled) -> Compiled:
    def evaluate(event: Event) -> bool | None:
        value = inner(event)
        return None if value is None else not value

    return evaluate


def _comparison(compare: Callable[[Any, Any], bool], left: Compiled, right: Compiled) -> Compiled:
    def evaluate(event: Event) -> bool | None:
        a, b = left(event), right(event)
        if a is None or b is None:
            return None
        try:
            return compare(a, b)
        except TypeError:
            return None

    return evaluate


def _in(left: Compiled, items: list[Compiled]) -> Compiled:
    def evaluate(event: Event) -> bool | None:
        value = left(event)
        if value is None:
            return None
        unknown = False
        for item in items:
            candidate = item(event)
            if candidate is None:
                unknown = True
            elif candidate == value:
                return True
        return None if unknown else False

    return evaluate


def _like(text: Compiled, node: exp.Expression, pattern: Compiled) -> Compiled:
    """LIKE; a literal `prefix%` pattern (the common case) is a prefix test."""
    if isinstance(node, exp.Literal) and node.is_string:
        prefix = node.this[:-1]
        if node.this.endswith("%") and not any(c in prefix for c in "%_"):

            def starts(event: Event) -> bool | None:
                value = text(event)
                return value.startswith(prefix) if value.__class__ is str else None

            return starts

    def evaluate(event: Event) -> bool | None:
        value, shape = text(event), pattern(event)
        if value.__class__ is not str or shape.__class__ is not str:
            return None
        return like_pattern(shape).fullmatch(value) is not None

    return evaluate


def _negative(inner: Compiled) -> Compiled:
    def evaluate(event: Event) -> Any:
        value = inner(event)
        return None if value is None else -value

    return evaluate


def _binary(calc: Callable[[Any, Any], Any], left: Compiled, right: Compiled) -> Compiled:
    def evaluate(event: Event) -> Any:
        a, b = left(event), right(event)
        if a is None or b is None:
            return None
        try:
            return calc(a, b)
        except (TypeError, DivisionByZero, InvalidOperation):
            return None

    return evaluate
