"""One function per exception rule. Each looks at one joined key and returns an exception
or None; for one key the first rule that fires wins, in the order of the tables below.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from govern.reconcile import exceptions as kinds
from govern.reconcile.exceptions import ReconciliationException, number
from govern.reconcile.matching import InvoiceTotal, Key, LedgerTotal, ReconcileOptions, UsageTotal
from govern.reconcile.periods import Period, show
from govern.reconcile.records import MeterIndex
from govern.reconcile.tolerance import Tolerance
from govern.timestamps import format_utc

ZERO = Decimal(0)
EVENTS_PLACEHOLDER = "EVENTS..."


@dataclass(frozen=True)
class Context:
    options: ReconcileOptions
    meters: MeterIndex
    known_line_items: frozenset[str]

    def trace(self, meter: str, customer: str, period_start: datetime) -> str:
        """The command that lists the events behind one usage row."""
        events = " ".join(shlex.quote(p) for p in self.options.events) or EVENTS_PLACEHOLDER
        extra = "".join(f" {shlex.quote(arg)}" for arg in self.options.trace_options)
        return (
            f"govern trace --meter {shlex.quote(meter)} --customer {shlex.quote(customer)} "
            f"--period-start {format_utc(period_start)}{extra} {events}"
        )

    def traces(self, usage: UsageTotal | None, key: Key) -> tuple[str, ...]:
        if usage is not None and usage.traces:
            return tuple(self.trace(m, key[0], start) for m, start in sorted(usage.traces))
        meter = self.meters.meter_for(key[1])
        return (self.trace(meter, key[0], key[2]),) if meter else ()


def _quantity_exception(
    kind: kinds.ExceptionKind,
    ctx: Context,
    key: Key,
    usage: UsageTotal | None,
    invoice: InvoiceTotal | None,
    message: str,
) -> ReconciliationException:
    expected = usage.expected if usage is not None else None
    billed = invoice.quantity if invoice is not None else None
    amount = None
    if invoice is not None and invoice.amounts:
        amount = sum(invoice.amounts.values(), ZERO)
    meters = sorted({m for m, _ in usage.traces}) if usage is not None else []
    if not meters and ctx.meters.meter_for(key[1]):
        meters = [ctx.meters.meter_for(key[1])]
    return ReconciliationException(
        kind=kind,
        customer=key[0],
        line_item=key[1],
        period_start=key[2],
        period_end=key[3],
        message=message,
        usage=expected,
        adjustments=usage.adjustments if usage is not None and usage.adjustment_rows else None,
        invoice=billed,
        invoice_amount=amount,
        difference=(billed or ZERO) - (expected or ZERO),
        meters=tuple(meters),
        traces=ctx.traces(usage, key) if kind is not kinds.UNKNOWN_METER else (),
        sources=tuple(invoice.sources) if invoice is not None else (),
    )


def _beyond(tolerance: Tolerance, upstream: Decimal, downstream: Decimal) -> str:
    """`(+3, tolerance 1%)`: downstream minus upstream, signed, and the tolerance it breaks."""
    gap = downstream - upstream
    return f"({'+' if gap > 0 else ''}{number(gap)}, tolerance {tolerance})"


# ---------------------------------------------------------------- usage vs invoice

QuantityRule = Callable[
    [Context, Key, "UsageTotal | None", "InvoiceTotal | None"], "ReconciliationException | None"
]


def unknown_meter(ctx: Context, key: Key, usage, invoice) -> ReconciliationException | None:
    """REC005: an invoice line whose line item no meter feeds."""
    if invoice is None or key[1] in ctx.known_line_items:
        return None
    return _quantity_exception(
        kinds.UNKNOWN_METER,
        ctx,
        key,
        None,
        invoice,
        f"invoice bills line item '{key[1]}', which no meter in the catalog feeds",
    )


def missing_on_invoice(ctx: Context, key: Key, usage, invoice) -> ReconciliationException | None:
    """REC001: non-zero usage of the period, and no invoice line at all."""
    if invoice is not None or usage is None or usage.usage == 0 or usage.expected == 0:
        return None
    return _quantity_exception(
        kinds.MISSING_ON_INVOICE,
        ctx,
        key,
        usage,
        None,
        f"usage of {number(usage.expected)} has no invoice line",
    )


def adjustment_without_line(
    ctx: Context, key: Key, usage, invoice
) -> ReconciliationException | None:
    """REC004 (no line): adjustments posted to a period with no invoice line at all."""
    if invoice is not None or usage is None or usage.adjustments == 0 or usage.expected == 0:
        return None
    return _quantity_exception(
        kinds.ADJUSTMENT_NOT_INVOICED,
        ctx,
        key,
        usage,
        None,
        f"adjustments of {number(usage.adjustments)} posted to this period have no invoice line",
    )


def invoice_without_usage(ctx: Context, key: Key, usage, invoice) -> ReconciliationException | None:
    """REC002: a non-zero invoiced quantity, and no usage or adjustment behind it."""
    if usage is not None or invoice is None or invoice.quantity == 0:
        return None
    return _quantity_exception(
        kinds.INVOICE_WITHOUT_USAGE,
        ctx,
        key,
        None,
        invoice,
        f"invoice bills {number(invoice.quantity)} with no usage behind it",
    )


def adjustment_not_invoiced(
    ctx: Context, key: Key, usage, invoice
) -> ReconciliationException | None:
    """REC004: the invoice matches the period's usage but leaves out the adjustments."""
    if usage is None or invoice is None or usage.adjustments == 0:
        return None
    tolerance = ctx.options.tolerance
    if tolerance.allows(usage.expected, invoice.quantity):
        return None
    if not tolerance.allows(usage.usage, invoice.quantity):
        return None
    return _quantity_exception(
        kinds.ADJUSTMENT_NOT_INVOICED,
        ctx,
        key,
        usage,
        invoice,
        f"invoice bills the period's usage ({number(usage.usage)}) but not the "
        f"{number(usage.adjustments)} of adjustments posted to it",
    )


