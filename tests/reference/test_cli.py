"""`govern aggregate` and `govern trace` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main

ROOT = Path(__file__).resolve().parents[2]
API = str(ROOT / "contracts/api_request/samples/events.jsonl")
ACTIVITY = str(ROOT / "contracts/user_activity/samples/events.jsonl")


def invoke(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)], input=stdin)


@pytest.mark.parametrize("command", ["aggregate", "trace"])
def test_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "--meter" in result.output


def test_aggregate_writes_jsonl_and_summarises_on_stderr() -> None:
    result = invoke("aggregate", "--meter", "api_calls", API)
    assert result.exit_code == 1  # exceptions are findings
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 8
    assert list(rows[0]) == [
        "kind",
        "customer",
        "meter",
        "meter_version",
        "period_start",
        "period_end",
        "dimensions",
        "quantity",
        "status",
        "line_item",
    ]
    assert list(rows[-1])[-2:] == ["posted_period_start", "posted_period_end"]
    assert "21 events read = 12 counted + 9 excluded + 0 ignored" in result.stderr
    assert "3 exceptions (1 conflicting_duplicate, 2 invalid_event)" in result.stderr


def test_aggregate_out_and_exceptions_files(tmp_path: Path) -> None:
    out, exceptions = tmp_path / "rows.csv", tmp_path / "exceptions.jsonl"
    result = invoke(
        "aggregate",
        "--meter",
        "active_users",
        ACTIVITY,
        "--format",
        "csv",
        "--out",
        str(out),
        "--exceptions",
        str(exceptions),
        "--customers",
        str(_mapping(tmp_path)),
        "--as-of",
        "2026-11-03T12:00:00Z",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert out.read_text().splitlines() == [
        "kind,customer,meter,meter_version,period_start,period_end,posted_period_start,"
        "posted_period_end,quantity,status,line_item",
        "usage,acme,active_users,1,2026-09-01T04:00:00Z,2026-10-01T04:00:00Z,,,1,closed,"
        "ACTIVE-USERS",
        "usage,acme,active_users,1,2026-10-01T04:00:00Z,2026-11-01T04:00:00Z,,,2,closed,"
        "ACTIVE-USERS",
        "usage,globex,active_users,1,2026-10-01T04:00:00Z,2026-11-01T04:00:00Z,,,1,closed,"
        "ACTIVE-USERS",
    ]
    (record,) = [json.loads(line) for line in exceptions.read_text().splitlines()]
    assert (record["kind"], record["subject"], record["quantity"]) == (
        "unmapped_subject",
        "acme-eu",
        "1",
    )
    assert "recorded_after_as_of" in result.stderr


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text("subject,customer\nacme,acme\nglobex,globex\n")
    return path


def test_aggregate_table_reads_stdin() -> None:
    result = invoke(
        "aggregate",
        "--meter",
        "storage_gb_peak",
        "--format",
        "table",
        "-",
        stdin=(ROOT / "contracts/storage_snapshot/samples/events.jsonl").read_bytes(),
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "kind",
        "customer",
        "meter_version",
        "period_start",
        "period_end",
        "posted_period_start",
        "dimensions.bucket",
        "quantity",
        "status",
    ]
    assert lines[-1].split()[-3:] == ["globex-data", "5.375", "closed"]
    assert "no exceptions" in result.stderr


def test_two_runs_are_byte_identical() -> None:
    first = invoke("aggregate", "--meter", "api_calls", API).stdout_bytes
    assert first == invoke("aggregate", "--meter", "api_calls", API).stdout_bytes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meter", "nope", API], "unknown meter 'nope'"),
        (["--meter", "api_calls", "missing.jsonl"], "missing.jsonl: no such file"),
        (["--meter", "api_calls", "--as-of", "tomorrow", API], "not an RFC 3339 timestamp"),
    ],
)
def test_aggregate_input_errors_exit_2(args: list[str], message: str) -> None:
    result = invoke("aggregate", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_trace_lists_events_behind_rows_and_the_rest() -> None:
    result = invoke(
        "trace",
        "--meter",
        "api_calls",
        "--customer",
        "acme",
        "--period-start",
        "2026-10-01T00:00:00Z",
        API,
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "usage [region=us-east] 1 (closed)" in text
    assert "billed                 gateway/us-east-1 req-0001" in text
    assert "adjustment [region=us-east] +1 posted to 2026-11-01T00:00:00Z" in text
    assert "late                   gateway/us-east-1 req-0011" in text
    assert (
        "voided                 gateway/us-east-1 req-0005  voided by gateway/us-east-1 "
        "req-void-01" in text
    )
    assert (
        "filtered_out           gateway/us-east-1 req-0004  filter `status < 500` of v1 "
        "is false" in text
    )
    assert "duplicate              gateway/eu-west-1 req-0003" in text


def test_trace_json_and_invalid_events() -> None:
    result = invoke(
        "trace",
        "--meter",
        "api_calls",
        "--customer",
        "initech",
        "--period-start",
        "2026-10-01T00:00:00Z",
        "--format",
        "json",
        API,
    )
    assert result.exit_code == 0
    traced = json.loads(result.stdout)
    assert [e["id"] for e in traced["entries"][0]["events"]] == ["req-0009", "req-0010"]
    assert [(e["status"], e["id"]) for e in traced["not_counted"]] == [
        ("invalid", "req-0017"),
        ("invalid", "req-0018"),
    ]


def test_trace_needs_a_period_start() -> None:
    result = invoke(
        "trace",
        "--meter",
        "api_calls",
        "--customer",
        "acme",
        "--period-start",
        "2026-10-02T00:00:00Z",
        API,
    )
    assert result.exit_code == 2
    assert "is in the period 2026-10-01T00:00:00Z..2026-11-01T00:00:00Z" in result.stderr
