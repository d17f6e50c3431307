"""A `ReplayReport` as Markdown: the billing-impact part of a pull-request comment."""

from __future__ import annotations

from govern.replay.impact import MeterImpact, ReplayReport, format_instant
from govern.replay.render.common import COLUMNS, cells, headline, quantity, total_cells

MAX_ROWS = 50
"""Rows per meter; GitHub refuses comments over 65,536 characters."""

ALIGN = {"old": "---:", "new": "---:", "difference": "---:", "change": "---:"}


def render_markdown(report: ReplayReport, heading: str = "##") -> str:
    """`heading` is the level of the title (`###` inside a larger comment)."""
    lines = [f"{heading} Billing impact", "", _scope(report), ""]
    if not report.impacted:
        lines += ["No meter bills differently on these events.", ""]
    for meter in report.impacted:
        lines += [f"{heading}# `{meter.meter}` ({meter.unit})", "", _cell(headline(meter)), ""]
        if not meter.error:
            lines += [*_table(meter), ""]
    if report.without_impact:
        names = ", ".join(f"`{m.meter}` ({'; '.join(m.reasons)})" for m in report.without_impact)
        lines += [f"Changed, but no change on these events: {names}.", ""]
    if report.unchanged:
        lines += [
            "<details><summary>Unchanged meters (sample totals)</summary>",
            "",
            "| meter | total |",
            "| --- | ---: |",
            *(f"| `{m.meter}` | {quantity(m.new_total)} {m.unit} |" for m in report.unchanged),
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _scope(report: ReplayReport) -> str:
    files = len(report.event_files)
    return (
        f"Replayed {report.events} events ({files} file{'s' if files != 1 else ''}) as of "
        f"`{format_instant(report.as_of)}` through the definitions at `{report.base}` (old) "
        "and in this change (new)."
    )


def _table(meter: MeterImpact) -> list[str]:
    rows = meter.changed_rows
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join(ALIGN.get(c, "---") for c in COLUMNS) + " |",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in cells(row)) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        more = f"… {len(rows) - MAX_ROWS} more rows (run `govern replay`)"
        lines.append("| " + " | ".join([more] + [""] * (len(COLUMNS) - 1)) + " |")
    total = [f"**{c}**" if c else "" for c in total_cells(meter)]
    lines.append("| " + " | ".join(total) + " |")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
