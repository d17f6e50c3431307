"""Events that validation certifies are read from its typed decode (`CertifiedReader`);
every finding must be what the general path (decode, read the envelope, check) finds:
the same rows, exceptions and counts, and the same derived facts on every event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from govern.catalog.catalog import Catalog
from govern.events.reader import RawLine, read_lines
from govern.reference import engine, evaluate
from govern.reference.certified import CertifiedReader
from govern.validation.accelerator import Accelerator
from tests.reference.builders import event, lines, make_catalog, meter_version
from tests.reference.test_properties import CATALOGS, PROPERTY, as_of_strategy, meters, streams

REPO = Path(__file__).resolve().parents[2]


def findings(catalog: Catalog, meter: str, given: list[RawLine], **options: Any) -> tuple:
    """Everything a run reports, and what it derived for each event (values with types)."""
    evaluation = evaluate(catalog, meter, given, **options)
    result = evaluation.result()
    per_event = [
        (
            e.seq,
            e.source,
            e.id,
            e.type,
            e.subject,
            repr(e.time),
            repr(e.recorded),
            e.voids,
            repr(e.key),
            e.reason,
            e.period and (e.period.start, e.period.end, e.period.version.version),
            e.passes,
            repr(e.dimensions),
            repr(e.value),
            e.customer,
        )
        for e in evaluation.events
    ]
    return (
        [row.to_dict() for row in result.rows],
        [record.to_dict() for record in result.exceptions],
        result.counts,
        per_event,
    )


def both_paths(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, meter: str, given: list[RawLine], **options
) -> tuple[tuple, tuple, int]:
    """(findings with certification, findings without, events read the certified way)."""
    read_all = CertifiedReader.read_all
    certified = []

    def counting(self: CertifiedReader, lines: list[RawLine]) -> Any:
        batch, left = read_all(self, lines)
        certified.extend(batch.lines)
        return batch, left

    with monkeypatch.context() as patch:
        patch.setattr(CertifiedReader, "read_all", counting)
        fast = findings(catalog, meter, given, **options)
    with monkeypatch.context() as patch:
        patch.setattr(Accelerator, "certified_all", lambda self, texts: [None] * len(texts))
        general = findings(catalog, meter, given, **options)
    return fast, general, len(certified)


@PROPERTY
@given(meters, streams(), as_of_strategy())
def test_the_certified_path_finds_what_the_general_path_finds(
    meter: str, events: list[dict[str, Any]], as_of: str | None
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, general, _ = both_paths(
            monkeypatch, CATALOGS[meter], "m", lines(*events), as_of=as_of
        )
    assert fast == general


OCT = "2026-10-01T00:00:00Z"
TRICKY = [
    event("plain", OCT, "2026-10-01T00:00:02Z", n=7, region="eu", user="u1"),
    event("retry", OCT, "2026-10-01T00:00:02Z", n=7, region="eu", user="u1"),
    event("retry", OCT, "2026-10-01T00:00:09Z", n=7, region="eu", user="u1"),
    event("frac", "2026-10-02T10:00:00.123456789Z", n=0.1, region="us"),
    event("exact", "2026-10-02T10:00:00Z", n=1, region="us"),
    event("lower", "2026-10-03t10:00:00z", "2026-10-03T10:00:01Z", n=2),
    event("offset", "2026-10-31T23:30:00-02:00", "2026-11-01T01:30:01Z", n=3),
    event("unrecorded", "2026-11-01T00:00:00Z", n=4, flag=True),
    event("flagged", "2026-11-01T00:00:00Z", n=4, flag=False, at="2026-11-01T00:00:00+01:00"),
    event("late", "2026-10-30T00:00:00Z", "2026-11-20T00:00:00Z", n=5, region="eu"),
    event("far", "9500-01-01T00:00:00Z", "9500-01-01T00:00:01Z", n=1),
    event("far-recorded", OCT, "9500-01-01T00:00:01Z", n=1),
    event("void", OCT, "2026-10-05T00:00:00Z", voids="plain"),
    event("void-late", OCT, "2026-11-25T00:00:00Z", voids="late"),
    event("void-nowhere", OCT, "2026-10-05T00:00:00Z", voids="ghost"),
    event("skewed", "2026-10-05T00:10:00Z", "2026-10-05T00:00:00Z", n=1),
    event("early", "2025-12-31T23:59:59Z", n=1),
    event("ghost-customer", OCT, subject="unknown", n=1),
]
"""Times in every shape, exact and inexact numbers, voids, late and skewed events."""
WITH_DATA = (
    b'{"specversion":"1.0","id":"void-data","source":"src","type":"usage","subject":"acme",'
    b'"time":"2026-10-01T00:00:00Z","voids":"exact","data":{"n":1}}'
)
PRECISE = (
    b'{"specversion":"1.0","id":"precise","source":"src","type":"usage","subject":"acme",'
    b'"time":"2026-10-01T00:00:00Z","data":{"n":0.10000000000000000001,"region":"eu"}}'
)
DUPLICATE_KEYS = (
    b'{"specversion":"1.0","id":"twice","id":"once","source":"src","type":"usage",'
    b'"subject":"acme","time":"2026-10-01T00:00:00Z","data":{"n":1,"n":2.5}}'
)


def tricky_lines() -> list[RawLine]:
    found = lines(*TRICKY)
    for text in (WITH_DATA, PRECISE, DUPLICATE_KEYS):
        found.append(RawLine(len(found), "events.jsonl", len(found) + 1, text))
    return found


@pytest.mark.parametrize(
    ("version", "contract"),
    [
        (meter_version(late={"grace": "P3D"}, group_by=["region"]), {}),
        (meter_version(aggregation="sum", value="n", precision={"scale": 18}), {}),
        (meter_version(aggregation="latest", value="n", group_by=["flag", "at"]), {}),
        (meter_version(aggregation="unique_count", value="n", filter="n > 0.1"), {}),
        (meter_version(filter="subject <> 'globex' AND at > time", group_by=["source"]), {}),
        (meter_version(filter="region LIKE 'e%' OR n / 3 > 1"), {"dedup_key": ["user"]}),
        (meter_version(aggregation="max", value="n", group_by=["subject"]), {}),
    ],
)
@pytest.mark.parametrize("as_of", [None, "2026-11-02T00:00:00Z", "2026-10-01T00:00:05Z"])
def test_tricky_events_are_found_the_same(monkeypatch, version, contract, as_of) -> None:
    catalog = make_catalog(version, **contract)
    customers = {"acme": "ACME", "globex": "GLOBEX"}
    fast, general, certified = both_paths(
        monkeypatch, catalog, "m", tricky_lines(), as_of=as_of, customers=customers
    )
    assert fast == general
    assert certified > 0


@pytest.mark.parametrize("meter", ["api_calls", "llm_input_tokens", "storage_gb_peak"])
def test_the_bundled_samples_are_found_the_same(monkeypatch, meter: str) -> None:
    """Dataschemas naming each version of a contract, and numbers read exactly."""
    catalog = Catalog.load(REPO)
    given = list(read_lines(sorted(REPO.glob("contracts/*/samples/events.jsonl"))))
    fast, general, certified = both_paths(monkeypatch, catalog, meter, given)
    assert fast == general
    assert certified > 0


@pytest.mark.parametrize("as_of", [None, "2026-11-02T00:00:00Z"])
def test_batch_bounds_change_nothing(monkeypatch, as_of) -> None:
    """Lines are read, certified and derived a batch at a time; where batches end does not
    matter (nor does a general-path line among certified ones)."""
    catalog = make_catalog(meter_version(late={"grace": "P3D"}, group_by=["region"]))
    given = tricky_lines()
    whole = findings(catalog, "m", given, as_of=as_of)
    for size in (1, 2, 3, 5):
        monkeypatch.setattr(engine, "BATCH", size)
        assert findings(catalog, "m", given, as_of=as_of) == whole


def test_events_past_the_horizon_among_common_ones(monkeypatch) -> None:
    """Times all in the common shape, one past the horizon (left to the general path):
    the others keep their own periods."""
    given = lines(
        event("far", "9500-01-01T00:00:00Z", "9500-01-01T00:00:01Z"),
        event("oct", "2026-10-31T23:00:00Z", "2026-10-31T23:00:01Z", region="eu"),
        event("nov", "2026-11-01T00:00:00Z", "2026-11-01T00:00:01Z", region="us"),
    )
    catalog = make_catalog(meter_version(group_by=["region"]))
    fast, general, certified = both_paths(monkeypatch, catalog, "m", given)
    assert fast == general
    assert certified == 2
