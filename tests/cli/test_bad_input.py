"""Bad catalog input: one located line per problem, exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main
from tests.conftest import write_files
from tests.lint.minimal import CONTRACT, FILES, METER

BILLION_LAUGHS = """\
contract: click
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""

CASES = [
    ("malformed", "contract: [click\nversion: 1\n", "CAT001", 2),
    ("tab", CONTRACT.replace("  button:", "\tbutton:"), "CAT001", 7),
    ("wrong type", CONTRACT.replace("version: 1", "version: one"), "CAT008", 2),
    ("wrong field type", CONTRACT.replace("type: number", "type: float"), "CAT008", 8),
    ("misspelt key", CONTRACT.replace("required: true}", "requird: true}", 1), "CAT007", 7),
    ("missing key", CONTRACT.replace("contract: click\n", ""), "CAT009", 1),
    ("duplicate key", CONTRACT + "owner: someone-else\n", "CAT002", 11),
    ("empty", "", "CAT004", 1),
    ("only comments", "# nothing yet\n", "CAT004", 1),
    ("anchors", BILLION_LAUGHS, "CAT003", 3),
    ("not a mapping", "- just\n- a list\n", "CAT008", 1),
]


def _run(root: Path, *args: str):
    return CliRunner().invoke(main, ["lint", "--project", str(root), *args])


@pytest.mark.parametrize(
    ("text", "rule", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_contract_file(tmp_path: Path, text: str, rule: str, line: int) -> None:
    write_files(tmp_path, {**FILES, "contracts/click/v1.yaml": text})
    result = _run(tmp_path)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first = result.output.splitlines()[0]
    assert first.startswith(f"contracts/click/v1.yaml:{line}:"), first
    assert f" {rule} " in first


def test_misspelt_key_suggests_the_right_one(tmp_path: Path) -> None:
    write_files(
        tmp_path, {**FILES, "meters/clicks.yaml": METER.replace("aggregation:", "agregation:")}
    )
    result = _run(tmp_path)
    assert result.exit_code == 2
    assert "CAT007 unknown key 'agregation' (hint: did you mean 'aggregation'?)" in result.output


def test_ten_megabyte_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, "meters/huge.yaml": "# " + "x" * 10_000_000 + "\n"})
    result = _run(tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith("meters/huge.yaml:1:1: CAT005 file is 10,000,003 bytes")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    bad = CONTRACT.encode().replace(b"One click", b"One cl\xe9ck")
    write_files(tmp_path, {**FILES, "contracts/click/v1.yaml": bad})
    result = _run(tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith("contracts/click/v1.yaml:5:20: CAT006 file is not valid UTF-8")


def test_folder_without_catalog(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path}: CAT010 no catalog here" in result.output


def test_missing_folder(tmp_path: Path) -> None:
    result = _run(tmp_path / "nowhere")
    assert result.exit_code == 2


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "contracts/click/v1.yaml": CONTRACT.replace("version: 1", "version: x"),
            "meters/clicks.yaml": METER.replace("unit: click", "unit: click\nunit: tap"),
        },
    )
    result = _run(tmp_path, "--format", "json")
    assert result.exit_code == 2
    assert '"rule": "CAT008"' in result.output and '"rule": "CAT002"' in result.output
