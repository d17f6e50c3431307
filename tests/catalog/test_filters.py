"""The filter subset: what parses, what is refused, how types are checked and explained."""

from __future__ import annotations

import pytest

from govern.catalog.filters import FilterError, check_filter, parse_filter, referenced_fields
from govern.explain import explain_filter

TYPES = {"status": "integer", "route": "string", "cached": "boolean", "time": "timestamp"}.get

ALLOWED = [
    "status < 500",
    "status BETWEEN 200 AND 299",
    "route IN ('/a', '/b') OR route LIKE '/v1/%'",
    "route NOT LIKE '/health%'",
    "cached IS NULL OR NOT cached",
    "status % 100 = 0 AND -status < 0",
    "time >= '2026-01-01T00:00:00Z'",
    '"status" <> 404',
]
REFUSED = [
    ("upper(route) = 'A'", "UPPER"),
    ("CAST(status AS TEXT) = '1'", "CAST"),
    ("status IN (SELECT 1)", "SUBQUERY"),
    ("t.status = 1", "qualified"),
    ("status = ", "not valid SQL"),
    ("CASE WHEN status > 1 THEN TRUE END", "CASE"),
]
TYPE_ERRORS = [
    ("status = 'ok'", "cannot compare integer 'status' with string"),
    ("route + 1 > 2", "arithmetic"),
    ("route LIKE 5", "LIKE works on text only"),
    ("status", "must be a condition"),
    ("status = NULL", "use IS NULL"),
    ("time > 'yesterday'", "cannot compare timestamp"),
    ("colour = 1", "unknown field 'colour'"),
]


@pytest.mark.parametrize("text", ALLOWED)
def test_allowed_filters_type_check(text: str) -> None:
    assert check_filter(parse_filter(text), TYPES) == []


@pytest.mark.parametrize(("text", "why"), REFUSED)
def test_refused_constructs_are_located_errors(text: str, why: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    assert caught.value.problem.rule == "MTR003"
    assert why in caught.value.problem.message


@pytest.mark.parametrize(("text", "why"), TYPE_ERRORS)
def test_type_errors(text: str, why: str) -> None:
    problems = check_filter(parse_filter(text), TYPES)
    assert problems and why in problems[0].message


def test_referenced_fields_in_order() -> None:
    assert referenced_fields(parse_filter("b = 1 AND (a = 2 OR b = 3)")) == ["b", "a"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("status < 500", "status is below 500"),
        ("route NOT LIKE '/health%'", "route does not match '/health%'"),
        ("route NOT IN ('/a', '/b')", "route is none of '/a', '/b'"),
        ("cached IS NULL OR NOT cached", "cached is missing or cached is false"),
        ("status BETWEEN 200 AND 299", "status is between 200 and 299"),
        ("note IS NOT NULL", "note is present"),
    ],
)
def test_explained_in_words(text: str, words: str) -> None:
    assert explain_filter(text) == words
