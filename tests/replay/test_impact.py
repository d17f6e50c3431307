"""One fixture repository per kind of impact: base on `main`, the change in the working tree.

The numbers are worked out by hand in tests/replay/catalog.py; each test asserts the rows
that change, as (customer, period, dimensions, kind) -> (old, new).
"""

from __future__ import annotations

from decimal import Decimal

from govern.replay import MeterImpact, ReplayReport, replay_project
from govern.replay.render import render_markdown
from tests.gate.conftest import GitRepo
from tests.replay.catalog import CONTRACT, METER_PATH
from tests.replay.conftest import assert_golden


def calls(report: ReplayReport) -> MeterImpact:
    (meter,) = [m for m in report.meters if m.meter == "calls"]
    return meter


def changes(report: ReplayReport) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """(customer, period, dimensions, kind) -> (old, new) of every row that changes."""
    result = {}
    for row in calls(report).changed_rows:
        dims = ",".join(f"{k}={v}" for k, v in row.dimensions)
        result[(row.customer, row.period, dims, row.kind)] = (str(row.old), str(row.new))
    return result


def totals(report: ReplayReport) -> tuple[str, str]:
    meter = calls(report)
    return str(meter.old_total), str(meter.new_total)


def test_no_change_lists_the_meter_as_unchanged_with_its_totals(repo: GitRepo) -> None:
    report = replay_project(repo.root, "main")
    assert report.as_of is not None and report.as_of.isoformat() == "2026-11-10T00:00:00+00:00"
    assert report.events == 8
    assert calls(report).state == "unchanged"
    assert totals(report) == ("7", "7")
    assert report.impacted == []


