"""The exceptions report in four formats; each renderer is a pure function of the result."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import orjson

from govern.reconcile.exceptions import KINDS, ReconciliationException, number
from govern.reconcile.matching import Reconciliation, Summary
from govern.reconcile.periods import show

FORMATS = ("text", "json", "csv", "markdown")

CSV_COLUMNS = (
    "kind",
    "name",
    "customer",
    "line_item",
    "gl_account",
    "period_start",
    "period_end",
    "currency",
    "usage",
    "adjustments",
    "invoice",
    "invoice_amount",
    "ledger",
    "difference",
    "message",
    "traces",
    "sources",
)


def summary_line(summary: Summary) -> str:
    """One sentence: how many exceptions, out of how much that was compared and read."""
    count = sum(summary.by_kind.values())
    compared = f"{summary.invoice_keys} invoice key{'s' * (summary.invoice_keys != 1)}"
    if summary.ledger_lines or summary.ledger_keys:
        compared += f" and {summary.ledger_keys} ledger key{'s' * (summary.ledger_keys != 1)}"
    read = f"read {summary.usage_rows} usage rows"
    if summary.open_rows_skipped:
        read += f" ({summary.open_rows_skipped} open, left out)"
    read += f", {summary.invoice_lines} invoice lines"
    if summary.ledger_lines:
        read += f", {summary.ledger_lines} journal lines"
    if summary.provisional_keys_skipped:
        read += f"; {summary.provisional_keys_skipped} provisional keys skipped"
    if not count:
        return f"no exceptions: {compared} reconciled; {read}"
    kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(summary.by_kind.items()))
    return f"{count} exception{'s' * (count != 1)} ({kinds}) in {compared}; {read}"


def _keys(exception: ReconciliationException) -> str:
    parts = [exception.customer]
    if exception.gl_account:
        parts.append(f"account {exception.gl_account}")
    elif exception.line_item:
        parts.append(exception.line_item)
    parts.append(show((exception.period_start, exception.period_end)))
    if exception.currency:
        parts.append(exception.currency)
    return " ".join(parts)


def render_text(result: Reconciliation) -> str:
    lines = []
    for exception in result.exceptions:
        lines.append(f"{exception.kind.id} {_keys(exception)}: {exception.message}")
        lines.extend(f"    trace: {trace}" for trace in exception.traces)
    lines.append(summary_line(result.summary))
    return "\n".join(lines)


def render_json(result: Reconciliation) -> str:
    document = {
        "summary": result.summary.to_dict(),
        "exceptions": [exception.to_dict() for exception in result.exceptions],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()


def render_csv(result: Reconciliation) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for exception in result.exceptions:
        row = exception.to_dict()
        row["traces"] = "; ".join(row["traces"])
        row["sources"] = "; ".join(row["sources"])
        writer.writerow("" if row[c] is None else row[c] for c in CSV_COLUMNS)
    return buffer.getvalue().rstrip("\n")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|")


def render_markdown(result: Reconciliation) -> str:
    count = len(result.exceptions)
    title = "no exceptions" if not count else f"{count} exception{'s' * (count != 1)}"
    lines = [f"## Reconciliation: {title}", "", summary_line(result.summary)]
    if not count:
        return "\n".join(lines)
    lines += [
        "",
        "| kind | customer | line item / account | period | usage | invoice | ledger "
        "| difference | detail |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in result.exceptions:
        invoice = e.invoice if e.kind.measure == "quantity" else e.invoice_amount
        what = f"account {e.gl_account}" if e.gl_account else e.line_item
        cells = [
            f"`{e.kind.id}` {e.kind.name}",
            e.customer,
            what,
            show((e.period_start, e.period_end)),
            number(e.usage),
            number(invoice),
            number(e.ledger),
            number(e.difference),
            e.message,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    traces = [trace for e in result.exceptions for trace in e.traces]
    if traces:
        lines += ["", "Events behind the usage:", "", "```sh", *dict.fromkeys(traces), "```"]
    legend = sorted({e.kind.id for e in result.exceptions})
    lines += ["", *(f"- `{k.id}` {k.title}: {k.why}." for k in KINDS if k.id in legend)]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Reconciliation], str]] = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}


def render(result: Reconciliation, fmt: str) -> str:
    return RENDERERS[fmt](result)
