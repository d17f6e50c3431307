"""The three kinds of record reconciliation compares, and the catalog facts it needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog
    from govern.catalog.model import Meter

NO_DIMENSIONS: Mapping[str, Any] = MappingProxyType({})


class UsageRow(NamedTuple):
    """One usage or adjustment row, as `govern aggregate` writes it (JSONL or CSV).

    For an adjustment, `quantity` is the signed change to the period `period_*`, and
    `posted_period_*` is the period whose invoice carries it. (Records are named tuples:
    immutable, and cheap enough to stream a million of.)
    """

    kind: str
    customer: str
    meter: str
    meter_version: int | None
    period_start: datetime
    period_end: datetime
    quantity: Decimal
    status: str
    line_item: str
    posted_period_start: datetime | None = None
    posted_period_end: datetime | None = None
    dimensions: Mapping[str, Any] = NO_DIMENSIONS
    source: str = ""

    @property
    def is_adjustment(self) -> bool:
        return self.kind == "adjustment"

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def posting_period(self) -> tuple[datetime, datetime]:
        """The period whose invoice carries this row: its own, or where it was posted."""
        if self.kind == "adjustment" and self.posted_period_start and self.posted_period_end:
            return self.posted_period_start, self.posted_period_end
        return self.period_start, self.period_end


class InvoiceLine(NamedTuple):
    """One line of a billing system's export, in govern's terms."""

    customer: str
    line_item: str
    period_start: datetime
    period_end: datetime
    quantity: Decimal
    amount: Decimal | None
    currency: str | None
    source: str


class LedgerLine(NamedTuple):
    """One journal line: revenue for a customer on a GL account in an accounting period."""

    customer: str
    gl_account: str
    period_start: datetime
    period_end: datetime
    amount: Decimal
    currency: str | None
    source: str


@dataclass(frozen=True)
class MeterIndex:
    """What reconciliation needs from the catalog: line item -> meter, GL account, zone."""

    by_line_item: dict[str, Meter]
    by_name: dict[str, Meter]

    @classmethod
    def from_catalog(cls, catalog: Catalog | None) -> MeterIndex:
        meters = list(catalog.meters.values()) if catalog is not None else []
        return cls(
            by_line_item={meter.line_item: meter for meter in meters},
            by_name={meter.meter: meter for meter in meters},
        )

    @property
    def known(self) -> bool:
        """False when no catalog was given (then unknown line items cannot be told)."""
        return bool(self.by_name)

    def meter_for(self, line_item: str) -> str | None:
        meter = self.by_line_item.get(line_item)
        return meter.meter if meter else None

    def gl_account(self, line_item: str) -> str | None:
        meter = self.by_line_item.get(line_item)
        return meter.gl_account if meter else None

    def timezone(self, line_item: str) -> str | None:
        """The time zone of the periods of the meter feeding `line_item` (its latest version)."""
        meter = self.by_line_item.get(line_item)
        return meter.latest.period.timezone if meter else None

    def line_item_of_meter(self, name: str) -> str | None:
        meter = self.by_name.get(name)
        return meter.line_item if meter else None
