from __future__ import annotations

import json
import re
from datetime import timedelta, timezone
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govern.compile.errors import CompileError
from govern.compile.jsonschema import TIMESTAMP_PATTERN, contract_to_jsonschema, schema_id
from govern.events.reader import decode_event, read_lines
from govern.timestamps import parse_rfc3339
from tests.contract_samples import INVALID_SAMPLES, ROOT, SAMPLES, contract_from


def artifact(contract) -> dict:
    """The schema as a producer loads the written file: JSON numbers exact."""
    from govern.compile.artifacts import render_json

    return json.loads(render_json(contract_to_jsonschema(contract)), parse_float=Decimal)


def test_every_schema_is_valid_draft_2020_12(catalog):
    for contract in catalog.all_contracts():
        jsonschema.Draft202012Validator.check_schema(contract_to_jsonschema(contract))


@pytest.mark.parametrize("formats", [False, True], ids=["annotation", "assertion"])
def test_every_sample_event_validates_whatever_the_format_setting(catalog, formats):
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER if formats else None
    checked = 0
    for raw in read_lines(SAMPLES):
        event = json.loads(raw.text, parse_float=Decimal)
        named = (event.get("dataschema") or "").rsplit("/v", 1)
        version = int(named[1]) if len(named) == 2 else None
        contract = catalog.contract(event["type"], version)
        validator = jsonschema.Draft202012Validator(artifact(contract), format_checker=checker)
        assert validator.is_valid(event) is (event["id"] not in INVALID_SAMPLES), raw.text
        checked += 1
    assert checked == 54


def test_the_schema_says_where_it_came_from(catalog):
    schema = contract_to_jsonschema(catalog.contract("api_request", 2))
    assert (
        schema["$id"] == schema_id(catalog.contract("api_request", 2)) == "urn:govern:api_request@2"
    )
    assert schema["x-govern"] == {
        "contract": "api_request",
        "version": 2,
        "status": "released",
        "compatibility": "backward",
        "source": "contracts/api_request/v2.yaml",
    }
    assert "contracts/api_request/v2.yaml" in schema["$comment"]
    assert schema["title"] == "api_request v2"


def test_data_is_closed_and_the_envelope_open(catalog):
    schema = contract_to_jsonschema(catalog.contract("api_request", 2))
    assert schema["$defs"]["data"]["additionalProperties"] is False
    assert "additionalProperties" not in schema
    validator = jsonschema.Draft202012Validator(schema)
    event = decode_event(
        (ROOT / "contracts/api_request/samples/events.jsonl").read_bytes().split(b"\n")[0]
    )
    assert validator.is_valid({**event, "traceparent": "00-abc-01"})
    assert not validator.is_valid({**event, "data": {**event["data"], "colour": "red"}})


def test_a_void_needs_only_a_valid_envelope(catalog):
    validator = jsonschema.Draft202012Validator(
        contract_to_jsonschema(catalog.contract("api_request"))
    )
    void = {
        "specversion": "1.0",
        "id": "v1",
        "source": "s",
        "type": "api_request",
        "subject": "acme",
        "time": "2026-10-01T00:00:00Z",
        "voids": "req-1",
    }
    assert validator.is_valid(void)
    assert validator.is_valid({**void, "data": {"anything": True}})
    without = {key: value for key, value in void.items() if key != "voids"}
    assert [e.message for e in validator.iter_errors(without)] == ["'data' is a required property"]


def test_numbers_are_written_exactly():
    contract = contract_from(
        """
contract: metered
version: 1
fields:
  amount: {type: number, minimum: 0.1, maximum: 1E+3, enum: [0.25, 10]}
  count:  {type: integer, minimum: 1.0}
"""
    )
    from govern.compile.artifacts import render_json

    text = render_json(contract_to_jsonschema(contract))
    assert '"minimum": 0.1,' in text
    assert '"maximum": 1000' in text
    assert '"enum": [\n            0.25,\n            10\n          ]' in text
    assert '"minimum": 1\n' in text
    omitted = contract_to_jsonschema(contract, omit_fractional_bounds=True)["$defs"]["data"]
    assert "minimum" not in omitted["properties"]["amount"]
    assert omitted["properties"]["count"]["minimum"] == 1


