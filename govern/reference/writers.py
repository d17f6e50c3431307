"""Rendering rows: JSONL (the public interface), CSV (for spreadsheets), table (people).

Each writer is a pure function of the rows; JSONL keeps every value exact (numeric
dimension values stay JSON numbers, quantities are decimal strings).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from govern.reference.decimals import quantity_text
from govern.reference.rows import UsageRow
from govern.timestamps import format_utc

FORMATS = ("jsonl", "csv", "table")

_json = msgspec.json.Encoder(decimal_format="number")

_COLUMNS = (
    "kind",
    "customer",
    "meter",
    "meter_version",
    "period_start",
    "period_end",
    "posted_period_start",
    "posted_period_end",
)
_TAIL = ("quantity", "status", "line_item")


def jsonl_lines(records: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object a line, in the order given."""
    return "".join(_json.encode(record).decode() + "\n" for record in records)


def render_rows(rows: Sequence[UsageRow], fmt: str, dimensions: Sequence[str]) -> str:
    """`rows` in format `fmt`; `dimensions` names the CSV and table dimension columns."""
    if fmt == "jsonl":
        return jsonl_lines(row.to_dict() for row in rows)
    header = [*_COLUMNS, *(f"dimensions.{name}" for name in dimensions), *_TAIL]
    cells = [_cells(row, dimensions) for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(cells)
        return buffer.getvalue()
    return _table(header, cells)


def _cells(row: UsageRow, dimensions: Sequence[str]) -> list[str]:
    values = dict(row.dimensions)
    posted = (row.posted_period_start, row.posted_period_end)
    return [
        row.kind,
        row.customer,
        row.meter,
        str(row.meter_version),
        format_utc(row.period_start),
        format_utc(row.period_end),
        *("" if moment is None else format_utc(moment) for moment in posted),
        *(_text(values.get(name)) for name in dimensions),
        quantity_text(row.quantity),
        row.status,
        row.line_item,
    ]


def _text(value: Any) -> str:
    """A dimension value in a cell: JSON spelling for non-text, empty for null."""
    if value is None:
        return ""
    return value if isinstance(value, str) else _json.encode(value).decode()


_NOT_IN_TABLE = ("meter", "line_item", "posted_period_end")
"""The table leaves out what is the same on every row of a meter, or follows from the
posting period's start; CSV and JSONL keep everything."""


def _table(header: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """Aligned columns, numbers to the right; the posting column only when there are
    adjustments."""
    if not cells:
        return "(no usage)\n"
    keep = [
        i
        for i, name in enumerate(header)
        if name not in _NOT_IN_TABLE
        and (name != "posted_period_start" or any(row[i] for row in cells))
    ]
    widths = {i: max(len(header[i]), *(len(row[i]) for row in cells)) for i in keep}
    right = {header.index("quantity"), header.index("meter_version")}

    def line(values: Sequence[str]) -> str:
        parts = [
            values[i].rjust(widths[i]) if i in right else values[i].ljust(widths[i]) for i in keep
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), *(line(row) for row in cells)]) + "\n"
