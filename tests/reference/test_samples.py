"""The bundled catalog's meters on its sample events: every row, checked by hand.

The samples hold the edges on purpose: boundary times, DST days, a void, an identical
retry, a conflicting duplicate, late events, invalid events, the alias `acme-eu`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govern.catalog.catalog import Catalog
from govern.reference import aggregate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(str(path) for path in ROOT.glob("contracts/*/samples/events.jsonl"))
CATALOG = Catalog.load(ROOT)


def compact(meter: str, **options: object) -> list[tuple]:
    result = aggregate(CATALOG, meter, SAMPLES, **options)
    return [
        (
            row.kind[:3],
            row.customer,
            row.meter_version,
            row.period_start.strftime("%m-%dT%H"),
            row.posted_period_start.strftime("%m-%dT%H") if row.posted_period_start else None,
            tuple(value for _, value in row.dimensions),
            str(row.quantity),
            row.status,
        )
        for row in result.rows
    ]


EXPECTED = {
    # UTC months, grace P3D. acme: req-0002 (09-30T23:59:59.999) is September; req-0001
    # (10-01T00:00:00) is October; req-0005 is voided before close; req-0004 (503) is
    # filtered out; req-0011, recorded 11-05 after October closed on 11-04, is posted to
    # November. globex: req-0006's retry with status 500 conflicts and loses; req-0012,
    # recorded 11-02, is within grace. November is v2: /health routes no longer count.
    # initech: req-0017 (status 700) and req-0018 (no region) break the contract.
    "api_calls": [
        ("usa", "acme", 1, "09-01T00", None, ("us-east",), "1", "closed"),
        ("usa", "acme", 1, "10-01T00", None, ("eu-west",), "1", "closed"),
        ("usa", "acme", 1, "10-01T00", None, ("us-east",), "1", "closed"),
        ("usa", "acme", 2, "11-01T00", None, ("us-east",), "1", "closed"),
        ("usa", "globex", 1, "10-01T00", None, ("eu-west",), "4", "closed"),
        ("usa", "globex", 2, "11-01T00", None, ("eu-west",), "1", "closed"),
        ("usa", "initech", 1, "10-01T00", None, ("us-east",), "2", "closed"),
        ("adj", "acme", 1, "10-01T00", "11-01T00", ("us-east",), "1", "closed"),
    ],
    # New York months, grace P2D: act-0002 at 03:59 UTC on 10-01 is still September there.
    # act-0006 arrives after October closed (11-03T04 UTC) and is posted to November.
    "active_users": [
        ("usa", "acme", 1, "09-01T04", None, (), "1", "closed"),
        ("usa", "acme", 1, "10-01T04", None, (), "2", "closed"),
        ("usa", "acme-eu", 1, "10-01T04", None, (), "1", "closed"),
        ("usa", "globex", 1, "10-01T04", None, (), "1", "closed"),
        ("adj", "globex", 1, "10-01T04", "11-01T04", (), "1", "closed"),
    ],
    # Kolkata days (UTC+05:30), half_even to 0.01: 3600.125 -> 3600.12;
    # 120.005 + 45.015 = 165.020; 0.004 -> 0.00 (a row: the billed set is not empty);
    # job-0006 (59.996) arrives late: 60.00 posted to the next day.
    "compute_seconds": [
        ("usa", "acme", 1, "10-30T18", None, ("cpu-small",), "3600.12", "closed"),
        ("usa", "acme", 1, "10-31T18", None, ("cpu-small",), "165.02", "closed"),
        ("usa", "acme", 1, "10-31T18", None, ("gpu-a100",), "7200.00", "closed"),
        ("usa", "globex", 1, "10-31T18", None, ("cpu-large",), "0.00", "closed"),
        ("adj", "globex", 1, "10-31T18", "11-01T18", ("cpu-large",), "60.00", "closed"),
    ],
    # New York days; v2 (from 10-01) drops cached prompts. 11-01 is the 25-hour day
    # (04:00 to 05:00 UTC next day). llm-0007 misses the PT6H grace by 30 minutes.
    "llm_input_tokens": [
        ("usa", "acme", 2, "10-30T04", None, ("gpt-large",), "800", "closed"),
        ("usa", "acme", 2, "10-31T04", None, ("gpt-large",), "1200", "closed"),
        ("usa", "acme", 2, "11-01T04", None, ("gpt-small",), "640", "closed"),
        ("usa", "acme", 2, "11-02T05", None, ("gpt-small",), "100", "closed"),
        ("usa", "globex", 2, "11-01T04", None, ("embed-v3",), "4000", "closed"),
        ("usa", "globex", 2, "11-01T04", None, ("gpt-large",), "300", "closed"),
        ("adj", "globex", 2, "11-01T04", "11-02T05", ("gpt-large",), "900", "closed"),
    ],
    # UTC hours, grace PT1H: llm-0007 (hour 12 of 11-01), recorded 11-02T11:30, goes to
    # the first hour closing at or after it (10:00-11:00, closing 12:00); its own hour has
    # no billed event (embed-v3 is filtered out), so it appears only as an adjustment.
    "llm_output_tokens": [
        ("usa", "acme", 1, "10-31T03", None, ("gpt-large",), "120", "closed"),
        ("usa", "acme", 1, "10-31T04", None, ("gpt-large",), "350", "closed"),
        ("usa", "acme", 1, "11-01T04", None, ("gpt-small",), "80", "closed"),
        ("usa", "acme", 1, "11-02T04", None, ("gpt-small",), "90", "closed"),
        ("usa", "acme", 1, "11-02T05", None, ("gpt-small",), "10", "closed"),
        ("usa", "globex", 1, "11-01T13", None, ("gpt-large",), "120", "closed"),
        ("usa", "initech", 1, "11-03T15", None, ("gpt-small",), "64", "closed"),
        ("adj", "globex", 1, "11-01T12", "11-02T10", ("gpt-large",), "410", "closed"),
    ],
    # Berlin months (October: 09-30T22 to 10-31T23 UTC). latest: snap-0007 at 23:59:59
    # local, 2050.0005 -> 2050.001 (half_up).
    "storage_gb_end_of_month": [
        ("usa", "acme", 1, "09-30T22", None, ("acme-archive",), "2050.001", "closed"),
    ],
    # min, rounded down: 74.9994 -> 74.999; the late 80.5 does not lower the minimum.
    "storage_gb_floor": [
        ("usa", "acme", 1, "08-31T22", None, (), "120.400", "closed"),
        ("usa", "acme", 1, "09-30T22", None, (), "120.500", "closed"),
        ("usa", "globex", 1, "09-30T22", None, (), "74.999", "closed"),
    ],
    # max, rounded up: 180.0001 -> 180.001; the late 80.5 raises globex by 5.375.
    "storage_gb_peak": [
        ("usa", "acme", 1, "08-31T22", None, ("acme-logs",), "120.400", "closed"),
        ("usa", "acme", 1, "09-30T22", None, ("acme-logs",), "180.001", "closed"),
        ("usa", "globex", 1, "09-30T22", None, ("globex-data",), "75.125", "closed"),
        ("adj", "globex", 1, "09-30T22", "10-31T23", ("globex-data",), "5.375", "closed"),
    ],
}


def test_every_bundled_meter_is_covered() -> None:
    assert sorted(EXPECTED) == sorted(CATALOG.meters)


@pytest.mark.parametrize("meter", sorted(EXPECTED))
def test_sample_rows(meter: str) -> None:
    assert compact(meter) == EXPECTED[meter]


def test_api_calls_exceptions_and_counts() -> None:
    result = aggregate(CATALOG, "api_calls", SAMPLES)
    assert [(r.kind, r.id) for r in result.exceptions] == [
        ("conflicting_duplicate", "req-0006"),
        ("invalid_event", "req-0017"),
        ("invalid_event", "req-0018"),
    ]
    counts = result.counts
    assert counts.read == counts.counted + counts.excluded.total() + counts.ignored.total()
    assert (counts.counted, dict(counts.excluded)) == (
        12,
        {
            "invalid": 2,
            "duplicate": 1,
            "conflicting_duplicate": 1,
            "void": 1,
            "voided": 1,
            "filtered_out": 3,
        },
    )


def test_as_of_before_october_closes() -> None:
    assert compact("api_calls", as_of="2026-11-03T00:00:00Z")[4] == (
        "usa",
        "globex",
        1,
        "10-01T00",
        None,
        ("eu-west",),
        "4",
        "open",
    )


def test_unmapped_alias() -> None:
    mapping = {"acme": "ACME", "globex": "GLOBEX"}
    result = aggregate(CATALOG, "active_users", SAMPLES, customers=mapping)
    assert [(row.customer, str(row.quantity)) for row in result.rows] == [
        ("ACME", "1"),
        ("ACME", "2"),
        ("GLOBEX", "1"),
        ("GLOBEX", "1"),
    ]
    (record,) = result.exceptions
    assert (record.kind, record.details["subject"], record.details["quantity"]) == (
        "unmapped_subject",
        "acme-eu",
        "1",
    )


def test_two_runs_give_identical_output() -> None:
    first = [row.to_dict() for row in aggregate(CATALOG, "api_calls", SAMPLES).rows]
    assert first == [row.to_dict() for row in aggregate(CATALOG, "api_calls", SAMPLES).rows]
