"""The reference pipeline: raw lines in, usage and adjustment rows out (SEMANTICS.md).

Steps, in the order SEMANTICS.md gives them: as-of cut, contract match, validation,
deduplication, voids; then per event its period (which picks the meter version), that
version's filter and the customer; then per group (customer, period, dimensions) a ledger
of the billed quantity and its adjustments. Every event read ends up counted, excluded
with a reason or ignored with a reason.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, compress, repeat
from operator import attrgetter, gt, is_, is_not, not_
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.events.reader import RawLine, read_batches
from govern.reference.counts import IGNORED, Counts
from govern.reference.customers import customer_mapping
from govern.reference.dedup import Duplicate, deduplicate
from govern.reference.envelope import Event
from govern.reference.exceptions import (
    ExceptionRecord,
    conflicting_duplicate,
    unknown_void_target,
    unmapped_subject,
)
from govern.reference.intake import Intake
from govern.reference.ledger import (
    Ledger,
    alive_at,
    as_of_instant,
    as_of_text,
    period_status,
    post,
)
from govern.reference.periods import Period
from govern.reference.plan import MeterPlan
from govern.reference.rows import UsageRow
from govern.reference.validity import Validity
from govern.reference.voids import apply_voids

Events = Iterable[RawLine | str | Path]
GroupKey = tuple[str, Period, tuple]
"""(customer, or subject when unmapped; period; dimension values)"""
Groups = dict[GroupKey, list[Event]]


BATCH = 1024
"""How many given RawLines `raw_batches` puts in one batch (about `CHUNK_BYTES` of
typical events)."""


def raw_batches(events: Events) -> Iterator[list[RawLine]]:
    """`events` as batches of lines: RawLines pass through; a path (or `-`) is read,
    continuing seq."""
    next_seq, given = 0, []
    for item in events:
        if isinstance(item, RawLine):
            next_seq = item.seq + 1
            given.append(item)
            if len(given) == BATCH:
                yield given
                given = []
            continue
        if given:
            yield given
            given = []
        for batch in read_batches([item], start_seq=next_seq):
            next_seq = batch[-1].seq + 1
            yield batch
    if given:
        yield given


def raw_lines(events: Events) -> Iterator[RawLine]:
    """`events` as lines (`raw_batches`, one line at a time)."""
    for batch in raw_batches(events):
        yield from batch


@dataclass(frozen=True)
class AggregateResult:
    """The rows (sorted), the exceptions (sorted) and the counts of one run."""

    meter: str
    rows: tuple[UsageRow, ...]
    exceptions: tuple[ExceptionRecord, ...]
    counts: Counts


@dataclass
class Evaluation:
    """Everything one run worked out: the rows, and what they are made of (for tracing).

    `events` comes last: an evaluation is freed field by field, so the events are freed
    from that list, in load order, which is three times faster than from their groups."""

    plan: MeterPlan
    as_of: datetime
    mapping: Mapping[str, str] | None
    duplicates: dict[Event, Duplicate]
    groups: Groups
    ledgers: dict[GroupKey, Ledger]
    rows: list[UsageRow]
    exceptions: list[ExceptionRecord]
    counts: Counts
    events: list[Event]

    def status(self, period: Period) -> str:
        return period_status(period, self.as_of)

    def result(self) -> AggregateResult:
        return AggregateResult(
            meter=self.plan.meter.meter,
            rows=tuple(self.rows),
            exceptions=tuple(sorted(self.exceptions, key=ExceptionRecord.sort_key)),
            counts=self.counts,
        )


def _rows(plan: MeterPlan, ledgers: dict[GroupKey, Ledger], as_of: datetime) -> list[UsageRow]:
    """The usage and adjustment rows of every group, sorted."""
    meter, line_item = plan.meter.meter, plan.meter.line_item
    rows = []
    for (customer, period, values), ledger in ledgers.items():
        version, dimensions = period.version.version, plan.version_of(period).named(values)
        # UsageRow's fields in order, up to `quantity`: positional, the cheapest way.
        group = (customer, meter, version, period.start, period.end, dimensions)
        if ledger.billed_events:
            status = period_status(period, as_of)
            rows.append(UsageRow("usage", *group, ledger.billed, status, line_item))
        for posting, change in ledger.adjustments:
            status = period_status(posting, as_of)
            rows.append(
                UsageRow(
                    "adjustment", *group, change, status, line_item, posting.start, posting.end
                )
            )
    return sorted(rows, key=UsageRow.sort_key)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a run (nested pauses: the outermost
    resumes it).

    A run keeps millions of objects alive until it ends, and they form no cycles; the
    collector would scan them over and over (a quarter of the run time, measured), and
    once more when it resumes while they are still alive.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def evaluate(
    catalog: Catalog,
    meter_name: str,
    events: Events,
    *,
    as_of: datetime | str | None = None,
    customers: Mapping[str, str] | str | Path | None = None,
) -> Evaluation:
    """Run the pipeline over `events` as of `as_of` (default: everything ever recorded)."""
    plan = MeterPlan(catalog, meter_name)
    mapping = customer_mapping(customers)
    cutoff = as_of_instant(as_of)
    counts = Counts()
    intake = Intake(plan, Validity(catalog, plan.contract_name), cutoff, mapping, counts)
    for batch in raw_batches(events):
        intake.admit(batch)
    exceptions = list(intake.invalid)
    present = intake.events
    if intake.recorded_after_as_of:
        present = [event for event in present if event.reason != "recorded_after_as_of"]
    winners, duplicates = deduplicate(present, plan.reader.strip)
    for duplicate in duplicates:
        duplicate.event.reason = "conflicting_duplicate" if duplicate.differences else "duplicate"
        if duplicate.differences:
            exceptions.append(conflicting_duplicate(duplicate))
    usage, voids = winners, []
    if intake.voids:
        is_void = list(map(is_not, map(_VOIDS, winners), repeat(None)))
        usage, voids = list(compress(winners, map(not_, is_void))), list(compress(winners, is_void))
    for void in voids:
        void.reason = "void"
    by = as_of_text(cutoff)
    exceptions.extend(unknown_void_target(void, by) for void in apply_voids(usage, voids))
    voided = [event for event in usage if event.voided_by is not None] if voids else []
    for event in voided:
        event.reason = "voided"
    groups, unmapped, unsettled = _group(usage, voided)
    ledgers = {
        key: _post(plan, key, members, cutoff, key not in unsettled)
        for key, members in groups.items()
    }
    for (subject, period, values), members in unmapped.items():
        key = (subject, period, values)
        ledger = _post(plan, key, members, cutoff, key not in unsettled)
        exceptions.append(
            unmapped_subject(
                plan.meter.meter,
                subject,
                period,
                plan.version_of(period).named(values),
                ledger.final,
                len(alive_at(members, cutoff)),
            )
        )
    _count(intake.events, counts)
    return Evaluation(
        plan,
        cutoff,
        mapping,
        {duplicate.event: duplicate for duplicate in duplicates},
        groups,
        ledgers,
        _rows(plan, ledgers, cutoff),
        exceptions,
        counts,
        intake.events,
    )


def _group(usage: list[Event], voided: list[Event]) -> tuple[Groups, Groups, set[GroupKey]]:
    """Groups the usage events that pass by customer, period and dimensions; unmapped ones
    apart, by subject. Also the keys of groups with an event that is not `settled` (one
    recorded after its period closes, or `voided`)."""
    passing = list(compress(usage, map(is_, map(_PASSES, usage), repeat(True))))
    mapped = list(map(is_not, map(_CUSTOMER, passing), repeat(None)))
    groups = _grouped(passing if all(mapped) else list(compress(passing, mapped)), _CUSTOMER)
    unmapped = {} if all(mapped) else _grouped(list(compress(passing, map(not_, mapped))), _SUBJECT)
    late = compress(passing, map(gt, map(_RECORDED, passing), map(_CLOSE, passing)))
    unsettled = {_key(event) for event in chain(late, voided) if event.passes is True}
    return groups, unmapped, unsettled


def _grouped(events: list[Event], owner: attrgetter) -> Groups:
    """`events` grouped by owner, period and dimensions, each group in load order.

    By period and dimensions first (a few pairs), then by owner: a text key is cheaper to
    look up than a tuple of three, which is hashed anew for each event."""
    pairs: dict[tuple, dict[str, list[Event]]] = {}
    keys = zip(map(_PERIOD, events), map(_DIMENSIONS, events), strict=True)
    for pair, who, event in zip(keys, map(owner, events), events, strict=True):
        owners = pairs.get(pair)
        if owners is None:
            owners = pairs[pair] = {}
        members = owners.get(who)
        if members is None:
            owners[who] = [event]
        else:
            members.append(event)
    return {
        (who, period, values): members
        for (period, values), owners in pairs.items()
        for who, members in owners.items()
    }


def _key(event: Event) -> GroupKey:
    return (event.customer or event.subject, event.period, event.dimensions)


_PASSES, _CUSTOMER, _SUBJECT = attrgetter("passes"), attrgetter("customer"), attrgetter("subject")
_RECORDED, _CLOSE = attrgetter("recorded"), attrgetter("period.close")
_PERIOD, _DIMENSIONS = attrgetter("period"), attrgetter("dimensions")
_VOIDS = attrgetter("voids")


def _count(events: list[Event], counts: Counts) -> None:
    """Counts every event by its reason: counted (None), ignored or excluded."""
    for reason, number in Counter(map(attrgetter("reason"), events)).items():
        if reason is None:
            counts.counted += number
        elif reason in IGNORED:
            counts.ignored[reason] += number
        else:
            counts.excluded[reason] += number


def _post(
    plan: MeterPlan, key: GroupKey, members: list[Event], as_of: datetime, all_settled: bool
) -> Ledger:
    period = key[1]
    quantity = plan.version_of(period).quantity
    return post(period, members, quantity, plan.timeline, as_of, all_settled)
