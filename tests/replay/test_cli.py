"""`govern replay` end to end: formats, options, errors, help."""

from __future__ import annotations

import json

from click.testing import CliRunner

from govern.cli import COMMANDS, main
from tests.gate.conftest import GitRepo
from tests.replay.catalog import METER_PATH


def invoke(repo: GitRepo, *args: str):
    return CliRunner().invoke(main, ["replay", "-p", str(repo.root), "--base", "main", *args])


def test_registered_with_help() -> None:
    assert "replay" in {command.name for command in COMMANDS}
    result = CliRunner().invoke(main, ["replay", "--help"])
    assert result.exit_code == 0
    assert "--format [text|json|markdown]" in result.output


def test_text_lists_unchanged_meters_with_their_totals(repo: GitRepo) -> None:
    result = invoke(repo)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Replayed 8 events from 1 file as of 2026-11-10T00:00:00Z: main -> working tree",
        "",
        "Unchanged meters (sample totals):",
        "  calls  7 call",
    ]


def test_text_table(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    result = invoke(repo)
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == [
        "calls (call): definition changed: -1 call in total (-14.3%), 1 row changes",
        "  customer  period   dimensions  kind   version  old  new  difference  change",
        "  acme      2026-10  region=us   usage  v1         3    2          -1  -33.3%",
        "  total                                            7    6          -1  -14.3%",
    ]


def test_json(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "timezone: UTC", "timezone: America/New_York")
    data = json.loads(invoke(repo, "--format", "json").output)
    assert data["as_of"] == "2026-11-10T00:00:00Z"
    assert data["event_files"] == ["contracts/call/samples/events.jsonl"]
    (meter,) = data["meters"]
    assert (meter["state"], meter["old_total"], meter["new_total"]) == ("changed", "7", "7")
    first = meter["rows"][0]
    assert first == {
        "customer": "acme",
        "period": "2026-10 (UTC -> America/New_York)",
        "period_start": "2026-10-01T04:00:00Z",
        "period_end": "2026-11-01T04:00:00Z",
        "old_period_start": "2026-10-01T00:00:00Z",
        "dimensions": {"region": "us"},
        "kind": "usage",
        "old": "3",
        "new": "4",
        "difference": "1",
        "percent": "33.3",
        "old_version": 1,
        "new_version": 1,
    }
    assert meter["unchanged_rows"] == 2


def test_as_of_option(repo: GitRepo) -> None:
    result = invoke(repo, "--as-of", "2026-11-02T00:00:00Z")
    assert "as of 2026-11-02T00:00:00Z" in result.output
    assert "  calls  5 call" in result.output
    bad = invoke(repo, "--as-of", "yesterday")
    assert bad.exit_code == 2 and "not an RFC 3339 timestamp" in bad.output


def test_unknown_ref_is_an_input_error(repo: GitRepo) -> None:
    result = CliRunner().invoke(main, ["replay", "-p", str(repo.root), "--base", "nope"])
    assert result.exit_code == 2
    assert result.output.startswith("govern: git")


def test_a_meter_that_cannot_run_is_reported_not_raised(repo: GitRepo) -> None:
    """A head definition the engine refuses is listed with its error; the others still run."""
    repo.edit(METER_PATH, "aggregation: count\n", "aggregation: sum\n")
    result = invoke(repo)
    assert result.exit_code == 0
    assert "calls (call): definition changed: could not replay:" in result.output
