"""Inputs: the customer mapping file, payload comparison, line sources."""

from __future__ import annotations

import gzip
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govern.errors import InputError
from govern.events.reader import RawLine
from govern.reference import aggregate, raw_lines
from govern.reference.customers import load_customers
from govern.reference.dedup import copy_differences, differences
from govern.reference.envelope import parse_instant
from govern.timestamps import parse_rfc3339
from tests.reference.builders import event, lines, make_catalog, meter_version


def write(tmp_path: Path, text: str, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_customer_mapping_file(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffsubject,customer\nacme, ACME-1\n\nacme-eu,ACME-1\n")
    assert load_customers(path) == {"acme": "ACME-1", "acme-eu": "ACME-1"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subject,customer\nacme,A\nacme,A\n", ":3: subject 'acme' is mapped twice"),
        ("alias,customer\nacme,A\n", ":1: the header must be 'subject,customer'"),
        ("subject,customer\nacme\n", ":2: expected 'subject,customer'"),
        ("subject,customer\nacme,A,extra\n", ":2: expected"),
        ("subject,customer\n,A\n", ":2: expected"),
        ("", "empty"),
    ],
)
def test_a_bad_mapping_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_customers(write(tmp_path, text))


def test_a_missing_mapping_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_customers(tmp_path / "nope.csv")


def test_aggregate_accepts_a_mapping_path(tmp_path: Path) -> None:
    path = write(tmp_path, "subject,customer\nacme,ACME-1\n")
    catalog = make_catalog(meter_version())
    result = aggregate(catalog, "m", lines(event("a", "2026-10-01T00:00:00Z")), customers=path)
    assert [row.customer for row in result.rows] == ["ACME-1"]


def test_differences_name_every_differing_path() -> None:
    a = {"id": "x", "data": {"n": Decimal("1.0"), "tags": [1, 2], "ok": True}}
    b = {"id": "x", "data": {"n": 1, "tags": [1, 3], "ok": 1, "new": None}}
    assert differences(a, b) == ["data.new", "data.ok", "data.tags[1]"]
    assert differences([1], [1, 2]) == ["(event)"]
    assert differences(a, a) == []


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from(["1", "a", "1.0"])
    | st.sampled_from(["1", "1.0", "1.00", "-0", "0.0", "-0.0", "1E+2", "100"]).map(Decimal),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=6,
)


@given(JSON_VALUES, JSON_VALUES)
def test_copy_differences_are_the_differences(a: object, b: object) -> None:
    assert copy_differences(a, b) == tuple(differences(a, b))
    assert copy_differences(a, a) == ()


def test_paths_are_read_in_order_and_seq_continues(tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_bytes(b'{"n": 1}\n\n{"n": 2}\n')
    second = tmp_path / "b.jsonl.gz"
    with gzip.open(second, "wb") as stream:
        stream.write(b'{"n": 3}\n')
    found = list(raw_lines([first, str(second)]))
    assert [(line.seq, Path(line.file).name, line.line) for line in found] == [
        (0, "a.jsonl", 1),
        (1, "a.jsonl", 3),
        (2, "b.jsonl.gz", 1),
    ]
    given = [RawLine(7, "x", 1, b"{}")]
    assert [line.seq for line in raw_lines([*given, first])] == [7, 8, 9]


SHAPES = st.text(alphabet="0123456789-T:.Z+ tz,W", min_size=18, max_size=32)
TIMESTAMPS = st.datetimes(timezones=st.just(UTC)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
)


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A valid timestamp (fraction cut to 0-9 digits) with one character replaced."""
    text = draw(TIMESTAMPS)
    text = text[: draw(st.sampled_from([19, 21, 23, 26]))]
    text += draw(st.sampled_from(["", "123", "000"])) + "Z"
    where = draw(st.integers(0, len(text) - 1))
    return text[:where] + draw(st.sampled_from("0-T:.Z+ tz,W\u0663")) + text[where + 1 :]


@settings(max_examples=3000, deadline=None)
@given(SHAPES | TIMESTAMPS | TIMESTAMPS.map(lambda text: text[:19] + "Z") | near_misses())
def test_the_fast_timestamp_path_agrees_with_the_rfc3339_parser(text: str) -> None:
    def outcome(parse: object) -> object:
        try:
            return parse(text)  # type: ignore[operator]
        except ValueError:
            return "invalid"

    assert outcome(parse_instant) == outcome(parse_rfc3339)


@pytest.mark.parametrize(
    ("raw", "why"),
    [(b'{"id": "\xff"}', "not UTF-8"), (b"[" * 100_000 + b"]" * 100_000, "nested too deeply")],
    ids=["not-utf8", "deep-nesting"],
)
def test_undecodable_lines_are_invalid_events_not_crashes(raw: bytes, why: str) -> None:
    import msgspec

    from govern.events.reader import decode_event

    with pytest.raises(msgspec.DecodeError, match=why):
        decode_event(raw)
    catalog = make_catalog(meter_version())
    result = aggregate(catalog, "m", [RawLine(0, "f.jsonl", 1, raw)])
    assert not result.rows
    assert [record.kind for record in result.exceptions] == ["invalid_event"]
