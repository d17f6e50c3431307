"""Every rule of SEMANTICS.md, one small case at a time, through `aggregate`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govern.errors import InputError
from govern.reference import aggregate
from tests.reference.builders import event, lines, make_catalog, meter_version, rows, summary

GRACE_3D = make_catalog(meter_version(late={"grace": "P3D"}))
"""Monthly UTC count; October closes 2026-11-04T00:00:00Z."""

OCT, NOV, DEC = "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"


def quantities(found: list[dict]) -> list[tuple]:
    return [
        (r["kind"], r["period_start"], r.get("posted_period_start"), r["quantity"]) for r in found
    ]


# ------------------------------------------------------------ periods and closing


def test_an_event_at_exactly_the_period_start_belongs_to_the_new_period() -> None:
    found = rows(GRACE_3D, event("a", "2026-11-01T00:00:00Z"))
    assert quantities(found) == [("usage", NOV, None, "1")]


def test_one_microsecond_before_the_start_belongs_to_the_old_period() -> None:
    found = rows(GRACE_3D, event("a", "2026-10-31T23:59:59.999999Z"))
    assert quantities(found) == [("usage", OCT, None, "1")]
    assert found[0]["period_end"] == NOV


def test_recorded_exactly_at_close_is_billed() -> None:
    found = rows(GRACE_3D, event("a", "2026-10-31T12:00:00Z", "2026-11-04T00:00:00Z"))
    assert quantities(found) == [("usage", OCT, None, "1")]


def test_recorded_one_microsecond_after_close_is_an_adjustment() -> None:
    found = rows(GRACE_3D, event("a", "2026-10-31T12:00:00Z", "2026-11-04T00:00:00.000001Z"))
    # The group's billed set is empty: only the adjustment appears, from 0.
    assert quantities(found) == [("adjustment", OCT, NOV, "1")]
    assert found[0]["period_end"] == NOV and found[0]["posted_period_end"] == DEC


def test_new_york_days_of_23_and_25_hours() -> None:
    catalog = make_catalog(meter_version(period={"every": "day", "timezone": "America/New_York"}))
    found = rows(
        catalog,
        event("spring-first", "2026-03-08T05:00:00Z"),  # 00:00 EST
        event("spring-last", "2026-03-09T03:59:59.999999Z"),  # 23:59:59 EDT
        event("fall-first", "2026-11-01T04:00:00Z"),  # 00:00 EDT
        event("fall-last", "2026-11-02T04:59:59.999999Z"),  # 23:59:59 EST
        event("next", "2026-11-02T05:00:00Z"),
    )
    spans = [(r["period_start"], r["period_end"], r["quantity"]) for r in found]
    assert spans == [
        ("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", "2"),  # 23 hours
        ("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "2"),  # 25 hours
        ("2026-11-02T05:00:00Z", "2026-11-03T05:00:00Z", "1"),
    ]


def test_a_month_boundary_at_utc_plus_five_thirty() -> None:
    catalog = make_catalog(meter_version(period={"every": "month", "timezone": "Asia/Kolkata"}))
    found = rows(
        catalog,
        event("oct", "2026-10-31T18:29:59.999999Z"),
        event("nov", "2026-10-31T18:30:00Z"),
        event("nov-offset", "2026-11-01T00:00:00+05:30"),
    )
    spans = [(r["period_start"], r["period_end"], r["quantity"]) for r in found]
    assert spans == [
        ("2026-09-30T18:30:00Z", "2026-10-31T18:30:00Z", "1"),
        ("2026-10-31T18:30:00Z", "2026-11-30T18:30:00Z", "2"),
    ]


def test_the_period_and_its_close_follow_the_zone_not_utc() -> None:
    catalog = make_catalog(
        meter_version(
            period={"every": "day", "timezone": "America/New_York"}, late={"grace": "PT6H"}
        )
    )
    # The 25-hour day closes at 2026-11-02T05:00Z + 6h.
    on_time = event("a", "2026-11-01T12:00:00Z", "2026-11-02T11:00:00Z")
    late = event("b", "2026-11-01T12:00:00Z", "2026-11-02T11:00:00.000001Z")
    found = rows(catalog, on_time, late)
    assert quantities(found) == [
        ("usage", "2026-11-01T04:00:00Z", None, "1"),
        ("adjustment", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "1"),
    ]


# ------------------------------------------------------------ as-of, open periods


def test_as_of_cuts_events_recorded_later_and_flags_open_periods() -> None:
    events = [
        event("a", "2026-10-10T00:00:00Z"),
        event("b", "2026-10-20T00:00:00Z", "2026-11-02T00:00:00Z"),
        event("c", "2026-11-01T10:00:00Z"),
    ]
    as_of_nov_2 = rows(GRACE_3D, *events, as_of="2026-11-02T00:00:00Z")
    assert summary(as_of_nov_2) == [
        ("usage", "acme", OCT, None, "2", "open"),
        ("usage", "acme", NOV, None, "1", "open"),
    ]
    as_of_nov_1 = rows(GRACE_3D, *events, as_of="2026-11-01T23:59:59Z")
    assert summary(as_of_nov_1) == [
        ("usage", "acme", OCT, None, "1", "open"),
        ("usage", "acme", NOV, None, "1", "open"),
    ]
    later = rows(GRACE_3D, *events, as_of="2026-11-04T00:00:00Z")
    assert summary(later)[0] == ("usage", "acme", OCT, None, "2", "closed")


def test_an_adjustment_is_open_while_its_posting_period_is() -> None:
    late = event("a", "2026-10-10T00:00:00Z", "2026-11-20T00:00:00Z")
    found = rows(GRACE_3D, late, as_of="2026-11-25T00:00:00Z")
    assert summary(found) == [("adjustment", "acme", OCT, NOV, "1", "open")]
    assert summary(rows(GRACE_3D, late))[0][-1] == "closed"


def test_accepts_an_aware_datetime_as_of_and_refuses_a_naive_one() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 1, tzinfo=UTC)
    assert aggregate(GRACE_3D, "m", [], as_of=moment).rows == ()
    with pytest.raises(InputError):
        aggregate(GRACE_3D, "m", [], as_of=datetime(2026, 11, 1))
    with pytest.raises(InputError):
        aggregate(GRACE_3D, "m", [], as_of="yesterday")


# ------------------------------------------------------------ contract match


def test_other_event_types_are_ignored_not_errors() -> None:
    result = aggregate(
        GRACE_3D, "m", lines(event("a", OCT), event("b", OCT, type="something_else"))
    )
    assert [r.quantity for r in result.rows] == [1]
    assert result.counts.ignored == {"other_type": 1}
    assert result.exceptions == ()


# ------------------------------------------------------------ envelope problems


@pytest.mark.parametrize(
    "broken",
    [
        {"id": None},
        {"source": 7},
        {"subject": ""},
        {"time": "2026-10-01"},
        {"time": "2026-10-01T00:00:00"},
        {"recordedtime": "soon"},
        {"data": [1]},
        {"data": None},
        {"type": None},
    ],
)
def test_an_unreadable_envelope_is_an_invalid_event(broken: dict) -> None:
    body = {**event("a", OCT), **broken}
    body = {key: value for key, value in body.items() if value is not None}
    result = aggregate(GRACE_3D, "m", lines(body))
    assert result.rows == ()
    (record,) = result.exceptions
    assert record.kind == "invalid_event"
    (role,) = broken
    assert record.reasons[0].startswith(f"{role}: ")
    assert record.to_dict()["line"] == 1
    assert result.counts.excluded == {"invalid": 1}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"data": {"region": "eu"}}, "data.n: required field is missing"),
        ({"data": {"n": 1, "flag": 1}}, "data.flag: 1 is a number, expected boolean"),
        ({"data": {"n": 1, "extra": 1}}, 'data: unknown field "extra"'),
        ({"time": "2026-10-01T00:05:01Z", "recordedtime": OCT}, "time: "),
    ],
)
def test_an_event_that_breaks_its_contract_is_excluded_with_the_reason(
    change: dict, reason: str
) -> None:
    body = {**event("a", OCT), **change}
    result = aggregate(GRACE_3D, "m", lines(body, event("b", OCT)))
    assert [r.quantity for r in result.rows] == [1]
    (record,) = result.exceptions
    assert (record.kind, record.id) == ("invalid_event", "a")
    assert record.reasons[0].startswith(reason)


def test_clock_skew_up_to_the_contract_allowance_is_valid() -> None:
    body = event("a", "2026-10-01T00:05:00Z", OCT)
    assert [r.quantity for r in aggregate(GRACE_3D, "m", lines(body)).rows] == [1]


def test_an_event_is_validated_against_the_version_its_dataschema_names() -> None:
    from govern.catalog.catalog import Catalog

    old = GRACE_3D.contract("usage").model_copy(update={"version": 1})
    new = old.model_copy(update={"version": 2, "fields": {**old.fields, "extra": old.fields["n"]}})
    catalog = Catalog(contracts={"usage": {1: old, 2: new}}, meters=GRACE_3D.meters, label="test")
    v1 = {**event("a", OCT, extra=5), "dataschema": "https://schemas.example.com/usage/v1"}
    v2 = {**event("b", OCT, extra=5), "dataschema": "https://schemas.example.com/usage/v2"}
    latest = event("c", OCT, extra=5)
    result = aggregate(catalog, "m", lines(v1, v2, latest))
    assert [r.quantity for r in result.rows] == [2]
    assert [(r.kind, r.id) for r in result.exceptions] == [("invalid_event", "a")]


def test_malformed_lines_are_reported_never_dropped() -> None:
    from govern.events.reader import RawLine

    result = aggregate(GRACE_3D, "m", [RawLine(0, "x", 1, b"{oops"), RawLine(1, "x", 2, b"[1]")])
    assert [r.reasons[0][:14] for r in result.exceptions] == ["not valid JSON", "not a JSON obj"]
    assert result.counts.read == 2 and result.counts.excluded == {"invalid": 2}


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59.999999Z", "9000-01-01T00:00:00Z"])
def test_instants_too_far_ahead_to_bill_are_invalid(moment: str) -> None:
    result = aggregate(GRACE_3D, "m", lines(event("a", moment), event("b", OCT, moment)))
    assert result.rows == ()
    assert [(r.kind, r.reasons[0][:12]) for r in result.exceptions] == [
        ("invalid_event", "time: " + moment[:6]),
        ("invalid_event", "recordedtime"),
    ]


def test_an_unreadable_event_recorded_after_as_of_does_not_exist_yet() -> None:
    body = event("a", "not a time", "2026-12-01T00:00:00Z")
    result = aggregate(GRACE_3D, "m", lines(body), as_of="2026-11-01T00:00:00Z")
    assert result.exceptions == ()
    assert result.counts.ignored == {"recorded_after_as_of": 1}


# ------------------------------------------------------------ deduplication


def test_same_id_from_two_sources_is_two_events() -> None:
    found = rows(GRACE_3D, event("a", OCT, source="one"), event("a", OCT, source="two"))
    assert quantities(found) == [("usage", OCT, None, "2")]


def test_an_identical_retry_counts_once_and_is_not_an_exception() -> None:
    first = event("a", OCT, "2026-10-01T00:00:01Z")
    retry = event("a", OCT, "2026-10-01T00:00:09Z")
    result = aggregate(GRACE_3D, "m", lines(first, retry))
    assert [r.quantity for r in result.rows] == [1]
    assert result.exceptions == ()
    assert result.counts.excluded == {"duplicate": 1}


def test_a_conflicting_retry_loses_to_the_earliest_recorded_copy_and_is_reported() -> None:
    catalog = make_catalog(meter_version(aggregation="sum", value="n"))
    later = event("a", OCT, "2026-10-01T00:00:09Z", n=5)
    earlier = event("a", OCT, "2026-10-01T00:00:01Z", n=2)  # read second, recorded first
    result = aggregate(catalog, "m", lines(later, earlier))
    assert [r.quantity for r in result.rows] == [2]
    (record,) = result.exceptions
    assert record.kind == "conflicting_duplicate"
    assert record.to_dict()["seq"] == 0
    assert record.details["winner"]["seq"] == 1
    assert record.details["differences"] == ["data.n"]


def test_equal_recorded_times_go_to_the_lowest_seq() -> None:
    catalog = make_catalog(meter_version(aggregation="sum", value="n"))
    stamp = "2026-10-01T00:00:01Z"
    result = aggregate(
        catalog, "m", lines(event("a", OCT, stamp, n=3), event("a", OCT, stamp, n=4))
    )
    assert [r.quantity for r in result.rows] == [3]
    assert result.exceptions[0].to_dict()["seq"] == 1


def test_copies_are_compared_by_json_value_ignoring_recorded_time() -> None:
    same = event("a", OCT, "2026-10-01T00:00:01Z", n=Decimal("1.50"), region="eu")
    copy = event("a", OCT, "2026-10-01T00:00:02Z", region="eu", n=Decimal("1.5"))
    assert aggregate(GRACE_3D, "m", lines(same, copy)).exceptions == ()
    other = event("a", OCT, "2026-10-01T00:00:03Z", region="EU", n=Decimal("1.5"))
    (record,) = aggregate(GRACE_3D, "m", lines(same, other)).exceptions
    assert record.details["differences"] == ["data.region"]


def test_a_late_retry_of_a_billed_event_changes_nothing() -> None:
    first = event("a", "2026-10-05T00:00:00Z")
    retry = event("a", "2026-10-05T00:00:00Z", "2026-12-25T00:00:00Z")
    assert quantities(rows(GRACE_3D, first, retry)) == [("usage", OCT, None, "1")]


def test_a_contract_can_deduplicate_by_other_fields() -> None:
    catalog = make_catalog(meter_version(), dedup_key=["source", "user"])
    found = rows(
        catalog,
        event("a", OCT, user="u1", n=1),
        event("b", OCT, "2026-10-01T00:00:05Z", user="u1", n=1),
        event("c", OCT, user="u2", n=1),
    )
    assert quantities(found) == [("usage", OCT, None, "2")]


# ------------------------------------------------------------ voids


def test_a_void_before_close_removes_the_event() -> None:
    result = aggregate(
        GRACE_3D,
        "m",
        lines(
            event("a", "2026-10-05T00:00:00Z"),
            event("b", "2026-10-05T00:00:00Z"),
            event("v", "2026-10-06T00:00:00Z", voids="a"),
        ),
    )
    assert [r.quantity for r in result.rows] == [1]
    assert result.counts.excluded == {"void": 1, "voided": 1}
    assert result.counts.counted == 1


def test_a_late_void_is_a_negative_adjustment() -> None:
    found = rows(
        GRACE_3D,
        event("a", "2026-10-05T00:00:00Z"),
        event("v", "2026-11-10T00:00:00Z", voids="a"),
    )
    assert quantities(found) == [("usage", OCT, None, "1"), ("adjustment", OCT, NOV, "-1")]


def test_a_late_event_and_its_void_in_one_posting_period_cancel_out() -> None:
    found = rows(
        GRACE_3D,
        event("a", "2026-10-05T00:00:00Z", "2026-11-10T00:00:00Z"),
        event("v", "2026-11-11T00:00:00Z", voids="a"),
    )
    assert found == []


def test_a_late_event_voided_in_a_later_period() -> None:
    found = rows(
        GRACE_3D,
        event("a", "2026-10-05T00:00:00Z", "2026-11-10T00:00:00Z"),
        event("v", "2026-12-10T00:00:00Z", voids="a"),
    )
    assert quantities(found) == [("adjustment", OCT, NOV, "1"), ("adjustment", OCT, DEC, "-1")]


def test_a_void_recorded_before_its_target_cancels_it_on_arrival() -> None:
    found = rows(
        GRACE_3D,
        event("v", "2026-10-02T00:00:00Z", voids="a"),
        event("a", "2026-10-01T00:00:00Z", "2026-10-03T00:00:00Z"),
    )
    assert found == []


def test_the_earliest_recorded_void_counts() -> None:
    found = rows(
        GRACE_3D,
        event("a", "2026-10-05T00:00:00Z"),
        event("v2", "2026-11-10T00:00:00Z", voids="a"),
        event("v1", "2026-10-06T00:00:00Z", voids="a"),
    )
    assert found == []


def test_a_void_cancels_only_within_its_source() -> None:
    result = aggregate(
        GRACE_3D,
        "m",
        lines(event("a", OCT, source="one"), event("v", OCT, source="two", voids="a")),
    )
    assert [r.quantity for r in result.rows] == [1]
    (record,) = result.exceptions
    assert (record.kind, record.source, record.id) == ("unknown_void_target", "two", "v")


def test_a_void_whose_target_is_recorded_after_as_of_is_unknown_as_of_then() -> None:
    events = [
        event("v", "2026-10-02T00:00:00Z", voids="a"),
        event("a", "2026-10-01T00:00:00Z", "2026-10-09T00:00:00Z"),
    ]
    early = aggregate(GRACE_3D, "m", lines(*events), as_of="2026-10-05T00:00:00Z")
    assert [r.kind for r in early.exceptions] == ["unknown_void_target"]
    assert "by 2026-10-05T00:00:00Z" in early.exceptions[0].reasons[0]
    assert aggregate(GRACE_3D, "m", lines(*events)).exceptions == ()


def test_a_void_of_a_void_is_an_unknown_target() -> None:
    result = aggregate(
        GRACE_3D,
        "m",
        lines(
            event("a", OCT),
            event("v1", OCT, voids="a"),
            event("v2", OCT, voids="v1"),
        ),
    )
    assert result.rows == ()
    assert [(r.kind, r.id) for r in result.exceptions] == [("unknown_void_target", "v2")]


def test_a_voided_latest_goes_back_to_zero() -> None:
    catalog = make_catalog(meter_version(aggregation="latest", value="n"))
    found = rows(
        catalog,
        event("a", "2026-10-05T00:00:00Z", n=7),
        event("v", "2026-11-10T00:00:00Z", voids="a"),
    )
    assert quantities(found) == [("usage", OCT, None, "7"), ("adjustment", OCT, NOV, "-7")]


# ------------------------------------------------------------ filter and customers


def test_the_filter_excludes_false_and_unknown() -> None:
    catalog = make_catalog(meter_version(filter="region < 'm'"))
    result = aggregate(
        catalog,
        "m",
        lines(event("a", OCT, region="a"), event("b", OCT, region="z"), event("c", OCT)),
    )
    assert [r.quantity for r in result.rows] == [1]
    assert result.counts.excluded == {"filtered_out": 2}


def test_customer_mapping_joins_aliases_and_reports_unmapped_usage() -> None:
    catalog = make_catalog(meter_version(aggregation="sum", value="n"))
    events = [
        event("a", OCT, subject="acme", n=2),
        event("b", OCT, subject="acme-eu", n=3),
        event("c", OCT, subject="stranger", n=4),
        event("d", OCT, subject="stranger", n=5),
        event("e", OCT, subject="stranger", n=6, region="eu"),
    ]
    mapping = {"acme": "ACME-001", "acme-eu": "ACME-001"}
    result = aggregate(catalog, "m", lines(*events), customers=mapping)
    assert [(r.customer, r.quantity) for r in result.rows] == [("ACME-001", 5)]
    (record,) = result.exceptions
    assert record.to_dict() == {
        "kind": "unmapped_subject",
        "subject": "stranger",
        "meter": "m",
        "meter_version": 1,
        "period_start": OCT,
        "period_end": NOV,
        "dimensions": {},
        "quantity": "15",
        "events": 3,
        "reasons": ["subject 'stranger' is not in the customer mapping; its usage is not billed"],
    }
    assert result.counts.excluded == {"unmapped_subject": 3}


def test_without_a_mapping_the_customer_is_the_subject() -> None:
    found = rows(GRACE_3D, event("a", OCT, subject="x"), event("b", OCT, subject="y"))
    assert [r["customer"] for r in found] == ["x", "y"]


# ------------------------------------------------------------ groups


def test_a_missing_group_by_value_is_its_own_group() -> None:
    catalog = make_catalog(meter_version(group_by=["region"]))
    found = rows(
        catalog,
        event("a", OCT, region="eu"),
        event("b", OCT),
        event("c", OCT),
        event("d", OCT, region="ap"),
        event("e", OCT, region=""),
    )
    assert [(r["dimensions"], r["quantity"]) for r in found] == [
        ({"region": ""}, "1"),
        ({"region": "ap"}, "1"),
        ({"region": "eu"}, "1"),
        ({"region": None}, "2"),
    ]


def test_numeric_dimensions_group_by_value() -> None:
    catalog = make_catalog(meter_version(group_by=["n"]))
    found = rows(
        catalog,
        event("a", OCT, n=Decimal("2.0")),
        event("b", OCT, n=2),
        event("c", OCT, n=Decimal("10.50")),
    )
    assert [(r["dimensions"]["n"], r["quantity"]) for r in found] == [
        (2, "2"),
        (Decimal("10.5"), "1"),
    ]


def test_rows_are_sorted_usage_first_then_customer_period_posting_dimensions() -> None:
    catalog = make_catalog(meter_version(group_by=["region"], late={"grace": "P3D"}))
    found = rows(
        catalog,
        event("1", "2026-11-05T00:00:00Z", subject="b", region="us"),
        event("2", "2026-10-05T00:00:00Z", "2026-12-09T00:00:00Z", subject="a", region="us"),
        event("3", "2026-10-05T00:00:00Z", "2026-11-09T00:00:00Z", subject="a", region="us"),
        event("4", "2026-10-05T00:00:00Z", subject="b", region="eu"),
        event("5", "2026-10-05T00:00:00Z", subject="b", region="ap"),
        event("6", "2026-10-05T00:00:00Z", "2026-11-09T00:00:00Z", subject="a", region="eu"),
    )
    assert [
        (
            r["kind"][0],
            r["customer"],
            r["period_start"][5:7],
            (r.get("posted_period_start") or "-----??")[5:7],
            r["dimensions"]["region"],
        )
        for r in found
    ] == [
        ("u", "b", "10", "??", "ap"),
        ("u", "b", "10", "??", "eu"),
        ("u", "b", "11", "??", "us"),
        ("a", "a", "10", "11", "eu"),
        ("a", "a", "10", "11", "us"),
        ("a", "a", "10", "12", "us"),
    ]


# ------------------------------------------------------------ aggregations and late usage


def test_a_max_that_appears_only_late_is_adjusted_from_zero() -> None:
    catalog = make_catalog(meter_version(aggregation="max", value="n"))
    found = rows(catalog, event("a", "2026-10-05T00:00:00Z", "2026-11-05T00:00:00Z", n=9))
    assert quantities(found) == [("adjustment", OCT, NOV, "9")]


def test_a_late_value_below_the_max_changes_nothing() -> None:
    catalog = make_catalog(meter_version(aggregation="max", value="n"))
    found = rows(
        catalog,
        event("a", "2026-10-05T00:00:00Z", n=9),
        event("b", "2026-10-06T00:00:00Z", "2026-11-05T00:00:00Z", n=3),
    )
    assert quantities(found) == [("usage", OCT, None, "9")]


def test_late_latest_replaces_the_billed_value() -> None:
    catalog = make_catalog(meter_version(aggregation="latest", value="n", precision={"scale": 1}))
    found = rows(
        catalog,
        event("a", "2026-10-30T00:00:00Z", n=Decimal("5.25")),
        event("b", "2026-10-31T00:00:00Z", "2026-11-05T00:00:00Z", n=Decimal("4")),
    )
    assert quantities(found) == [("usage", OCT, None, "5.3"), ("adjustment", OCT, NOV, "-1.3")]


def test_latest_ties_on_time_go_to_the_later_recorded_then_higher_seq() -> None:
    catalog = make_catalog(meter_version(aggregation="latest", value="n"))
    at = "2026-10-30T00:00:00Z"
    found = rows(
        catalog,
        event("a", at, "2026-10-30T00:00:05Z", n=1),
        event("b", at, "2026-10-30T00:00:09Z", n=2),
        event("c", at, "2026-10-30T00:00:09Z", n=3),
        event("d", at, "2026-10-30T00:00:07Z", n=4),
    )
    assert quantities(found) == [("usage", OCT, None, "3")]


def test_unique_count_across_late_arrivals() -> None:
    catalog = make_catalog(meter_version(aggregation="unique_count", value="user"))
    found = rows(
        catalog,
        event("a", "2026-10-05T00:00:00Z", user="u1"),
        event("b", "2026-10-06T00:00:00Z", user="u1"),
        event("c", "2026-10-07T00:00:00Z", "2026-11-09T00:00:00Z", user="u1"),
        event("d", "2026-10-07T00:00:00Z", "2026-11-09T00:00:00Z", user="u2"),
    )
    assert quantities(found) == [("usage", OCT, None, "1"), ("adjustment", OCT, NOV, "1")]


def test_adjustments_use_rounded_values() -> None:
    catalog = make_catalog(
        meter_version(aggregation="sum", value="n", precision={"scale": 0, "rounding": "half_up"})
    )
    found = rows(
        catalog,
        event("a", "2026-10-05T00:00:00Z", n=Decimal("0.4")),
        event("b", "2026-10-05T00:00:00Z", "2026-11-05T00:00:00Z", n=Decimal("0.2")),
        event("c", "2026-10-05T00:00:00Z", "2026-12-05T00:00:00Z", n=Decimal("0.2")),
    )
    # 0.4 -> 0; 0.6 -> 1 (+1 in November); 0.8 -> 1 (no change, not reported).
    assert quantities(found) == [("usage", OCT, None, "0"), ("adjustment", OCT, NOV, "1")]


def test_changes_in_one_posting_period_are_netted() -> None:
    catalog = make_catalog(meter_version(aggregation="sum", value="n"))
    found = rows(
        catalog,
        event("a", "2026-10-05T00:00:00Z", n=10),
        event("b", "2026-10-06T00:00:00Z", "2026-11-05T00:00:00Z", n=5),
        event("c", "2026-10-07T00:00:00Z", "2026-11-25T00:00:00Z", n=1),
        event("v", "2026-11-26T00:00:00Z", voids="a"),
    )
    assert quantities(found) == [("usage", OCT, None, "10"), ("adjustment", OCT, NOV, "-4")]


# ------------------------------------------------------------ meter versions


def test_each_period_is_computed_by_the_version_in_effect_at_its_start() -> None:
    catalog = make_catalog(
        meter_version(late={"grace": "P3D"}),
        meter_version(version=2, effective_from="2026-11-01", filter="n > 1"),
    )
    found = rows(
        catalog,
        event("a", "2026-10-31T23:00:00Z", n=1),
        event("b", "2026-11-01T00:00:00Z", n=1),
        event("c", "2026-11-01T00:00:00Z", n=2),
        event("d", "2025-12-31T23:59:59Z", n=2),
    )
    assert [(r["meter_version"], r["period_start"], r["quantity"]) for r in found] == [
        (1, OCT, "1"),
        (2, NOV, "1"),
    ]


def test_late_usage_of_an_old_version_period_is_computed_by_that_version() -> None:
    catalog = make_catalog(
        meter_version(late={"grace": "P3D"}),
        meter_version(version=2, effective_from="2026-11-01", filter="n > 1"),
    )
    found = rows(catalog, event("a", "2026-10-31T23:00:00Z", "2026-11-20T00:00:00Z", n=1))
    assert [(r["meter_version"], r["posted_period_start"]) for r in found] == [(1, NOV)]


def test_events_before_the_first_version_are_excluded() -> None:
    result = aggregate(GRACE_3D, "m", lines(event("a", "2025-12-31T23:59:59Z")))
    assert result.rows == ()
    assert result.counts.excluded == {"before_first_version": 1}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"aggregation": "sum"}, "sum needs a `value` field"),
        ({"aggregation": "sum", "value": "region"}, "sum needs a numeric value"),
        ({"aggregation": "latest", "value": "user"}, "latest needs a numeric value"),
        ({"filter": "n <"}, "filter is not valid SQL"),
        ({"contract": "nothing"}, "unknown contract"),
    ],
)
def test_a_meter_the_engine_cannot_compute_is_an_input_error(overrides: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        aggregate(make_catalog(meter_version(**overrides)), "m", [])


def test_versions_reading_different_contracts_are_refused() -> None:
    catalog = make_catalog(
        meter_version(), meter_version(version=2, effective_from="2026-11-01", contract="other")
    )
    with pytest.raises(InputError, match="several event types"):
        aggregate(catalog, "m", [])


# ------------------------------------------------------------ counts


def test_counts_add_up() -> None:
    catalog = make_catalog(meter_version(filter="n < 5"))
    result = aggregate(
        catalog,
        "m",
        lines(
            event("a", OCT),
            event("a", OCT, "2026-10-01T00:00:01Z"),
            event("b", OCT, n=9),
            event("c", OCT, type="other"),
            event("d", OCT, "2027-01-01T00:00:00Z"),
            event("v", OCT, voids="zzz"),
        ),
        as_of="2026-12-01T00:00:00Z",
    )
    counts = result.counts
    assert counts.read == 6
    assert counts.counted == 1
    assert counts.excluded == {"duplicate": 1, "filtered_out": 1, "void": 1}
    assert counts.ignored == {"other_type": 1, "recorded_after_as_of": 1}
    assert counts.read == counts.counted + counts.excluded.total() + counts.ignored.total()
    assert "6 events read = 1 counted + 3 excluded + 2 ignored" in counts.summary("m")
