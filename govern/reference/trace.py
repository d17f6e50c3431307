"""Tracing rows back to events (SEMANTICS.md section 6).

For one customer and period: the (source, id) of the events behind each usage row and
adjustment, and why every other event of that customer in that period does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from govern.errors import InputError
from govern.events.reader import RawLine, decode_event
from govern.reference.decimals import quantity_text
from govern.reference.engine import Evaluation, GroupKey
from govern.reference.envelope import Event, parse_instant
from govern.reference.ledger import alive_at, as_of_text
from govern.reference.periods import HORIZON, Period
from govern.reference.rows import dimensions_key
from govern.timestamps import format_utc


@dataclass(frozen=True)
class TracedEvent:
    """One event and what it did: `billed`, `late`, `voided`, or why it does not count."""

    line: RawLine
    source: Any
    id: Any
    status: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "id": self.id,
            "file": self.line.file,
            "line": self.line.line,
            "seq": self.line.seq,
            "status": self.status,
            "detail": self.detail,
        }

    def text(self) -> str:
        where = f"{self.line.file}:{self.line.line}"
        return f"  {self.status:<22} {self.source} {self.id}  {self.detail}  ({where})"


@dataclass(frozen=True)
class TracedEntry:
    """A usage row or a posting of adjustments, with the events behind it."""

    kind: str
    dimensions: tuple[tuple[str, Any], ...]
    quantity: Decimal
    status: str
    posted: Period | None
    events: tuple[TracedEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": self.kind,
            "dimensions": dict(self.dimensions),
            "quantity": quantity_text(self.quantity),
            "status": self.status,
        }
        if self.posted is not None:
            entry["posted_period_start"] = format_utc(self.posted.start)
            entry["posted_period_end"] = format_utc(self.posted.end)
        entry["events"] = [event.to_dict() for event in self.events]
        return entry

    def text(self) -> list[str]:
        shown = ", ".join(f"{name}={value}" for name, value in self.dimensions) or "-"
        head = f"{self.kind} [{shown}] {quantity_text(self.quantity)} ({self.status})"
        if self.posted is not None:
            change = _signed(self.quantity) if self.quantity else "no net change,"
            head = (
                f"adjustment [{shown}] {change} posted to {format_utc(self.posted.start)}.."
                f"{format_utc(self.posted.end)} ({self.status})"
            )
        return [head, *(event.text() for event in self.events)]


@dataclass(frozen=True)
class Trace:
    """Every row of one customer and period, traced; and the events that do not count."""

    meter: str
    customer: str
    period: Period
    status: str
    as_of: str | None
    entries: tuple[TracedEntry, ...]
    excluded: tuple[TracedEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "meter": self.meter,
            "meter_version": self.period.version.version,
            "customer": self.customer,
            "period_start": format_utc(self.period.start),
            "period_end": format_utc(self.period.end),
            "period_close": format_utc(self.period.close),
            "status": self.status,
            "as_of": self.as_of,
            "entries": [entry.to_dict() for entry in self.entries],
            "not_counted": [event.to_dict() for event in self.excluded],
        }

    def text(self) -> str:
        lines = [
            f"{self.meter} v{self.period.version.version}, customer {self.customer}, period "
            f"{format_utc(self.period.start)}..{format_utc(self.period.end)}, closes "
            f"{format_utc(self.period.close)} ({self.status}"
            + (f" as of {self.as_of})" if self.as_of else ")"),
        ]
        for entry in self.entries:
            lines.extend(["", *entry.text()])
        if not self.entries:
            lines.extend(["", "no usage and no adjustments"])
        if self.excluded:
            lines.extend(["", "not counted:", *(event.text() for event in self.excluded)])
        return "\n".join(lines) + "\n"


def _signed(quantity: Decimal) -> str:
    return ("+" if quantity > 0 else "") + quantity_text(quantity)


def trace(evaluation: Evaluation, customer: str, period_start: datetime) -> Trace:
    """The trace of `customer`'s rows for the period starting at `period_start`."""
    if period_start >= HORIZON:
        raise InputError(
            f"no period starts at {format_utc(period_start)}: usage at or after "
            f"{format_utc(HORIZON)} is never billed"
        )
    period = evaluation.plan.timeline.period_of(period_start)
    if period is None or period.start != period_start:
        hint = f"; {format_utc(period_start)} is in {_span(period)}" if period else ""
        raise InputError(
            f"no period of meter {evaluation.plan.meter.meter} starts at "
            f"{format_utc(period_start)}{hint}"
        )
    keys = sorted(
        (key for key in evaluation.groups if key[0] == customer and key[1] is period),
        key=lambda key: dimensions_key(_named(evaluation, key)),
    )
    entries: list[TracedEntry] = []
    shown: set[Event] = set()
    for key in keys:
        entries.extend(_entries(evaluation, key, shown))
    excluded = [
        _not_counted(evaluation, event)
        for event in evaluation.events
        if event.reason is not None
        and event not in shown
        and _owner(evaluation, event) == customer
        and evaluation.plan.timeline.period_of(event.time) is period
    ]
    excluded.extend(_invalid(evaluation, customer, period))
    return Trace(
        meter=evaluation.plan.meter.meter,
        customer=customer,
        period=period,
        status=evaluation.status(period),
        as_of=as_of_text(evaluation.as_of),
        entries=tuple(entries),
        excluded=tuple(sorted(excluded, key=lambda e: e.line.seq)),
    )


