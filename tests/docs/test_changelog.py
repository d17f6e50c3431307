"""The changelog from git history, on a fixture repository with fixed dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from govern import Catalog
from govern.docs import generate_pages
from govern.docs.changelog import read_changelog
from govern.docs.paths import CHANGELOG, contract_path, meter_path
from govern.errors import InputError
from tests.conftest import write_files
from tests.lint.minimal import CONTRACT, FILES, METER

SECOND_VERSION = """\
  - version: 2
    status: released
    effective_from: 2026-11-01
    description: Primary clicks, bots excluded.
    contract: click
    filter: "kind = 'primary' AND button <> 'bot'"
    aggregation: count
    group_by: [button]
    period: {every: month, timezone: UTC}
    late: {grace: P1D}
"""


def _commit(root: Path, message: str, day: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True)
    return out.stdout.decode().strip()


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str]:
    """A repository with three catalog commits (Sep, Oct, Nov) and one outside it."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    write_files(tmp_path, FILES)
    _commit(tmp_path, "Add the clicks meter", "2026-09-15")
    write_files(tmp_path, {"meters/clicks.yaml": METER + SECOND_VERSION})
    base = _commit(tmp_path, "clicks v2: exclude bots from November", "2026-10-20")
    write_files(tmp_path, {"README.md": "hello\n"})
    _commit(tmp_path, "Readme only", "2026-10-25")
    write_files(
        tmp_path, {"contracts/click/v1.yaml": CONTRACT.replace("One click", "One click | tap")}
    )
    _commit(tmp_path, "Describe taps too", "2026-11-03")
    return tmp_path, base


def test_changelog_lists_catalog_commits_by_month_newest_first(history) -> None:
    root, _ = history
    changelog = read_changelog(root)
    assert [c.subject for c in changelog.commits] == [
        "Describe taps too",
        "clicks v2: exclude bots from November",
        "Add the clicks meter",
    ]
    page = generate_pages(Catalog.load(root), root, changelog=changelog)[CHANGELOG]
    months = [line for line in page.splitlines() if line.startswith("## ")]
    assert months == ["## November 2026", "## October 2026", "## September 2026"]
    assert "**2026-10-20** clicks v2: exclude bots from November (`" in page
    assert (
        "[meter `clicks`](meters/clicks.md): changed; version 2 added (released, computes "
        "from 2026-11-01): The filter changed from `kind = 'primary'` (kind is 'primary') to "
        "`kind = 'primary' AND button <> 'bot'` (kind is 'primary' and button is not 'bot')."
    ) in page
    assert "[contract `click` v1](contracts/click.md): changed" in page
    assert "**new**" not in page


def test_base_marks_the_commits_since_it(history) -> None:
    root, base = history
    pages = generate_pages(Catalog.load(root), root, changelog=read_changelog(root, base))
    page = pages[CHANGELOG]
    assert f"Commits marked **new** are not in `{base}`: 1 commit since that base." in page
    new_lines = [line for line in page.splitlines() if "**new**" in line and "**20" in line]
    assert len(new_lines) == 1 and "Describe taps too" in new_lines[0]


def test_meter_and_contract_pages_show_their_history(history) -> None:
    root, _ = history
    pages = generate_pages(Catalog.load(root), root, changelog=read_changelog(root))
    meter = pages[meter_path("clicks")].split("## History")[1]
    assert "[changelog](../changelog.md)" in meter
    assert meter.index("**2026-10-20**") < meter.index("**2026-09-15**")
    assert "Describe taps too" not in meter
    assert "has no sample events" in pages[meter_path("clicks")]  # the fixture has none
    contract = pages[contract_path("click")].split("## History")[1]
    assert "**2026-11-03** Describe taps too" in contract


def test_outside_a_repository_there_is_no_history(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    changelog = read_changelog(tmp_path)
    assert changelog.commits == () and "not in a git repository" in (changelog.note or "")
    with pytest.raises(InputError, match="--base origin/main"):
        read_changelog(tmp_path, "origin/main")


def test_an_unknown_base_is_an_input_error(history) -> None:
    root, _ = history
    with pytest.raises(InputError, match="--base nope: no such commit"):
        read_changelog(root, "nope")
