"""The batched path (`Deriver.derive_all`) reads the value of value-bearing meters exactly
as `derive` reads it from the exact data: decimals with many places or in exponent form,
integers at and past the 64-bit limits, nulls and missing values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govern.catalog.model import FieldSpec, MeterVersion
from govern.reference.derive import Deriver
from govern.timestamps import format_utc
from tests.reference.builders import event, lines, make_catalog, meter_version
from tests.reference.test_certified import both_paths
from tests.reference.test_properties import PROPERTY

FIELDS = {
    "n": FieldSpec(type="number", required=True),
    "x": FieldSpec(type="number"),
    "k": FieldSpec(type="integer"),
    "region": FieldSpec(type="string"),
    "flag": FieldSpec(type="boolean"),
}
NOVEMBER = {"effective_from": "2026-11-01", "version": 2}
DECIDED = {"filter": "region <> 'us' OR flag", "group_by": ["region"]}
VERSIONS: dict[str, list[MeterVersion]] = {
    **{
        f"{aggregation}_{value}": [
            meter_version(aggregation=aggregation, value=value, precision={"scale": 18}, **DECIDED)
        ]
        for aggregation in ("sum", "min", "max", "latest", "unique_count")
        for value in ("n", "x", "k")
    },
    "unique_flags": [meter_version(aggregation="unique_count", value="flag")],
    "sum_then_max": [
        meter_version(aggregation="sum", value="x", precision={"scale": 18}),
        meter_version(aggregation="max", value="k", group_by=["flag"], **NOVEMBER),
    ],
    "count_then_sum": [
        meter_version(group_by=["region"]),
        meter_version(aggregation="sum", value="n", precision={"scale": 18}, **NOVEMBER),
    ],
}
LIMITS = [2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64 - 1, 2**64, 10**30, -(10**40)]
MISSING = object()
numbers = (
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False, places=30)
    | st.integers()
    | st.sampled_from([*LIMITS, Decimal("1E+3"), Decimal("-0.0"), Decimal("1.10")])
)
values = numbers | st.none() | st.just(MISSING)


@st.composite
def streams(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Events over October and November 2026, a few sharing an id."""
    found = []
    for index in range(draw(st.integers(1, 20))):
        time = datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 61 * 24)))
        recorded = time + timedelta(hours=draw(st.sampled_from([0, 1, 30, 24 * 40])), seconds=index)
        data = {
            name: value
            for name in ("n", "x", "k")
            if (value := draw(numbers if name == "n" else values)) is not MISSING
        }
        data.update(
            (name, value)
            for name, value in (
                ("region", draw(st.sampled_from(["eu", "us", MISSING]))),
                ("flag", draw(st.sampled_from([True, False, MISSING]))),
            )
            if value is not MISSING
        )
        subject = draw(st.sampled_from(["acme", "globex"]))
        identifier = f"e{draw(st.integers(0, 25))}"
        found.append(
            event(identifier, format_utc(time), format_utc(recorded), subject=subject, **data)
        )
    return found


@PROPERTY
@given(
    st.sampled_from(sorted(VERSIONS)),
    streams(),
    st.none() | st.just("2026-11-15T00:00:00Z"),
    st.none() | st.just({"acme": "ACME"}),
)
def test_batched_values_are_what_derive_reads(
    meter: str, events: list[dict[str, Any]], as_of: str | None, customers: dict | None
) -> None:
    catalog = make_catalog(*VERSIONS[meter], fields=FIELDS)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, general, _ = both_paths(
            monkeypatch, catalog, "m", lines(*events), as_of=as_of, customers=customers
        )
    assert fast == general


EDGES = [
    event("places", "2026-10-01T00:00:00Z", n=Decimal("0.10000000000000000000000000001")),
    event("exponent", "2026-10-02T00:00:00Z", n=Decimal("1E+3"), x=Decimal("-2.5E-7")),
    event("big", "2026-10-03T00:00:00Z", n=2**64, k=2**63 - 1, x=-(10**30)),
    event("small", "2026-10-04T00:00:00Z", n=-(2**63) - 1, k=-(2**63), region="eu"),
    event("null", "2026-10-05T00:00:00Z", n=1, x=None, k=None),
    event("missing", "2026-11-05T00:00:00Z", n=Decimal("2.50"), flag=True),
    event("trailing", "2026-11-06T00:00:00Z", n=Decimal("2.500"), x=Decimal("1.10"), k=3),
]


@pytest.mark.parametrize("meter", sorted(VERSIONS))
def test_edge_values_are_decided_by_the_batch(monkeypatch, meter: str) -> None:
    """The batched path decides these events, and finds what `derive` finds."""
    derive_all = Deriver.derive_all
    batched = []

    def spying(self: Deriver, batch: Any, exact_event: Any) -> Any:
        derived = derive_all(self, batch, exact_event)
        if batch.lines:
            batched.append(derived is not None)
        return derived

    monkeypatch.setattr(Deriver, "derive_all", spying)
    catalog = make_catalog(*VERSIONS[meter], fields=FIELDS)
    fast, general, certified = both_paths(monkeypatch, catalog, "m", lines(*EDGES))
    assert fast == general
    assert certified == len(EDGES) - 1  # a null is left to the general path
    assert batched and all(batched)
