"""`govern check`: the governance gate (lint, compatibility, change rules) for CI."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import datetime
from pathlib import Path

import click

from govern.cli.options import format_option, policy_option, project_option
from govern.cli.output import ISSUE_FORMATS, render_issues
from govern.gate.check import CheckReport, run_check
from govern.report import render_junit, render_markdown

REPORT_RENDERERS = {"markdown": render_markdown, "junit": render_junit}
CHECK_FORMATS = (*ISSUE_FORMATS, *REPORT_RENDERERS)


def render_check(report: CheckReport, fmt: str) -> str:
    """The report in one of `CHECK_FORMATS` (text, json and github are the lint renderers)."""
    if fmt in REPORT_RENDERERS:
        return REPORT_RENDERERS[fmt](report).rstrip("\n")
    text = render_issues(report.issues, fmt)
    if fmt == "text":
        text += "".join(f"\n\n{section.text.rstrip()}" for section in report.sections)
    return text


@click.command()
@project_option
@click.option(
    "--base",
    metavar="REF",
    help="Compare with the catalog committed at this git ref (e.g. origin/main); "
    "read with git, no checkout. Without it: lint and contract compatibility only.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the check runs on: a period whose end plus grace is at or before its "
    "start is closed (rule GOV006).  [default: today]",
)
@policy_option
@format_option(CHECK_FORMATS)
def check(project: Path, base: str | None, today: datetime | None, policy: str, fmt: str) -> None:
    """Lint the catalog, compare it with --base, apply every gate rule.

    Blocks (exit 1) on lint errors, incompatible contract versions under each contract's
    compatibility mode, in-place edits or removals of released contract and meter versions,
    meter versions taking effect in closed periods, and contract changes that break a
    meter. Acknowledged findings (an `acknowledge:` entry in the YAML, with a reason) are
    reported but do not block. Exit 2 on unreadable input or an unknown ref.
    """
    day = today.date() if today else None
    report = run_check(project, base, day, policy)  # type: ignore[arg-type]
    if fmt == "github":
        report = _repository_paths(report, project)
    click.echo(render_check(report, fmt))
    raise SystemExit(report.exit_code)


def _repository_paths(report: CheckReport, project: Path) -> CheckReport:
    """Paths relative to the repository root, which is what GitHub annotations need."""
    result = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "--show-prefix"],
        capture_output=True,
        text=True,
        check=False,
    )
    prefix = result.stdout.strip() if result.returncode == 0 else ""
    if not prefix:
        return report
    issues = tuple(
        dataclasses.replace(
            i, location=dataclasses.replace(i.location, path=prefix + i.location.path)
        )
        for i in report.issues
    )
    return dataclasses.replace(report, issues=issues)
