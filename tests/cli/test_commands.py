"""The CLI end to end: lint, init, show, output formats, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import COMMANDS, main
from tests.conftest import write_files
from tests.lint.minimal import FILES, METER

REPO = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_lint_bundled_catalog_is_clean() -> None:
    result = invoke("lint", "--project", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no problems found"


def test_lint_findings_exit_1_in_every_format(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, "meters/clicks.yaml": METER.replace("[button]", "[colour]")})
    text = invoke("lint", "-p", str(tmp_path))
    assert text.exit_code == 1
    assert text.output.splitlines() == [
        "meters/clicks.yaml:13:16: MTR002 group_by field 'colour' is not in contract click@1",
        "1 error",
    ]
    as_json = json.loads(invoke("lint", "-p", str(tmp_path), "--format", "json").output)
    assert as_json == [
        {
            "rule": "MTR002",
            "severity": "error",
            "message": "group_by field 'colour' is not in contract click@1",
            "path": "meters/clicks.yaml",
            "line": 13,
            "col": 16,
            "hint": None,
        }
    ]
    github = invoke("lint", "-p", str(tmp_path), "--format", "github").output.strip()
    assert github == (
        "::error file=meters/clicks.yaml,line=13,col=16,title=MTR002::"
        "group_by field 'colour' is not in contract click@1"
    )


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, "meters/clicks.yaml": METER.replace("'primary'", "'tertiary'")})
    result = invoke("lint", "-p", str(tmp_path))
    assert result.exit_code == 0
    assert "MTR007" in result.output and result.output.rstrip().endswith("1 warning")


def test_init_then_lint(tmp_path: Path) -> None:
    created = invoke("init", str(tmp_path))
    assert created.exit_code == 0, created.output
    assert (tmp_path / "meters" / "page_views.yaml").is_file()
    assert invoke("lint", "-p", str(tmp_path)).exit_code == 0


def test_init_refuses_an_existing_catalog(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists" in result.output


def test_show_meter_explains_every_version() -> None:
    result = invoke("show", "meter", "api_calls", "-p", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# meters/api_calls.yaml\nmeter: api_calls\n")
    assert "Counts `api_request` events where status is below 500, per customer and region" in (
        result.output.replace("\n    ", " ")
    )
    assert "route does not match '/health%'" in result.output.replace("\n    ", " ")


def test_show_contract_resolves_defaults_as_json() -> None:
    result = invoke("show", "contract", "api_request", "-p", str(REPO), "--format", "json")
    data = json.loads(result.output)
    assert data["version"] == 2
    assert data["envelope"]["time"] == "time"
    assert data["fields"]["model"]["required"] is False
    older = json.loads(
        invoke(
            "show", "contract", "api_request", "--version", "1", "-p", str(REPO), "--format", "json"
        ).output
    )
    assert "model" not in older["fields"]


def test_show_unknown_meter_is_a_usage_error() -> None:
    result = invoke("show", "meter", "nope", "-p", str(REPO))
    assert result.exit_code == 2
    assert "unknown meter 'nope'" in result.output


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_python_api() -> None:
    from govern import Catalog

    catalog = Catalog.load(REPO)
    assert catalog.meter("api_calls").latest.version == 2
    assert catalog.contract("api_request").version == 2
    assert catalog.meter("api_calls").latest.location_of("filter").line == 28
