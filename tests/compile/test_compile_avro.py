from __future__ import annotations

import io
from decimal import Decimal

import fastavro
import pytest

from govern.compile.avro import contract_to_avro
from govern.compile.avro_records import avro_record_to_event, event_to_avro_record
from govern.compile.errors import CompileError
from govern.events.reader import decode_event, read_lines
from govern.validation import ValidatorSet
from tests.contract_samples import INVALID_SAMPLES, SAMPLES, contract_from


def test_every_schema_parses(catalog):
    for contract in catalog.all_contracts():
        fastavro.parse_schema(contract_to_avro(contract))


def test_every_valid_sample_round_trips(catalog):
    validators = ValidatorSet(catalog)
    trips = 0
    for raw in read_lines(SAMPLES):
        event = decode_event(raw.text)
        verdict = validators.check(event)
        if event["id"] in INVALID_SAMPLES:
            continue
        schema = fastavro.parse_schema(contract_to_avro(verdict.contract))
        record = event_to_avro_record(event, verdict.contract)
        buffer = io.BytesIO()
        fastavro.writer(buffer, schema, [record])
        buffer.seek(0)
        (back,) = list(fastavro.reader(buffer))
        assert back == record
        assert validators.check(avro_record_to_event(back)).valid
        trips += 1
    assert trips == 52


def test_type_mapping():
    contract = contract_from(
        """
contract: kinds
version: 1
fields:
  s: {type: string, required: true}
  i: {type: integer, required: true}
  n: {type: number, required: true}
  b: {type: boolean, required: true}
  t: {type: timestamp, required: true}
  o: {type: number}
"""
    )
    (data,) = [f for f in contract_to_avro(contract)["fields"] if f["name"] == "data"]
    types = {field["name"]: field["type"] for field in data["type"][1]["fields"]}
    decimal = {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}
    assert types == {
        "s": "string",
        "i": "long",
        "n": decimal,
        "b": "boolean",
        "t": {"type": "long", "logicalType": "timestamp-micros"},
        "o": ["null", decimal],
    }


def test_record_names_do_not_carry_the_version(catalog):
    names = {contract_to_avro(c)["name"] for c in catalog.contracts["api_request"].values()}
    assert names == {"api_request"}


def test_constraints_are_documented(catalog):
    schema = contract_to_avro(catalog.contract("api_request", 2))
    data = schema["fields"][-1]["type"][1]["fields"]
    status = next(field for field in data if field["name"] == "status")
    assert status["doc"] == "HTTP status code returned. Rules: at least 100; at most 599."
    assert schema["govern"]["source"] == "contracts/api_request/v2.yaml"


def test_remapped_roles_nest_in_records():
    contract = contract_from(
        """
contract: segment_call
version: 1
envelope: {time: meta.sent_at, recordedtime: meta.received_at, data: properties}
fields:
  tokens: {type: integer, required: true}
"""
    )
    schema = contract_to_avro(contract)
    meta = next(field for field in schema["fields"] if field["name"] == "meta")
    assert meta["type"]["name"] == "segment_call_meta"
    assert [field["name"] for field in meta["type"]["fields"]] == ["sent_at", "received_at"]
    parsed = fastavro.parse_schema(schema)
    event = {
        "id": "m1",
        "source": "web",
        "type": "segment_call",
        "subject": "acme",
        "meta": {"sent_at": "2026-10-01T00:00:00Z"},
        "properties": {"tokens": 3},
    }
    record = event_to_avro_record(event, contract)
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, parsed, record)
    buffer.seek(0)
    back = fastavro.schemaless_reader(buffer, parsed)
    assert avro_record_to_event(back) == event


def test_a_field_avro_cannot_name_is_refused():
    contract = contract_from("contract: c\nversion: 1\nenvelope: {time: meta.sent-at}\n")
    with pytest.raises(CompileError, match="'sent-at' is not a valid Avro name"):
        contract_to_avro(contract)


@pytest.mark.parametrize("value", [Decimal("0.0000000001"), Decimal("1E+29")])
def test_numbers_beyond_decimal_38_9_are_refused(value):
    contract = contract_from("contract: c\nversion: 1\nfields: {n: {type: number}}\n")
    event = {"id": "1", "source": "s", "type": "c", "subject": "a", "specversion": "1.0"}
    event |= {"time": "2026-10-01T00:00:00Z", "data": {"n": value}}
    with pytest.raises(ValueError, match="does not fit decimal"):
        event_to_avro_record(event, contract)
    event["data"]["n"] = Decimal("12345678901234567890123456789.123456789")
    assert event_to_avro_record(event, contract)["data"]["n"] == event["data"]["n"]
