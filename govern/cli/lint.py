"""`govern lint`: check the catalog and report every finding with its rule id."""

from __future__ import annotations

from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.cli.options import issue_format_option, project_option
from govern.cli.output import echo_issues, exit_code_for


@click.command()
@project_option
@issue_format_option
def lint(project: Path, fmt: str) -> None:
    """Check contracts and meters; exit 1 on findings, 2 on unreadable input."""
    issues = Catalog.load(project).lint()
    echo_issues(issues, fmt)
    raise SystemExit(exit_code_for(issues))
