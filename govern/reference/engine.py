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
from operator import attrgetter
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.events.reader import RawLine, read_lines
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
    settled,
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


def raw_lines(events: Events) -> Iterator[RawLine]:
    """`events` as lines: RawLines pass through; a path (or `-`) is read, continuing seq."""
    next_seq = 0
    for item in events:
        if isinstance(item, RawLine):
            next_seq = item.seq + 1
            yield item
        else:
            for line in read_lines([item], start_seq=next_seq):
                next_seq = line.seq + 1
                yield line


@dataclass(frozen=True)
class AggregateResult:
    """The rows (sorted), the exceptions (sorted) and the counts of one run."""

    meter: str
    rows: tuple[UsageRow, ...]
    exceptions: tuple[ExceptionRecord, ...]
    counts: Counts


def _reason(event: Event) -> str | None:
    """Why a derived usage event does not count, in pipeline order; None when it counts."""
    if event.voided_by is not None:
        return "voided"
    if event.period is None:
        return "before_first_version"
    if event.passes is not True:
        return "filtered_out"
    if event.customer is None:
        return "unmapped_subject"
    return None


@dataclass
class Evaluation:
    """Everything one run worked out: the rows, and what they are made of (for tracing)."""

    plan: MeterPlan
    as_of: datetime
    mapping: Mapping[str, str] | None
    events: list[Event]
    duplicates: dict[Event, Duplicate]
    groups: Groups
    ledgers: dict[GroupKey, Ledger]
    rows: list[UsageRow]
    exceptions: list[ExceptionRecord]
    counts: Counts

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
    meter = plan.meter
    rows = []
    for (customer, period, values), ledger in ledgers.items():
        common = {
            "customer": customer,
            "meter": meter.meter,
            "meter_version": period.version.version,
            "period_start": period.start,
            "period_end": period.end,
            "dimensions": plan.version_of(period).named(values),
            "line_item": meter.line_item,
        }
        if ledger.billed_events:
            billed = ledger.billed
            rows.append(
                UsageRow("usage", **common, quantity=billed, status=period_status(period, as_of))
            )
        for posting, change in ledger.adjustments:
            rows.append(
                UsageRow(
                    "adjustment",
                    **common,
                    quantity=change,
                    status=period_status(posting, as_of),
                    posted_period_start=posting.start,
                    posted_period_end=posting.end,
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
    for line in raw_lines(events):
        intake.admit(line)
    exceptions = list(intake.invalid)
    present = [event for event in intake.events if event.reason is None]
    winners, duplicates = deduplicate(present, plan.reader.strip)
    for duplicate in duplicates:
        duplicate.event.reason = "conflicting_duplicate" if duplicate.differences else "duplicate"
        if duplicate.differences:
            exceptions.append(conflicting_duplicate(duplicate))
    usage = [event for event in winners if event.voids is None]
    voids = [event for event in winners if event.voids is not None]
    for void in voids:
        void.reason = "void"
    by = as_of_text(cutoff)
    exceptions.extend(unknown_void_target(void, by) for void in apply_voids(usage, voids))
    groups, unmapped, unsettled = _group(usage)
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
        intake.events,
        {duplicate.event: duplicate for duplicate in duplicates},
        groups,
        ledgers,
        _rows(plan, ledgers, cutoff),
        exceptions,
        counts,
    )


def _group(usage: list[Event]) -> tuple[Groups, Groups, set[GroupKey]]:
    """Sets why each usage event does not count (None: it does), and groups those that
    pass by customer, period and dimensions; unmapped ones apart, by subject. Also the
    keys of groups with an event that is not `settled`."""
    groups: Groups = {}
    unmapped: Groups = {}
    unsettled: set[GroupKey] = set()
    for event in usage:
        event.reason = _reason(event)
        if event.period is not None and event.passes is True:
            owner = groups if event.customer is not None else unmapped
            key = (event.customer or event.subject, event.period, event.dimensions)
            members = owner.get(key)
            if members is None:
                owner[key] = [event]
            else:
                members.append(event)
            if not settled(event):
                unsettled.add(key)
    return groups, unmapped, unsettled


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
