"""A `ReplayReport` as aligned text tables, for a terminal."""

from __future__ import annotations

from govern.replay.impact import ReplayReport, format_instant
from govern.replay.render.common import COLUMNS, cells, headline, quantity, total_cells

RIGHT = {"old", "new", "difference", "change"}


def render_text(report: ReplayReport) -> str:
    files = len(report.event_files)
    lines = [
        f"Replayed {report.events} events from {files} file{'s' if files != 1 else ''} as of "
        f"{format_instant(report.as_of)}: {report.base} -> working tree",
    ]
    for meter in report.impacted:
        lines += ["", f"{meter.meter} ({meter.unit}): {headline(meter)}"]
        if meter.error:
            continue
        rows = [cells(row) for row in meter.changed_rows]
        lines += _table([list(COLUMNS), *rows, total_cells(meter)])
    for meter in report.without_impact:
        lines += ["", f"{meter.meter} ({meter.unit}): {headline(meter)}"]
    if report.unchanged:
        lines += ["", "Unchanged meters (sample totals):"]
        width = max(len(m.meter) for m in report.unchanged)
        lines += [
            f"  {m.meter:<{width}}  {quantity(m.new_total)} {m.unit}"
            + (f" (could not replay: {m.error})" if m.error else "")
            for m in report.unchanged
        ]
    return "\n".join(lines)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    out = []
    for row in rows:
        parts = [
            cell.rjust(w) if COLUMNS[i] in RIGHT else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  " + "  ".join(parts).rstrip())
    return out
