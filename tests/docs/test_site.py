"""`govern docs` end to end: the writer, the CLI, and `mkdocs build --strict` on the result."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main
from govern.docs import build_docs
from govern.docs.site import MARKER
from tests.conftest import REPO, write_files


def test_build_docs_writes_pages_nav_and_marker(bundled: Path) -> None:
    write_files(bundled, {"docs/index.md": "# Home\n", "docs/extra/faq.md": "# FAQ\n"})
    written = build_docs(bundled)
    out = bundled / "docs" / "catalog"
    assert out / "meters" / "api_calls.md" in written
    assert (out / MARKER).is_file()
    nav = (out / "nav.yml").read_text()
    assert "- Home: index.md\n" in nav
    assert "- FAQ: extra/faq.md" in nav  # an unexpected hand-written page is listed too
    assert "api_calls (API-CALLS): catalog/meters/api_calls.md" in nav


def test_rebuild_replaces_stale_pages(bundled: Path) -> None:
    build_docs(bundled)
    stale = bundled / "docs" / "catalog" / "meters" / "gone.md"
    stale.write_text("old")
    build_docs(bundled)
    assert not stale.exists()


def test_refuses_to_clear_a_folder_it_did_not_write(bundled: Path) -> None:
    write_files(bundled, {"mine/notes.md": "keep me"})
    result = CliRunner().invoke(
        main, ["docs", "--project", str(bundled), "--out", str(bundled / "mine")]
    )
    assert result.exit_code == 2
    assert "did not write" in result.output
    assert (bundled / "mine" / "notes.md").read_text() == "keep me"


def test_cli_docs(bundled: Path) -> None:
    runner = CliRunner()
    assert "--base REF" in runner.invoke(main, ["docs", "--help"]).output
    result = runner.invoke(main, ["docs", "--project", str(bundled)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ") and "docs/catalog" in result.output
    result = runner.invoke(main, ["docs", "--project", str(bundled), "--base", "main"])
    assert result.exit_code == 2 and "not in a git repository" in result.output


def test_mkdocs_builds_the_site_strictly(bundled: Path) -> None:
    """The repository's mkdocs.yml and hand-written pages, with freshly generated pages."""
    shutil.copy(REPO / "mkdocs.yml", bundled / "mkdocs.yml")
    shutil.copytree(REPO / "docs", bundled / "docs", ignore=shutil.ignore_patterns("catalog"))
    build_docs(bundled)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"],
        cwd=bundled,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = bundled / "site"
    page = (site / "catalog" / "meters" / "api_calls.html").read_text()
    assert "API-CALLS" in page and 'class="mermaid"' in page
    assert (site / "search" / "search_index.js").is_file() or (
        site / "search" / "search_index.json"
    ).is_file()


@pytest.mark.parametrize("name", ["index.md", "getting-started.md"])
def test_handwritten_pages_exist(name: str) -> None:
    assert (REPO / "docs" / name).is_file()
