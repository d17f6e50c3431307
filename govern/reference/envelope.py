"""From a decoded raw event to a normalized `Event`, reading roles where the contract says.

A contract's `envelope` names the (dotted) path of each role; CloudEvents by default. The
reader checks only what aggregation cannot do without (identifiers, parseable times, a
`data` object); the contract itself is checked by validation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from sys import intern
from typing import Any

import msgspec

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


class Event(msgspec.Struct, eq=False, gc=False):
    """One usage event or void, normalized; the engine fills in what it derives.

    A Struct, as one is made per event: cheaper to make than a class with slots, and not
    tracked by the cyclic garbage collector (events form no cycles). Equal only to itself.
    """

    line: RawLine
    source: str
    id: str
    type: str
    subject: str
    time: datetime
    recorded: datetime
    voids: str | None
    data: dict | None
    seq: int = 0
    """The load order of `line`."""
    key: tuple = ()
    """What deduplication compares: `(source, id)` unless the contract says otherwise."""
    voided_by: Event | None = None
    period: Any = None
    customer: str | None = None
    dimensions: tuple = ()
    value: Any = None
    passes: bool | None = None
    reason: str | None = None


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

    The common shape, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, skips the general parser.
    """
    if (
        text.__class__ is str
        and text[-1:] == "Z"
        and 20 <= len(text) <= 30
        and text.isascii()
        and text[10] == "T"
        and text[4] == text[7] == "-"
        and text[13] == text[16] == ":"
        and (len(text) == 20 or (text[19] == "." and text[20:-1].isdigit()))
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
    """Reads the envelope of events of one contract.

    `view(obj)` shows each role under its CloudEvents name: `obj` itself for a CloudEvents
    contract (no copy), else a small dict read from the contract's paths.
    """

    def __init__(self, contract: Contract):
        envelope = contract.envelope
        paths = {role: getattr(envelope, role) for role in type(envelope).model_fields}
        self._cloudevents = all(path == role for role, path in paths.items())
        self.type_on_top = paths["type"] == "type"
        """Whether `type` is a top-level attribute (where `probe.other_type` looks)."""
        self._paths = {role: _path(path) for role, path in paths.items()}
        self._recorded_path = envelope.recordedtime.split(".")
        self._key = [field_reader(name, contract) for name in contract.dedup_key]
        self.default_key = contract.dedup_key == ["source", "id"]

    def view(self, obj: dict) -> dict:
        if self._cloudevents:
            return obj
        return {role: path(obj) for role, path in self._paths.items()}

    def strip(self, obj: dict) -> dict:
        """`obj` without its recorded time: what copies of one event must agree on."""
        return _without(obj, self._recorded_path)

    def read(self, view: dict, line: RawLine) -> Event:
        """The normalized event, or EnvelopeError with every reason it cannot be read."""
        get = view.get
        source, id, subject = get("source"), get("id"), get("subject")
        voids, data = get("voids"), get("data")
        time = _instant_or_none(get("time"))
        recorded_text = get("recordedtime")
        recorded = time if recorded_text is None else _instant_or_none(recorded_text)
        readable = (
            time is not None
            and recorded is not None
            and source.__class__ is str
            and source
            and id.__class__ is str
            and id
            and subject.__class__ is str
            and subject
            and (
                data.__class__ is dict
                if voids is None
                else voids.__class__ is str and voids and (data is None or data.__class__ is dict)
            )
        )
        if not readable:
            raise EnvelopeError(problems(view), recorded)
        kind = intern(get("type"))
        return self.event(line, source, id, kind, subject, time, recorded, voids, data)

    def event(
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
    ) -> Event:
        """The normalized event of an envelope known to be readable (`type` interned)."""
        source = intern(source)
        event = Event(
            line,
            source,
            id,
            type,
            intern(subject),
            time,
            recorded,
            voids,
            data,
            line.seq,
            (source, id),
        )
        if voids is None and not self.default_key:
            event.key = tuple(part(event) for part in self._key)
        return event


def _instant_or_none(text: Any) -> datetime | None:
    try:
        return parse_instant(text)
    except ValueError:
        return None


def problems(view: dict) -> list[str]:
    """Why the envelope in `view` cannot be read (what `EnvelopeReader.read` requires)."""
    found = []
    for role in ("source", "id", "type", "subject"):
        value = view.get(role)
        if value.__class__ is not str or not value:
            found.append(f"{role}: {'missing' if value is None else 'must be a non-empty string'}")
    for role in ("time", "recordedtime"):
        value = view.get(role)
        if value is None and role == "time":
            found.append("time: missing")
        elif value is not None and _instant_or_none(value) is None:
            found.append(f"{role}: not an RFC 3339 timestamp: {value!r}")
    voids, data = view.get("voids"), view.get("data")
    if voids is not None and (voids.__class__ is not str or not voids):
        found.append("voids: must be a non-empty string")
    if data is not None and data.__class__ is not dict:
        found.append("data: must be an object")
    elif data is None and voids is None:
        found.append("data: missing (only a void may omit it)")
    return found


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
