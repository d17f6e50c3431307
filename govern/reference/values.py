"""The value field of certified events, read exactly: from their typed data, which holds
a non-integer number as a float, so that one is read from the event's line, as
`decode_event` reads it (an exact `Decimal`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import compress, count, repeat
from operator import attrgetter, is_
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from govern.events.reader import RawLine
from govern.validation.accelerator import data_fields


class ValueReader:
    """Reads value fields of certified events."""

    def __init__(self) -> None:
        self._getters: dict[tuple[type, str], Callable[[Any], Any] | None] = {}
        self._decoders: dict[str, msgspec.json.Decoder] = {}

    def read(self, name: str, kind: type, data: Sequence[Any], lines: Sequence[RawLine]) -> list:
        """Field `name` of each event's typed `data` (all of type `kind`), None where it is
        missing, as `derive` reads it from the event's exact data."""
        key = (kind, name)
        if key not in self._getters:
            attribute = data_fields(kind).get(name)
            self._getters[key] = attrgetter(attribute) if attribute else None
        get = self._getters[key]
        if get is None:
            return [None] * len(data)
        values = list(map(get, data))
        kinds = set(map(type, values))
        if UnsetType in kinds:
            values = [None if value is UNSET else value for value in values]
        if float in kinds:
            decode = self._decoder(name).decode
            for index in compress(count(), map(is_, map(type, values), repeat(float))):
                values[index] = decode(lines[index].text).data.value
        return values

    def _decoder(self, name: str) -> msgspec.json.Decoder:
        """Decodes field `name` of an event's `data` alone, as `decode_event` does."""
        if name not in self._decoders:
            value = msgspec.defstruct("Value", [("value", Any, None)], rename={"value": name})
            event = msgspec.defstruct("Event", [("data", value)])
            self._decoders[name] = msgspec.json.Decoder(event, float_hook=Decimal)
        return self._decoders[name]
