"""Events that validation certified, read from their typed decode: the common case, fast.

`Validity.certified` decodes most valid events with a typed decoder, and what it decodes
holds the envelope, so the line need not be decoded again. Only the data fields the meter
reads are kept; the typed decode holds non-integer numbers as floats, so an event whose
read fields include one takes its data from `decode_event`, exact. An event this path
does not read (a time `parse_instant` refuses, an instant past the horizon) is left to
the general path, which decides it as it decides every other event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from sys import intern
from typing import Any

from msgspec import UNSET

from govern.events.reader import RawLine, decode_event
from govern.reference.envelope import EnvelopeReader, Event, parse_instant
from govern.reference.periods import HORIZON
from govern.validation.accelerator import data_fields


class CertifiedReader:
    """Reads the events of contract `contract` that `certified` (`Validity.certified`)
    decodes; only their data fields `names` matter."""

    def __init__(
        self,
        reader: EnvelopeReader,
        contract: str,
        names: Iterable[str],
        certified: Callable[[bytes], Any],
    ):
        self._reader, self._contract = reader, intern(contract)
        self._names = frozenset(names)
        self._certified = certified
        self._quoted = f'"{contract}"'.encode()
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}

    def read(self, line: RawLine) -> Event | None:
        """The normalized event, or None when the general path must decide.

        A line without the contract's name in quotes is of another type (or spells it with
        escapes): it is not worth a try."""
        if self._quoted not in line.text:
            return None
        certified = self._certified(line.text)
        if certified is None:
            return None
        try:
            time = _instant(certified.time)
            recorded = certified.recordedtime
            recorded = time if recorded is UNSET else _instant(recorded)
        except ValueError:
            return None
        if time >= HORIZON or recorded >= HORIZON:
            return None
        voids = certified.voids
        if voids is UNSET:
            voids, data = None, self._data(certified.data, line)
        else:
            data = None  # a void derives nothing from its data
        return self._reader.event(
            line,
            certified.source,
            certified.id,
            self._contract,
            certified.subject,
            time,
            recorded,
            voids,
            data,
        )

    def _data(self, data: Any, line: RawLine) -> dict:
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


def _instant(text: str) -> datetime:
    """`parse_instant` of a timestamp validation found valid (`TIMESTAMP_PATTERN`): one
    with `T` and `Z` has the common shape, which `parse_instant` would check again."""
    if text[-1] == "Z" and text[10] == "T":
        return datetime.fromisoformat(text)
    return parse_instant(text)
