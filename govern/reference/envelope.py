"""From a decoded raw event to a normalized `Event`, reading roles where the contract says.

A contract's `envelope` names the (dotted) path of each role; CloudEvents by default. The
reader checks only what aggregation cannot do without (identifiers, parseable times, a
`data` object); the contract itself is checked by validation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from govern.catalog.model import ENVELOPE_ROLES, Contract
from govern.events.reader import RawLine
from govern.timestamps import parse_rfc3339

_ROLE_ATTRIBUTES = {"recordedtime": "recorded"}
"""Envelope roles whose `Event` attribute has another name."""


class EnvelopeError(Exception):
    """An event aggregation cannot read; `recorded` is its parsed recording time, if any."""

    def __init__(self, reasons: list[str], recorded: datetime | None):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.recorded = recorded


class Event:
    """One usage event or void, normalized; the engine fills in what it derives."""

    __slots__ = (
        "customer",
        "data",
        "dimensions",
        "id",
        "key",
        "line",
        "passes",
        "period",
        "reason",
        "recorded",
        "seq",
        "source",
        "subject",
        "time",
        "type",
        "value",
        "voided_by",
        "voids",
    )

    def __init__(
        self,
        line: RawLine,
        source: str,
        id: str,
        type: str,
        subject: str,
        time: datetime,
        recorded: datetime,
        voids: str | None,
        data: dict | None,
    ):
        self.line, self.seq = line, line.seq
        self.source, self.id, self.type, self.subject = source, id, type, subject
        self.time, self.recorded, self.voids, self.data = time, recorded, voids, data
        self.key: tuple = (source, id)
        self.voided_by: Event | None = None
        self.period: Any = None
        self.customer: str | None = None
        self.dimensions: tuple = ()
        self.value: Any = None
        self.passes: bool | None = None
        self.reason: str | None = None

    def alive(self, moment: datetime) -> bool:
        """Whether the event is recorded, and not yet voided, at `moment`."""
        void = self.voided_by
        return self.recorded <= moment and (void is None or moment < void.recorded)


def _path(dotted: str) -> Callable[[Any], Any]:
    """A reader of the value at `dotted` (`a.b.c`) in nested objects; None when absent."""
    head, *rest = dotted.split(".")
    if not rest:
        return lambda obj: obj.get(head)

    def dig(obj: Any) -> Any:
        obj = obj.get(head)
        for key in rest:
            if not isinstance(obj, dict):
                return None
            obj = obj.get(key)
        return obj

    return dig


def parse_instant(text: Any) -> datetime:
    """An RFC 3339 timestamp as an aware UTC datetime; ValueError if `text` is not one.

    `YYYY-MM-DDTHH:MM:SSZ`, the common case, skips the general parser.
    """
    if (
        text.__class__ is str
        and len(text) == 20
        and text[19] == "Z"
        and text[10] == "T"
        and text[4] == text[7] == "-"
        and text[13] == text[16] == ":"
    ):
        return datetime.fromisoformat(text)
    return parse_rfc3339(text)


def field_reader(name: str, contract: Contract) -> Callable[[Event], Any]:
    """A reader of the data field or envelope attribute `name` (data wins), as a filter,
    group_by or value sees it; None when the event does not have it."""
    if name in contract.fields or name not in ENVELOPE_ROLES:
        return lambda event: event.data.get(name) if event.data is not None else None
    attribute = _ROLE_ATTRIBUTES.get(name, name)
    return lambda event: getattr(event, attribute)


class EnvelopeReader:
    """Reads the envelope of events of one contract."""

    def __init__(self, contract: Contract):
        envelope = contract.envelope
        self._roles = {role: _path(getattr(envelope, role)) for role in type(envelope).model_fields}
        self._recorded_path = envelope.recordedtime.split(".")
        self.type_of = self._roles["type"]
        self._key = [field_reader(name, contract) for name in contract.dedup_key]
        self._default_key = contract.dedup_key == ["source", "id"]

    def peek(self, obj: dict, role: str) -> Any:
        """The raw value of envelope `role` in `obj` (None when absent), unchecked."""
        return self._roles[role](obj)

    def strip(self, obj: dict) -> dict:
        """`obj` without its recorded time: what copies of one event must agree on."""
        return _without(obj, self._recorded_path)

    def read(self, obj: dict, line: RawLine) -> Event:
        """The normalized event, or EnvelopeError with every reason it cannot be read."""
        roles, reasons = self._roles, []
        time = _timestamp("time", roles["time"](obj), reasons)
        recorded_text = roles["recordedtime"](obj)
        recorded = (
            time if recorded_text is None else _timestamp("recordedtime", recorded_text, reasons)
        )
        source, id, type, subject = (
            _text(role, roles[role](obj), reasons) for role in ("source", "id", "type", "subject")
        )
        voids = roles["voids"](obj)
        if voids is not None and (voids.__class__ is not str or not voids):
            reasons.append("voids: must be a non-empty string")
        data = roles["data"](obj)
        if data is not None and data.__class__ is not dict:
            reasons.append("data: must be an object")
        elif data is None and voids is None:
            reasons.append("data: missing (only a void may omit it)")
        if reasons:
            raise EnvelopeError(reasons, recorded)
        event = Event(line, source, id, type, subject, time, recorded, voids, data)
        if voids is None and not self._default_key:
            event.key = tuple(part(event) for part in self._key)
        return event


def _without(obj: dict, keys: list[str]) -> dict:
    """A copy of `obj` without the value at the path `keys` (copying only that path)."""
    head, *rest = keys
    if head not in obj:
        return obj
    copy = dict(obj)
    if not rest:
        del copy[head]
    elif isinstance(copy[head], dict):
        copy[head] = _without(copy[head], rest)
    return copy


def _timestamp(role: str, value: Any, reasons: list[str]) -> datetime | None:
    if value is None:
        reasons.append(f"{role}: missing")
        return None
    try:
        return parse_instant(value)
    except ValueError:
        reasons.append(f"{role}: not an RFC 3339 timestamp: {value!r}")
        return None


def _text(role: str, value: Any, reasons: list[str]) -> str:
    if value.__class__ is not str or not value:
        reasons.append(f"{role}: {'missing' if value is None else 'must be a non-empty string'}")
    return value
