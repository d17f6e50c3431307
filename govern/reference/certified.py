"""Events that validation certified, read a batch at a time from their typed decode, as
columns (`Batch`): the common case, fast.

`Validity.certified_all` decodes most valid events with a typed decoder, and what it
decodes holds the envelope, so the lines need not be decoded again. The typed decode holds
non-integer numbers as floats; where the exact value matters, `exact_data` reads it from
`decode_event`. An event this path does not read (an instant past the horizon, a time
`parse_instant` refuses) is left to the general path, which decides it as it decides every
other event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import compress, repeat
from operator import attrgetter, ge, is_not, not_
from sys import intern
from typing import Any

from msgspec import UNSET

from govern.events.reader import RawLine, decode_event
from govern.reference.derive import Derived
from govern.reference.envelope import EnvelopeReader, Event, parse_instant
from govern.reference.periods import HORIZON
from govern.validation.accelerator import data_fields
from govern.validation.clock import utc_shaped

_TEXT, _SEQ = attrgetter("text"), attrgetter("seq")
_ENVELOPE = attrgetter("source", "id", "subject", "time", "recordedtime", "voids", "data")


@dataclass(frozen=True)
class Batch:
    """Read events as columns, in load order: each event's line and envelope, its typed
    `data`, and its `time` as written when that is UTC in the common shape (else None)."""

    lines: Sequence[RawLine]
    sources: Sequence[str]
    ids: Sequence[str]
    subjects: Sequence[str]
    times: Sequence[datetime]
    recorded: Sequence[datetime]
    voids: Sequence[str | None]
    data: Sequence[Any]
    shown: Sequence[str | None]

    def split(self, flags: list[bool]) -> tuple[Batch, Batch]:
        """The events where `flags` hold, and the others."""
        columns = [getattr(self, column.name) for column in fields(self)]
        others = list(map(not_, flags))
        return (
            Batch(*(list(compress(column, flags)) for column in columns)),
            Batch(*(list(compress(column, others)) for column in columns)),
        )


class CertifiedReader:
    """Reads the events of contract `contract` that `certified_all`
    (`Validity.certified_all`) decodes; only their data fields `names` matter."""

    def __init__(
        self,
        reader: EnvelopeReader,
        contract: str,
        names: Iterable[str],
        certified_all: Callable[[Sequence[bytes]], list[Any]],
    ):
        self._reader, self._contract = reader, intern(contract)
        self.default_key = reader.default_key
        self._names = frozenset(names)
        self._certified_all = certified_all
        self._quoted = f'"{contract}"'.encode()
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}

    def read_all(self, lines: list[RawLine]) -> tuple[Batch, list[RawLine]]:
        """The events read, and the lines left to the general path (each in load order).

        A line without the contract's name in quotes is of another type (or spells it with
        escapes): it is not worth a try (`bytes.find` tells, at a third of the cost of `in`,
        which accepts any buffer)."""
        left: list[RawLine] = []
        texts = list(map(_TEXT, lines))
        named = list(map(ge, map(bytes.find, texts, repeat(self._quoted)), repeat(0)))
        lines, texts = _keep(named, left, lines, texts)
        certified = self._certified_all(texts)
        lines, certified = _keep(list(map(is_not, certified, repeat(None))), left, lines, certified)
        if not certified:
            return Batch(*([[]] * 9)), sorted(left, key=_SEQ)
        sources, ids, subjects, times, recorded, voids, data = zip(
            *map(_ENVELOPE, certified), strict=True
        )
        moments, recorded_moments, shown = _instants(times, recorded)
        columns = _keep(
            list(map(is_not, moments, repeat(None))),
            left,
            lines,
            _interned(sources),
            ids,
            subjects,
            moments,
            recorded_moments,
            voids,
            data,
            shown,
        )
        left.sort(key=_SEQ)
        *columns, voids, data, shown = columns
        if voids.count(UNSET) == len(voids):
            voids = [None] * len(voids)
        else:
            voids = [None if void is UNSET else void for void in voids]
        return Batch(*columns, voids, data, shown), left

    def events(
        self, batch: Batch, derived: Derived | None = None, exact: bool = False
    ) -> list[Event]:
        """The events of `batch`: with `derived`, what it says about each (usage events of
        a contract deduplicated by source and id only, made by builtins); else as `event`
        makes them."""
        lines, sources, ids = batch.lines, batch.sources, batch.ids
        if derived is not None:
            return list(
                map(
                    Event,
                    lines,
                    sources,
                    ids,
                    repeat(self._contract),
                    batch.subjects,
                    batch.times,
                    batch.recorded,
                    repeat(None),
                    repeat(None),
                    map(_SEQ, lines),
                    zip(sources, ids, strict=True),
                    repeat(None),
                    derived.periods,
                    derived.customers,
                    derived.dimensions,
                    derived.values,
                    derived.passes,
                    derived.reasons,
                )
            )
        return [self.event(batch, index, exact) for index in range(len(lines))]

    def event(self, batch: Batch, index: int, exact: bool = False) -> Event:
        """Event `index` of `batch`; a usage event holds its exact data where `exact` asks
        or its dedup key reads data."""
        line, void = batch.lines[index], batch.voids[index]
        data = None
        if void is None and (exact or not self.default_key):
            data = self.exact_data(batch.data[index], line)
        return self._reader.event(
            line,
            batch.sources[index],
            batch.ids[index],
            self._contract,
            batch.subjects[index],
            batch.times[index],
            batch.recorded[index],
            void,
            data,
        )

    def exact_data(self, data: Any, line: RawLine) -> dict:
        """The data fields the meter reads, with exact numbers."""
        fields = self._fields.get(data.__class__)
        if fields is None:
            attributes = data_fields(data.__class__)
            fields = tuple((name, attributes[name]) for name in attributes if name in self._names)
            self._fields[data.__class__] = fields
        values = {}
        for name, attribute in fields:
            value = getattr(data, attribute)
            if value.__class__ is float:
                return decode_event(line.text)["data"]
            if value is not UNSET:
                values[name] = value
        return values


def _keep(flags: list[bool], left: list[RawLine], *columns: Sequence) -> tuple[list, ...]:
    """The columns (the first: lines) where `flags` hold; the other lines join `left`."""
    if all(flags):
        return columns
    left.extend(compress(columns[0], map(not_, flags)))
    return tuple(list(compress(column, flags)) for column in columns)


def _interned(texts: Sequence[str]) -> list[str]:
    """`texts` interned (a batch's events usually share one source: interned once)."""
    if len(set(texts)) == 1:
        return [intern(texts[0])] * len(texts)
    return list(map(intern, texts))


def _instants(
    times: Sequence[str], recorded: Sequence[Any]
) -> tuple[list[datetime | None], list[datetime | None], list[str | None]]:
    """The times and recorded times (None, None where one does not parse or is past the
    horizon), and the times as written where all are UTC in the common shape."""
    recorded = [time if text is UNSET else text for time, text in zip(times, recorded, strict=True)]
    common = utc_shaped(times) and utc_shaped(recorded)
    parse = datetime.fromisoformat if common else _instant_or_none
    moments, recorded_moments = list(map(parse, times)), list(map(parse, recorded))
    shown = list(times) if common else [None] * len(times)
    if common and max(moments) < HORIZON and max(recorded_moments) < HORIZON:
        return moments, recorded_moments, shown
    for index, (time, recorded_time) in enumerate(zip(moments, recorded_moments, strict=True)):
        if time is None or recorded_time is None or time >= HORIZON or recorded_time >= HORIZON:
            moments[index] = recorded_moments[index] = None
    return moments, recorded_moments, shown


def _instant_or_none(text: str) -> datetime | None:
    """`parse_instant` of a timestamp validation found valid (`TIMESTAMP_PATTERN`): one
    with `T` and `Z` has the common shape, which `parse_instant` would check again."""
    try:
        if text[-1] == "Z" and text[10] == "T":
            return datetime.fromisoformat(text)
        return parse_instant(text)
    except ValueError:
        return None