def test_filter_narrowed(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    report = replay_project(repo.root, "main")
    assert calls(report).reasons == ("definition changed",)
    assert changes(report) == {("acme", "2026-10", "region=us", "usage"): ("3", "2")}
    (row,) = calls(report).changed_rows
    assert (row.difference, row.percent) == (Decimal(-1), Decimal("-33.3"))
    assert totals(report) == ("7", "6")
    assert calls(report).percent == Decimal("-14.3")
    assert_golden("filter_narrowed.md", render_markdown(report))


def test_aggregation_changed(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "aggregation: count\n", "aggregation: sum\n    value: tokens\n")
    report = replay_project(repo.root, "main")
    assert changes(report) == {
        ("acme", "2026-10", "region=us", "usage"): ("3", "100"),
        ("acme", "2026-10", "region=eu", "usage"): ("1", "40"),
        ("acme", "2026-11", "region=us", "usage"): ("2", "55"),
        ("globex", "2026-10", "region=eu", "usage"): ("1", "60"),
    }
    differences = [row.difference for row in calls(report).changed_rows]
    assert differences == [97, 59, 53, 39]  # largest absolute impact first
    assert totals(report) == ("7", "255")
    assert_golden("aggregation_changed.md", render_markdown(report))


def test_period_time_zone_changed(repo: GitRepo) -> None:
    """e5 (2026-11-01T02:00Z) is still October 31 in New York: October gains it, November
    loses it; periods of one name are compared across the two zones."""
    repo.edit(METER_PATH, "timezone: UTC", "timezone: America/New_York")
    report = replay_project(repo.root, "main")
    moved = "(UTC -> America/New_York)"
    assert changes(report) == {
        ("acme", f"2026-10 {moved}", "region=us", "usage"): ("3", "4"),
        ("acme", f"2026-11 {moved}", "region=us", "usage"): ("2", "1"),
    }
    october = calls(report).changed_rows[0]
    assert october.period_start.isoformat() == "2026-10-01T04:00:00+00:00"
    assert october.old_period_start is not None
    assert october.old_period_start.isoformat() == "2026-10-01T00:00:00+00:00"
    assert totals(report) == ("7", "7")
    assert_golden("period_time_zone_changed.md", render_markdown(report))


def test_group_by_added(repo: GitRepo) -> None:
    """Every row splits by model: the old rows go to 0, the new ones come from 0."""
    repo.edit(METER_PATH, "group_by: [region]", "group_by: [region, model]")
    report = replay_project(repo.root, "main")
    assert changes(report) == {
        ("acme", "2026-10", "region=us", "usage"): ("3", "0"),
        ("acme", "2026-10", "region=eu", "usage"): ("1", "0"),
        ("acme", "2026-11", "region=us", "usage"): ("2", "0"),
        ("globex", "2026-10", "region=eu", "usage"): ("1", "0"),
        ("acme", "2026-10", "region=us,model=a", "usage"): ("0", "2"),
        ("acme", "2026-10", "region=us,model=b", "usage"): ("0", "1"),
        ("acme", "2026-10", "region=eu,model=None", "usage"): ("0", "1"),
        ("acme", "2026-11", "region=us,model=a", "usage"): ("0", "1"),
        ("acme", "2026-11", "region=us,model=None", "usage"): ("0", "1"),
        ("globex", "2026-10", "region=eu,model=b", "usage"): ("0", "1"),
    }
    assert totals(report) == ("7", "7")
    assert_golden("group_by_added.md", render_markdown(report))


def test_grace_changed(repo: GitRepo) -> None:
    """With P1D October closes 2026-11-02T00:00Z: e7 (recorded 12:00 that day) is late and
    moves from October's bill to an adjustment posted to November."""
    repo.edit(METER_PATH, "grace: P2D", "grace: P1D")
    report = replay_project(repo.root, "main")
    assert changes(report) == {
        ("acme", "2026-10", "region=us", "usage"): ("3", "2"),
        ("acme", "2026-10", "region=us", "adjustment"): ("0", "1"),
    }
    assert totals(report) == ("7", "7")
    assert_golden("grace_changed.md", render_markdown(report))


CONTRACT_V2 = CONTRACT.replace("version: 1", "version: 2").replace("  model:  {type: string}\n", "")


def test_contract_field_removed_is_replayed(repo: GitRepo) -> None:
    """A contract change reaches the meters that read the contract, by name."""
    repo.write({"contracts/call/v2.yaml": CONTRACT_V2})
    report = replay_project(repo.root, "main")
    assert calls(report).state == "changed"
    assert calls(report).reasons == ("contract call changed",)


def test_contract_field_removed(repo: GitRepo) -> None:
    """Events without a dataschema are checked against the latest released version, v2,
    whose data is closed: the events carrying `model` (e1, e2, e5, e6, e7) become invalid
    and bill nothing."""
    repo.write({"contracts/call/v2.yaml": CONTRACT_V2})
    report = replay_project(repo.root, "main")
    assert changes(report) == {
        ("acme", "2026-10", "region=us", "usage"): ("3", "0"),
        ("acme", "2026-11", "region=us", "usage"): ("2", "1"),
        ("globex", "2026-10", "region=eu", "usage"): ("1", "0"),
    }
    assert totals(report) == ("7", "2")
    assert_golden("contract_field_removed.md", render_markdown(report))


def test_as_of_given_is_used_as_is(repo: GitRepo) -> None:
    """As of 2026-11-02T00:00Z e7 and e8 are not recorded yet: 5 calls, 4 with the change."""
    from datetime import UTC, datetime

    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    report = replay_project(repo.root, "main", as_of=datetime(2026, 11, 2, tzinfo=UTC))
    assert changes(report) == {("acme", "2026-10", "region=us", "usage"): ("2", "1")}
    assert totals(report) == ("5", "4")


def test_extra_event_files_are_replayed_after_the_samples(repo: GitRepo) -> None:
    extra = repo.root / "december.jsonl"
    extra.write_text(
        '{"specversion":"1.0","id":"d1","source":"api","type":"call","subject":"acme",'
        '"time":"2026-12-02T00:00:00Z","data":{"status":404,"region":"us","tokens":1}}\n'
    )
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    report = replay_project(repo.root, "main", events=[extra])
    assert report.as_of is not None and report.as_of.isoformat() == "2026-12-02T00:00:00+00:00"
    assert changes(report) == {
        ("acme", "2026-10", "region=us", "usage"): ("3", "2"),
        ("acme", "2026-12", "region=us", "usage"): ("1", "0"),
    }
    assert report.event_files[-1] == "december.jsonl"
