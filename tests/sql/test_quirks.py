"""The dialect quirks, as tables run in every executed dialect: the one rounding, the
first instant of a local time around daylight-saving changes, LIKE without escapes; and
the constructs a dialect refuses with an explicit error."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlglot import exp

from govern.catalog.filters import parse_filter
from govern.catalog.model import MeterVersion
from govern.reference.filter_eval import like_pattern
from govern.reference.periods import first_instant
from govern.sql import DIALECTS, UnsupportedError, get_dialect
from govern.sql.dialects.base import lit
from govern.sql.fields import Field
from govern.sql.filters import FilterSQL
from govern.sql.periods import Era, PeriodSQL

EXECUTED = ["duckdb", "postgres", "clickhouse"]


@pytest.fixture(params=EXECUTED)
def scalar(request):
    """Evaluates one SQL expression in an executed dialect: (dialect, evaluate)."""
    name = request.param
    if name == "duckdb":
        import duckdb

        connection = duckdb.connect()
        connection.execute("SET TimeZone = 'UTC'")
        return name, lambda sql: connection.execute(f"SELECT {sql}").fetchone()[0]
    if name == "postgres":
        connection = request.getfixturevalue("postgres_connection")
        return name, lambda sql: connection.execute(f"SELECT {sql}").fetchone()[0]
    session = request.getfixturevalue("chdb_session")
    return name, lambda sql: session.query(f"SELECT {sql} AS x", "ArrowTable").to_pylist()[0]["x"]


MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
VALUES = [
    "2.5",
    "-2.5",
    "3.5",
    "0.125",
    "-0.125",
    "1.0049999999",
    "-7.000000000000000001",
    "0",
    "99999.99995",
]
ROUNDING = [(value, scale, mode) for value in VALUES for scale in (0, 2, 4) for mode in MODES]


@pytest.mark.parametrize(("value", "scale", "mode"), ROUNDING)
def test_rounding(scalar, value: str, scale: int, mode: str) -> None:
    name, evaluate = scalar
    dialect = get_dialect(name)
    expected = Decimal(value).quantize(Decimal(1).scaleb(-scale), rounding=MODES[mode])
    source = dialect.cast(lit(value), dialect.decimal_type(18))
    found = evaluate(dialect.round_decimal(source, scale, mode, 18).sql(dialect=dialect.sqlglot))
    assert Decimal(found) == expected


WALLS = [
    ("America/New_York", datetime(2026, 11, 1, 1)),  # repeated hour: the first one
    ("America/New_York", datetime(2026, 11, 1, 2)),
    ("America/New_York", datetime(2026, 3, 8, 2)),  # skipped hour: the jump
    ("America/New_York", datetime(2026, 3, 8, 3)),
    ("America/New_York", datetime(2026, 11, 2)),
    ("Europe/Berlin", datetime(2026, 10, 25, 2)),
    ("Europe/Berlin", datetime(2026, 3, 29, 2)),
    ("Europe/Berlin", datetime(2026, 11, 1)),
    ("Australia/Adelaide", datetime(2026, 10, 4, 2)),
    ("Australia/Adelaide", datetime(2026, 4, 5, 2)),
    ("Asia/Kolkata", datetime(2026, 11, 1)),
]


@pytest.mark.parametrize(("zone", "wall"), WALLS, ids=[f"{z}-{w:%m%dT%H}" for z, w in WALLS])
def test_first_instant_of_a_local_time(scalar, zone: str, wall: datetime) -> None:
    name, evaluate = scalar
    dialect = get_dialect(name)
    version = MeterVersion.model_validate(
        {
            "version": 1,
            "effective_from": "2026-01-01",
            "contract": "c",
            "aggregation": "count",
            "period": {"every": "hour", "timezone": zone},
        }
    )
    era = Era(
        version, datetime(2026, 1, 1, tzinfo=UTC), None, "hour", zone, version.late.grace_delta
    )
    local = dialect.timestamp_literal(wall.replace(tzinfo=UTC))
    sql = PeriodSQL(dialect, era).first_instant(local).sql(dialect=dialect.sqlglot)
    found = evaluate(sql)
    found = found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
    assert found == first_instant(wall, ZoneInfo(zone))


LIKES = [
    ("/health/live", "/health%"),
    ("/v1/health", "/health%"),
    ("a_b", "a_b"),
    ("axb", "a_b"),
    ("a\\b", "a\\b"),
    ("a%b", "a%b"),
    ("é", "_"),
    ("line\nbreak", "line_break"),
    ("", "%"),
    ("ABC", "abc"),
]


@pytest.mark.parametrize(("text", "pattern"), LIKES)
def test_like_has_no_escape_character(scalar, text: str, pattern: str) -> None:
    name, evaluate = scalar
    dialect = get_dialect(name)
    expected = like_pattern(pattern).fullmatch(text) is not None
    sql = dialect.like(lit(text), lit(pattern)).sql(dialect=dialect.sqlglot)
    assert bool(evaluate(sql)) is expected


def _filter(dialect: str, text: str) -> exp.Expression:
    kinds = {"n": "number", "k": "integer", "route": "string"}
    translator = FilterSQL(
        get_dialect(dialect),
        lambda name: Field(name, kinds.get(name), envelope=False),
        "meter m v1",
    )
    return translator.condition(parse_filter(text))


UNSUPPORTED = (
    [(dialect, "n / 2 > 1", "division") for dialect in DIALECTS]
    + [(dialect, "n % 2 = 1", "% on numbers with a fraction") for dialect in DIALECTS]
    + [
        (dialect, "route LIKE route", "LIKE with a pattern that is not a constant")
        for dialect in ("clickhouse", "bigquery", "databricks")
    ]
)


@pytest.mark.parametrize(("dialect", "text", "construct"), UNSUPPORTED)
def test_unsupported_constructs_are_explicit_errors(
    dialect: str, text: str, construct: str
) -> None:
    with pytest.raises(UnsupportedError) as error:
        _filter(dialect, text)
    assert construct in str(error.value)
    assert get_dialect(dialect).title in str(error.value)


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_integer_remainder_and_constant_like_compile(dialect: str) -> None:
    assert _filter(dialect, "k % 3 = 1 AND route NOT LIKE '/health%'") is not None
