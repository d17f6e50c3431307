"""Steps 1-3 of the reference pipeline (as-of cut, contract match, validation), then what
each event's own content decides (steps 6-8, `Deriver`).

Lines are admitted a batch at a time. The events validation certifies are read from their
typed decode as columns (`CertifiedReader`) and derived together, and each `Event` is made
once, with what it derives; every other line takes the general path (`Intake.read`),
which decides it as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from itertools import compress, repeat
from operator import and_, attrgetter, is_, le, not_

import msgspec

from govern.events.reader import RawLine, decode_event
from govern.reference.certified import Batch, CertifiedReader
from govern.reference.counts import Counts
from govern.reference.derive import Deriver
from govern.reference.envelope import EnvelopeError, Event
from govern.reference.exceptions import ExceptionRecord, invalid_event
from govern.reference.ledger import END_OF_TIME
from govern.reference.periods import HORIZON
from govern.reference.plan import MeterPlan
from govern.reference.probe import other_type
from govern.reference.validity import Validity
from govern.timestamps import format_utc

_RECORDED, _SEQ, _TEXT = attrgetter("recorded"), attrgetter("seq"), attrgetter("text")


class Intake:
    """Admits lines a batch at a time: `events` gets each event that is not rejected or
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
        self._cut = as_of < END_OF_TIME
        """Whether any event can be recorded after the as-of time."""
        self.certified = CertifiedReader(
            plan.reader, plan.contract_name, plan.reads, validity.certified_all
        )
        self.deriver = Deriver(plan, mapping)
        self.counts = counts
        self.events: list[Event] = []
        self.invalid: list[ExceptionRecord] = []
        self.recorded_after_as_of = 0
        """How many of `events` were recorded after the as-of time."""
        self.voids = 0
        """How many of `events` are voids."""

    def admit(self, lines: list[RawLine]) -> None:
        """Admits a batch of lines (in load order)."""
        self.counts.read += len(lines)
        batch, left = self.certified.read_all(lines)
        self.voids += len(batch.voids) - batch.voids.count(None)
        events = self._certified(batch)
        if left:
            left = self._unprobed(left)
            general = [event for event in map(self.read, left) if event is not None]
            for event in general:
                if event.voids is not None:
                    self.voids += 1
                elif event.recorded <= self.as_of:
                    self.deriver.derive(event)
                event.data = None  # all it decides is derived; copies compare by their lines
            events = sorted([*events, *general], key=_SEQ)
        late = self._recorded_after_as_of(events)
        for event in late:
            event.reason = "recorded_after_as_of"
        self.recorded_after_as_of += len(late)
        self.events.extend(events)

    def _certified(self, batch: Batch) -> list[Event]:
        """The events of `batch`, its usage events recorded by the as-of time derived."""
        late = self._cut and bool(batch.recorded) and max(batch.recorded) > self.as_of
        if not late and batch.voids.count(None) == len(batch.voids):
            return self._derived(batch)
        usage = list(map(is_, batch.voids, repeat(None)))
        if late:
            usage = list(map(and_, usage, map(le, batch.recorded, repeat(self.as_of))))
        batch, others = batch.split(usage)
        events = self.certified.events(others)
        for event in events:
            event.data = None
        return sorted([*self._derived(batch), *events], key=_SEQ)

    def _derived(self, batch: Batch) -> list[Event]:
        """The usage events of `batch`, derived."""
        certified = self.certified
        derived = None
        if certified.default_key:
            derived = self.deriver.derive_all(batch, partial(certified.event, batch, exact=True))
        if derived is not None:
            return certified.events(batch, derived)
        events = certified.events(batch, exact=True)
        for event in events:
            self.deriver.derive(event)
            event.data = None
        return events

    def _unprobed(self, lines: list[RawLine]) -> list[RawLine]:
        """The `lines` the probe cannot tell are of another type; those it can are ignored
        (as `read` would ignore them, at a fraction of the cost)."""
        if not self.plan.reader.type_on_top:
            return lines
        others = list(map(other_type, map(_TEXT, lines), repeat(self.plan.contract_name)))
        ignored = sum(others)
        if not ignored:
            return lines
        self.counts.ignored["other_type"] += ignored
        return list(compress(lines, map(not_, others)))

    def _recorded_after_as_of(self, events: list[Event]) -> list[Event]:
        if not self._cut or not events or max(map(_RECORDED, events)) <= self.as_of:
            return []
        return [event for event in events if event.recorded > self.as_of]

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
