"""Steps 1-3 of the reference pipeline (as-of cut, contract match, validation), then what
each event's own content decides (steps 6-8): its period, the filter, dimensions, value,
customer.

An event that validation certifies is read from its typed decode (`CertifiedReader`);
every other line takes the general path (`Intake.read`), which decides it as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec

from govern.events.reader import RawLine, decode_event
from govern.reference.certified import CertifiedReader
from govern.reference.counts import Counts
from govern.reference.envelope import EnvelopeError, Event
from govern.reference.exceptions import ExceptionRecord, invalid_event
from govern.reference.periods import HORIZON
from govern.reference.plan import MeterPlan
from govern.reference.validity import Validity
from govern.timestamps import format_utc


class Intake:
    """Admits lines one at a time: `events` gets each event that is not rejected or
    ignored, its payload dropped once what it decides is derived; `invalid` gets an
    exception per rejected line."""

    def __init__(
        self,
        plan: MeterPlan,
        validity: Validity,
        as_of: datetime,
        mapping: Mapping[str, str] | None,
        counts: Counts,
    ):
        self.plan, self.validity, self.as_of = plan, validity, as_of
        self.certified = CertifiedReader(
            plan.reader, plan.contract_name, plan.reads, validity.certified
        )
        self.mapping, self.counts = mapping, counts
        self.events: list[Event] = []
        self.invalid: list[ExceptionRecord] = []

    def admit(self, line: RawLine) -> None:
        self.counts.read += 1
        event = self.certified.read(line)
        if event is None:
            event = self.read(line)
            if event is None:
                return
        if event.recorded <= self.as_of:
            if event.voids is None:
                _derive(event, self.plan, self.mapping)
        else:
            event.reason = "recorded_after_as_of"
        event.data = None  # all it decides is derived; copies are compared by their lines
        self.events.append(event)

    def read(self, line: RawLine) -> Event | None:
        """The general path: decode, read the envelope, validate. None when the event is
        rejected or ignored (and counted so)."""
        try:
            obj = decode_event(line.text)
        except msgspec.DecodeError as exc:
            return self.reject(line, [f"not valid JSON: {exc}"], None)
        if obj.__class__ is not dict:
            return self.reject(line, ["not a JSON object"], None)
        view = self.plan.reader.view(obj)
        kind = view.get("type")
        if kind is None:
            return self.reject(line, ["type: missing"], view)
        if kind != self.plan.contract_name:
            self.counts.ignored["other_type"] += 1
            return None
        try:
            event = self.plan.reader.read(view, line)
        except EnvelopeError as exc:
            if exc.recorded is not None and exc.recorded > self.as_of:
                self.counts.ignored["recorded_after_as_of"] += 1
                return None
            return self.reject(line, self.validity.errors(obj) or exc.reasons, view)
        if event.recorded <= self.as_of:
            errors = self.validity.errors(obj) or _beyond_horizon(event)
            if errors:
                return self.reject(line, errors, view)
        return event

    def reject(self, line: RawLine, reasons: list[str], view: dict | None) -> None:
        self.counts.excluded["invalid"] += 1
        self.invalid.append(invalid_event(line, reasons, view))


def _beyond_horizon(event: Event) -> list[str]:
    return [
        f"{role}: {format_utc(moment)} is after {format_utc(HORIZON)}, the last instant billed"
        for role, moment in (("time", event.time), ("recordedtime", event.recorded))
        if moment >= HORIZON
    ]


def _derive(event: Event, plan: MeterPlan, mapping: Mapping[str, str] | None) -> None:
    """Steps 6-8 for one usage event: its period (and so its meter version), whether the
    version's filter holds, its dimensions and value, and its customer."""
    period = event.period = plan.timeline.period_of(event.time)
    if period is None:
        return
    version = plan.version_of(period)
    event.passes = version.passes(event)
    if event.passes is not True:
        return
    event.dimensions = version.dimensions(event)
    event.value = version.value(event) if version.value else None
    event.customer = event.subject if mapping is None else mapping.get(event.subject)
