"""Check findings in text, JSON, CSV and Markdown; pure functions of the findings."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

import orjson

from govern.checks.findings import CheckFinding
from govern.checks.kinds import CHECK_KINDS

FORMATS = ("text", "json", "csv", "markdown")
CSV_COLUMNS = (
    "check",
    "kind",
    "meter",
    "customer",
    "period_start",
    "period_end",
    "value",
    "baseline",
    "factor",
    "message",
    "path",
    "line",
    "col",
)


def summary_line(findings: Sequence[CheckFinding]) -> str:
    if not findings:
        return "no drift or anomalies found"
    return f"{len(findings)} finding{'s' * (len(findings) != 1)}"


def render_text(findings: Sequence[CheckFinding]) -> str:
    return "\n".join([*(str(f) for f in findings), summary_line(findings)])


def render_json(findings: Sequence[CheckFinding]) -> str:
    return orjson.dumps([f.to_dict() for f in findings], option=orjson.OPT_INDENT_2).decode()


def render_csv(findings: Sequence[CheckFinding]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        row = finding.to_dict()
        writer.writerow("" if row[c] is None else row[c] for c in CSV_COLUMNS)
    return buffer.getvalue().rstrip("\n")


def render_markdown(findings: Sequence[CheckFinding]) -> str:
    lines = [f"## Usage checks: {summary_line(findings)}"]
    if not findings:
        return lines[0]
    lines += [
        "",
        "| check | meter | customer | period | value | baseline | factor | detail |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for f in findings:
        row = f.to_dict()
        cells = [
            f"`{f.kind.id}` {f.kind.kind}",
            f.meter,
            f.customer,
            f"{row['period_start']}/{row['period_end']}",
            row["value"],
            row["baseline"] or "",
            row["factor"] or "",
            f.message.replace("|", "\\|"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    used = {f.kind.kind for f in findings}
    lines += [
        "",
        *(f"- `{k.id}` {k.kind}: {k.why}." for k in CHECK_KINDS.values() if k.kind in used),
    ]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Sequence[CheckFinding]], str]] = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}


def render(findings: Sequence[CheckFinding], fmt: str) -> str:
    return RENDERERS[fmt](findings)
