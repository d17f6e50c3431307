"""Meter filters: SQL boolean expressions, parsed by sqlglot and held to a safe subset.

The subset is what every engine evaluates identically with SQL three-valued logic:
comparisons, AND / OR / NOT, IN, BETWEEN, IS [NOT] NULL, LIKE, arithmetic, literals and
field references. Functions, subqueries, casts and the rest are refused with a located
error, so a filter never means one thing in DuckDB and another in Snowflake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

ALLOWED = (
    "comparisons (= <> != < <= > >=), AND, OR, NOT, IN, BETWEEN, IS [NOT] NULL, LIKE, "
    "+ - * / and %, literals, field names"
)
COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
NUMERIC = frozenset({"integer", "number"})


@dataclass(frozen=True)
class FilterProblem:
    """A problem in a filter; `offset` is the character index it starts at, when known."""

    rule: str
    message: str
    offset: int | None = None


class FilterError(Exception):
    def __init__(self, problem: FilterProblem):
        self.problem = problem
        super().__init__(problem.message)


@lru_cache(maxsize=1024)
def parse_filter(text: str) -> exp.Expression:
    """Parse `text` into a sqlglot expression within the safe subset, or raise FilterError."""
    try:
        expression = sqlglot.parse_one(text)
    except (ParseError, TokenError) as exc:
        errors = getattr(exc, "errors", None) or [{}]
        column = errors[0].get("col")
        message = errors[0].get("description") or str(exc).splitlines()[0]
        offset = column - 1 if isinstance(column, int) and column > 0 else None
        problem = FilterProblem("MTR003", f"filter is not valid SQL: {message}", offset)
        raise FilterError(problem) from None
    for node in expression.walk():
        if not isinstance(node, _ALLOWED_NODES):
            name = node.key.upper()
            raise FilterError(
                FilterProblem(
                    "MTR003",
                    f"{name} is not allowed in a filter; allowed: {ALLOWED}",
                    _offset(node),
                )
            )
        if isinstance(node, exp.Column) and node.table:
            raise FilterError(
                FilterProblem(
                    "MTR003", f"qualified name '{node.sql()}' is not allowed", _offset(node)
                )
            )
    return expression


_ALLOWED_NODES = (
    exp.And,
    exp.Or,
    exp.Not,
    exp.Paren,
    exp.In,
    exp.Between,
    exp.Is,
    exp.Like,
    exp.Neg,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Column,
    exp.Identifier,
    *COMPARISONS,
    *ARITHMETIC,
)


def parse_filter_or_none(text: str | None) -> exp.Expression | None:
    """`text` parsed, or None when there is no filter or it does not parse (lint rule
    MTR003 reports that): for checks that look into filters that are valid."""
    if not text:
        return None
    try:
        return parse_filter(text)
    except FilterError:
        return None


def _offset(node: exp.Expression) -> int | None:
    for candidate in (node, *node.find_all(exp.Identifier)):
        start = candidate.meta.get("start") if candidate.meta else None
        if start is not None:
            return start
    return None


def referenced_fields(expression: exp.Expression) -> list[str]:
    """The field names a filter reads, in order of first appearance."""
    return list(dict.fromkeys(column.name for column in expression.find_all(exp.Column)))


def compared_literals(expression: exp.Expression) -> dict[str, set[str]]:
    """Field name -> the literal values it is compared with (=, <>, IN): used for enum checks."""
    found: dict[str, set[str]] = {}
    for node in expression.walk():
        if isinstance(node, (exp.EQ, exp.NEQ)):
            pairs = [(node.this, [node.expression]), (node.expression, [node.this])]
        elif isinstance(node, exp.In):
            pairs = [(node.this, node.expressions)]
        else:
            continue
        for side, others in pairs:
            if isinstance(side, exp.Column):
                values = {o.this for o in others if isinstance(o, exp.Literal)}
                found.setdefault(side.name, set()).update(values)
    return found


TypeOf = Callable[[str], str | None]
"""Resolves a field name to its type (`string`, `integer`, ...) or None when unknown."""


def check_filter(expression: exp.Expression, type_of: TypeOf) -> list[FilterProblem]:
    """Type-check a parsed filter against the fields it may read."""
    checker = _TypeChecker(type_of)
    result = checker.infer(expression)
    if result not in ("boolean", "null", None):
        checker.problem(
            "MTR004", f"a filter must be a condition, not a value of type {result}", expression
        )
    return checker.problems


class _TypeChecker:
    def __init__(self, type_of: TypeOf):
        self.type_of = type_of
        self.problems: list[FilterProblem] = []

    def problem(self, rule: str, message: str, node: exp.Expression) -> None:
        self.problems.append(FilterProblem(rule, message, _offset(node)))

    def infer(self, node: exp.Expression) -> str | None:
        """The type of `node`; None when it cannot be known (an error was recorded)."""
        if isinstance(node, exp.Paren):
            return self.infer(node.this)
        if isinstance(node, exp.Column):
            found = self.type_of(node.name)
            if found is None:
                self.problem("MTR002", f"filter reads unknown field '{node.name}'", node)
            return found
        if isinstance(node, exp.Literal):
            return "string" if node.is_string else "number"
        if isinstance(node, exp.Boolean):
            return "boolean"
        if isinstance(node, exp.Null):
            return "null"
        if isinstance(node, (exp.And, exp.Or)):
            for side in (node.this, node.expression):
                self._expect_condition(side)
            return "boolean"
        if isinstance(node, exp.Not):
            self._expect_condition(node.this)
            return "boolean"
        if isinstance(node, exp.Neg):
            self._expect_numeric(node.this, "-")
            return "number"
        if isinstance(node, ARITHMETIC):
            for side in (node.this, node.expression):
                self._expect_numeric(side, node.key)
            return "number"
        if isinstance(node, COMPARISONS):
            if isinstance(node.expression, exp.Null) or isinstance(node.this, exp.Null):
                self.problem("MTR004", "comparing with NULL is never true; use IS NULL", node)
            self._compatible(node.this, [node.expression])
            return "boolean"
        if isinstance(node, exp.In):
            self._compatible(node.this, node.expressions)
            return "boolean"
        if isinstance(node, exp.Between):
            self._compatible(node.this, [node.args["low"], node.args["high"]])
            return "boolean"
        if isinstance(node, exp.Like):
            for side in (node.this, node.expression):
                if self.infer(side) not in ("string", None):
                    self.problem("MTR004", "LIKE works on text only", side)
            return "boolean"
        if isinstance(node, exp.Is):
            self.infer(node.this)
            if not isinstance(node.expression, (exp.Null, exp.Boolean)):
                self.problem("MTR004", "IS must be followed by NULL, TRUE or FALSE", node)
            return "boolean"
        self.problem("MTR003", f"{node.key.upper()} is not allowed in a filter", node)
        return None

    def _expect_condition(self, node: exp.Expression) -> None:
        found = self.infer(node)
        if found not in ("boolean", "null", None):
            self.problem("MTR004", f"expected a condition, found a value of type {found}", node)

    def _expect_numeric(self, node: exp.Expression, operator: str) -> None:
        found = self.infer(node)
        if found not in (*NUMERIC, "number", "null", None):
            self.problem("MTR004", f"arithmetic ({operator}) on a value of type {found}", node)

    def _compatible(self, left: exp.Expression, rights: list[exp.Expression]) -> None:
        left_type = self.infer(left)
        for right in rights:
            right_type = self.infer(right)
            if not _comparable(left_type, right_type, left, right):
                self.problem(
                    "MTR004",
                    f"cannot compare {left_type} '{left.sql()}' with {right_type} '{right.sql()}'",
                    right if isinstance(left, exp.Column) else left,
                )


def _family(kind: str | None) -> str | None:
    return "number" if kind in NUMERIC else kind


def _comparable(
    left: str | None, right: str | None, left_node: exp.Expression, right_node: exp.Expression
) -> bool:
    if None in (left, right) or "null" in (left, right):
        return True
    if _family(left) == _family(right):
        return True
    for kind, node in ((left, right_node), (right, left_node)):
        if kind == "timestamp" and isinstance(node, exp.Literal) and node.is_string:
            return _is_timestamp(node.this)
    return False


def _is_timestamp(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
