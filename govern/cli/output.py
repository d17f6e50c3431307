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
    """`2 errors, 1 warning`; acknowledged findings are counted apart, they do not block."""
    counts = Counter(issue.severity for issue in issues if not issue.acknowledged)
    acknowledged = sum(1 for issue in issues if issue.acknowledged)
    if not issues:
        return "no problems found"
    parts = []
    for severity in Severity:
        if counts[severity]:
            parts.append(
                f"{counts[severity]} {severity.value}{'s' if counts[severity] > 1 else ''}"
            )
    if acknowledged:
        parts.append(f"{acknowledged} acknowledged")
    return ", ".join(parts)


def _github_line(issue: Issue) -> str:
    level = {"error": "error", "warning": "warning"}.get(issue.severity.value, "notice")
    if issue.acknowledged:
        level = "notice"
    loc = issue.location
    message = issue.message + (f" (hint: {issue.hint})" if issue.hint else "")
    message += f" [acknowledged: {issue.acknowledged}]" if issue.acknowledged else ""
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    where = f"file={_property(loc.path)}"
    if loc.line:  # a removed file has no line to point at
        where += f",line={loc.line},col={loc.col}"
    return f"::{level} {where},title={issue.rule}::{message}"


def _property(value: str) -> str:
    """A workflow-command property value, escaped as GitHub's toolkit does."""
    for char, code in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")):
        value = value.replace(char, code)
    return value


def echo_issues(issues: Sequence[Issue], fmt: str) -> None:
    click.echo(render_issues(issues, fmt))


def exit_code_for(issues: Sequence[Issue]) -> int:
    """1 when any unacknowledged error is among `issues`, else 0."""
    blocking = [i for i in issues if i.severity is Severity.ERROR and not i.acknowledged]
    return 1 if blocking else 0
