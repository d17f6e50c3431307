"""The meter test runner: inline events, row matching, diffs, engines, errors, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern import Catalog, CatalogLoadError, InputError
from govern.catalog.model import ExpectedRow
from govern.cli import main
from govern.testing import ENGINES, compare_rows, register_engine, run_meter_tests
from govern.testing.events import inline_event
from tests.conftest import write_files
from tests.lint.minimal import FILES

TESTS_PATH = "meters/clicks.tests.yaml"

SUITE = """\
meter: clicks
defaults:
  subject: acme
  data: {button: buy, amount: 1, kind: primary}
tests:
  - name: primary_clicks_per_button
    events:
      - {time: 2026-10-01T00:00:00Z}
      - {time: 2026-10-02T00:00:00Z, data: {button: sell}}
      - {time: 2026-10-03T00:00:00Z, data: {kind: secondary}}
    expect:
      - {period_start: 2026-10-01T00:00:00Z, dimensions: {button: buy}, quantity: QTY}
      - {period_start: 2026-10-01T00:00:00Z, dimensions: {button: sell}, quantity: 1}
"""


def project(tmp_path: Path, suite: str = SUITE.replace("QTY", "1")) -> Path:
    return write_files(tmp_path, {**FILES, TESTS_PATH: suite})


def run(root: Path, **options):
    return run_meter_tests(Catalog.load(root), project=root, **options)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# ---------------------------------------------------------------- inline events


def test_inline_events_get_defaults() -> None:
    event = inline_event(
        {"time": "2026-10-01T00:00:00Z", "data": {"kind": "secondary"}, "voids": None},
        {"subject": "acme", "data": {"button": "buy", "kind": "primary"}},
        "click",
        3,
    )
    assert event == {
        "specversion": "1.0",
        "id": "3",
        "source": "test",
        "type": "click",
        "subject": "acme",
        "time": "2026-10-01T00:00:00Z",
        "data": {"button": "buy", "kind": "secondary"},
    }


def test_yaml_timestamps_become_rfc3339_and_a_naive_one_stays_naive() -> None:
    from datetime import UTC, datetime

    event = inline_event(
        {
            "time": datetime(2026, 10, 1, 0, 0, 0, 1, tzinfo=UTC),
            "recordedtime": datetime(2026, 10, 2),
        },
        {},
        "click",
        1,
    )
    assert event["time"] == "2026-10-01T00:00:00.000001Z"
    assert event["recordedtime"] == "2026-10-02T00:00:00"  # no offset: the engine rejects it


# ---------------------------------------------------------------- matching


def row(**values) -> ExpectedRow:
    return ExpectedRow.model_validate(values)


ACTUAL = {
    "kind": "usage",
    "customer": "acme",
    "meter": "clicks",
    "meter_version": 1,
    "period_start": "2026-10-01T00:00:00Z",
    "period_end": "2026-11-01T00:00:00Z",
    "dimensions": {"button": "buy"},
    "quantity": "3.00",
    "status": "closed",
    "line_item": "CLICKS",
}


def test_only_written_keys_are_compared_and_numbers_compare_as_decimals() -> None:
    assert compare_rows([row(quantity=3)], [ACTUAL]).ok
    assert compare_rows([row(quantity="3.0", customer="acme")], [ACTUAL]).ok
    assert not compare_rows([row(quantity=3, customer="globex")], [ACTUAL]).ok


def test_kind_is_always_compared() -> None:
    diff = compare_rows([row(kind="adjustment", quantity=3)], [ACTUAL])
    assert not diff.ok


def test_dimensions_compare_as_a_whole() -> None:
    assert not compare_rows([row(quantity=3, dimensions={})], [ACTUAL]).ok
    assert compare_rows([row(quantity=3, dimensions={"button": "buy"})], [ACTUAL]).ok


def test_matching_is_one_to_one_and_order_free() -> None:
    """A greedy match would give the first expected row the first actual row and leave the
    second expected row (which fits only that one) unmatched."""
    other = {**ACTUAL, "dimensions": {"button": "sell"}}
    expected = [row(quantity=3), row(quantity=3, dimensions={"button": "buy"})]
    assert compare_rows(expected, [ACTUAL, other]).ok
    assert not compare_rows([row(quantity=3)], [ACTUAL, other]).ok  # one left over


def test_expected_row_key_typo_is_a_located_error(tmp_path: Path) -> None:
    suite = SUITE.replace("QTY", "1").replace("quantity: 1}", "quantitiy: 1}")
    with pytest.raises(CatalogLoadError) as caught:
        Catalog.load(project(tmp_path, suite))
    assert "CAT007 unknown key 'quantitiy'" in str(caught.value)


# ---------------------------------------------------------------- running


def test_passing_suite(tmp_path: Path) -> None:
    report = run(project(tmp_path))
    assert [(r.test, r.outcome) for r in report.results] == [
        ("primary_clicks_per_button", "passed")
    ]
    assert report.exit_code == 0


def test_failure_shows_a_row_diff(tmp_path: Path) -> None:
    root = project(tmp_path, SUITE.replace("QTY", "2"))
    result = invoke("test", "-p", str(root))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "FAIL  clicks::primary_clicks_per_button",
        "      at meters/clicks.tests.yaml:6:5",
        "      ~ usage acme period_start=2026-10-01T00:00:00Z dimensions={button: buy}",
        "          quantity: expected 2, got 1",
        "      (1 rows matched, 1 differ, 0 missing, 0 unexpected)",
        "1 failed (1 run on reference)",
    ]


def test_missing_and_unexpected_rows(tmp_path: Path) -> None:
    suite = SUITE.replace("QTY", "1").replace(
        "dimensions: {button: sell}, quantity: 1}",
        "dimensions: {button: hold}, quantity: 1}",
    )
    result = invoke("test", "-p", str(project(tmp_path, suite)))
    assert result.exit_code == 1
    assert (
        "      - missing:    usage period_start=2026-10-01T00:00:00Z dimensions={button: hold} "
        "quantity=1"
    ) in result.output.splitlines()
    assert any(
        line.startswith("      + unexpected: usage acme period_start=2026-10-01T00:00:00Z")
        and "dimensions={button: sell}" in line
        for line in result.output.splitlines()
    )


def test_events_file_is_read_before_inline_events(tmp_path: Path) -> None:
    line = (
        '{"specversion":"1.0","id":"f1","source":"file","type":"click","subject":"acme",'
        '"time":"2026-10-04T00:00:00Z","data":{"button":"buy","amount":1,"kind":"primary"}}\n'
    )
    suite = SUITE.replace("QTY", "2").replace(
        "    events:\n", "    events_file: contracts/click/samples/events.jsonl\n    events:\n"
    )
    root = project(tmp_path, suite)
    write_files(root, {"contracts/click/samples/events.jsonl": line})
    assert run(root).ok


def test_missing_events_file_is_an_error_result(tmp_path: Path) -> None:
    suite = SUITE.replace("QTY", "1").replace(
        "    events:\n", "    events_file: contracts/click/samples/nope.jsonl\n    events:\n"
    )
    (result,) = run(project(tmp_path, suite)).results
    assert result.outcome == "error"
    assert "events_file contracts/click/samples/nope.jsonl: no such file" in (result.error or "")


def test_unknown_meter_and_meter_without_tests(tmp_path: Path) -> None:
    root = project(tmp_path)
    with pytest.raises(InputError, match="unknown meter 'nope'"):
        run(root, meter="nope")
    write_files(root, {TESTS_PATH: SUITE.replace("QTY", "1")})
    assert invoke("test", "-p", str(root), "--meter", "nope").exit_code == 2


def test_engine_all_runs_every_registered_engine(tmp_path: Path) -> None:
    def broken(*_args):
        raise RuntimeError("boom")

    register_engine("broken", broken, "always crashes")
    try:
        report = run(project(tmp_path), engine="all")
    finally:
        del ENGINES["broken"]
    assert [(r.engine, r.outcome) for r in report.results] == [
        ("reference", "passed"),
        ("duckdb", "passed"),
        ("broken", "error"),
    ]
    assert report.results[2].error == "engine crashed: RuntimeError('boom')"


def test_json_format(tmp_path: Path) -> None:
    result = invoke(
        "test", "-p", str(project(tmp_path, SUITE.replace("QTY", "2"))), "--format", "json"
    )
    data = json.loads(result.output)
    assert data["ok"] is False
    (item,) = data["results"]
    assert item["outcome"] == "failed"
    assert item["differ"][0]["keys"] == ["quantity"]


def test_help() -> None:
    result = invoke("test", "--help")
    assert result.exit_code == 0
    assert "--engine [reference|duckdb|all]" in result.output
