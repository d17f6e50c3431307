from __future__ import annotations

from decimal import Decimal

import pytest

from govern.catalog.catalog import Catalog
from govern.catalog.sources import CatalogSource
from govern.errors import InputError
from govern.events.reader import decode_event, read_lines
from govern.validation import ValidatorSet, Verdict
from tests.contract_samples import INVALID_SAMPLES, SAMPLES

EVENT = {
    "specversion": "1.0",
    "id": "e1",
    "source": "gateway",
    "type": "api_request",
    "subject": "acme",
    "time": "2026-10-01T00:00:00Z",
    "data": {
        "route": "/v1/chat/completions",
        "method": "POST",
        "status": 200,
        "duration_ms": Decimal("12.5"),
        "region": "us-east",
        "model": "gpt-large",
    },
}


def test_samples(catalog):
    validators = ValidatorSet(catalog)
    reasons = {}
    for raw in read_lines(SAMPLES):
        event = decode_event(raw.text)
        verdict = validators.check(event)
        assert verdict.contract is not None
        assert verdict.contract.contract == event["type"]
        if not verdict.valid:
            (found,) = verdict.problems
            reasons[event["id"]] = found.reason
    assert reasons == INVALID_SAMPLES


@pytest.mark.parametrize(
    ("dataschema", "version", "errors"),
    [
        (None, 2, []),
        ("https://schemas.example.com/api_request/v2", 2, []),
        (
            "https://schemas.example.com/api_request/v1.json",
            1,
            ['data: unknown field "model" (not in the contract)'],
        ),
        ("api_request@1", 1, ['data: unknown field "model" (not in the contract)']),
        ("urn:govern:api_request@2", 2, []),
        ("https://schemas.example.com/llm_tokens/v1", 2, []),
        ("https://schemas.example.com/events.json", 2, []),
        (
            "https://schemas.example.com/api_request/v7",
            2,
            [
                'dataschema: "https://schemas.example.com/api_request/v7" names api_request '
                "version 7, which the catalog does not have (versions: 1, 2)"
            ],
        ),
    ],
)
def test_the_version_is_the_dataschema_s_else_the_latest_released(
    catalog, dataschema, version, errors
):
    event = EVENT if dataschema is None else {**EVENT, "dataschema": dataschema}
    verdict = ValidatorSet(catalog).check(event)
    assert verdict.contract.version == version
    assert verdict.errors == errors


def test_unknown_types_are_not_judged(catalog):
    verdict = ValidatorSet(catalog).check({**EVENT, "type": "api_requests"})
    assert verdict == Verdict(None)
    assert verdict.unknown_type and not verdict.valid and verdict.errors == []


@pytest.mark.parametrize(
    ("event", "errors"),
    [
        ({k: v for k, v in EVENT.items() if k != "type"}, ["type: required field is missing"]),
        ({**EVENT, "type": 7}, ["type: 7 is a number, expected string"]),
        ([EVENT], ["event: [...] is an array, expected object"]),
        (None, ["event: null is null, expected object"]),
    ],
)
def test_events_without_a_usable_type_are_invalid(catalog, event, errors):
    verdict = ValidatorSet(catalog).check(event)
    assert verdict.contract is None
    assert verdict.errors == errors
    assert not verdict.valid and not verdict.unknown_type


def test_malformed_json_is_an_invalid_event(catalog):
    verdict = ValidatorSet(catalog).check_json(b'{"type": "api_request",')
    assert verdict.contract is None
    assert [p.reason for p in verdict.problems] == ["event: json"]
    assert verdict.errors[0].startswith("event: not valid JSON (")


def test_a_forced_contract_ignores_type_and_dataschema(catalog):
    validators = ValidatorSet(catalog, "api_request", 1)
    verdict = validators.check({**EVENT, "dataschema": "api_request@2", "type": "llm_tokens"})
    assert verdict.contract.ref == "api_request@1"
    assert verdict.errors == [
        'data: unknown field "model" (not in the contract)',
        'type: "llm_tokens" is not "api_request"',
    ]
    unpinned = ValidatorSet(catalog, "api_request")
    assert unpinned.check({**EVENT, "dataschema": "api_request@1"}).contract.ref == "api_request@1"


def test_an_unknown_forced_contract_is_an_input_error(catalog):
    with pytest.raises(InputError, match="unknown contract 'nope'"):
        ValidatorSet(catalog, "nope")
    with pytest.raises(InputError, match="has no version 9"):
        ValidatorSet(catalog, "api_request", 9)


def test_validators_are_built_once(catalog):
    validators = ValidatorSet(catalog)
    assert validators.validator("api_request") is validators.validator("api_request", 2)
    first = validators.check(EVENT)
    assert validators.check(EVENT) is first


class _Files(CatalogSource):
    label = "memory"

    def __init__(self, files: dict[str, str]):
        self._files = files

    def files(self):
        yield from sorted(self._files)

    def read(self, relative_path: str) -> bytes:
        return self._files[relative_path].encode()


def test_types_at_remapped_paths_are_found():
    catalog = Catalog.from_source(
        _Files(
            {
                "contracts/segment_call/v1.yaml": (
                    "contract: segment_call\nversion: 1\nstatus: released\n"
                    "envelope: {type: event, data: properties}\n"
                    "fields: {tokens: {type: integer, required: true}}\n"
                ),
                "contracts/api_request/v1.yaml": (
                    "contract: api_request\nversion: 1\nstatus: released\n"
                    "fields: {route: {type: string}}\n"
                ),
            }
        )
    )
    validators = ValidatorSet(catalog)
    segment = {k: v for k, v in EVENT.items() if k not in ("type", "data")}
    segment |= {"event": "segment_call", "properties": {"tokens": 2}}
    assert validators.check(segment).contract.contract == "segment_call"
    assert validators.check(segment).valid
    assert validators.check_json(b'{"event": "segment_call"}').contract.contract == "segment_call"
    assert validators.check({**segment, "event": "other"}).unknown_type
