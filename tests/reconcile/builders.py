"""Small builders for records, so each join rule can be tested on a handful of rows."""

from __future__ import annotations

from decimal import Decimal

from govern.reconcile import InvoiceLine, LedgerLine, UsageRow
from govern.timestamps import parse_rfc3339

OCT = ("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")
SEP = ("2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z")
NOV = ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")


def usage(
    quantity: str,
    period: tuple[str, str] = OCT,
    *,
    customer: str = "acme",
    meter: str = "api_calls",
    line_item: str = "API-CALLS",
    status: str = "closed",
    posted: tuple[str, str] | None = None,
) -> UsageRow:
    return UsageRow(
        kind="adjustment" if posted else "usage",
        customer=customer,
        meter=meter,
        meter_version=1,
        period_start=parse_rfc3339(period[0]),
        period_end=parse_rfc3339(period[1]),
        quantity=Decimal(quantity),
        status=status,
        line_item=line_item,
        posted_period_start=parse_rfc3339(posted[0]) if posted else None,
        posted_period_end=parse_rfc3339(posted[1]) if posted else None,
    )


def line(
    quantity: str,
    period: tuple[str, str] = OCT,
    *,
    customer: str = "acme",
    line_item: str = "API-CALLS",
    amount: str | None = "0",
    currency: str | None = "USD",
) -> InvoiceLine:
    return InvoiceLine(
        customer=customer,
        line_item=line_item,
        period_start=parse_rfc3339(period[0]),
        period_end=parse_rfc3339(period[1]),
        quantity=Decimal(quantity),
        amount=Decimal(amount) if amount is not None else None,
        currency=currency,
        source="invoices.csv:2",
    )


def journal(
    amount: str,
    period: tuple[str, str] = OCT,
    *,
    customer: str = "acme",
    account: str = "4010",
    currency: str | None = "USD",
) -> LedgerLine:
    return LedgerLine(
        customer=customer,
        gl_account=account,
        period_start=parse_rfc3339(period[0]),
        period_end=parse_rfc3339(period[1]),
        amount=Decimal(amount),
        currency=currency,
        source="journal.csv:2",
    )
