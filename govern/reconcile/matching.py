"""Joining usage to invoice lines, and invoice lines to the ledger.

The join, precisely (docs/reconciliation.md says the same in words):

1. Usage rows are summed per (customer, line item, posting period) over dimensions and
   meter versions. A usage row posts to its own period; an adjustment posts to
   `posted_period_*`, because it is billed on the invoice of its posting period. Only
   closed rows count unless `include_open`; an open row marks its posting period as
   provisional for its line item.
2. Invoice lines are summed per (customer, line item, period).
3. Each usage key joins the invoice key with the same period; failing that, the invoice
   period of the same customer and line item that contains it (a month of invoice over
   daily meter periods). A usage period that only overlaps invoice periods is
   misaligned (REC006); one that meets none stays on its own key (missing on invoice).
4. Keys whose period overlaps a provisional period of their line item are skipped.
5. The rules in `govern.reconcile.rules` judge each key; the first that fires wins.
6. Invoice amounts are summed per (customer, GL account, period, currency) through the
   line item's meter, and joined to journal lines the same way (exact period, else the
   ledger period containing the invoice period, else the one containing its start).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from govern.errors import InputError
from govern.reconcile.exceptions import ReconciliationException
from govern.reconcile.periods import Period, contains, overlaps
from govern.reconcile.records import InvoiceLine, LedgerLine, MeterIndex, UsageRow
from govern.reconcile.tolerance import EXACT, Tolerance

ZERO = Decimal(0)
MAX_SOURCES = 5

Key = tuple[str, str, datetime, datetime]
"""(customer, line item or GL account, period start, period end)."""


@dataclass(frozen=True)
class ReconcileOptions:
    """How strict to be, and what to print in trace commands.

    `events` are the event files behind the usage (else the trace commands say
    `EVENTS...`); `trace_options` are added to every trace command (`--as-of`,
    `--customers`) so that it evaluates what the usage rows were computed from.
    """

    tolerance: Tolerance = EXACT
    amount_tolerance: Tolerance = EXACT
    include_open: bool = False
    events: tuple[str, ...] = ()
    trace_options: tuple[str, ...] = ()


@dataclass(slots=True)
class UsageTotal:
    """Usage rows (and adjustments posted) that land on one key."""

    usage: Decimal = ZERO
    adjustments: Decimal = ZERO
    usage_rows: int = 0
    adjustment_rows: int = 0
    traces: tuple[tuple[str, datetime], ...] = ()

    @property
    def expected(self) -> Decimal:
        """What the invoice should bill: the period's usage plus adjustments posted to it."""
        return self.usage + self.adjustments

    def add(self, other: UsageTotal) -> None:
        self.usage += other.usage
        self.adjustments += other.adjustments
        self.usage_rows += other.usage_rows
        self.adjustment_rows += other.adjustment_rows
        self.traces += tuple(t for t in other.traces if t not in self.traces)


@dataclass(slots=True)
class InvoiceTotal:
    """Invoice lines of one key: quantity, amount per currency, where they came from.

    The amount is kept as one (currency, amount) pair, and as a dict only when one key
    mixes currencies; `has_amounts` is False when the export has no amounts.
    """

    quantity: Decimal = ZERO
    currency: str | None = None
    amount: Decimal = ZERO
    mixed: dict[str | None, Decimal] | None = None
    has_amounts: bool = True
    lines: int = 0
    sources: tuple[str, ...] = ()

    @property
    def amounts(self) -> dict[str | None, Decimal]:
        """Amount per currency ({} when the export has no amounts)."""
        if not self.has_amounts or not self.lines:
            return {}
        return dict(self.mixed) if self.mixed is not None else {self.currency: self.amount}

    def add_amount(self, currency: str | None, amount: Decimal) -> None:
        if self.lines == 1:
            self.currency, self.amount = currency, amount
        elif self.mixed is None and currency == self.currency:
            self.amount += amount
        else:
            if self.mixed is None:
                self.mixed = {self.currency: self.amount}
            self.mixed[currency] = self.mixed.get(currency, ZERO) + amount


