"""Certifying valid events at parse speed with a typed msgspec decoder.

The decoder of a contract version accepts a subset of what its compiled JSON Schema
accepts: it is stricter wherever exactness is in doubt (an integer written as `1.0`, a
float equal to a bound, non-ASCII bytes that may not be UTF-8). So it changes speed, never
verdicts: an event it cannot certify is decided by the full check. Contracts it cannot
express (remapped envelopes, non-integer enums) are never certified.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import compress, count, repeat
from operator import attrgetter
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import jsonschema_rs
import msgspec
from msgspec import UNSET, Meta, UnsetType

from govern.catalog.model import Contract, FieldSpec
from govern.compile.jsonschema import TIMESTAMP_PATTERN, field_schema, json_number
from govern.compile.layout import event_layout
from govern.validation.clock import clock_ok, clocks_ok
from govern.validation.dataschemas import named_version
from govern.validation.verdict import Verdict

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

_is_timestamp = jsonschema_rs.validator_for({"pattern": TIMESTAMP_PATTERN}).is_valid
"""Timestamps are checked by the Rust regex engine of the full check: exact, and faster
here than a `Meta(pattern=...)`, which runs Python's `re`."""
_are_timestamps = jsonschema_rs.validator_for({"items": {"pattern": TIMESTAMP_PATTERN}}).is_valid
"""`all(map(_is_timestamp, texts))` in one call: at less than half the cost."""
_TEXT = Annotated[str, Meta(min_length=1)]
_NEVER = msgspec.defstruct("_Never", [], tag_field="type", tag="\0")
"""Keeps every decoder a tagged union, which refuses an event without `type`."""


class Unsupported(Exception):
    """A contract version the accelerator cannot express."""


@dataclass(frozen=True, slots=True)
class _Checks:
    """What the decoder of one contract version leaves to Python: the void rule, patterns
    in ECMA 262 semantics (timestamps included), and the clock."""

    verdict: Verdict
    key: tuple[str, int]
    skew: timedelta
    patterns: tuple[tuple[str, Callable[[str], bool]], ...]

    def data_passes(self, data: Any) -> bool:
        for attr, matches in self.patterns:
            value = getattr(data, attr)
            if value is not UNSET and not matches(value):
                return False
        return True


