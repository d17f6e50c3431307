"""A check finding: which check, which customer and period, the value and its baseline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from govern.checks.kinds import CheckKind
from govern.issues import Location
from govern.reconcile.exceptions import number
from govern.timestamps import format_utc

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class CheckFinding:
    kind: CheckKind
    meter: str
    customer: str
    period_start: datetime
    period_end: datetime
    value: Decimal
    baseline: Decimal | None
    message: str
    location: Location

    @property
    def factor(self) -> Decimal | None:
        """value / baseline, to the hundredth (None when there is no baseline)."""
        if not self.baseline:
            return None
        return (self.value / self.baseline).quantize(HUNDREDTH, ROUND_HALF_UP)

    def sort_key(self) -> tuple:
        return (self.meter, self.customer, self.period_start, self.kind.id)

    def to_dict(self) -> dict:
        return {
            "check": self.kind.id,
            "kind": self.kind.kind,
            "meter": self.meter,
            "customer": self.customer,
            "period_start": format_utc(self.period_start),
            "period_end": format_utc(self.period_end),
            "value": number(self.value),
            "baseline": number(self.baseline),
            "factor": number(self.factor),
            "message": self.message,
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
        }

    def __str__(self) -> str:
        period = f"{format_utc(self.period_start)}/{format_utc(self.period_end)}"
        return f"{self.location}: {self.kind.id} {self.customer} {period}: {self.message}"
