"""Tracing rows to events: every event of the customer and period is accounted for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govern.errors import InputError
from govern.reference import evaluate
from govern.reference.trace import trace
from tests.reference.builders import event, lines, make_catalog, meter_version

CATALOG = make_catalog(meter_version(late={"grace": "P3D"}, filter="n < 5"))
OCTOBER = datetime(2026, 10, 1, tzinfo=UTC)


def traced(*events: dict, **options: object):
    return trace(evaluate(CATALOG, "m", lines(*events), **options), "acme", OCTOBER)


def test_every_event_of_the_period_is_listed_once() -> None:
    result = traced(
        event("billed", "2026-10-02T00:00:00Z"),
        event("billed-then-voided", "2026-10-03T00:00:00Z"),
        event("late-void", "2026-11-10T00:00:00Z", voids="billed-then-voided"),
        event("late", "2026-10-04T00:00:00Z", "2026-11-09T00:00:00Z"),
        event("late-and-voided", "2026-10-04T00:00:00Z", "2026-11-09T00:00:00Z"),
        event("void", "2026-11-09T00:00:01Z", voids="late-and-voided"),
        event("early-void", "2026-10-05T00:00:00Z", voids="gone"),
        event("gone", "2026-10-03T00:00:00Z", "2026-10-06T00:00:00Z"),
        event("filtered", "2026-10-06T00:00:00Z", n=9),
        event("other-customer", "2026-10-06T00:00:00Z", subject="globex"),
        event("other-period", "2026-11-06T00:00:00Z"),
    )
    usage, adjustment = result.entries
    assert (usage.kind, str(usage.quantity)) == ("usage", "2")
    assert [e.id for e in usage.events] == ["billed", "billed-then-voided"]
    assert (adjustment.kind, str(adjustment.quantity)) == ("adjustment", "0")
    assert [(e.status, e.id) for e in adjustment.events] == [
        ("voided", "billed-then-voided"),
        ("late", "late"),
        ("late", "late-and-voided"),
        ("voided", "late-and-voided"),
    ]
    assert "no net change, posted to" in "\n".join(adjustment.text())
    assert [(e.status, e.id) for e in result.excluded] == [
        ("void", "early-void"),
        ("voided", "gone"),
        ("filtered_out", "filtered"),
    ]
    assert result.excluded[2].detail == "filter `n < 5` of v1 is false"


def test_unmapped_subjects_can_be_traced_by_subject() -> None:
    result = trace(
        evaluate(CATALOG, "m", lines(event("a", "2026-10-02T00:00:00Z")), customers={}),
        "acme",
        OCTOBER,
    )
    assert result.entries == ()
    assert [(e.status, e.detail) for e in result.excluded] == [
        ("unmapped_subject", "subject 'acme' is not in the customer mapping")
    ]


def test_events_recorded_after_as_of_are_explained() -> None:
    result = traced(
        event("a", "2026-10-02T00:00:00Z", "2026-10-20T00:00:00Z"),
        as_of="2026-10-10T00:00:00Z",
    )
    assert result.status == "open"
    assert [(e.status, e.detail) for e in result.excluded] == [
        ("recorded_after_as_of", "recorded 2026-10-20T00:00:00Z, after the as-of time")
    ]
    assert "(open as of 2026-10-10T00:00:00Z)" in result.text()


def test_a_start_that_is_no_period_start_is_an_input_error() -> None:
    evaluation = evaluate(CATALOG, "m", lines(event("e1", "2026-10-01T00:00:00Z")))
    with pytest.raises(InputError, match="no period of meter m starts at 2026-10-02T00:00:00Z"):
        trace(evaluation, "acme", datetime(2026, 10, 2, tzinfo=UTC))
    with pytest.raises(InputError, match="usage at or after 9000-01-01T00:00:00Z is never billed"):
        trace(evaluation, "acme", datetime(9999, 12, 1, tzinfo=UTC))