class Accelerator:
    """Certifies raw JSON events valid against one version of their contract, or says
    nothing (None): then only the full check can tell."""

    def __init__(self, catalog: Catalog, contract: str | None = None, version: int | None = None):
        self._pinned = version is not None
        self._checks: dict[type, _Checks] = {}
        self._decoders: dict[tuple[str, int], msgspec.json.Decoder] = {}
        first: list[type] = []
        for name, versions in catalog.contracts.items():
            if contract is not None and name != contract:
                continue
            chosen = catalog.contract(name, version)
            for candidate in versions.values():
                if version is not None and candidate is not chosen:
                    continue
                struct = self._add(candidate)
                if struct is not None and candidate is chosen:
                    first.append(struct)
        self._first = msgspec.json.Decoder(Union[(*first, _NEVER)])

    def _add(self, contract: Contract) -> type | None:
        try:
            struct, checks = _compile(contract)
        except (Unsupported, ValueError):
            return None
        self._checks[struct] = checks
        self._decoders[checks.key] = msgspec.json.Decoder(Union[struct, _NEVER])  # noqa: UP007
        return struct

    def certify(self, text: bytes) -> Verdict | None:
        """The valid verdict when `text` is certainly valid, else None."""
        event = self.certified(text)
        return None if event is None else self._checks[event.__class__].verdict

    def certified(self, text: bytes) -> Any:
        """`text` decoded when it is certainly valid, else None: a Struct of the contract
        version it is valid against, with its envelope attributes and `data` (a Struct
        whose fields `data_fields` names, or UNSET). Unlike `decode_event`, it holds
        non-integer numbers as floats."""
        if not text.isascii() and not _utf8(text):
            return None
        try:
            event = self._first.decode(text)
        except _DECODE_ERRORS:
            return None
        checks = self._checks.get(event.__class__)
        if checks is None:
            return None
        if event.dataschema is not UNSET and not self._pinned:
            named = named_version(event.dataschema)
            if named is not None and named != checks.key and named[0] == checks.key[0]:
                decoder = self._decoders.get(named)
                if decoder is None:
                    return None
                try:
                    event = decoder.decode(text)
                except _DECODE_ERRORS:
                    return None
                checks = self._checks[event.__class__]
        data = event.data
        if data is UNSET:
            if event.voids is UNSET:
                return None
        elif checks.patterns and not checks.data_passes(data):
            return None
        time, recorded = event.time, event.recordedtime
        if recorded is UNSET:
            recorded = None
        elif not _is_timestamp(recorded):
            return None
        if _is_timestamp(time) and clock_ok(time, recorded, checks.skew):
            return event
        return None

    def certified_all(self, texts: Sequence[bytes]) -> list[Any]:
        """`[self.certified(text) for text in texts]`, faster: one decode call for the
        batch, and each check run by builtins over all of it. An event these checks leave
        in doubt (non-ASCII bytes, no `data`, a dataschema naming another version) is
        decided by `certified` alone; every other answer is the one it would give."""
        events = self._decode_all(texts)
        kinds, failed = set(map(type, events)), set()
        if _NONE in kinds:  # lines that did not decode
            kinds.remove(_NONE)
            failed = _where(map(operator.is_not, events, repeat(None)))
        checks = self._checks.get(kinds.pop()) if len(kinds) == 1 else None
        if checks is None:
            return list(map(self.certified, texts))
        events = [_BLANK if event is None else event for event in events] if failed else events
        doubt = self._in_doubt(texts, events, checks) - failed
        times = list(map(_TIME, events))
        recorded = list(map(_RECORDED, events))
        if any(map(operator.is_, recorded, repeat(UNSET))):
            recorded = [None if text is UNSET else text for text in recorded]
        if not (_are_timestamps(times) and _are_timestamps(recorded)):
            failed |= _where(map(_is_timestamp, times)) | _where(map(_is_timestamp, recorded))
        if checks.patterns:
            failed.update(
                index
                for index, data in enumerate(map(_DATA, events))
                if data is not None and data is not UNSET and not checks.data_passes(data)
            )
        for index in failed | doubt:
            times[index], recorded[index] = _EPOCH, None
        failed |= _where(clocks_ok(times, recorded, checks.skew))
        for index in failed - doubt:
            events[index] = None
        for index in doubt:
            events[index] = self.certified(texts[index])
        return events

    def _decode_all(self, texts: Sequence[bytes]) -> list[Any]:
        """Each text decoded by the decoder of first choice; None where that fails."""
        try:
            return list(map(self._first.decode, texts))
        except _DECODE_ERRORS:
            return list(map(self._decode_or_none, texts))

    def _decode_or_none(self, text: bytes) -> Any:
        try:
            return self._first.decode(text)
        except _DECODE_ERRORS:
            return None

    def _in_doubt(self, texts: Sequence[bytes], events: list[Any], checks: _Checks) -> set[int]:
        """Where `certified` would look further than `certified_all` does."""
        doubt = set()
        if not b"".join(texts).isascii():
            doubt |= _where(map(bytes.isascii, texts))
        datas = list(map(_DATA, events))
        if UNSET in datas:
            doubt |= _where(map(operator.is_not, datas, repeat(UNSET)))
        schemas = list(map(_SCHEMA, events))
        named = set(schemas) - {UNSET}
        if named and not self._pinned:
            foreign = {schema for schema in named if _elsewhere(schema, checks.key)}
            if foreign:
                doubt |= _where(map(operator.not_, map(foreign.__contains__, schemas)))
        return doubt


def data_fields(data: type) -> dict[str, str]:
    """`{field name: attribute}` of the `data` Struct type of a certified event."""
    return {info.encode_name: info.name for info in msgspec.structs.fields(data)}


_DECODE_ERRORS = (ValueError, RecursionError)
_NONE = type(None)


def _where(flags: Iterable[Any]) -> set[int]:
    """The indices at which `flags` is false."""
    return set(compress(count(), map(operator.not_, flags)))


def _elsewhere(schema: str, key: tuple[str, int]) -> bool:
    """Whether a dataschema names another version of the contract of version `key`."""
    named = named_version(schema)
    return named is not None and named != key and named[0] == key[0]


