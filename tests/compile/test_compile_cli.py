from __future__ import annotations

import json
from pathlib import Path

import fastavro
from click.testing import CliRunner

from govern.cli import main
from tests.contract_samples import ROOT


def test_compile_writes_one_file_per_contract_version(tmp_path):
    result = CliRunner().invoke(
        main, ["compile", "--target", "avro", "--out", str(tmp_path), "--project", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.avsc"))
    assert written == [
        "api_request/v1.avsc",
        "api_request/v2.avsc",
        "compute_job/v1.avsc",
        "llm_tokens/v1.avsc",
        "storage_snapshot/v1.avsc",
        "user_activity/v1.avsc",
    ]
    fastavro.parse_schema(json.loads((tmp_path / "api_request/v2.avsc").read_text()))
    assert result.output.splitlines()[-1] == f"6 avro files in {tmp_path}"


def test_the_default_folder_is_build_target(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["compile", "--target", "jsonschema", "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "build/jsonschema/llm_tokens/v1.schema.json").read_text())
    assert schema["$id"] == "urn:govern:llm_tokens@1"


def test_unknown_target_is_a_usage_error():
    result = CliRunner().invoke(main, ["compile", "--target", "cobol"])
    assert result.exit_code == 2
    assert "'cobol' is not one of 'jsonschema', 'avro'" in result.output


def test_help_lists_the_targets():
    result = CliRunner().invoke(main, ["compile", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "jsonschema: JSON Schema (Draft 2020-12)" in text
    assert "avro: Avro record schema" in text
