"""Rendering findings for people (text), machines (json) and GitHub Actions (github)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import click
import orjson

from govern.issues import Issue, Severity

ISSUE_FORMATS = ("text", "json", "github")


def render_issues(issues: Sequence[Issue], fmt: str) -> str:
    """All findings in one of `ISSUE_FORMATS`; text ends with a count line."""
    if fmt == "json":
        return orjson.dumps([i.to_dict() for i in issues], option=orjson.OPT_INDENT_2).decode()
    if fmt == "github":
        return "\n".join(_github_line(issue) for issue in issues)
    lines = [str(issue) for issue in issues]
    lines.append(summary(issues))
    return "\n".join(lines)


def summary(issues: Sequence[Issue]) -> str:
    counts = Counter(issue.severity for issue in issues)
    if not counts:
        return "no problems found"
    parts = []
    for severity in Severity:
        if counts[severity]:
            parts.append(
                f"{counts[severity]} {severity.value}{'s' if counts[severity] > 1 else ''}"
            )
    return ", ".join(parts)


def _github_line(issue: Issue) -> str:
    level = {"error": "error", "warning": "warning"}.get(issue.severity.value, "notice")
    loc = issue.location
    message = issue.message + (f" (hint: {issue.hint})" if issue.hint else "")
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={loc.path},line={loc.line},col={loc.col},title={issue.rule}::{message}"


def echo_issues(issues: Sequence[Issue], fmt: str) -> None:
    click.echo(render_issues(issues, fmt))


def exit_code_for(issues: Sequence[Issue]) -> int:
    """1 when any unacknowledged error is among `issues`, else 0."""
    blocking = [i for i in issues if i.severity is Severity.ERROR and not i.acknowledged]
    return 1 if blocking else 0