_TIME, _RECORDED = attrgetter("time"), attrgetter("recordedtime")
_DATA, _SCHEMA = attrgetter("data"), attrgetter("dataschema")
_EPOCH = "2000-01-01T00:00:00Z"
_BLANK = SimpleNamespace(time=_EPOCH, recordedtime=UNSET, dataschema=UNSET, data=None)
"""Stands in for an event that did not decode, so that every check can look at it."""


def _utf8(text: bytes) -> bool:
    """Whether `text` is UTF-8: the typed decoder does not look inside fields it skips."""
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _compile(contract: Contract) -> tuple[type, _Checks]:
    """The Struct of one contract version's events, and what it leaves to `certify`.

    Raises `Unsupported`, or ValueError for a pattern the Rust engine refuses."""
    if not event_layout(contract).cloudevents:
        raise Unsupported(f"{contract.ref} remaps the envelope")
    fields: list[tuple] = []
    patterns = []
    rename = {}
    for index, (name, spec) in enumerate(contract.fields.items()):
        attr = f"f{index}"
        rename[attr] = name
        kind = _field_type(spec)
        fields.append((attr, kind) if spec.required else (attr, kind | UnsetType, UNSET))
        if spec.type == "string" and spec.pattern is not None and spec.enum is None:
            patterns.append((attr, jsonschema_rs.validator_for({"pattern": spec.pattern}).is_valid))
        if spec.type == "timestamp":
            patterns.append((attr, _is_timestamp))
    prefix = f"{contract.contract}_v{contract.version}"
    data = msgspec.defstruct(
        f"{prefix}_data",
        fields,
        kw_only=True,
        forbid_unknown_fields=True,
        rename=rename,
        gc=False,
    )
    envelope = msgspec.defstruct(
        prefix,
        [
            ("specversion", Literal["1.0"]),
            ("id", _TEXT),
            ("source", _TEXT),
            ("subject", _TEXT),
            ("time", str),
            ("recordedtime", str | UnsetType, UNSET),
            ("dataschema", _TEXT | UnsetType, UNSET),
            ("voids", _TEXT | UnsetType, UNSET),
            ("data", data | UnsetType, UNSET),
        ],
        kw_only=True,
        tag_field="type",
        tag=contract.contract,
        gc=False,
    )
    key = (contract.contract, contract.version)
    checks = _Checks(Verdict(contract), key, contract.clock_skew_delta, tuple(patterns))
    return envelope, checks


def _field_type(spec: FieldSpec) -> Any:
    if spec.enum is not None:
        return _literal(spec)
    if spec.type == "string":
        lengths = {"min_length": spec.min_length, "max_length": spec.max_length}
        return _annotated(str, lengths)
    low, high = spec.minimum, spec.maximum
    integers = _annotated(
        int,
        {
            "ge": math.ceil(low) if low is not None else None,
            "le": math.floor(high) if high is not None else None,
        },
    )
    if spec.type == "integer":
        return integers
    if spec.type == "number":
        return integers | _annotated(float, {"gt": _float(low), "lt": _float(high)})
    return bool if spec.type == "boolean" else str


def _literal(spec: FieldSpec) -> Any:
    """An enum as a Literal of the values that also meet the field's other rules."""
    if spec.type == "timestamp":
        raise Unsupported("an enum of timestamps")
    values = [json_number(value) for value in spec.enum or ()]
    if any(isinstance(value, Decimal) for value in values):
        raise Unsupported("an enum of fractional numbers")
    allowed = jsonschema_rs.validator_for(field_schema(spec)).is_valid
    kept = tuple(value for value in values if allowed(value))
    if not kept:
        raise Unsupported("an enum no value can meet")
    return Literal[kept]


def _float(bound: Decimal | None) -> float | None:
    """A bound for floats, compared strictly: a float equal to the bound's nearest float may
    stand for a number on either side of it, so only the full check can tell."""
    if bound is None:
        return None
    value = float(bound)
    if not math.isfinite(value):
        raise Unsupported(f"bound {bound} is beyond floats")
    return value


def _annotated(base: type, constraints: dict[str, Any]) -> Any:
    given = {key: value for key, value in constraints.items() if value is not None}
    return Annotated[base, Meta(**given)] if given else base
