"""Plain-English sentences for meters and filters, for `govern show` and the docs site."""

from __future__ import annotations

from datetime import timedelta

from sqlglot import exp

from govern.catalog.durations import parse_duration
from govern.catalog.filters import parse_filter
from govern.catalog.model import Meter, MeterVersion

_COMPARISON_WORDS = {
    exp.EQ: "is",
    exp.NEQ: "is not",
    exp.LT: "is below",
    exp.LTE: "is at most",
    exp.GT: "is above",
    exp.GTE: "is at least",
}
_AGGREGATION_VERBS = {
    "count": "Counts {events}",
    "sum": "Adds up `{value}` over {events}",
    "min": "Takes the smallest `{value}` among {events}",
    "max": "Takes the largest `{value}` among {events}",
    "unique_count": "Counts the distinct values of `{value}` among {events}",
    "latest": "Takes the most recent `{value}` (by event time) among {events}",
}
_PERIOD_WORDS = {"hour": "per hour", "day": "per day", "month": "per calendar month"}
_PERIOD_END = {"hour": "the hour", "day": "the day", "month": "the month"}


def explain_filter(text: str) -> str:
    """`status < 500 AND route NOT LIKE '/health%'` -> `status is below 500 and route ...`."""
    return _words(parse_filter(text))


def _operand(node: exp.Expression) -> str:
    if isinstance(node, exp.Column):
        return node.name
    if isinstance(node, exp.Literal):
        return f"'{node.this}'" if node.is_string else str(node.this)
    return _words(node)


def _words(node: exp.Expression) -> str:
    if isinstance(node, exp.Paren):
        return f"({_words(node.this)})"
    if isinstance(node, exp.And):
        return f"{_words(node.this)} and {_words(node.expression)}"
    if isinstance(node, exp.Or):
        return f"{_words(node.this)} or {_words(node.expression)}"
    if isinstance(node, exp.Not):
        inner = node.this
        if isinstance(inner, exp.Like):
            return f"{_operand(inner.this)} does not match {_operand(inner.expression)}"
        if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null):
            return f"{_operand(inner.this)} is present"
        if isinstance(inner, exp.In):
            return f"{_operand(inner.this)} is none of {_list(inner.expressions)}"
        if isinstance(inner, exp.Column):
            return f"{inner.name} is false"
        return f"not {_words(inner)}"
    if isinstance(node, exp.Column):
        return f"{node.name} is true"
    if type(node) in _COMPARISON_WORDS:
        word = _COMPARISON_WORDS[type(node)]
        return f"{_operand(node.this)} {word} {_operand(node.expression)}"
    if isinstance(node, exp.In):
        return f"{_operand(node.this)} is one of {_list(node.expressions)}"
    if isinstance(node, exp.Between):
        low, high = _operand(node.args["low"]), _operand(node.args["high"])
        return f"{_operand(node.this)} is between {low} and {high}"
    if isinstance(node, exp.Like):
        verb = "does not match" if node.args.get("negate") else "matches"
        return f"{_operand(node.this)} {verb} {_operand(node.expression)}"
    if isinstance(node, exp.Is):
        if isinstance(node.expression, exp.Null):
            return f"{_operand(node.this)} is missing"
        return f"{_operand(node.this)} is {node.expression.sql().lower()}"
    return node.sql()


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _list(items: list[exp.Expression]) -> str:
    return ", ".join(_operand(item) for item in items)


def describe_duration(value: timedelta) -> str:
    """`3 days`, `6 hours`, `1 day 12 hours`, `0 seconds`."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts) or "0 seconds"


def describe_version(meter: Meter, version: MeterVersion) -> str:
    """One paragraph saying what a meter version bills, in Finance's words."""
    events = f"`{version.contract_name}` events"
    if version.filter:
        events += f" where {explain_filter(version.filter)}"
    sentence = _AGGREGATION_VERBS[version.aggregation].format(value=version.value, events=events)
    per = _and_list(["customer", *version.group_by])
    period = version.period
    sentence += f", per {per}, {_PERIOD_WORDS[period.every]} in {period.timezone} time."
    grace = parse_duration(version.late.grace)
    end = _PERIOD_END[period.every]
    if grace:
        sentence += (
            f" Events recorded more than {describe_duration(grace)} after {end} ends are "
            "billed as adjustments on the next invoice."
        )
    else:
        sentence += (
            f" Events recorded after {end} ends are billed as adjustments on the next invoice."
        )
    precision = version.precision
    rounding = precision.rounding.replace("_", " ")
    places = f"{precision.scale} decimal place{'s' if precision.scale != 1 else ''}"
    sentence += f" Quantities are in {meter.unit}s, rounded {rounding} to {places}."
    return sentence
