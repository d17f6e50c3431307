"""The in-process validator gives the compiled JSON Schema's verdicts, and the fast path
gives the exact path's, on generated valid and invalid events."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from event_strategies import events, to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.catalog.catalog import Catalog
from govern.compile.artifacts import render_json
from govern.compile.jsonschema import contract_to_jsonschema
from govern.events.reader import decode_event
from govern.validation import EventValidator, ValidatorSet
from tests.contract_samples import ROOT, contract_from

SYNTHETIC = contract_from(
    """
contract: synthetic
version: 1
clock_skew: PT0S
fields:
  amount:  {type: number, minimum: 0.5, maximum: 2.5, required: true}
  count:   {type: integer, minimum: 0.5, enum: [1, 2, 300]}
  flag:    {type: boolean, enum: [true]}
  code:    {type: string, pattern: "^[A-Z]{2}-[0-9]+$", max_length: 6, min_length: 4}
  at:      {type: timestamp}
"""
)

_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer",
    lambda checker, value: (
        not isinstance(value, bool)
        and (
            isinstance(value, int)
            or (isinstance(value, Decimal) and value.is_finite() and value == int(value))
            or (isinstance(value, float) and value.is_integer())
        )
    ),
)
Reference = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_TYPES)
"""The `jsonschema` library on exact numbers: JSON Schema's integer is any number with no
fraction, so an integral Decimal is one (the library only knows int and float)."""


def reference(contract) -> jsonschema.Validator:
    schema = json.loads(render_json(contract_to_jsonschema(contract)), parse_float=Decimal)
    return Reference(schema)


def cases(catalog: Catalog):
    contracts = [*catalog.all_contracts(), SYNTHETIC]
    names = [*catalog.contracts, "synthetic", "unknown_type"]
    return st.sampled_from(contracts).flatmap(
        lambda contract: st.tuples(st.just(contract), events(contract, names))
    )


_BUNDLED = Catalog.load(ROOT)
_REFERENCES = {c.ref: reference(c) for c in [*_BUNDLED.all_contracts(), SYNTHETIC]}
_VALIDATORS = {c.ref: EventValidator(c) for c in [*_BUNDLED.all_contracts(), SYNTHETIC]}
_SETS = {
    "synthetic": ValidatorSet(Catalog(contracts={"synthetic": {1: SYNTHETIC}}, meters={})),
    **dict.fromkeys(_BUNDLED.contracts, ValidatorSet(_BUNDLED)),
}
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases(_BUNDLED))
def test_schema_verdicts_equal_the_compiled_schema(case):
    contract, event = case
    text = to_json(event)
    expected = _REFERENCES[contract.ref].is_valid(json.loads(text, parse_float=Decimal))
    errors = _VALIDATORS[contract.ref].schema_errors(decode_event(text))
    assert (errors == []) is expected, errors


@FAST
@given(cases(_BUNDLED))
def test_the_fast_path_gives_the_exact_verdict(case):
    contract, event = case
    text = to_json(event)
    validators = _SETS[contract.contract]
    assert validators.check_json(text) == validators.check(decode_event(text))


@pytest.mark.parametrize("kept", [True, False])
def test_the_generator_makes_both_kinds(kept):
    """A guard on the strategies: both valid and invalid events come out."""
    seen = set()

    @settings(max_examples=200, deadline=None)
    @given(cases(_BUNDLED))
    def collect(case):
        contract, event = case
        seen.add(_VALIDATORS[contract.ref].is_valid(decode_event(to_json(event))))

    collect()
    assert kept in seen
