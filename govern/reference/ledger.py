"""Billed quantities and adjustments of one period (SEMANTICS.md section 4).

An event counts at instant `t` when it is recorded by `t` and not voided by `t`. The
billed quantity of period P is its value at `close(P)`, frozen there. A change recorded
later is posted to the first period Q whose close is at or after it, as
`value(P at close(Q)) - value(P at the previous posting)`; only non-zero ones are kept.
A period or posting that closes after the as-of time T is open and uses the value at T.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import msgspec

from govern.errors import InputError
from govern.reference.decimals import EXACT
from govern.reference.envelope import Event
from govern.reference.periods import Period, Timeline
from govern.timestamps import format_utc, parse_rfc3339

END_OF_TIME = datetime.max.replace(tzinfo=UTC)
"""The default as-of time: everything ever recorded."""


def as_of_instant(as_of: datetime | str | None) -> datetime:
    """The as-of time as an aware UTC datetime (RFC 3339 text accepted); None is +infinity."""
    if as_of is None:
        return END_OF_TIME
    if isinstance(as_of, str):
        try:
            return parse_rfc3339(as_of)
        except ValueError as exc:
            raise InputError(f"as-of: {exc}") from None
    if as_of.tzinfo is None:
        raise InputError("as-of: a datetime without a time zone names no instant")
    return as_of.astimezone(UTC)


def as_of_text(as_of: datetime) -> str | None:
    """The as-of time as UTC text; None for the default (everything recorded)."""
    return None if as_of == END_OF_TIME else format_utc(as_of)


def period_status(period: Period, as_of: datetime) -> str:
    """`open` while `period` may still change as of `as_of`, else `closed`."""
    return "open" if period.close > as_of else "closed"


Quantity = Callable[[Sequence[Event]], Decimal]


class Ledger(msgspec.Struct, frozen=True, gc=False):
    """What period `period` bills, and the adjustments later periods carry for it (a
    frozen Struct: one is made per group, and it is the cheapest to make)."""

    period: Period
    billed: Decimal
    billed_events: int
    adjustments: tuple[tuple[Period, Decimal], ...]

    @property
    def final(self) -> Decimal:
        """The value over everything recorded by the as-of time: billed + adjustments."""
        total = self.billed
        for _, change in self.adjustments:
            total = EXACT.add(total, change)
        return total


def alive_at(events: Sequence[Event], moment: datetime) -> list[Event]:
    """The events recorded, and not yet voided, at `moment`."""
    return [
        e
        for e in events
        if e.recorded <= moment and (e.voided_by is None or moment < e.voided_by.recorded)
    ]


def changes_after(events: Sequence[Event], moment: datetime) -> list[datetime]:
    """The instants after `moment` at which an event arrives or is voided, in order."""
    found = {e.recorded for e in events if e.recorded > moment}
    found.update(
        e.voided_by.recorded
        for e in events
        if e.voided_by is not None and e.voided_by.recorded > moment
    )
    return sorted(found)


def settled(event: Event) -> bool:
    """Whether nothing about `event` changes after its period closes: it is recorded by
    the close, and not voided."""
    return event.voided_by is None and event.recorded <= event.period.close


def post(
    period: Period,
    events: Sequence[Event],
    quantity: Quantity,
    timeline: Timeline,
    as_of: datetime,
    all_settled: bool = False,
) -> Ledger:
    """The ledger of one group of `period` (events recorded after `as_of` already gone).

    `all_settled`: every event is `settled`, so every one is billed and nothing adjusted
    (said by the caller, which has seen each event: this spares a look at each again)."""
    if all_settled:
        return Ledger(period, quantity(events), len(events), ())
    billed_set = alive_at(events, min(period.close, as_of))
    billed = previous = quantity(billed_set)
    adjustments: list[tuple[Period, Decimal]] = []
    posting: Period | None = None
    for change in changes_after(events, period.close):
        if posting is not None and change <= posting.close:
            continue
        posting = timeline.posting_period(period, change)
        value = quantity(alive_at(events, min(posting.close, as_of)))
        if value != previous:
            adjustments.append((posting, EXACT.subtract(value, previous)))
            previous = value
    return Ledger(period, billed, len(billed_set), tuple(adjustments))
