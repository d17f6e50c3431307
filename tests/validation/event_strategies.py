"""Hypothesis strategies: events of a contract version, valid or broken in the ways a
producer breaks them, and the JSON text a pipeline would receive."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec
from hypothesis import strategies as st

from govern.catalog.model import Contract, FieldSpec

MISSING = object()
_FIELDS = object()
_encode = msgspec.json.Encoder(decimal_format="number").encode

CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n")
TEXT = st.text(alphabet=CHARACTERS, max_size=12)
"""No line breaks: Python's `re` (used by the `jsonschema` library) lets `$` match before a
final newline, which ECMA 262 does not; docs/validation.md lists that difference."""
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT)
_BREAKS = [
    lambda t: t.replace(t[10], " ", 1),
    lambda t: t[:-1] if t.endswith(("Z", "z")) else t[:-6],
    lambda t: t[:11] + "24" + t[13:],
    lambda t: t[:5] + "13" + t[7:],
    lambda t: t[:8] + ("30" if t[5:7] == "02" else "32") + t[10:],
    lambda t: t[:17] + "60" + t[19:],
    lambda t: t[:19] + ".1234567891" + t[19:].lstrip(".0123456789"),
    lambda t: "0000" + t[4:],
]


def to_json(event: Any) -> bytes:
    return _encode(event)


@st.composite
def timestamps(draw, valid: bool = False) -> str:
    """RFC 3339 text in its many shapes; unless `valid`, one time in three a near miss."""
    moment = draw(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31)))
    minutes = draw(st.sampled_from([0, 0, 0, 60, -300, 330, 1439]))
    local = moment.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=minutes)))
    digits = draw(st.sampled_from([0, 0, 3, 6, 9]))
    fraction = f".{local.microsecond:06d}000"[: digits + 1] if digits else ""
    offset = local.strftime("%z")
    zulu = minutes == 0 and draw(st.booleans())
    suffix = draw(st.sampled_from(["Z", "z"])) if zulu else f"{offset[:3]}:{offset[3:]}"
    separator = draw(st.sampled_from(["T", "T", "t"]))
    text = f"{local.year:04d}-{local:%m-%d}{separator}{local:%H:%M:%S}{fraction}{suffix}"
    if not valid and draw(st.integers(0, 2)) == 0:
        text = draw(st.sampled_from(_BREAKS))(text)
    return text


def _near(bound: Decimal | None) -> st.SearchStrategy:
    if bound is None:
        return st.nothing()
    step = st.sampled_from([Decimal("1E-30"), Decimal("1E-400"), Decimal(0), Decimal("0.5")])
    return st.builds(lambda d, sign: bound + sign * d, step, st.sampled_from([-1, 1]))


def field_values(spec: FieldSpec) -> st.SearchStrategy:
    """Values for one data field: mostly of its type, often at or past its limits."""
    wrong = st.one_of(JSON_SCALARS, st.just([1]), st.just({"a": 1}))
    if spec.type == "string":
        fitting = [TEXT]
        if spec.enum:
            fitting.append(st.sampled_from(spec.enum))
        if spec.pattern:
            fitting.append(
                st.from_regex(spec.pattern, fullmatch=True).filter(lambda s: "\n" not in s)
            )
    elif spec.type in ("integer", "number"):
        fitting = [
            st.integers(-1000, 1000),
            st.integers(),
            st.decimals(allow_nan=False, allow_infinity=False),
            st.sampled_from([Decimal("1E+400"), Decimal("-0.0"), Decimal("200.0"), 2**70]),
            _near(spec.minimum),
            _near(spec.maximum),
            _near(spec.minimum),
            _near(spec.maximum),
        ]
        if spec.enum:
            fitting.append(st.sampled_from(spec.enum))
    elif spec.type == "boolean":
        fitting = [st.booleans()]
    else:
        fitting = [timestamps()]
    return st.one_of(*fitting, *fitting, wrong)


def valid_values(spec: FieldSpec) -> st.SearchStrategy:
    """Values that meet every rule of the field."""
    low, high = spec.minimum, spec.maximum
    if spec.enum:
        values = [v for v in spec.enum if (low is None or v >= low) and (high is None or v <= high)]
        return st.sampled_from(values)
    if spec.type == "string":
        sizes = {"min_size": spec.min_length or 0, "max_size": spec.max_length or 12}
        if spec.pattern:
            return st.from_regex(spec.pattern, fullmatch=True).filter(
                lambda s: "\n" not in s and sizes["min_size"] <= len(s) <= sizes["max_size"]
            )
        return st.text(alphabet=CHARACTERS, **sizes)
    if spec.type == "integer":
        return st.integers(
            math.ceil(low) if low is not None else None,
            math.floor(high) if high is not None else None,
        )
    if spec.type == "number":
        return st.decimals(low, high, allow_nan=False, allow_infinity=False)
    return st.booleans() if spec.type == "boolean" else timestamps(valid=True)


@st.composite
def events(draw, contract: Contract, names: list[str]) -> dict:
    """An event claiming `contract`'s type: a clean one (valid but for the clock and the
    dataschema it may name) or one with parts broken at random."""
    if draw(st.booleans()):
        return draw(clean_events(contract, names))

    def part(valid: st.SearchStrategy, *broken: st.SearchStrategy) -> Any:
        return draw(st.one_of(valid, valid, valid, valid, *broken))

    text = st.text(CHARACTERS, min_size=1, max_size=8)
    dataschema = st.builds(
        "https://schemas.example.com/{}/v{}".format, st.sampled_from(names), st.integers(1, 3)
    )
    event: dict[str, Any] = {
        "specversion": part(st.just("1.0"), st.just("0.3"), st.just(1.0), st.just(MISSING)),
        "id": part(text, st.just(""), st.just(MISSING), st.integers()),
        "source": part(text, st.just("")),
        "type": part(st.just(contract.contract), st.sampled_from(names), st.just(MISSING)),
        "subject": part(text, st.just(MISSING), st.none()),
        "time": part(timestamps(), st.just(MISSING), st.integers()),
        "recordedtime": part(timestamps(), st.just(MISSING), st.just(MISSING)),
        "dataschema": part(st.just(MISSING), dataschema, st.just(""), st.just("urn:nothing")),
        "voids": draw(st.sampled_from([MISSING] * 6 + ["earlier-1", ""])),
        "data": part(st.just(_FIELDS), st.just(MISSING), JSON_SCALARS),
    }
    if event["data"] is _FIELDS:
        data = {}
        for name, spec in contract.fields.items():
            value = (
                part(field_values(spec), st.just(MISSING))
                if spec.required
                else draw(st.one_of(st.just(MISSING), field_values(spec)))
            )
            if value is not MISSING:
                data[name] = value
        if draw(st.integers(0, 9)) == 0:
            data[draw(st.sampled_from(["extra", "colour", *contract.fields]))] = draw(JSON_SCALARS)
        event["data"] = data
    event |= draw(st.dictionaries(st.sampled_from(["traceparent", "partitionkey"]), JSON_SCALARS))
    return {key: value for key, value in event.items() if value is not MISSING}


@st.composite
def clean_events(draw, contract: Contract, names: list[str]) -> dict:
    time = draw(timestamps(valid=True))
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": draw(st.text(CHARACTERS, min_size=1, max_size=8)),
        "source": "gateway",
        "type": contract.contract,
        "subject": draw(st.text(CHARACTERS, min_size=1, max_size=8)),
        "time": time,
    }
    event |= draw(
        st.sampled_from(
            [{}, {"recordedtime": time}, {"recordedtime": draw(timestamps(valid=True))}]
        )
    )
    event |= draw(
        st.sampled_from(
            [{}, {"dataschema": f"{contract.contract}@{contract.version}"}, {"voids": "earlier-1"}]
        )
    )
    event["data"] = {
        name: draw(valid_values(spec))
        for name, spec in contract.fields.items()
        if spec.required or draw(st.booleans())
    }
    return event
