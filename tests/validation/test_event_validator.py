from __future__ import annotations

from decimal import Decimal

import pytest

from govern.compile.errors import CompileError
from govern.validation import EventValidator
from govern.validation.problems import Problem
from tests.contract_samples import contract_from

BASE = {
    "specversion": "1.0",
    "id": "e1",
    "source": "gateway",
    "type": "api_request",
    "subject": "acme",
    "time": "2026-10-01T00:00:00Z",
    "recordedtime": "2026-10-01T00:00:02Z",
    "data": {
        "route": "/v1/files",
        "method": "GET",
        "status": 200,
        "duration_ms": Decimal("1.5"),
        "region": "us-east",
    },
}
DROP = object()


def event(fields: dict | None = None, /, **envelope) -> dict:
    """BASE with some data fields and envelope attributes changed (DROP removes one)."""
    data = {k: v for k, v in {**BASE["data"], **(fields or {})}.items() if v is not DROP}
    result = {**BASE, "data": data, **envelope}
    return {k: v for k, v in result.items() if v is not DROP}


@pytest.mark.parametrize(
    ("changed", "errors"),
    [
        (event(), []),
        (event({"status": 700}), ["data.status: 700 is above the maximum 599"]),
        (event({"status": 99}), ["data.status: 99 is below the minimum 100"]),
        (
            event({"method": "PATCH"}),
            ['data.method: "PATCH" is not one of "GET", "POST", "PUT", "DELETE"'],
        ),
        (event({"status": "200"}), ['data.status: "200" is a string, expected integer']),
        (event({"status": True}), ["data.status: true is a boolean, expected integer"]),
        (event({"status": Decimal("200.0")}), []),
        (event({"status": Decimal("200.5")}), ["data.status: 200.5 is a number, expected integer"]),
        (event({"duration_ms": 12}), []),
        (event({"duration_ms": 0.25}), []),
        (event({"duration_ms": "1.5"}), ['data.duration_ms: "1.5" is a string, expected number']),
        (
            event({"duration_ms": Decimal("-1E-400")}),
            ["data.duration_ms: -1E-400 is below the minimum 0"],
        ),
        (event({"region": DROP}), ["data.region: required field is missing"]),
        (event({"colour": "red"}), ['data: unknown field "colour" (not in the contract)']),
        (event(specversion="0.3"), ['specversion: "0.3" is not "1.0"']),
        (event(id=""), ["id: must not be empty"]),
        (event(subject=DROP), ["subject: required field is missing"]),
        (
            event(time="2026-02-30T00:00:00Z"),
            [
                'time: "2026-02-30T00:00:00Z" is not an RFC 3339 timestamp with offset '
                "(e.g. 2026-10-01T00:00:00Z)"
            ],
        ),
        (
            event(recordedtime="2026-09-30T23:50:00Z"),
            [
                'time: "2026-10-01T00:00:00Z" is 600 seconds after recordedtime '
                '"2026-09-30T23:50:00Z", more than the allowed clock skew PT5M'
            ],
        ),
        (event(recordedtime="2026-09-30T23:55:00Z"), []),
        (event(recordedtime=DROP), []),
        (
            event(time="0001-01-01T00:00:00+01:00", recordedtime=DROP),
            [
                'time: "0001-01-01T00:00:00+01:00" is outside the range of instants '
                "(years 1 to 9999 in UTC)"
            ],
        ),
        (event(data=DROP), ["data: required field is missing"]),
        (event(data=DROP, voids="e0"), []),
        (event({"status": "not checked on a void"}, voids="e0"), []),
        (event(voids=5), ["voids: 5 is a number, expected string"]),
        (event(data=[1]), ["data: [...] is an array, expected object"]),
        (event(type="llm_tokens"), ['type: "llm_tokens" is not "api_request"']),
        (
            event({"status": 700, "region": DROP}, id=""),
            [
                "data.region: required field is missing",
                "data.status: 700 is above the maximum 599",
                "id: must not be empty",
            ],
        ),
    ],
)
def test_errors_name_the_path_and_the_rule(catalog, changed, errors):
    validator = catalog.validator("api_request")
    assert validator.errors(changed) == errors
    assert validator.is_valid(changed) is (not errors)


