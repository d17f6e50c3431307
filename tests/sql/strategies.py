"""Hypothesis strategies: small generated catalogs and event streams aimed at the edges.

Meters: every aggregation, hour/day/month periods in zones with and without daylight
saving (and a half-hour offset), grace windows, scales and rounding modes, filters over
every construct of the subset (nulls included), dimensions, and sometimes a second
version with another period grid. Events: times at and next to period boundaries and DST
changes, late arrivals, identical and conflicting duplicates, voids (before and after
their target, of unknown targets), missing optional fields, decimals with many places,
and a few invalid events of the kinds SQL checks (schema, clock skew).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from govern.catalog.catalog import Catalog
from govern.catalog.model import Contract, FieldSpec, Meter, MeterVersion
from govern.events.reader import RawLine
from govern.timestamps import format_utc
from tests.reference.builders import lines

FIELDS = {
    "n": FieldSpec(type="number", required=True, minimum=Decimal("-1000000")),
    "k": FieldSpec(type="integer", required=True, minimum=Decimal(0), maximum=Decimal(1000)),
    "m": FieldSpec(type="number"),
    "region": FieldSpec(type="string", enum=["us", "eu", "ap"]),
    "user": FieldSpec(type="string", max_length=8),
    "flag": FieldSpec(type="boolean"),
    "at": FieldSpec(type="timestamp"),
}
CONTRACT = Contract.model_validate(
    {"contract": "usage", "version": 1, "status": "released", "fields": FIELDS}
)
DEDUP_KEYS = [["source", "id"], ["source", "id"], ["subject", "k"], ["source", "n", "k"]]
"""The default key, or a key of data fields: many usage events are then copies."""

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Adelaide"]
FILTERS = [
    None,
    "n > 1.5",
    "region = 'eu'",
    "region IS NULL OR NOT flag",
    "flag IS TRUE",
    "k BETWEEN 2 AND 7",
    "user LIKE 'u_'",
    "region NOT LIKE 'e%'",
    "k % 3 = 1",
    "n * 2 >= 3.25 AND m IS NOT NULL",
    "at >= '2026-10-15T00:00:00Z'",
    "region IN ('us', 'eu') OR region IS NULL",
    "NOT (n < 0.5) AND k <> 4",
    "-n + k < 3",
    "m <= 0.000000000001 OR m > 2.5",
    "time < '2026-11-01T00:00:00Z'",
    "subject <> 'globex' AND user > 'u2'",
]
VALUES = {
    "count": [None],
    "sum": ["n", "k"],
    "min": ["n", "k"],
    "max": ["n", "k"],
    "latest": ["n", "k", "m"],
    "unique_count": ["user", "k", "region", "flag", "m"],
}
EDGES = [
    datetime(2026, 10, 1, tzinfo=UTC),
    datetime(2026, 11, 1, tzinfo=UTC),
    datetime(2026, 10, 1, 4, tzinfo=UTC),  # New York midnight (EDT)
    datetime(2026, 11, 1, 4, tzinfo=UTC),
    datetime(2026, 11, 1, 5, tzinfo=UTC),  # New York clocks go back at 06:00Z
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    datetime(2026, 10, 24, 22, tzinfo=UTC),  # Berlin midnight (CEST)
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Berlin clocks go back
    datetime(2026, 10, 31, 23, tzinfo=UTC),  # Berlin Nov 1 (CET)
    datetime(2026, 10, 31, 18, 30, tzinfo=UTC),  # Kolkata Nov 1
    datetime(2026, 10, 3, 16, 30, tzinfo=UTC),  # Adelaide clocks go forward
    datetime(2026, 10, 31, 13, 30, tzinfo=UTC),  # Adelaide Nov 1 (ACDT)
]
START = datetime(2026, 9, 29, tzinfo=UTC)
SUBJECTS = ["acme", "globex", "initech"]


@st.composite
def meter_versions(draw: st.DrawFn, number: int, effective_from: date) -> MeterVersion:
    aggregation = draw(st.sampled_from(list(VALUES)))
    value = draw(st.sampled_from(VALUES[aggregation]))
    every = draw(st.sampled_from(["hour", "day", "month"]))
    if effective_from.day != 1 and every == "month":
        every = "day"
    settings: dict[str, Any] = {
        "version": number,
        "status": "released",
        "effective_from": effective_from,
        "contract": "usage",
        "aggregation": aggregation,
        "value": value,
        "filter": draw(st.sampled_from(FILTERS)),
        "group_by": draw(
            st.lists(st.sampled_from(["region", "flag", "k"]), max_size=2, unique=True)
        ),
        "period": {"every": every, "timezone": draw(st.sampled_from(ZONES))},
        "late": {"grace": draw(st.sampled_from(["PT0S", "PT1H", "PT6H", "P1D", "P3D"]))},
        "precision": {
            "scale": draw(st.integers(0, 4)),
            "rounding": draw(st.sampled_from(["half_up", "half_even", "down", "up"])),
        },
    }
    return MeterVersion.model_validate(settings)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """Contract `usage` (deduplicated by (source, id) or by data fields) and meter `m`
    with one version, or two (the second from a date in October or November, possibly on
    another grid)."""
    versions = [draw(meter_versions(1, date(2026, 1, 1)))]
    if draw(st.integers(0, 3)) == 0:
        later = draw(st.sampled_from([date(2026, 10, 15), date(2026, 11, 1), date(2026, 10, 25)]))
        versions.append(draw(meter_versions(2, later)))
    meter = Meter(meter="m", unit="unit", line_item="LINE", versions=versions)
    contract = CONTRACT.model_copy(update={"dedup_key": draw(st.sampled_from(DEDUP_KEYS))})
    return Catalog(contracts={"usage": {1: contract}}, meters={"m": meter})


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    if draw(st.booleans()):
        edge = draw(st.sampled_from(EDGES))
        return edge + timedelta(microseconds=draw(st.sampled_from([-1, 0, 1, -3600_000_000])))
    return START + timedelta(minutes=draw(st.integers(0, 45 * 24 * 60)))


def decimals() -> st.SearchStrategy[Decimal | int]:
    return st.one_of(
        st.sampled_from([0, 1, 7, Decimal("2.25"), Decimal("0.05"), Decimal("-1.5")]),
        st.decimals(
            min_value=Decimal("-1000"), max_value=Decimal("100000"), places=12, allow_nan=False
        ),
        st.integers(-5, 500),
    )


@st.composite
def data(draw: st.DrawFn) -> dict[str, Any]:
    found: dict[str, Any] = {"n": draw(decimals()), "k": draw(st.integers(0, 12))}
    optional = {
        "m": decimals(),
        "region": st.sampled_from(["us", "eu", "ap"]),
        "user": st.sampled_from(["u1", "u2", "u3", "u22"]),
        "flag": st.booleans(),
        "at": st.sampled_from(
            ["2026-10-14T23:59:59.999999Z", "2026-10-15T00:00:00Z", "2026-10-15T02:00:00+02:00"]
        ),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            found[name] = draw(strategy)
    return found


INVALID = {
    "string_number": lambda body: body["data"].update(n="12"),
    "unknown_field": lambda body: body["data"].update(colour="red"),
    "missing_required": lambda body: body["data"].pop("k"),
    "enum": lambda body: body["data"].update(region="mars"),
    "fraction_in_integer": lambda body: body["data"].update(k=Decimal("2.5")),
    "too_long": lambda body: body["data"].update(user="u123456789"),
    "below_minimum": lambda body: body["data"].update(k=-1),
}


@st.composite
def streams(draw: st.DrawFn) -> list[RawLine]:
    """Events with colliding ids (identical and conflicting copies), voids and late
    arrivals; every recorded time distinct except where ties are the point."""
    count = draw(st.integers(1, 30))
    bodies: list[dict[str, Any]] = []
    for index in range(count):
        time = draw(instants())
        delay = timedelta(
            hours=draw(st.sampled_from([0, 0, 1, 7, 25, 30, 75, 24 * 33])),
            microseconds=index + 1,
        )
        recorded = time + delay
        body: dict[str, Any] = {
            "specversion": "1.0",
            "id": f"e{draw(st.integers(0, 9))}",
            "source": draw(st.sampled_from(["a", "b"])),
            "type": "usage",
            "subject": draw(st.sampled_from(SUBJECTS)),
            "time": format_utc(time),
        }
        if draw(st.integers(0, 4)):
            body["recordedtime"] = format_utc(recorded)
        kind = draw(st.integers(0, 19))
        if kind == 0 and bodies:
            copy = dict(draw(st.sampled_from(bodies)))  # an identical retry, or a late one
            if "recordedtime" in copy and draw(st.booleans()):
                copy["recordedtime"] = format_utc(recorded + timedelta(days=2))
            bodies.append(copy)
            continue
        if kind in (1, 2):
            body["id"] = f"v{index}"
            body["voids"] = f"e{draw(st.integers(0, 9))}"
        else:
            body["data"] = draw(data())
            if kind == 3:
                draw(st.sampled_from(list(INVALID.values())))(body)
            elif kind == 4:  # clock skew: time well after recordedtime
                body["recordedtime"] = format_utc(time - timedelta(minutes=6))
            elif kind == 5:
                body["dataschema"] = "urn:govern:usage@1"
        bodies.append(body)
    return lines(*bodies)


def as_of_times() -> st.SearchStrategy[datetime | None]:
    return st.one_of(st.none(), instants())


def customer_mappings() -> st.SearchStrategy[dict[str, str] | None]:
    return st.one_of(
        st.none(),
        st.just({"acme": "ACME", "globex": "ACME"}),
        st.just({"acme": "acme", "globex": "globex", "initech": "initech"}),
    )
