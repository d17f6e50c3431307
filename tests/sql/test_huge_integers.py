"""Integers longer than Python's int-string limit (4300 digits) are valid JSON (RFC 8259):
the contract judges them, and `govern validate`, both paths of the reference engine and
the DuckDB engine give each line the same verdict, reasons and balanced counts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from govern.catalog.catalog import Catalog
from govern.cli import main
from govern.engines import engine
from govern.errors import InputError
from govern.events.reader import decode_event
from govern.validation import ValidatorSet
from tests.conftest import write_files
from tests.sql.test_duckdb_engine import outcome

HUGE = "7" * 5000
"""More digits than Python converts by default, and more characters than msgspec reads."""

CONTRACT = """\
contract: usage
version: 1
status: released
fields:
  n:      {type: number, required: true}
  k:      {type: integer}
  status: {type: integer, minimum: 100, maximum: 599}
"""

METER = """\
meter: m
unit: unit
line_item: LINE
versions:
  - version: 1
    status: released
    effective_from: 2026-01-01
    contract: usage
    aggregation: sum
    value: n
    period: {every: month, timezone: UTC}
"""


def line(data: str = '"n": 1', envelope: str = "") -> bytes:
    return (
        '{"specversion": "1.0", "id": "e1", "source": "s", "type": "usage", "subject": "acme", '
        f'"time": "2026-10-01T00:00:00Z"{envelope}, "data": {{{data}}}}}'
    ).encode()


CASES = {
    # name: (line, its reasons (none: valid), whether its numbers fit the SQL's decimals)
    "skipped member": (line(envelope=f', "trace": [{HUGE}]'), [], True),
    "forbidden member": (
        line(f'"n": 1, "extra": {HUGE}'),
        ['data: unknown field "extra" (not in the contract)'],
        True,
    ),
    "unbounded integer": (line(f'"n": 1, "k": {HUGE}'), [], False),
    "bounded integer": (
        line(f'"n": 1, "status": -{HUGE}'),
        [f"data.status: -{HUGE} is below the minimum 100"],
        False,
    ),
    "number": (line(f'"n": {HUGE}'), [], False),
}
"""A number that does not fit DECIMAL(38, 18) in a field the contract declares stops the
DuckDB engine's query, whatever its length (docs/warehouse.md, "Exact decimals")."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"contracts/usage/v1.yaml": CONTRACT, "meters/m.yaml": METER}
    return write_files(tmp_path_factory.mktemp("project"), files)


def test_decoding_reads_integers_of_any_length() -> None:
    assert decode_event(line(f'"n": -{HUGE}'))["data"]["n"] == -int(HUGE)
    assert sys.get_int_max_str_digits() == 0


@pytest.mark.parametrize(
    "tail", [b', "x": NaN', b",", b', "x": "\xff"'], ids=["NaN", "trailing comma", "not UTF-8"]
)
def test_a_long_integer_does_not_excuse_malformed_json(tail: bytes) -> None:
    text = line(f'"n": {HUGE}').removesuffix(b"}}") + tail + b"}}"
    with pytest.raises(msgspec.DecodeError):
        decode_event(text)


@pytest.mark.parametrize("case", CASES)
def test_both_validation_paths_and_govern_validate_agree(project: Path, case: str) -> None:
    text, reasons, _ = CASES[case]
    validators = ValidatorSet(Catalog.load(project))
    general = validators.check(decode_event(text))
    assert general.errors == reasons
    assert validators.accelerator.certify(text) in (None, general)
    assert validators.check_json(text) == general
    path = project / f"{case}.jsonl"
    path.write_bytes(text + b"\n")
    args = ["validate", "--project", str(project), str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == (1 if reasons else 0), result.output
    assert result.stdout.splitlines() == [f"{path}:1: {reason}" for reason in reasons]
    summary = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    assert (summary["read"], summary["invalid"]) == (1, 1 if reasons else 0)


@pytest.mark.parametrize("copies", [1, 2])
@pytest.mark.parametrize("case", CASES)
def test_the_engines_agree(project: Path, case: str, copies: int) -> None:
    text, reasons, fits = CASES[case]
    catalog = Catalog.load(project)
    path = project / f"{case}-{copies}.jsonl"
    path.write_bytes(b"\n".join([text] * copies) + b"\n")
    expected = engine("reference")(catalog, "m", [path])
    counts = expected.counts
    assert counts.read == counts.counted + counts.excluded.total() + counts.ignored.total()
    quantities = [row.to_dict()["quantity"] for row in expected.rows]
    assert quantities == ([] if reasons else [str(decode_event(text)["data"]["n"])])
    if reasons:
        assert [list(record.reasons) for record in expected.exceptions] == [reasons] * copies
        assert counts.excluded == {"invalid": copies}
    else:
        assert expected.exceptions == ()
        assert (counts.counted, counts.excluded["duplicate"]) == (1, copies - 1)
    if fits:
        assert outcome(engine("duckdb")(catalog, "m", [path])) == outcome(expected)
    else:
        with pytest.raises(InputError, match=r"does not fit DECIMAL\(38, 18\)"):
            engine("duckdb")(catalog, "m", [path])
