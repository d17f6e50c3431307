"""The type probe: a line it calls another type is one the general path ignores as such,
and a run with it finds exactly what a run without it finds."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govern.events.reader import RawLine
from govern.reference import intake
from govern.reference.counts import Counts
from govern.reference.intake import Intake
from govern.reference.ledger import END_OF_TIME
from govern.reference.plan import MeterPlan
from govern.reference.probe import LONGEST, other_type
from govern.reference.validity import Validity
from tests.reference.builders import event, make_catalog, meter_version
from tests.reference.test_certified import findings
from tests.reference.test_properties import PROPERTY

CATALOG = make_catalog(meter_version(group_by=["region"]))
PLAN = MeterPlan(CATALOG, "m")
OCT = "2026-10-01T00:00:00Z"

TYPES = st.sampled_from(["usage", "other", "usag", "", None, 7, [1], {"a": "usage"}])
LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=4) | TYPES


def _body(kind: Any, extra: dict[str, Any]) -> dict[str, Any]:
    body = event("e", OCT, region="eu")
    body.update(extra)
    if kind is None:
        del body["type"]
    else:
        body["type"] = kind
    return body


EDITS = ["none", "cut", "escape", "twice", "deep", "digits", "latin1", "array", "pad"]


@st.composite
def texts(draw: st.DrawFn, edits: list[str] = EDITS) -> bytes:
    """Events of this type and others, broken, escaped, repeated keys, deep, long, not
    UTF-8."""
    extra = draw(st.dictionaries(st.sampled_from(["x", "data", "id"]), LEAVES, max_size=2))
    text = msgspec.json.encode(_body(draw(TYPES), extra))
    edit = draw(st.sampled_from(edits))
    if edit == "cut":
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif edit == "escape":
        text = text.replace(b'"usage"', b'"us\\u0061ge"')
    elif edit == "twice":
        text = text[:-1] + b',"type":"usage"}'
    elif edit == "deep":
        depth = draw(st.sampled_from([10, 400, 1100]))
        text = text[:-1] + b',"x":' + b"[" * depth + b"]" * depth + b"}"
    elif edit == "digits":
        text = text[:-1] + b',"x":' + b"9" * draw(st.sampled_from([100, 5000])) + b"}"
    elif edit == "latin1":
        text = text[:-1] + b',"x":"\xe9"}'
    elif edit == "array":
        text = b"[" + text + b"]"
    elif edit == "pad":
        text = text[:-1] + b',"x":"' + b"a" * LONGEST + b'"}'
    return text


def general_verdict(text: bytes) -> str:
    """What the general path does with `text`: ignored, rejected or read."""
    counts = Counts()
    found = Intake(PLAN, Validity(CATALOG, "usage"), END_OF_TIME, None, counts)
    if found.read(RawLine(0, "events.jsonl", 1, text)) is not None:
        return "read"
    return "ignored" if counts.ignored["other_type"] else "rejected"


@PROPERTY
@given(texts())
def test_the_probe_calls_another_type_only_what_the_general_path_ignores(text: bytes) -> None:
    if other_type(text, "usage"):
        assert general_verdict(text) == "ignored"


@PROPERTY
@given(st.lists(texts(), max_size=8))
def test_a_run_finds_the_same_with_and_without_the_probe(given_texts: list[bytes]) -> None:
    given = [RawLine(seq, "e.jsonl", seq + 1, text) for seq, text in enumerate(given_texts)]
    probed = findings(CATALOG, "m", given)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(intake, "other_type", lambda text, contract: False)
        general = findings(CATALOG, "m", given)
    assert probed == general


def test_the_probe_leaves_what_it_cannot_tell() -> None:
    assert other_type(b'{"type":"other","n":1}', "usage")
    for text in (
        b'{"type":"usage"}',
        b'{"type":"us\\u0061ge"}',
        b'{"type":"other","type":"usage"}',
        b'{"type":null}',
        b'{"n":1}',
        b'[{"type":"other"}]',
        b'{"type":"other",',
        b'{"type":"other","x":"\xe9"}',
        b'{"type":"other","x":' + b"9" * 5000 + b"}",
        b'{"type":"other","x":' + b"[" * 2000 + b"]" * 2000 + b"}",
    ):
        assert not other_type(text, "usage"), text
