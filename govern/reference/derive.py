"""Steps 6-8 for each usage event (SEMANTICS.md): its period (which picks the meter
version), whether the version's filter holds, its dimensions and value, its customer; and
so whether it counts, before deduplication and voids have their say.

`derive` decides one event from its exact data. `derive_all` decides a batch of certified
events from their typed data: a meter whose filters, group-bys and values read data fields
only decides the same for every event of a period's version with the same data type and
the same values of the fields its filter and group-by read, so each such combination is
decided once, by `derive`; the value of each event that counts is read apart, exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress, count, repeat
from operator import attrgetter, eq, is_, itemgetter
from typing import TYPE_CHECKING, Any

import msgspec

from govern.reference.envelope import Event
from govern.reference.periods import Period
from govern.reference.plan import MeterPlan
from govern.reference.values import ValueReader

if TYPE_CHECKING:
    from govern.reference.certified import Batch

_HOUR = itemgetter(slice(13))
_UNKNOWN = object()
Decided = tuple[Any, tuple, str | None]
"""(passes, dimensions, reason): what `derive` decides that follows from the data."""


@dataclass(frozen=True)
class Derived:
    """What a batch of usage events derive, as columns."""

    periods: Sequence[Period | None]
    passes: Sequence[Any]
    dimensions: Sequence[tuple]
    values: Sequence[Any]
    reasons: Sequence[str | None]
    customers: Sequence[str | None]


def reason(event: Event) -> str | None:
    """Why a derived usage event does not count, before voids; None when it counts."""
    if event.period is None:
        return "before_first_version"
    if event.passes is not True:
        return "filtered_out"
    if event.customer is None:
        return "unmapped_subject"
    return None


class Deriver:
    """Derives usage events of meter `plan`, their subjects mapped by `mapping`."""

    def __init__(self, plan: MeterPlan, mapping: Mapping[str, str] | None):
        self.plan, self.mapping = plan, mapping
        self.from_data = all(version.from_data for version in plan.versions.values())
        """Whether `derive_all` may decide events by their data."""
        self._hours: dict[str, Any] = {}
        self._readers: dict[type, Callable[[Any], Any] | None] = {}
        self._decided: dict[tuple, dict[tuple, Decided]] = {}
        """Per (version, data type): what follows from the values its filter and group-by
        read."""
        self._values = ValueReader()

    def derive(self, event: Event) -> None:
        """Derives one event from its exact `data`."""
        plan = self.plan
        period = event.period = plan.timeline.period_of(event.time)
        if period is not None:
            version = plan.version_of(period)
            event.passes = version.passes(event)
            if event.passes is True:
                event.dimensions = version.dimensions(event)
                event.value = version.value(event) if version.value else None
                event.customer = self.customer(event.subject)
        event.reason = reason(event)

    def customer(self, subject: str) -> str | None:
        return subject if self.mapping is None else self.mapping.get(subject)

    def _hour(self, hour: str) -> Any:
        """The period of every instant of the UTC `hour` (`YYYY-MM-DDTHH`), remembered;
        `_UNKNOWN` when the hour holds a period bound."""
        if hour not in self._hours:
            start = datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=UTC)
            end = start + timedelta(hours=1)
            timeline = self.plan.timeline
            period = timeline.period_of(start)
            whole = timeline.period_of(end - timedelta(microseconds=1)) is period
            self._hours[hour] = (
                period if whole and (period is None or period.end >= end) else _UNKNOWN
            )
        return self._hours[hour]

    def derive_all(self, batch: Batch, exact_event: Callable[[int], Event]) -> Derived | None:
        """What the usage events of `batch` derive, decided by their typed data; None when
        that cannot tell (then each is derived from its exact data). `exact_event(i)` is
        event `i` holding its exact data."""
        kinds = set(map(type, batch.data))
        kind = kinds.pop() if len(kinds) == 1 and self.from_data else None
        read = self._reader(kind) if kind is not None else None
        if read is None:
            return None
        periods = self._periods(batch.shown, batch.times)
        tables = {
            period: self._decided.setdefault((period and period.version.version, kind), {})
            for period in set(periods)
        }
        keys = list(map(read, batch.data)) if read is not _NOTHING else [()] * len(periods)
        if len(tables) == 1:
            decided = list(map(next(iter(tables.values())).get, keys))
        else:
            decided = list(map(dict.get, map(tables.__getitem__, periods), keys))
        if None in decided:
            for index in compress(count(), map(is_, decided, repeat(None))):
                table = tables[periods[index]]
                decided[index] = self._decide(table, keys[index], exact_event(index))
        passes, dimensions, reasons = zip(*decided, strict=True)
        values = self._values_of(batch, kind, tables, periods, passes)
        subjects, mapping = batch.subjects, self.mapping
        customers = subjects if mapping is None else list(map(mapping.get, subjects))
        if mapping is not None and None in customers:
            reasons = [
                "unmapped_subject" if why is None and customer is None else why
                for customer, why in zip(customers, reasons, strict=True)
            ]
        if reasons.count(None) != len(reasons):  # a customer only where the event counts
            customers = [
                None if why is not None else customer
                for customer, why in zip(customers, reasons, strict=True)
            ]
        return Derived(periods, passes, dimensions, values, reasons, customers)

    def _periods(self, shown: Sequence[str | None], times: Sequence[datetime]) -> list:
        """The period of each time, most found by the UTC hour of the time as written."""
        timeline = self.plan.timeline
        if not shown or shown[0] is None:
            return list(map(timeline.period_of, times))
        # Periods are intervals: the hours of the earliest and the latest time (as written,
        # their order) in one period put every time between them there too.
        first = self._hour(_HOUR(min(shown)))
        if first is not _UNKNOWN and first is self._hour(_HOUR(max(shown))):
            return [first] * len(shown)
        hours = list(map(_HOUR, shown))
        periods = list(map(self._hours.get, hours, repeat(_UNKNOWN)))
        if _UNKNOWN in periods:
            for hour in set(compress(hours, map(is_, periods, repeat(_UNKNOWN)))):
                self._hour(hour)
            periods = list(map(self._hours.__getitem__, hours))
            for index in compress(count(), map(is_, periods, repeat(_UNKNOWN))):
                periods[index] = timeline.period_of(times[index])
        return periods

    def _values_of(
        self,
        batch: Batch,
        kind: type,
        present: Iterable[Period | None],
        periods: Sequence[Period | None],
        passes: Sequence[Any],
    ) -> list:
        """The value of each event of `batch` (data of type `kind`) that passes, as its
        period (one of those `present`) reads it; None for the others."""
        version_of = self.plan.version_of
        fields = {period: period and version_of(period).value_field for period in present}
        names = set(fields.values())
        if names == {None}:
            return [None] * len(periods)
        if len(names) == 1 and all(map(is_, passes, repeat(True))):
            return self._values.read(names.pop(), kind, batch.data, batch.lines)
        wanted = [
            field if passed is True else None
            for field, passed in zip(map(fields.__getitem__, periods), passes, strict=True)
        ]
        values = [None] * len(periods)
        for name in names - {None}:
            flags = list(map(eq, wanted, repeat(name)))
            data, lines = list(compress(batch.data, flags)), list(compress(batch.lines, flags))
            read = self._values.read(name, kind, data, lines)
            for index, value in zip(compress(count(), flags), read, strict=True):
                values[index] = value
        return values

    def _decide(self, table: dict[tuple, Decided], values: tuple, event: Event) -> Decided:
        """Derives `event` (with its exact data), and remembers in `table` (of its version
        and data type) what follows from the `values` of the fields its filter and group-by
        read."""
        self.derive(event)
        event.data = None
        why = None if event.reason == "unmapped_subject" else event.reason
        decided = table[values] = (event.passes, event.dimensions, why)
        return decided

    def _reader(self, kind: type) -> Callable[[Any], Any] | None:
        """Reads the values of the fields the meter's filters and group-bys read from data
        of type `kind` (`_NOTHING`: they read none); None when one may be a float, so
        inexact."""
        if kind not in self._readers:
            fields = [
                f
                for f in msgspec.inspect.type_info(kind).fields
                if f.encode_name in self.plan.decides
            ]
            names = [field.name for field in fields]
            exact = not any(_floating(field.type) for field in fields)
            self._readers[kind] = (attrgetter(*names) if names else _NOTHING) if exact else None
        return self._readers[kind]


def _floating(kind: msgspec.inspect.Type) -> bool:
    if isinstance(kind, msgspec.inspect.UnionType):
        return any(map(_floating, kind.types))
    return isinstance(kind, msgspec.inspect.FloatType)


_NOTHING = attrgetter("__class__")
"""The reader of a meter that reads no data field (never called)."""
