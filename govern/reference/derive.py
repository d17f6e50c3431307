"""Steps 6-8 for each usage event (SEMANTICS.md): its period (which picks the meter
version), whether the version's filter holds, its dimensions and value, its customer; and
so whether it counts, before deduplication and voids have their say.

`derive` decides one event from its exact data. `derive_all` decides a batch of certified
events from their typed data: a count meter whose filters and group-bys read data fields
only decides the same for every event of a period's version with the same data type and
the same values of those fields, so each such combination is decided once, by `derive`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

import msgspec

from govern.events.reader import RawLine
from govern.reference.envelope import Event
from govern.reference.periods import Period
from govern.reference.plan import MeterPlan

_HOUR = itemgetter(slice(13))
_UNKNOWN = object()
Decided = tuple[Any, tuple, str | None]
"""(passes, dimensions, reason): what `derive` decides that follows from the data."""


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
        self._decided: dict[tuple, Decided] = {}

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

    def period_of(self, text: str | None, moment: datetime) -> Period | None:
        """The period of `moment`, written `text` (UTC, the common shape) or None."""
        if text is None:
            return self.plan.timeline.period_of(moment)
        period = self._hours.get(text[:13], _UNKNOWN)
        if period is _UNKNOWN:
            period = self._hour(text[:13])
        return self.plan.timeline.period_of(moment) if period is _UNKNOWN else period

    def _hour(self, hour: str) -> Any:
        """The period of every instant of the UTC `hour` (`YYYY-MM-DDTHH`), remembered;
        `_UNKNOWN` when the hour holds a period bound."""
        start = datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=UTC)
        end = start + timedelta(hours=1)
        timeline = self.plan.timeline
        period = timeline.period_of(start)
        whole = timeline.period_of(end - timedelta(microseconds=1)) is period
        found = period if whole and (period is None or period.end >= end) else _UNKNOWN
        self._hours[hour] = found
        return found

    def derive_all(
        self,
        events: list[Event],
        data: list[Any],
        texts: list[str | None],
        exact_data: Callable[[Any, RawLine], dict],
    ) -> None:
        """Derives usage events, each with its typed `data` (None: the event holds it
        exactly) and its time as written (or None); `exact_data` reads data exactly."""
        kinds = set(map(type, data)) - {type(None)}
        kind = kinds.pop() if len(kinds) == 1 and None not in data and self.from_data else None
        read = self._reader(kind) if kind is not None else None
        if read is None:
            for event, fields in zip(events, data, strict=True):
                if fields is not None:
                    event.data = exact_data(fields, event.line)
                self.derive(event)
                event.data = None
            return
        periods = list(map(self.period_of, texts, map(_TIME, events)))
        versions = {period: period and period.version.version for period in set(periods)}
        values = map(read, data) if read is not _NOTHING else repeat(())
        keys = list(zip(map(versions.__getitem__, periods), repeat(kind), values))
        decided = list(map(self._decided.get, keys))
        if None in decided:
            for index, key in enumerate(keys):
                if decided[index] is None:
                    event = events[index]
                    event.data = exact_data(data[index], event.line)
                    decided[index] = self._decide(key, event)
        mapping = self.mapping
        for event, period, (passes, dimensions, why) in zip(events, periods, decided, strict=True):
            event.period, event.passes, event.dimensions = period, passes, dimensions
            event.reason = why
            if why is None:
                subject = event.subject
                customer = event.customer = subject if mapping is None else mapping.get(subject)
                if customer is None:
                    event.reason = "unmapped_subject"

    def _decide(self, key: tuple, event: Event) -> Decided:
        """Derives `event` (with its exact data) and remembers what follows from `key`."""
        self.derive(event)
        event.data = None
        why = None if event.reason == "unmapped_subject" else event.reason
        decided = self._decided[key] = (event.passes, event.dimensions, why)
        return decided

    def _reader(self, kind: type) -> Callable[[Any], Any] | None:
        """Reads the values of the fields the meter reads from data of type `kind`
        (`_NOTHING`: it reads none); None when one may be a float, so inexact."""
        if kind not in self._readers:
            fields = [
                f
                for f in msgspec.inspect.type_info(kind).fields
                if f.encode_name in self.plan.reads
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
_TIME = attrgetter("time")
