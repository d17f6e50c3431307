"""The load step in Python: raw event lines -> rows of the canonical raw events table.

Like a warehouse loader, it parses the envelope (with the contract's role paths) and
refuses events that cannot be rows of the table: malformed JSON, a missing or non-text
`id`, `source`, `type` or `subject`, a `time` or `recordedtime` that is not RFC 3339, a
`data` that is not an object. Those events are excluded by the reference too (as invalid),
so leaving them out changes no row. Everything else (the contract's schema, clock skew,
`dataschema`) is checked by the compiled SQL.

`data` is stored as JSON text with its numbers exactly as decoded (never floats).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from govern.catalog.model import Contract
from govern.events.reader import RawLine, decode_event
from govern.reference.envelope import EnvelopeError, EnvelopeReader

_encode = msgspec.json.Encoder(decimal_format="number").encode


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row of the raw events table."""

    id: str
    source: str
    type: str
    subject: str
    time: datetime
    recordedtime: datetime | None
    dataschema: str | None
    voids: str | None
    data: str | None
    seq: int

    def astuple(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.source,
            self.type,
            self.subject,
            self.time,
            self.recordedtime,
            self.dataschema,
            self.voids,
            self.data,
            self.seq,
        )


def raw_rows(lines: Iterable[RawLine], contract: Contract) -> Iterator[RawRow]:
    """The rows of `contract`'s events among `lines` (other types are not loaded)."""
    reader = EnvelopeReader(contract)
    for line in lines:
        try:
            obj = decode_event(line.text)
        except msgspec.DecodeError:
            continue
        if not isinstance(obj, dict):
            continue
        view = reader.view(obj)
        if view.get("type") != contract.contract:
            continue
        try:
            event = reader.read(view, line)
        except EnvelopeError:
            continue
        dataschema = view.get("dataschema")
        if dataschema is not None and (not isinstance(dataschema, str) or not dataschema):
            continue
        yield RawRow(
            id=event.id,
            source=event.source,
            type=event.type,
            subject=event.subject,
            time=event.time,
            recordedtime=event.recorded if view.get("recordedtime") is not None else None,
            dataschema=dataschema,
            voids=event.voids,
            data=None if event.data is None else _encode(event.data).decode(),
            seq=event.seq,
        )