def test_schema_errors_leave_out_the_event_level_checks(catalog):
    validator = catalog.validator("api_request")
    skewed = event(recordedtime="2026-09-30T23:00:00Z")
    assert validator.schema_errors(skewed) == []
    assert [p.rule for p in validator.problems(skewed)] == ["clock_skew"]


def test_problems_carry_a_reason_without_the_value(catalog):
    (found,) = catalog.validator("api_request").problems(event({"status": 700}))
    assert found == Problem("data.status", "maximum", "data.status: 700 is above the maximum 599")
    assert found.reason == "data.status: maximum"


def test_catalog_validator_defaults_to_the_latest_released(catalog):
    assert catalog.validator("api_request").contract.version == 2
    assert catalog.validator("api_request", 1).contract.version == 1
    assert isinstance(catalog.validator("llm_tokens"), EventValidator)


def test_fractional_bounds_are_exact():
    contract = contract_from(
        """
contract: metered
version: 1
fields:
  amount: {type: number, minimum: 0.5, maximum: 2.5, required: true}
"""
    )
    validator = EventValidator(contract)
    envelope = {k: v for k, v in BASE.items() if k != "data"} | {"type": "metered"}

    def errors(value):
        return validator.errors({**envelope, "data": {"amount": value}})

    assert errors(Decimal("0.5")) == errors(Decimal("2.5")) == errors(1) == []
    assert errors(Decimal("0.49999999999999999999999")) == [
        "data.amount: 0.49999999999999999999999 is below the minimum 0.5"
    ]
    assert errors(Decimal("2.50000000000000000000001")) == [
        "data.amount: 2.50000000000000000000001 is above the maximum 2.5"
    ]
    assert errors(True) == ["data.amount: true is a boolean, expected number"]


def test_a_remapped_envelope_is_followed():
    contract = contract_from(
        """
contract: segment_call
version: 1
clock_skew: PT1M
envelope: {id: messageId, type: event, time: meta.sent_at, recordedtime: meta.received_at,
           data: properties}
fields:
  tokens: {type: integer, required: true, minimum: 0}
"""
    )
    validator = EventValidator(contract)
    good = {
        "messageId": "m1",
        "source": "web",
        "event": "segment_call",
        "subject": "acme",
        "meta": {"sent_at": "2026-10-01T00:02:00Z", "received_at": "2026-10-01T00:01:30Z"},
        "properties": {"tokens": 3},
    }
    assert validator.errors(good) == []
    late = {**good, "meta": {**good["meta"], "received_at": "2026-10-01T00:00:00Z"}}
    assert validator.errors(late) == [
        'meta.sent_at: "2026-10-01T00:02:00Z" is 120 seconds after meta.received_at '
        '"2026-10-01T00:00:00Z", more than the allowed clock skew PT1M'
    ]
    assert validator.errors({**good, "properties": {"tokens": -1}}) == [
        "properties.tokens: -1 is below the minimum 0"
    ]


def test_a_pattern_json_schema_cannot_run_is_a_compile_error():
    contract = contract_from(
        "contract: c\nversion: 1\nfields: {code: {type: string, pattern: 'a{,5}'}}\n"
    )
    with pytest.raises(CompileError, match=r"c@1: its JSON Schema cannot be used: .*a\{,5\}"):
        EventValidator(contract)


def test_values_json_cannot_hold_are_invalid_not_a_crash(catalog):
    validator = catalog.validator("api_request")
    odd = event({"route": b"/v1"})
    assert not validator.is_valid(odd)
    (message,) = validator.errors(odd)
    assert message.startswith("event: holds a value that is not JSON (")
