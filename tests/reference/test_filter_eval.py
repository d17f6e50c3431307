"""Filters: SQL three-valued logic, exact numbers, LIKE, timestamps as instants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from govern.catalog.filters import parse_filter
from govern.events.reader import RawLine
from govern.reference.envelope import EnvelopeReader
from govern.reference.filter_eval import compile_filter, like_pattern
from tests.reference.builders import event, make_catalog, meter_version

CONTRACT = make_catalog(meter_version()).contract("usage")
READER = EnvelopeReader(CONTRACT)


def verdict(text: str, **data: Any) -> bool | None:
    body = {**event("e1", "2026-10-01T12:00:00Z", "2026-10-01T12:00:05Z"), "data": data}
    normalized = READER.read(body, RawLine(0, "-", 1, b"{}"))
    return compile_filter(parse_filter(text), CONTRACT)(normalized)


T, F, U = True, False, None


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        ("n < 500", {"n": 499}, T),
        ("n < 500", {"n": 500}, F),
        ("n < 500", {"region": "x"}, U),  # missing field: unknown
        ("n = 0.1", {"n": Decimal("0.10")}, T),  # exact decimal, never binary float
        ("n + 0.2 = 0.3", {"n": Decimal("0.1")}, T),
        ("n / 3 * 3 = n", {"n": 1}, F),  # 38 significant digits, like SQL DECIMAL
        ("n / 0 > 1", {"n": 1}, U),
        ("n % 3 = -2", {"n": -5}, T),  # the sign of the dividend, like SQL
        ("-n = -5", {"n": 5}, T),
        # Kleene logic: FALSE AND unknown is FALSE, TRUE OR unknown is TRUE.
        ("region = 'eu' AND n > 0", {"n": 1}, U),
        ("region = 'eu' AND n > 0", {"n": 0}, F),
        ("region = 'eu' OR n > 0", {"n": 1}, T),
        ("region = 'eu' OR n > 0", {"n": 0}, U),
        ("NOT region = 'eu'", {"n": 0}, U),
        ("NOT (n > 0)", {"n": 0}, T),
        ("flag", {"n": 1, "flag": True}, T),
        ("NOT flag", {"n": 1, "flag": True}, F),
        ("flag IS NULL OR NOT flag", {"n": 1}, T),
        ("flag IS NULL OR NOT flag", {"n": 1, "flag": False}, T),
        ("flag IS NULL OR NOT flag", {"n": 1, "flag": True}, F),
        ("flag IS TRUE", {"n": 1}, F),
        ("flag IS NOT TRUE", {"n": 1}, T),
        ("region IS NOT NULL", {"n": 1, "region": "eu"}, T),
        ("region IS NULL", {"n": 1, "region": None}, T),  # explicit null is NULL
        # IN: a match wins; otherwise a NULL in the list (or on the left) is unknown.
        ("region IN ('eu', 'us')", {"region": "us"}, T),
        ("region IN ('eu', 'us')", {"region": "ap"}, F),
        ("region IN ('eu', NULL)", {"region": "ap"}, U),
        ("region IN ('eu', NULL)", {"region": "eu"}, T),
        ("region NOT IN ('eu', 'us')", {"n": 1}, U),
        ("region NOT IN ('eu', NULL)", {"region": "ap"}, U),
        ("n BETWEEN 1 AND 3", {"n": 3}, T),
        ("n BETWEEN 1 AND 3", {"n": Decimal("3.0001")}, F),
        ("n NOT BETWEEN 1 AND 3", {"n": 0}, T),
        ("n BETWEEN 1 AND 3", {"region": "x"}, U),
        # LIKE: % any text, _ one character, case-sensitive, no escape character.
        ("region LIKE '/health%'", {"region": "/health/ready"}, T),
        ("region LIKE '/health%'", {"region": "/Health"}, F),
        ("region NOT LIKE '/health%'", {"region": "/v1/chat"}, T),
        ("region NOT LIKE '/health%'", {"n": 1}, U),
        ("region LIKE 'a_c'", {"region": "abc"}, T),
        ("region LIKE 'a_c'", {"region": "abbc"}, F),
        ("region LIKE 'a.c'", {"region": "abc"}, F),
        ("region LIKE '50\\%'", {"region": "50\\x"}, T),
        ("region LIKE '%'", {"region": "line\nbreak"}, T),
        # Comparing text with a number is unknown, not an error.
        ("region > 1", {"region": "eu"}, U),
        ("region = 'eu'", {"region": "eu"}, T),
        ("region <> 'eu'", {"region": "eu"}, F),
        ("region != 'eu'", {"region": "us"}, T),
        ("region < 'f'", {"region": "eu"}, T),
        ("TRUE", {"n": 1}, T),
        ("NULL", {"n": 1}, U),
    ],
)
def test_three_valued(text: str, data: dict[str, Any], expected: bool | None) -> None:
    assert verdict(text, **data) is expected


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        ("time >= '2026-10-01T12:00:00Z'", {"n": 1}, T),
        ("time > '2026-10-01T14:00:00+02:00'", {"n": 1}, F),  # the same instant
        ("time = '2026-10-01T14:00:00+02:00'", {"n": 1}, T),
        ("recordedtime BETWEEN '2026-10-01T12:00:00Z' AND '2026-10-01T12:00:05Z'", {}, T),
        ("at < '2026-01-01T00:00:00Z'", {"n": 1, "at": "2025-12-31T23:00:00-02:00"}, F),
        ("at < '2026-01-01T00:00:00Z'", {"n": 1, "at": "2025-12-31T21:59:59-02:00"}, T),
        ("at IN ('2026-01-01T01:00:00+01:00')", {"n": 1, "at": "2026-01-01T00:00:00Z"}, T),
        ("at < '2026-01-01T00:00:00Z'", {"n": 1, "at": "yesterday"}, U),
        ("at < '2026-01-01T00:00:00Z'", {"n": 1}, U),
    ],
)
def test_timestamps_compare_as_instants(
    text: str, data: dict[str, Any], expected: bool | None
) -> None:
    assert verdict(text, **data) is expected


def test_envelope_attributes_are_readable() -> None:
    assert verdict("subject = 'acme' AND source LIKE 's%' AND id = 'e1'", n=1) is True
    assert verdict("voids IS NULL", n=1) is True


def test_no_filter_lets_everything_through() -> None:
    assert compile_filter(None, CONTRACT)(None) is True  # type: ignore[arg-type]


def test_like_pattern_escapes_regular_expression_syntax() -> None:
    assert like_pattern("a+b(c)%").fullmatch("a+b(c) and more")
    assert not like_pattern("a+b").fullmatch("aab")
