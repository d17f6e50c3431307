"""Properties every run must have, on generated streams with duplicates, voids and late
arrivals (SEMANTICS.md sections 2.4 and 4)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.catalog.catalog import Catalog
from govern.reference import aggregate
from govern.timestamps import format_utc
from tests.reference.builders import event, lines, make_catalog, meter_version

BASE = datetime(2026, 9, 28, tzinfo=UTC)
BOUNDARIES = [datetime(2026, month, 1, tzinfo=UTC) for month in (10, 11, 12)]

METERS = {
    "count": meter_version(late={"grace": "P3D"}, group_by=["region"]),
    "sum": meter_version(
        aggregation="sum", value="n", precision={"scale": 2}, late={"grace": "PT12H"}
    ),
    "max": meter_version(aggregation="max", value="n", late={"grace": "P1D"}),
    "latest": meter_version(aggregation="latest", value="n", group_by=["region"]),
    "unique": meter_version(aggregation="unique_count", value="user", late={"grace": "P2D"}),
    "ny_days": meter_version(
        aggregation="sum",
        value="n",
        precision={"scale": 2},
        period={"every": "day", "timezone": "America/New_York"},
        late={"grace": "PT6H"},
    ),
}
CATALOGS = {name: make_catalog(version) for name, version in METERS.items()}
FOREVER = {
    name: make_catalog(
        version.model_copy(update={"late": version.late.model_copy(update={"grace": "P36500D"})})
    )
    for name, version in METERS.items()
}
"""The same meters with a century of grace: every period open, so billed = value at T."""


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Mostly anywhere in Oct-Nov 2026; often right at or next to a month boundary."""
    if draw(st.booleans()):
        edge = draw(st.sampled_from(BOUNDARIES))
        return edge + timedelta(microseconds=draw(st.sampled_from([-1, 0, 1])))
    return BASE + timedelta(minutes=draw(st.integers(0, 70 * 24 * 60)))


@st.composite
def streams(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Events with colliding ids, voids, late arrivals; every recorded time distinct."""
    count = draw(st.integers(1, 25))
    found = []
    for index in range(count):
        time = draw(instants())
        delay = timedelta(hours=draw(st.sampled_from([0, 1, 13, 30, 75, 80, 24 * 40])))
        recorded = time + delay + timedelta(microseconds=index + 1)
        common = {
            "source": draw(st.sampled_from(["a", "b"])),
            "subject": draw(st.sampled_from(["acme", "globex"])),
        }
        target = f"e{draw(st.integers(0, 6))}"
        if draw(st.integers(0, 9)) == 0:
            found.append(
                event(f"v{index}", format_utc(time), format_utc(recorded), voids=target, **common)
            )
            continue
        data: dict[str, Any] = {
            "n": draw(st.sampled_from([0, 1, 7, Decimal("2.25"), Decimal("0.05")])),
            "user": draw(st.sampled_from(["u1", "u2", "u3"])),
        }
        region = draw(st.sampled_from(["eu", "us", None]))
        if region is not None:
            data["region"] = region
        found.append(event(target, format_utc(time), format_utc(recorded), **common, **data))
    return found


def as_of_strategy() -> st.SearchStrategy[str | None]:
    moments = st.integers(0, 90 * 24).map(lambda h: format_utc(BASE + timedelta(hours=h)))
    return st.none() | moments


def run(catalog: Catalog, events: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
    return [row.to_dict() for row in aggregate(catalog, "m", lines(*events), **options).rows]


def keyed(found: list[dict[str, Any]]) -> dict[tuple, Decimal]:
    """Quantities by (kind, customer, period, posting period, dimensions)."""
    return {
        (
            r["kind"],
            r["customer"],
            r["period_start"],
            r.get("posted_period_start"),
            repr(sorted(r["dimensions"].items())),
        ): Decimal(r["quantity"])
        for r in found
    }


def per_group(found: list[dict[str, Any]]) -> dict[tuple, Decimal]:
    """billed + every adjustment, by (customer, period, dimensions)."""
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in found:
        group = (r["customer"], r["period_start"], repr(sorted(r["dimensions"].items())))
        totals[group] += Decimal(r["quantity"])
    return {group: total for group, total in totals.items() if total}


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
meters = st.sampled_from(sorted(METERS))


@PROPERTY
@given(meters, streams(), as_of_strategy(), st.booleans())
def test_sending_every_event_twice_changes_nothing(
    meter: str, events: list[dict[str, Any]], as_of: str | None, later: bool
) -> None:
    catalog = CATALOGS[meter]
    copies = []
    for body in events:
        copy = dict(body)
        if later:  # a retry recorded later; otherwise the same bytes again
            recorded = datetime.fromisoformat(body["recordedtime"].replace("Z", "+00:00"))
            copy["recordedtime"] = format_utc(recorded + timedelta(days=3))
        copies.append(copy)
    assert run(catalog, events + copies, as_of=as_of) == run(catalog, events, as_of=as_of)


@PROPERTY
@given(meters, streams(), as_of_strategy(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter_when_recorded_times_differ(
    meter: str, events: list[dict[str, Any]], as_of: str | None, shuffler: random.Random
) -> None:
    shuffled = list(events)
    shuffler.shuffle(shuffled)
    catalog = CATALOGS[meter]
    assert run(catalog, shuffled, as_of=as_of) == run(catalog, events, as_of=as_of)


@PROPERTY
@given(meters, streams(), as_of_strategy())
def test_billed_plus_adjustments_is_the_value_over_everything_recorded(
    meter: str, events: list[dict[str, Any]], as_of: str | None
) -> None:
    ledgered = per_group(run(CATALOGS[meter], events, as_of=as_of))
    # With a century of grace nothing closes: each period's row is its value as of T.
    everything = per_group(run(FOREVER[meter], events, as_of=as_of))
    assert ledgered == everything


@PROPERTY
@given(meters, streams(), st.integers(0, 80 * 24), st.integers(1, 30 * 24))
def test_periods_closed_at_t1_read_the_same_at_t2(
    meter: str, events: list[dict[str, Any]], hours: int, more: int
) -> None:
    t1 = BASE + timedelta(hours=hours)
    early = run(CATALOGS[meter], events, as_of=format_utc(t1))
    later = run(CATALOGS[meter], events, as_of=format_utc(t1 + timedelta(hours=more)))
    closed = [row for row in early if row["status"] == "closed"]
    assert all(row in later for row in closed)


@PROPERTY
@given(st.sampled_from(["count", "sum", "ny_days"]), streams(), streams(), as_of_strategy())
def test_count_and_sum_are_additive_over_disjoint_event_sets(
    meter: str, first: list[dict[str, Any]], second: list[dict[str, Any]], as_of: str | None
) -> None:
    catalog = CATALOGS[meter]  # values fit the scale: rounding is no-op, so sums add up
    # Disjoint: the second set's events get their own ids (voids keep pointing inside it).
    second = [
        {
            **body,
            "id": f"x{body['id']}",
            **({"voids": f"x{body['voids']}"} if "voids" in body else {}),
        }
        for body in second
    ]
    separately: dict[tuple, Decimal] = defaultdict(Decimal)
    for part in (first, second):
        for key, quantity in keyed(run(catalog, part, as_of=as_of)).items():
            separately[key] += quantity
    together = keyed(run(catalog, first + second, as_of=as_of))
    assert {k: v for k, v in together.items() if v} == {k: v for k, v in separately.items() if v}
