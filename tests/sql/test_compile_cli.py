"""`govern compile --target sql|dbt`: the files, the dialect option, the errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main
from govern.sql import DIALECTS, UnsupportedError, compile_version
from govern.sql.compiler import CompileOptions

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "sql"


def invoke(*args: str):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)])


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_compile_sql_every_dialect_writes_the_golden_files(tmp_path: Path) -> None:
    result = invoke("compile", "--target", "sql", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert files(tmp_path) == files(GOLDEN)


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_compile_sql_one_dialect(tmp_path: Path, dialect: str) -> None:
    result = invoke("compile", "--target", "sql", "--dialect", dialect, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert files(tmp_path) == files(GOLDEN / dialect)
    assert f"{len(files(tmp_path))} sql files in {tmp_path}" in result.output


def test_compile_dbt_writes_a_project(tmp_path: Path) -> None:
    result = invoke("compile", "--target", "dbt", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = files(tmp_path)
    assert {"dbt_project.yml", "models/sources.yml", "models/schema.yml"} <= set(written)
    model = written["models/api_calls__v2.sql"]
    assert model.startswith("-- govern meter api_calls, version 2 (meters/api_calls.yaml)")
    assert "{{ source('govern', 'raw_events') }}" in model
    assert "{{ source('govern', 'customer_aliases') }}" in model
    assert "{{ govern_as_of() }}" in model
    assert not model.rstrip().endswith(";")


def test_dialect_option_only_for_sql_targets(tmp_path: Path) -> None:
    result = invoke(
        "compile", "--target", "jsonschema", "--dialect", "duckdb", "--out", str(tmp_path)
    )
    assert result.exit_code == 2
    assert "--dialect applies to sql and dbt" in result.output


def test_unknown_dialect_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("compile", "--target", "sql", "--dialect", "oracle", "--out", str(tmp_path))
    assert result.exit_code == 2


def test_unsupported_construct_is_an_explicit_error(tmp_path: Path, bundled: Path) -> None:
    meter = bundled / "meters" / "api_calls.yaml"
    meter.write_text(
        meter.read_text().replace('filter: "status < 500"', 'filter: "duration_ms / 2 > 10"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "compile",
            "--target",
            "sql",
            "--dialect",
            "postgres",
            "--out",
            str(tmp_path),
            "--project",
            str(bundled),
        ],
    )
    assert result.exit_code == 2
    assert "PostgreSQL cannot express division in a filter" in result.output


def test_compile_options_name_tables_and_as_of() -> None:
    from datetime import UTC, datetime

    from govern import Catalog

    catalog = Catalog.load(ROOT)
    options = CompileOptions(
        events_table="lake.events", customers_table=None, as_of=datetime(2026, 11, 1, tzinfo=UTC)
    )
    text = compile_version(catalog, "api_calls", 1, "snowflake", options).sql()
    assert "FROM lake.events AS e" in text
    assert "customer_aliases" not in text
    assert "CAST('2026-11-01 00:00:00.000000' AS TIMESTAMPNTZ)" in text
    with pytest.raises(UnsupportedError):
        compile_version(catalog, "api_calls", 1, "clickhouse", CompileOptions(data_path=("data",)))