def _span(period: Period) -> str:
    return f"the period {format_utc(period.start)}..{format_utc(period.end)}"


def _named(evaluation: Evaluation, key: GroupKey) -> tuple[tuple[str, Any], ...]:
    return evaluation.plan.version_of(key[1]).named(key[2])


def _owner(evaluation: Evaluation, event: Event) -> str:
    """The customer an event belongs to; its subject when the mapping does not know it."""
    mapping = evaluation.mapping
    return event.subject if mapping is None else mapping.get(event.subject, event.subject)


def _entries(evaluation: Evaluation, key: GroupKey, shown: set[Event]) -> list[TracedEntry]:
    """The usage row and postings of one group; adds the events they show to `shown`."""
    period, members, ledger = key[1], evaluation.groups[key], evaluation.ledgers[key]
    timeline, dimensions = evaluation.plan.timeline, _named(evaluation, key)
    entries = []
    billed = alive_at(members, min(period.close, evaluation.as_of))
    shown.update(billed)
    if billed:
        events = tuple(_traced(e, "billed", f"recorded {format_utc(e.recorded)}") for e in billed)
        entries.append(
            TracedEntry("usage", dimensions, ledger.billed, evaluation.status(period), None, events)
        )
    postings: dict[Period, list[TracedEvent]] = {}
    for event in members:
        if event.recorded > period.close:
            posting = timeline.posting_period(period, event.recorded)
            detail = f"recorded {format_utc(event.recorded)}, after the close"
            postings.setdefault(posting, []).append(_traced(event, "late", detail))
            shown.add(event)
        void = event.voided_by
        if void is not None and void.recorded > period.close:
            posting = timeline.posting_period(period, void.recorded)
            detail = f"voided by {void.source} {void.id}, recorded {format_utc(void.recorded)}"
            postings.setdefault(posting, []).append(_traced(event, "voided", detail))
            shown.add(event)
    changes = dict(ledger.adjustments)
    for posting in sorted(postings, key=lambda p: p.start):
        entries.append(
            TracedEntry(
                "adjustment",
                dimensions,
                changes.get(posting, Decimal(0)),
                evaluation.status(posting),
                posting,
                tuple(postings[posting]),
            )
        )
    return entries


def _traced(event: Event, status: str, detail: str) -> TracedEvent:
    return TracedEvent(event.line, event.source, event.id, status, detail)


def _not_counted(evaluation: Evaluation, event: Event) -> TracedEvent:
    reason = event.reason or ""
    if reason in ("duplicate", "conflicting_duplicate"):
        duplicate = evaluation.duplicates[event]
        winner = duplicate.winner.line
        detail = f"copy of the event at {winner.file}:{winner.line} (seq {winner.seq})"
        if duplicate.differences:
            detail += f", differing in {', '.join(duplicate.differences)}"
    elif reason == "void":
        detail = f"voids {event.voids}"
    elif reason == "voided" and event.voided_by is not None:
        void = event.voided_by
        detail = f"voided by {void.source} {void.id}, recorded {format_utc(void.recorded)}"
    elif reason == "filtered_out":
        version = event.period.version
        truth = "false" if event.passes is False else "unknown (NULL)"
        detail = f"filter `{version.filter}` of v{version.version} is {truth}"
    elif reason == "unmapped_subject":
        detail = f"subject '{event.subject}' is not in the customer mapping"
    else:  # recorded_after_as_of
        detail = f"recorded {format_utc(event.recorded)}, after the as-of time"
    return _traced(event, reason, detail)


def _invalid(evaluation: Evaluation, customer: str, period: Period) -> list[TracedEvent]:
    """Invalid events of `customer` whose time is in `period`, or cannot be read."""
    reader, mapping = evaluation.plan.reader, evaluation.mapping
    found = []
    for record in evaluation.exceptions:
        if record.kind != "invalid_event" or record.line is None:
            continue
        obj = _decode_or_none(record.line.text)
        view = reader.view(obj) if obj is not None else {}
        subject = view.get("subject")
        owner = subject if mapping is None else mapping.get(subject, subject)
        if owner != customer:
            continue
        detail = "; ".join(record.reasons)
        try:
            placed = evaluation.plan.timeline.period_of(parse_instant(view.get("time")))
        except ValueError:
            detail += " (its time cannot be read: it may belong to this period)"
        else:
            if placed is not period:
                continue
        found.append(TracedEvent(record.line, record.source, record.id, "invalid", detail))
    return found


def _decode_or_none(text: bytes) -> dict | None:
    """The decoded event when it is a JSON object, else None."""
    try:
        obj = decode_event(text)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None
