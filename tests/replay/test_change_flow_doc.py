"""The README's "How a change flows" section shows real output: replay its walkthrough on
a copy of the bundled catalog and find every command's output in the section."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from govern.cli import main
from tests.gate.conftest import GitRepo

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
OLD_FILTER = "filter: \"status < 500 AND route NOT LIKE '/health%'\""
NEW_FILTER = "filter: \"status < 500 AND route NOT LIKE '/health/live%'\""
DECEMBER_SAMPLE = (
    '{"specversion":"1.0","id":"req-0019","source":"gateway/us-east-1","type":"api_request",'
    '"subject":"acme","time":"2026-12-01T08:00:00Z","recordedtime":"2026-12-01T08:00:02Z",'
    '"dataschema":"https://schemas.example.com/api_request/v2","data":{"route":"/health/ready",'
    '"method":"GET","status":200,"duration_ms":1,"region":"us-east"}}\n'
)


def page() -> str:
    """The section with block quotes unquoted (the PR comments are quoted in it)."""
    readme = README.read_text(encoding="utf-8")
    start = readme.index("## How a change flows")
    end = readme.find("\n## ", start + 1)
    text = readme[start : end if end > 0 else None]
    return re.sub(r"^> ?", "", text, flags=re.MULTILINE)


def appended(header: str) -> str:
    """The YAML block of the page that starts with the comment `header`, without it."""
    match = re.search(rf"```yaml\n# {re.escape(header)}\n(.*?)```", page(), re.DOTALL)
    assert match, header
    return match.group(1)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "-p", str(root)])
    return result.exit_code, result.output


def comment(output: str) -> str:
    """A check comment up to the folded unchanged-meters block."""
    return output[: output.index("<details>")].rstrip()


def test_the_walkthrough_output_is_real(tmp_path: Path) -> None:
    for folder in ("contracts", "meters"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    repo = GitRepo(tmp_path).commit("catalog").branch("bill-readiness-probes")
    text = page()

    repo.edit("meters/api_calls.yaml", OLD_FILTER, NEW_FILTER)
    code, output = run(tmp_path, "test", "--meter", "api_calls")
    assert code == 1 and f"$ govern test --meter api_calls\n{output}```" in text
    code, output = run(tmp_path, "replay", "--base", "main")
    assert code == 0 and f"$ govern replay --base main\n{output}```" in text
    check = ("check", "--base", "main", "--today", "2026-11-21", "--format", "markdown")
    code, output = run(tmp_path, *check)
    assert code == 1 and comment(output) in text

    repo.edit("meters/api_calls.yaml", NEW_FILTER, OLD_FILTER)
    meter = tmp_path / "meters" / "api_calls.yaml"
    meter.write_text(meter.read_text() + appended("meters/api_calls.yaml (appended)"))
    tests = tmp_path / "meters" / "api_calls.tests.yaml"
    tests.write_text(tests.read_text() + "\n" + appended("meters/api_calls.tests.yaml (appended)"))
    samples = tmp_path / "contracts" / "api_request" / "samples" / "events.jsonl"
    samples.write_text(samples.read_text() + DECEMBER_SAMPLE)
    code, output = run(tmp_path, "test", "--meter", "api_calls")
    assert code == 0 and "\n".join(output.splitlines()[-2:]) in text
    code, output = run(tmp_path, *check)
    assert code == 0 and comment(output) in text