@dataclass(slots=True)
class LedgerTotal:
    amount: Decimal = ZERO
    lines: int = 0
    sources: list[str] = field(default_factory=list)
    line_items: set[str] = field(default_factory=set)


@dataclass
class Summary:
    """What was read and compared; the denominator behind "no exceptions"."""

    usage_rows: int = 0
    open_rows_skipped: int = 0
    invoice_lines: int = 0
    ledger_lines: int = 0
    invoice_keys: int = 0
    provisional_keys_skipped: int = 0
    ledger_keys: int = 0
    tolerance: str = "0"
    amount_tolerance: str = "0"
    by_kind: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "usage_rows": self.usage_rows,
            "open_rows_skipped": self.open_rows_skipped,
            "invoice_lines": self.invoice_lines,
            "ledger_lines": self.ledger_lines,
            "invoice_keys": self.invoice_keys,
            "provisional_keys_skipped": self.provisional_keys_skipped,
            "ledger_keys": self.ledger_keys,
            "tolerance": self.tolerance,
            "amount_tolerance": self.amount_tolerance,
            "exceptions": sum(self.by_kind.values()),
            "by_kind": dict(sorted(self.by_kind.items())),
        }


@dataclass
class Reconciliation:
    """The outcome: exceptions only (sorted), and the summary of what was compared."""

    exceptions: list[ReconciliationException]
    summary: Summary

    @property
    def exit_code(self) -> int:
        return 1 if self.exceptions else 0


# ---------------------------------------------------------------- collecting


def collect_usage(
    rows: Iterable[UsageRow], include_open: bool, summary: Summary
) -> tuple[dict[Key, UsageTotal], dict[str, set[Period]]]:
    """Usage per posting key, and the provisional (open) periods per line item."""
    totals: dict[Key, UsageTotal] = {}
    open_periods: dict[str, set[Period]] = {}
    count = 0
    for row in rows:
        count += 1
        period = row.posting_period
        if not include_open and row.status != "closed":
            open_periods.setdefault(row.line_item, set()).add(period)
            summary.open_rows_skipped += 1
            continue
        key = (row.customer, row.line_item, period[0], period[1])
        trace = (row.meter, row.period_start)
        total = totals.get(key)
        if total is None:
            total = totals[key] = UsageTotal(traces=(trace,))
        elif trace not in total.traces:
            total.traces += (trace,)
        if row.kind == "adjustment":
            total.adjustments += row.quantity
            total.adjustment_rows += 1
        else:
            total.usage += row.quantity
            total.usage_rows += 1
    summary.usage_rows += count
    return totals, open_periods


def collect_invoices(lines: Iterable[InvoiceLine], summary: Summary) -> dict[Key, InvoiceTotal]:
    totals: dict[Key, InvoiceTotal] = {}
    count = 0
    for line in lines:
        count += 1
        key = (line.customer, line.line_item, line.period_start, line.period_end)
        total = totals.get(key)
        if total is None:
            total = totals[key] = InvoiceTotal(line.quantity, lines=1, sources=(line.source,))
        else:
            total.quantity += line.quantity
            total.lines += 1
            if len(total.sources) < MAX_SOURCES:
                total.sources += (line.source,)
        if line.amount is None:
            total.has_amounts = False
        else:
            total.add_amount(line.currency, line.amount)
    summary.invoice_lines += count
    return totals