def quantity_variance(ctx: Context, key: Key, usage, invoice) -> ReconciliationException | None:
    """REC003: both sides present and further apart than the tolerance."""
    if usage is None or invoice is None:
        return None
    tolerance = ctx.options.tolerance
    if tolerance.allows(usage.expected, invoice.quantity):
        return None
    return _quantity_exception(
        kinds.QUANTITY_VARIANCE,
        ctx,
        key,
        usage,
        invoice,
        f"invoice bills {number(invoice.quantity)}, usage is {number(usage.expected)} "
        + _beyond(tolerance, usage.expected, invoice.quantity),
    )


QUANTITY_RULES: tuple[QuantityRule, ...] = (
    unknown_meter,
    missing_on_invoice,
    adjustment_without_line,
    invoice_without_usage,
    adjustment_not_invoiced,
    quantity_variance,
)


def period_misaligned(
    ctx: Context, key: Key, usage: UsageTotal, straddled: list[Period]
) -> ReconciliationException:
    """REC006: a usage period that overlaps invoice periods without fitting in one."""
    return ReconciliationException(
        kind=kinds.PERIOD_MISALIGNED,
        customer=key[0],
        line_item=key[1],
        period_start=key[2],
        period_end=key[3],
        message=(
            f"usage period {show((key[2], key[3]))} cuts across invoice period(s) "
            + ", ".join(show(p) for p in straddled)
        ),
        usage=usage.expected,
        adjustments=usage.adjustments if usage.adjustment_rows else None,
        meters=tuple(sorted({m for m, _ in usage.traces})),
        traces=ctx.traces(usage, key),
    )


# ---------------------------------------------------------------- invoice vs ledger


@dataclass(slots=True)
class InvoicedAmount:
    amount: Decimal
    sources: list[str]
    line_items: set[str]


AmountRule = Callable[
    [Context, tuple, "InvoicedAmount | None", "LedgerTotal | None"],
    "ReconciliationException | None",
]


def _amount_exception(
    kind: kinds.ExceptionKind,
    key: tuple,
    invoiced: InvoicedAmount | None,
    ledger: LedgerTotal | None,
    message: str,
) -> ReconciliationException:
    invoice_amount = invoiced.amount if invoiced is not None else None
    ledger_amount = ledger.amount if ledger is not None else None
    return ReconciliationException(
        kind=kind,
        customer=key[0],
        gl_account=key[1],
        period_start=key[2],
        period_end=key[3],
        currency=key[4],
        line_item=", ".join(sorted(invoiced.line_items)) if invoiced else None,
        message=message,
        invoice_amount=invoice_amount,
        ledger=ledger_amount,
        difference=(ledger_amount or ZERO) - (invoice_amount or ZERO),
        sources=tuple((invoiced.sources if invoiced else []) + (ledger.sources if ledger else [])),
    )


def missing_in_ledger(ctx: Context, key: tuple, invoiced, ledger) -> ReconciliationException | None:
    """REC008: invoiced revenue on a metered GL account, and no journal line."""
    if ledger is not None or invoiced is None or invoiced.amount == 0:
        return None
    return _amount_exception(
        kinds.MISSING_IN_LEDGER,
        key,
        invoiced,
        None,
        f"invoiced {number(invoiced.amount)} on account {key[1]} has no journal line",
    )


def ledger_without_invoice(
    ctx: Context, key: tuple, invoiced, ledger
) -> ReconciliationException | None:
    """REC009: journal lines on a metered GL account that no invoice line explains."""
    if invoiced is not None or ledger is None or ledger.amount == 0:
        return None
    return _amount_exception(
        kinds.LEDGER_WITHOUT_INVOICE,
        key,
        None,
        ledger,
        f"ledger posts {number(ledger.amount)} to account {key[1]} with no invoice line",
    )


def amount_variance(ctx: Context, key: tuple, invoiced, ledger) -> ReconciliationException | None:
    """REC007: both sides present and further apart than the amount tolerance."""
    if invoiced is None or ledger is None:
        return None
    tolerance = ctx.options.amount_tolerance
    if tolerance.allows(invoiced.amount, ledger.amount):
        return None
    return _amount_exception(
        kinds.AMOUNT_VARIANCE,
        key,
        invoiced,
        ledger,
        f"ledger posts {number(ledger.amount)}, invoices total {number(invoiced.amount)} "
        + _beyond(tolerance, invoiced.amount, ledger.amount),
    )


AMOUNT_RULES: tuple[AmountRule, ...] = (missing_in_ledger, ledger_without_invoice, amount_variance)
