"""The exceptions report: every event or usage that is not billed and needs a look.

Kinds: `invalid_event` (breaks its contract), `conflicting_duplicate` (same key, other
payload), `unknown_void_target` (a void whose target never arrived), `unmapped_subject`
(usage of a subject the customer mapping does not know, with its quantity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govern.events.reader import RawLine
from govern.reference.decimals import quantity_text
from govern.reference.dedup import Duplicate
from govern.reference.envelope import Event
from govern.reference.periods import Period
from govern.timestamps import format_utc

KINDS = ("invalid_event", "conflicting_duplicate", "unknown_void_target", "unmapped_subject")


@dataclass(frozen=True)
class ExceptionRecord:
    """One exception; `line` locates the event (None for aggregated unmapped usage)."""

    kind: str
    reasons: tuple[str, ...]
    line: RawLine | None = None
    source: str | None = None
    id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind}
        if self.line is not None:
            record.update(file=self.line.file, line=self.line.line, seq=self.line.seq)
            record.update(source=self.source, id=self.id)
        record.update(self.details)
        record["reasons"] = list(self.reasons)
        return record

    def sort_key(self) -> tuple:
        """Events in input order, then aggregated records by their details."""
        if self.line is not None:
            return (0, self.line.seq, KINDS.index(self.kind))
        return (1, KINDS.index(self.kind), repr(sorted(self.details.items())))


def invalid_event(line: RawLine, reasons: list[str], view: dict | None) -> ExceptionRecord:
    """An event that breaks its contract; `view` is its envelope, when it has one."""
    source, event_id = (view.get("source"), view.get("id")) if view else (None, None)
    return ExceptionRecord("invalid_event", tuple(reasons), line, source, event_id)


def conflicting_duplicate(duplicate: Duplicate) -> ExceptionRecord:
    event, winner = duplicate.event, duplicate.winner
    where = f"{winner.line.file}:{winner.line.line} (seq {winner.seq})"
    return ExceptionRecord(
        "conflicting_duplicate",
        (
            f"payload differs from the copy counted at {where} in: "
            + ", ".join(duplicate.differences),
        ),
        event.line,
        event.source,
        event.id,
        {
            "winner": {"file": winner.line.file, "line": winner.line.line, "seq": winner.seq},
            "differences": list(duplicate.differences),
        },
    )


def unknown_void_target(void: Event, by: str | None) -> ExceptionRecord:
    """A void whose target was never recorded (by the as-of time `by`, if one is set)."""
    return ExceptionRecord(
        "unknown_void_target",
        (
            f"no usage event with source '{void.source}' and id '{void.voids}' "
            "was recorded" + (f" by {by}" if by else ""),
        ),
        void.line,
        void.source,
        void.id,
        {"voids": void.voids},
    )


def unmapped_subject(
    meter: str,
    subject: str,
    period: Period,
    dimensions: tuple[tuple[str, Any], ...],
    quantity: Decimal,
    events: int,
) -> ExceptionRecord:
    """Usage of a subject the customer mapping does not know, with what it would bill."""
    return ExceptionRecord(
        "unmapped_subject",
        (f"subject '{subject}' is not in the customer mapping; its usage is not billed",),
        details={
            "subject": subject,
            "meter": meter,
            "meter_version": period.version.version,
            "period_start": format_utc(period.start),
            "period_end": format_utc(period.end),
            "dimensions": dict(dimensions),
            "quantity": quantity_text(quantity),
            "events": events,
        },
    )