def collect_ledger(
    lines: Iterable[LedgerLine], accounts: set[str] | None, summary: Summary
) -> tuple[dict[tuple, LedgerTotal], bool]:
    """Journal lines per (customer, account, period, currency), metered accounts only."""
    totals: dict[tuple, LedgerTotal] = {}
    with_currency = False
    for line in lines:
        if accounts is not None and line.gl_account not in accounts:
            continue
        summary.ledger_lines += 1
        with_currency = with_currency or line.currency is not None
        key = (line.customer, line.gl_account, line.period_start, line.period_end, line.currency)
        total = totals.get(key)
        if total is None:
            total = totals[key] = LedgerTotal()
        total.amount += line.amount
        total.lines += 1
        if len(total.sources) < MAX_SOURCES:
            total.sources.append(line.source)
    return totals, with_currency


# ---------------------------------------------------------------- rolling up


class PeriodIndex:
    """The periods of each (customer, line item) on the target side, for containment.

    Built on first use: when every usage key finds its invoice key exactly (the common
    case), no index is needed at all.
    """

    def __init__(self, keys: Iterable[tuple]):
        self._keys = keys
        self._periods: dict[tuple, list[Period]] | None = None
        self._starts: dict[tuple, list[datetime]] = {}

    def _group(self, group: tuple) -> list[Period] | None:
        if self._periods is None:
            grouped: dict[tuple, list[Period]] = {}
            for key in self._keys:
                of = key[:2] if len(key) == 4 else (key[0], key[1], key[4])
                periods = grouped.get(of)
                if periods is None:
                    grouped[of] = [key[2:4]]
                else:
                    periods.append(key[2:4])
            self._periods = grouped
        periods = self._periods.get(group)
        if periods is not None and group not in self._starts:
            periods.sort()
            self._starts[group] = [p[0] for p in periods]
        return periods

    def containing(self, group: tuple, period: Period) -> Period | None:
        periods = self._group(group)
        if not periods:
            return None
        index = bisect_right(self._starts[group], period[0]) - 1
        while index >= 0:
            if contains(periods[index], period):
                return periods[index]
            index -= 1
        return None

    def overlapping(self, group: tuple, period: Period) -> list[Period]:
        periods = self._group(group)
        if not periods:
            return []
        last = bisect_left(self._starts[group], period[1])
        return [p for p in periods[:last] if overlaps(p, period)]


def roll_up_usage(
    usage: dict[Key, UsageTotal], invoices: dict[Key, InvoiceTotal]
) -> tuple[dict[Key, UsageTotal], list[tuple[Key, UsageTotal, list[Period]]]]:
    """Usage per invoice key (step 3), and the misaligned usage keys with what they overlap.

    Works in place on `usage` (a million keys are not copied): keys without an invoice
    key of their own move to the invoice key whose period contains theirs.
    """
    index = PeriodIndex(invoices)
    misaligned = []
    for key in [key for key in usage if key not in invoices]:
        group, period = key[:2], (key[2], key[3])
        found = index.containing(group, period)
        if found is None:
            straddled = index.overlapping(group, period)
            if straddled:
                misaligned.append((key, usage.pop(key), straddled))
            continue
        total = usage.pop(key)
        target = (*group, *found)
        existing = usage.get(target)
        if existing is None:
            usage[target] = total
        else:
            existing.add(total)
    return usage, misaligned


def is_provisional(open_periods: set[Period] | None, period: Period) -> bool:
    return bool(open_periods) and any(overlaps(p, period) for p in open_periods)


def check_amounts_present(invoices: dict[Key, InvoiceTotal]) -> None:
    if not all(total.has_amounts for total in invoices.values()):
        raise InputError(
            "reconciling with a ledger needs invoice amounts, and the invoice mapping has none "
            "(add `amount:` to the mapping)"
        )


def count_kinds(exceptions: list[ReconciliationException]) -> dict[str, int]:
    return dict(Counter(e.kind.id for e in exceptions))


__all__ = [
    "InvoiceTotal",
    "Key",
    "LedgerTotal",
    "MeterIndex",
    "PeriodIndex",
    "ReconcileOptions",
    "Reconciliation",
    "Summary",
    "UsageTotal",
]
