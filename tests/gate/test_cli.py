"""`govern check` and `govern compat` end to end: every output format golden, exit codes, help.

Regenerate the golden files with `GOVERN_REGEN=1 python -m pytest tests/gate` and review
the diff of tests/golden/check/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from govern.cli import main
from govern.gate.rules import GATE_RULES
from govern.lint import ALL_RULES
from tests.gate.conftest import GitRepo
from tests.gate.scenario import pull_request
from tests.lint.minimal import FILES

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "check"
FORMATS = {"text": "txt", "json": "json", "github": "github", "markdown": "md", "junit": "xml"}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def check(root: Path, *args: str):
    return invoke("check", "-p", str(root), "--today", "2026-05-01", *args)


def _junit_findings(text: str) -> list:
    """The parsed report without the passing test cases of rules that found nothing
    (one per registered rule: they change whenever a rule is added)."""
    root = ET.fromstring(text)
    found = []
    for suite in root:
        cases = [
            (case.attrib, [(child.tag, child.attrib, child.text) for child in case])
            for case in suite
            if len(case)
        ]
        found.append((suite.get("name"), suite.get("failures"), suite.get("skipped"), cases))
    return [root.get("failures"), root.get("skipped"), found]


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOVERN_REGEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if name.endswith(".json"):
        assert json.loads(text) == json.loads(expected)
    elif name.endswith(".xml"):
        assert _junit_findings(text) == _junit_findings(expected)
    else:
        assert text == expected


@pytest.fixture(scope="module")
def pr(tmp_path_factory) -> GitRepo:
    return pull_request(tmp_path_factory.mktemp("pr"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_golden(pr: GitRepo, fmt: str) -> None:
    result = check(pr.root, "--base", "main", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert_golden(f"pull_request.{FORMATS[fmt]}", result.output)


def test_clean_markdown_is_golden(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write(FILES).commit().branch()
    result = check(repo.root, "--base", "main", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert_golden("clean.md", result.output)


def test_github_annotations(pr: GitRepo) -> None:
    lines = check(pr.root, "--base", "main", "--format", "github").output.splitlines()
    assert lines[0].startswith(
        "::error file=contracts/api_request/v3.yaml,line=8,col=3,title=CMP001::api_request v3 "
        "removes required field `region`"
    )
    acknowledged = [line for line in lines if "GOV002" in line]
    assert acknowledged[0].startswith("::notice file=meters/llm_input_tokens.yaml,line=24,")
    assert acknowledged[0].endswith(
        "[acknowledged: Grace was typed as PT6H; every invoice so far "
        "was issued after 12h (FIN-204).]"
    )


def test_junit_lists_every_rule(pr: GitRepo) -> None:
    root = ET.fromstring(check(pr.root, "--base", "main", "--format", "junit").output)
    classnames = {case.get("classname").rsplit(".", 1)[1] for case in root.iter("testcase")}
    assert classnames == {rule.id for rule in (*ALL_RULES, *GATE_RULES)}
    assert (root.get("failures"), root.get("skipped")) == ("6", "1")


def test_acknowledged_and_warnings_only_exit_0(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write(FILES).commit().branch()
    repo.edit("meters/clicks.yaml", "late: {grace: P1D}", "late: {grace: P2D}")
    repo.edit(
        "meters/clicks.yaml",
        "versions:\n",
        'acknowledge: [{rule: GOV002, reason: "ok"}]\nversions:\n',
    )
    result = check(repo.root, "--base", "main")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "1 acknowledged"


def test_github_paths_are_relative_to_the_repository(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write({f"billing/{k}": v for k, v in FILES.items()}).commit().branch()
    repo.edit("billing/meters/clicks.yaml", "late: {grace: P1D}", "late: {grace: P2D}")
    result = check(tmp_path / "billing", "--base", "main", "--format", "github")
    assert result.output.startswith("::error file=billing/meters/clicks.yaml,line=15,")
    text = check(tmp_path / "billing", "--base", "main").output
    assert text.startswith("meters/clicks.yaml:15:")


def test_without_base(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write(FILES).commit()
    result = check(repo.root)
    assert (result.exit_code, result.output.strip()) == (0, "no problems found")


def test_unknown_ref_exits_2(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write(FILES).commit()
    result = check(repo.root, "--base", "origin/nope")
    assert result.exit_code == 2
    assert "govern: git ls-tree" in result.output


def test_not_a_git_repository_exits_2(tmp_path: Path) -> None:
    from tests.conftest import write_files

    write_files(tmp_path, FILES)
    assert check(tmp_path, "--base", "main").exit_code == 2


def test_unreadable_base_catalog_exits_2_and_says_where(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path).write({**FILES, "meters/broken.yaml": "meter: [\n"}).commit()
    repo.branch().remove("meters/broken.yaml")
    result = check(repo.root, "--base", "main")
    assert result.exit_code == 2
    assert result.output.startswith("meters/broken.yaml:2:1: CAT001 (at main) YAML syntax error")


def test_bad_today_is_a_usage_error(tmp_path: Path) -> None:
    assert check(tmp_path, "--today", "May 1").exit_code == 2


@pytest.mark.parametrize("command", [("check",), ("compat",)])
def test_help(command: tuple[str, ...]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Usage: main " + command[0] in result.output


# ---------------------------------------------------------------- govern compat

OLD = {
    "type": "object",
    "properties": {"route": {"type": "string"}, "region": {"type": "string"}},
    "required": ["route", "region"],
    "additionalProperties": False,
}


def _write(tmp_path: Path, name: str, schema: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(schema), encoding="utf-8")
    return str(path)


def test_compat_json_schema(tmp_path: Path) -> None:
    new = {**OLD, "properties": {"route": {"type": "string"}}, "required": ["route"]}
    old_path, new_path = _write(tmp_path, "v1.json", OLD), _write(tmp_path, "v2.json", new)
    result = invoke("compat", old_path, new_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "backward: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/region",
        f"{new_path} is incompatible with {old_path} (backward; JSON Schema, strict policy)",
    ]
    assert invoke("compat", old_path, new_path, "--policy", "lenient").exit_code == 0
    as_json = json.loads(
        invoke("compat", old_path, new_path, "--mode", "full", "--format", "json").output
    )
    assert [(f["direction"], f["kind"]) for f in as_json] == [
        ("backward", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"),
        ("forward", "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"),
    ]


def test_compat_avro(tmp_path: Path) -> None:
    old = {"type": "record", "name": "r", "fields": [{"name": "a", "type": "string"}]}
    new = {
        "type": "record",
        "name": "r",
        "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "long"}],
    }
    old_path, new_path = _write(tmp_path, "v1.avsc", old), _write(tmp_path, "v2.avsc", new)
    result = invoke("compat", old_path, new_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("backward: ")
    assert result.output.splitlines()[-1].endswith("(backward; Avro)")
    assert invoke("compat", old_path, new_path, "--mode", "forward").exit_code == 0


@pytest.mark.parametrize(
    ("old_name", "old_text", "message"),
    [
        ("v1.avsc", json.dumps(OLD), "compare two Avro schemas (.avsc) or two JSON Schemas"),
        ("v1.json", "{not json", "not a readable JSON document"),
    ],
)
def test_compat_bad_input_exits_2(
    tmp_path: Path, old_name: str, old_text: str, message: str
) -> None:
    (tmp_path / old_name).write_text(old_text, encoding="utf-8")
    result = invoke("compat", str(tmp_path / old_name), _write(tmp_path, "v2.json", OLD))
    assert result.exit_code == 2 and message in result.output


def test_compat_on_compiled_contracts_sees_the_data_object(tmp_path: Path) -> None:
    from govern.catalog.model import Contract
    from govern.compile.jsonschema import contract_to_jsonschema
    from tests.gate.test_contract_compat import BASE

    v2 = {**BASE, "version": 2, "fields": {**BASE["fields"], "tenant": {"type": "string"}}}
    paths = [
        _write(tmp_path, f"v{n}.schema.json", contract_to_jsonschema(Contract.model_validate(c)))
        for n, c in ((1, BASE), (2, v2))
    ]
    assert invoke("compat", *paths).exit_code == 0  # an optional field: backward compatible
    result = invoke("compat", *paths, "--mode", "forward")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "forward: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/$defs/data/properties/tenant"
    )
