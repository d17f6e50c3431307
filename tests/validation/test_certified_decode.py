"""`Accelerator.certified` returns the typed decode exactly when `certify` certifies, and
the decode holds what the line says (the reference reads events from it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec import UNSET

from govern.events.reader import decode_event, read_lines
from govern.validation.accelerator import Accelerator, data_fields
from tests.contract_samples import ROOT

LINES = [
    line.text
    for line in read_lines(
        [
            *sorted(Path(ROOT).glob("contracts/*/samples/events.jsonl")),
            Path(__file__).parents[1] / "fixtures" / "validation" / "bad-lines.jsonl",
        ]
    )
]


@pytest.mark.parametrize("text", LINES)
def test_certified_is_certify_with_the_event(catalog, text: bytes) -> None:
    accelerator = Accelerator(catalog)
    certified = accelerator.certified(text)
    assert (certified is not None) is (accelerator.certify(text) is not None)
    if certified is None:
        return
    event = decode_event(text)
    for role in ("id", "source", "subject", "time", "recordedtime", "voids"):
        assert getattr(certified, role) == event.get(role, UNSET)
    if certified.data is not UNSET:
        for name, attribute in data_fields(type(certified.data)).items():
            value, exact = getattr(certified.data, attribute), event["data"].get(name, UNSET)
            if type(value) is float:  # the nearest float to the exact number
                assert value == float(exact)
            else:
                assert (value, type(value)) == (exact, type(exact))


def test_some_lines_are_certified_and_some_not(catalog) -> None:
    accelerator = Accelerator(catalog)
    verdicts = {accelerator.certified(text) is None for text in LINES}
    assert verdicts == {True, False}