REMAPPED = """
contract: segment_call
version: 1
envelope: {id: messageId, type: event, subject: userId, time: meta.sent_at,
           recordedtime: meta.received_at, data: properties, voids: meta.voids}
fields:
  tokens: {type: integer, required: true}
"""


def test_remapped_roles_nest_along_their_paths():
    schema = contract_to_jsonschema(contract_from(REMAPPED))
    assert "specversion" not in schema["properties"]
    assert schema["required"] == ["messageId", "source", "event", "userId", "meta"]
    meta = schema["properties"]["meta"]
    assert meta["type"] == "object"
    assert list(meta["properties"]) == ["sent_at", "received_at", "voids"]
    assert meta["required"] == ["sent_at"]
    assert schema["if"] == {
        "required": ["meta"],
        "properties": {"meta": {"type": "object", "required": ["voids"]}},
    }
    assert schema["else"] == {
        "required": ["properties"],
        "properties": {"properties": {"$ref": "#/$defs/data"}},
    }
    validator = jsonschema.Draft202012Validator(schema)
    event = {
        "messageId": "m1",
        "source": "web",
        "event": "segment_call",
        "userId": "acme",
        "meta": {"sent_at": "2026-10-01T00:00:00Z"},
        "properties": {"tokens": 3},
    }
    assert validator.is_valid(event)
    assert not validator.is_valid({**event, "meta": {}})


@pytest.mark.parametrize(
    "envelope",
    [
        "{time: meta, recordedtime: meta.at}",
        "{time: ts, recordedtime: ts}",
        "{subject: data.customer}",
    ],
)
def test_overlapping_roles_are_refused(envelope):
    contract = contract_from(f"contract: c\nversion: 1\nenvelope: {envelope}\n")
    with pytest.raises(CompileError, match="overlap"):
        contract_to_jsonschema(contract)


# ---------------------------------------------------------------- timestamps

_PATTERN = re.compile(TIMESTAMP_PATTERN.replace("$", r"\Z"))
_FORMAT = jsonschema.Draft202012Validator.FORMAT_CHECKER


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2026-10-01T00:00:00Z", True),
        ("2026-10-01t00:00:00.123456789z", True),
        ("2024-02-29T23:59:59+14:00", True),
        ("2000-02-29T00:00:00-00:00", True),
        ("0001-01-01T00:00:00Z", True),
        ("2026-02-29T00:00:00Z", False),
        ("1900-02-29T00:00:00Z", False),
        ("2026-04-31T00:00:00Z", False),
        ("2026-13-01T00:00:00Z", False),
        ("2026-10-01T24:00:00Z", False),
        ("2026-10-01T23:59:60Z", False),
        ("2026-10-01 00:00:00Z", False),
        ("2026-10-01T00:00:00", False),
        ("2026-10-01T00:00:00.1234567891Z", False),
        ("2026-10-01T00:00:00+0100", False),
        ("0000-01-01T00:00:00Z", False),
        ("２０２６-10-01T00:00:00Z", False),
    ],
)
def test_timestamp_pattern(text, valid):
    assert bool(_PATTERN.match(text)) is valid


@given(st.datetimes(), st.integers(-1439, 1439), st.integers(0, 9))
def test_every_rfc3339_instant_matches_the_pattern(moment, minutes, digits):
    offset = moment.replace(tzinfo=timezone(timedelta(minutes=minutes))).strftime("%z")
    fraction = f".{moment.microsecond:06d}000"[: digits + 1] if digits else ""
    clock = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}"
    text = clock + fraction + f"{offset[:3]}:{offset[3:]}"
    assert _PATTERN.match(text), text


@given(st.text(alphabet="0123456789-:T.Zz+ t", min_size=18, max_size=32))
def test_the_pattern_is_as_strict_as_date_time(text):
    """Whatever the pattern accepts, the date-time format accepts and govern can parse."""
    if _PATTERN.match(text):
        assert _FORMAT.conforms(text, "date-time")
        try:
            parse_rfc3339(text)
        except OverflowError:
            assert text.startswith(("0001-01-01", "9999-12-31"))
