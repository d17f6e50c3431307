"""A `CheckReport` as a pull-request comment: what blocks first, then what was accepted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from govern.gate.check import CheckReport
from govern.gate.rules import rule_title
from govern.issues import Issue, Severity

MARKER = "<!-- govern-check -->"
"""First line of every comment, so a workflow can find and update its previous one."""

MAX_ROWS = 100
"""Rows per section; GitHub refuses comments over 65,536 characters."""


def render_markdown(report: CheckReport) -> str:
    """The comment: a verdict line, what was compared, then a table per kind of finding."""
    blocking = report.blocking
    acknowledged = report.acknowledged
    unacknowledged = [i for i in report.issues if not i.acknowledged]
    others = [i for i in unacknowledged if i.severity is Severity.WARNING]
    notes = [i for i in unacknowledged if i.severity is Severity.INFO]
    verdict = _verdict(report, len(blocking), len(acknowledged), len(others), len(notes))
    lines = [MARKER, f"## {verdict}", ""]
    lines += [_scope(report), ""]
    if blocking:
        lines += ["### Blocking", "", *_table(blocking), ""]
    if acknowledged:
        lines += ["### Acknowledged (not blocking)", "", *_table(acknowledged, reason=True), ""]
    if others:
        lines += ["### Warnings", "", *_table(others), ""]
    if notes:
        lines += ["### For information", "", *_table(notes), ""]
    if not report.issues:
        lines += ["No findings.", ""]
    for section in report.sections:
        lines += [section.markdown.rstrip("\n"), ""]
    lines.append(
        "<sub>Each finding names a rule (see docs/gate-rules.md). To accept one on purpose, "
        "acknowledge it in the YAML with a reason: it stays in this report and stops "
        "blocking.</sub>"
    )
    return "\n".join(lines) + "\n"


def _verdict(
    report: CheckReport, blocking: int, acknowledged: int, others: int, notes: int = 0
) -> str:
    if blocking:
        return f"❌ govern check: {_count(blocking, 'blocking finding')}"
    counted = ((others, "warning"), (notes, "note"), (acknowledged, "acknowledged"))
    extra = [_count(n, word) for n, word in counted]
    extra = [text for text in extra if not text.startswith("0 ")]
    return "✅ govern check passed" + (f" ({', '.join(extra)})" if extra else "")


def _count(number: int, word: str) -> str:
    plural = "" if number == 1 or word == "acknowledged" else "s"
    return f"{number} {word}{plural}"


def _scope(report: CheckReport) -> str:
    compared = (
        f"Compared the working tree with `{report.base}`"
        if report.base
        else "Checked the working tree (no base ref: lint and contract compatibility only)"
    )
    return (
        f"{compared}: {_count(report.contract_versions, 'contract version')}, "
        f"{_count(report.meters, 'meter')}; periods closed as of {report.today}; "
        f"compatibility policy {report.policy}."
    )


def _table(issues: Sequence[Issue], reason: bool = False) -> list[str]:
    header = "| rule | where | finding |" + (" reason |" if reason else "")
    rows = [header, "| --- | --- | --- |" + (" --- |" if reason else "")]
    for issue in issues[:MAX_ROWS]:
        title = rule_title(issue.rule)
        rule = f"`{issue.rule}`" + (f" {_cell(title)}" if title else "")
        finding = _cell(issue.message)
        if issue.hint:
            finding += f"<br>*Hint:* {_cell(issue.hint)}"
        row = f"| {rule} | `{_cell(str(issue.location))}` | {finding} |"
        rows.append(row + (f" {_cell(issue.acknowledged or '')} |" if reason else ""))
    if len(issues) > MAX_ROWS:
        rows.append(f"\n… and {len(issues) - MAX_ROWS} more: run `govern check` to see them all.")
    return rows


_CODE = re.compile(r"(`[^`]*`)")


def _cell(text: str) -> str:
    """`text` safe inside a table cell: pipes escaped, HTML and emphasis neutralised
    outside code spans, line breaks as <br>."""
    parts = []
    for part in _CODE.split(text):
        if not part.startswith("`"):
            part = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            part = part.replace("*", "\\*")
        parts.append(part.replace("|", "\\|"))
    return "".join(parts).replace("\r", "").replace("\n", "<br>")
