"""The kinds of reconciliation exception (a table, from which the docs are written) and
the exception value itself.

"Exception" is Finance's word: a line of the exceptions report, not a Python exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from govern.timestamps import format_utc


@dataclass(frozen=True)
class ExceptionKind:
    """One kind: a stable id, a name for machines, a title and one line of why."""

    id: str
    name: str
    title: str
    why: str
    measure: str  # "quantity" (usage vs invoice) or "amount" (invoice vs ledger)


MISSING_ON_INVOICE = ExceptionKind(
    "REC001",
    "missing_on_invoice",
    "usage with no invoice line",
    "closed, non-zero usage that no invoice line bills is revenue never billed",
    "quantity",
)
INVOICE_WITHOUT_USAGE = ExceptionKind(
    "REC002",
    "invoice_without_usage",
    "invoice line with no usage",
    "a non-zero quantity billed for a metered line item with no usage behind it",
    "quantity",
)
QUANTITY_VARIANCE = ExceptionKind(
    "REC003",
    "quantity_variance",
    "invoice quantity differs from usage beyond the tolerance",
    "the invoice does not bill what the meter computed",
    "quantity",
)
ADJUSTMENT_NOT_INVOICED = ExceptionKind(
    "REC004",
    "adjustment_not_invoiced",
    "adjustments missing from the invoice of their posting period",
    "late usage (or a late void) must appear on the earliest invoice that can carry it",
    "quantity",
)
UNKNOWN_METER = ExceptionKind(
    "REC005",
    "unknown_meter",
    "invoice line for a line item that no meter feeds",
    "a billed quantity that no meter definition explains cannot be traced or checked",
    "quantity",
)
PERIOD_MISALIGNED = ExceptionKind(
    "REC006",
    "period_misaligned",
    "usage period straddles the invoice's periods",
    "the invoice periods cut through a meter period, so its usage has no single invoice",
    "quantity",
)
AMOUNT_VARIANCE = ExceptionKind(
    "REC007",
    "amount_variance",
    "ledger amount differs from the invoiced amount beyond the tolerance",
    "revenue posted to the general ledger must equal what was invoiced",
    "amount",
)
MISSING_IN_LEDGER = ExceptionKind(
    "REC008",
    "missing_in_ledger",
    "invoiced amount with no journal lines",
    "invoiced revenue that never reached the general ledger",
    "amount",
)
LEDGER_WITHOUT_INVOICE = ExceptionKind(
    "REC009",
    "ledger_without_invoice",
    "journal lines with no invoice lines",
    "revenue on a metered GL account that no invoice line explains",
    "amount",
)

KINDS: tuple[ExceptionKind, ...] = (
    MISSING_ON_INVOICE,
    INVOICE_WITHOUT_USAGE,
    QUANTITY_VARIANCE,
    ADJUSTMENT_NOT_INVOICED,
    UNKNOWN_METER,
    PERIOD_MISALIGNED,
    AMOUNT_VARIANCE,
    MISSING_IN_LEDGER,
    LEDGER_WITHOUT_INVOICE,
)
"""Every exception kind, in id order (docs/reconciliation.md shows this table)."""


def kinds_markdown(kinds: tuple[ExceptionKind, ...] = KINDS) -> str:
    """The exception kinds as a Markdown table, for docs/reconciliation.md."""
    lines = ["| kind | name | compares | what | why |", "| --- | --- | --- | --- | --- |"]
    compares = {"quantity": "usage → invoice quantity", "amount": "invoice → ledger amount"}
    lines += [
        f"| `{k.id}` | `{k.name}` | {compares[k.measure]} | {k.title} | {k.why} |" for k in kinds
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ReconciliationException:
    """One exception: its keys, both values, their difference, and how to dig in.

    Quantity kinds compare `usage` (the expected invoice quantity: usage rows of the
    period plus adjustments posted to it) with `invoice`; amount kinds compare
    `invoice_amount` with `ledger`. `difference` is always downstream minus upstream:
    invoice - usage, ledger - invoice_amount.
    """

    kind: ExceptionKind
    customer: str
    period_start: datetime
    period_end: datetime
    message: str
    line_item: str | None = None
    gl_account: str | None = None
    currency: str | None = None
    usage: Decimal | None = None
    adjustments: Decimal | None = None
    invoice: Decimal | None = None
    invoice_amount: Decimal | None = None
    ledger: Decimal | None = None
    difference: Decimal | None = None
    meters: tuple[str, ...] = ()
    traces: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple:
        return (
            self.customer,
            self.period_start,
            self.period_end,
            self.line_item or "",
            self.gl_account or "",
            self.currency or "",
            self.kind.id,
        )

    def to_dict(self) -> dict:
        """The JSON form; decimals as strings so no digit is lost."""
        return {
            "kind": self.kind.id,
            "name": self.kind.name,
            "customer": self.customer,
            "line_item": self.line_item,
            "gl_account": self.gl_account,
            "period_start": format_utc(self.period_start),
            "period_end": format_utc(self.period_end),
            "currency": self.currency,
            "measure": self.kind.measure,
            "usage": number(self.usage),
            "adjustments": number(self.adjustments),
            "invoice": number(self.invoice),
            "invoice_amount": number(self.invoice_amount),
            "ledger": number(self.ledger),
            "difference": number(self.difference),
            "meters": list(self.meters),
            "message": self.message,
            "traces": list(self.traces),
            "sources": list(self.sources),
        }


def number(value: Decimal | None) -> str | None:
    """A decimal as plain text (never `1E+3`), `-0` as `0`."""
    if value is None:
        return None
    if value == 0:
        value = abs(value)
    return format(value, "f")
