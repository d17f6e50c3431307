"""What changed between versions, in words: one case per aspect of a meter or contract."""

from __future__ import annotations

import pytest

from govern.catalog.model import Contract, MeterVersion
from govern.docs.changes import contract_version_changes, meter_version_changes

BASE = {
    "version": 1,
    "effective_from": "2026-01-01",
    "contract": "api_request",
    "filter": "status < 500",
    "aggregation": "count",
    "group_by": ["region"],
    "period": {"every": "month", "timezone": "UTC"},
    "late": {"grace": "P3D"},
    "precision": {"scale": 0, "rounding": "half_up"},
}


def _version(**changes) -> MeterVersion:
    return MeterVersion.model_validate({**BASE, **changes})


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"contract": "api_request@2"}, "Reads `api_request@2` instead of `api_request`."),
        (
            {"filter": None},
            "The filter changed from `status < 500` (status is below 500) to no filter "
            "(every event counts).",
        ),
        (
            {"aggregation": "sum", "value": "duration_ms"},
            "The quantity changed from the count to the sum of `duration_ms`.",
        ),
        ({"group_by": ["region", "model"]}, "Usage is now also split by `model`."),
        ({"group_by": []}, "Usage is no longer split by `region`."),
        (
            {"period": {"every": "day", "timezone": "Europe/Berlin"}},
            "Usage is now billed daily in Europe/Berlin instead of monthly in UTC.",
        ),
        (
            {"late": {"grace": "PT36H"}},
            "The late-arrival window (grace) changed from 3 days to 1 day 12 hours.",
        ),
        (
            {"precision": {"scale": 2, "rounding": "half_even"}},
            "Quantities are now rounded to 2 decimal places, rounding half even instead of "
            "0 decimal places, rounding half up.",
        ),
    ],
)
def test_each_meter_change_is_one_sentence(changes: dict, sentence: str) -> None:
    assert meter_version_changes(_version(), _version(version=2, **changes)) == [sentence]


def test_descriptions_and_status_are_not_billing_changes() -> None:
    new = _version(version=2, status="released", description="Reworded.")
    assert meter_version_changes(_version(), new) == []


def test_grace_is_compared_as_a_duration() -> None:
    assert meter_version_changes(_version(), _version(late={"grace": "PT72H"})) == []


def _contract(**fields) -> Contract:
    return Contract.model_validate(
        {"contract": "click", "version": 1, "fields": {"button": {"type": "string"}, **fields}}
    )


def test_contract_changes_in_words() -> None:
    old = _contract(kind={"type": "string", "enum": ["a", "b"]}, size={"type": "integer"})
    new = Contract.model_validate(
        {
            "contract": "click",
            "version": 2,
            "compatibility": "full",
            "fields": {
                "button": {"type": "string", "required": True, "pii": True},
                "kind": {"type": "string", "enum": ["a"]},
                "amount": {"type": "number", "required": True},
            },
        }
    )
    assert contract_version_changes(old, new) == [
        "Added required field `amount` (number).",
        "Removed field `size`.",
        "`button` is now required.",
        "`button` is now marked as PII.",
        "`kind`: enum changed from `a`, `b` to `a`.",
        "Compatibility mode changed from backward to full.",
    ]


def test_identical_contract_versions_have_no_difference() -> None:
    assert contract_version_changes(_contract(), _contract()) == []
