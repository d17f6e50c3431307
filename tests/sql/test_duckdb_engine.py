"""The DuckDB engine (`govern aggregate --engine duckdb`, the default): from JSONL or
Parquet files, the same rows, counts and exceptions as the reference engine."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern import Catalog
from govern.cli import main
from govern.engines import DEFAULT_ENGINE, engine
from govern.engines.duckdb_engine import aggregate as duckdb_aggregate
from govern.engines.loading import raw_rows
from govern.errors import InputError
from govern.events.reader import read_lines
from govern.reference import aggregate as reference_aggregate
from govern.sql import raw_events_ddl
from govern.sql.compiler import CompileOptions, compile_meter
from tests.reference.builders import event, lines, make_catalog, meter_version
from tests.sql.engines import jsonl
from tests.sql.strategies import as_of_times, catalogs, customer_mappings, streams

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(ROOT)


def counted(counts) -> dict:
    return {
        "read": counts.read,
        "counted": counts.counted,
        "excluded": dict(sorted((+counts.excluded).items())),
        "ignored": dict(sorted((+counts.ignored).items())),
    }


def outcome(result) -> tuple[str, dict, list]:
    return (
        jsonl(result.rows),
        counted(result.counts),
        [record.to_dict() for record in result.exceptions],
    )


BROKEN = [
    b"{not json",
    b"[1, 2]",
    b"   ",
    b"",
    b'"a string"',
    b'{"specversion":"1.0","id":"x1","source":"a","subject":"acme","time":"2026-10-01T00:00:00Z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x2","source":"a","type":"other","subject":"acme","time":"2026-10-01T00:00:00Z","data":{}}',
    b'{"specversion":"1.0","id":7,"source":"a","type":"usage","subject":"acme","time":"2026-10-01T00:00:00Z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x4","source":"a","type":"usage","subject":"acme","time":"2026-10-01 00:00:00","data":{"n":1,"k":1}}',  # noqa: E501
    b'{"specversion":"1.0","id":"x5","source":"a","type":"usage","subject":"acme","time":"2026-10-01T00:00:00Z","recordedtime":null,"data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x6","source":"a","type":"usage","subject":"acme","time":"2026-10-01T00:00:00Z","data":"n=1"}',
    b'{"specversion":"0.3","id":"x7","source":"a","type":"usage","subject":"acme","time":"2026-10-01T00:00:00Z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x8","source":"a","type":"usage","subject":"","time":"2026-10-01T00:00:00Z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x9","source":"a","type":"usage","subject":"acme","time":"2026-02-30T00:00:00Z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x10","source":"a","type":"usage","subject":"acme","time":"2026-12-01T00:00:00Z","recordedtime":"2027-01-01t00:00:00.123456789z","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x11","source":"a","type":"usage","subject":"acme","time":"2026-10-01T00:00:00Z","voids":"","data":{"n":1,"k":1}}',
    b'{"specversion":"1.0","id":"x12","source":"a","type":null,"subject":"acme","time":"2026-10-01T00:00:00Z"}',
    b'{"specversion":"1.0","id":"x13","source":"a","type":"usage","subject":"acme","time":"9100-01-01T00:00:00Z","recordedtime":"2026-10-01T00:00:00Z","data":{"n":1,"k":1}}',
]


@st.composite
def files(draw: st.DrawFn) -> list[bytes]:
    """Generated event lines, with unreadable and broken-envelope lines among them."""
    lines = [line.text for line in draw(streams())]
    for broken in draw(st.lists(st.sampled_from(BROKEN), max_size=4)):
        lines.insert(draw(st.integers(0, len(lines))), broken)
    return lines


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(catalogs(), files(), as_of_times(), customer_mappings())
def test_duckdb_engine_matches_the_reference(
    tmp_path_factory, catalog, lines: list[bytes], as_of: datetime | None, customers
) -> None:
    path = tmp_path_factory.mktemp("events") / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = reference_aggregate(catalog, "m", [path], as_of=as_of, customers=customers)
    found = duckdb_aggregate(catalog, "m", [path], as_of=as_of, customers=customers)
    assert outcome(found) == outcome(expected)


@pytest.mark.parametrize("as_of", [None, "2026-09-30T00:00:00Z"])
def test_a_null_recordedtime_is_absent_for_the_as_of_cut(tmp_path: Path, as_of) -> None:
    """Recorded after the as-of time by its `time`, whatever else is wrong with it."""
    path = tmp_path / "events.jsonl"
    path.write_bytes(BROKEN[9] + b"\n")  # x5: "recordedtime": null, time 2026-10-01
    catalog = make_catalog(meter_version())
    expected = reference_aggregate(catalog, "m", [path], as_of=as_of)
    assert outcome(duckdb_aggregate(catalog, "m", [path], as_of=as_of)) == outcome(expected)


def write_raw_events(ddl: str, rows: list[tuple], target: Path) -> None:
    """`rows` of the raw events table created by `ddl`, written to Parquet at `target`."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(ddl)
    if rows:
        connection.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.execute(f"COPY raw_events TO '{target}' (FORMAT parquet)")
    connection.close()


def write_parquet(lines, contract, target: Path) -> None:
    rows = [row.astuple() for row in raw_rows(lines, contract)]
    write_raw_events(raw_events_ddl("duckdb"), rows, target)


def unlocated(exceptions) -> list[dict]:
    """The exceptions without where their events are: a JSONL file and line, or a Parquet
    file and row (a conflicting copy's reason names the counted copy's)."""
    found = []
    for record in exceptions:
        entry = record.to_dict()
        entry.pop("file", None)
        entry.pop("line", None)
        if entry["kind"] == "conflicting_duplicate":
            entry["winner"] = entry["winner"]["seq"]
            entry["reasons"] = entry["differences"]
        found.append(entry)
    return found


@pytest.mark.parametrize("meter", list(CATALOG.meters))
def test_parquet_input_gives_the_reference_rows(tmp_path: Path, meter: str) -> None:
    contract = CATALOG.meter(meter).versions[0].contract_name
    source = ROOT / "contracts" / contract / "samples" / "events.jsonl"
    target = tmp_path / "events.parquet"
    write_parquet(read_lines([source]), CATALOG.contract(contract), target)
    expected = reference_aggregate(CATALOG, meter, [source])
    found = duckdb_aggregate(CATALOG, meter, [target])
    assert jsonl(found.rows) == jsonl(expected.rows)
    assert counted(found.counts) == counted(expected.counts)
    assert unlocated(found.exceptions) == unlocated(expected.exceptions)


REMAPPED = {
    "id": "messageId",
    "time": "meta.sent_at",
    "recordedtime": "meta.received_at",
    "data": "properties",
}


def remapped(body: dict) -> dict:
    """A CloudEvent of `builders.event` moved to the REMAPPED envelope."""
    moved = {REMAPPED.get(role, role): value for role, value in body.items()}
    meta = {path.split(".")[1]: moved.pop(path) for path in list(moved) if "." in path}
    return {**moved, "meta": meta}


def test_parquet_exceptions_are_the_references_and_point_at_rows(tmp_path: Path) -> None:
    """Each kind of exception from Parquet rows of a contract with a remapped envelope: the
    reference's on the JSONL lines, located by file and row instead of line."""
    catalog = make_catalog(meter_version(group_by=["region"]), envelope=REMAPPED)
    bodies = [
        event("a", "2026-10-01T00:00:00Z", region="eu"),
        event("a", "2026-10-01T00:00:00Z", "2026-10-01T00:00:05Z", region="eu"),  # retry
        event("a", "2026-10-01T00:00:00Z", "2026-10-01T00:00:09Z", region="us"),  # conflict
        event("b", "2026-10-02T00:00:00Z", n="many"),  # invalid
        event("v", "2026-10-03T00:00:00Z", voids="nothing"),  # unknown target
        event("c", "2026-10-04T00:00:00Z", subject="stranger", region="eu"),  # unmapped
    ]
    source = lines(*map(remapped, bodies))
    target = tmp_path / "events.parquet"
    write_parquet(source, catalog.contract("usage"), target)
    customers = {"acme": "Acme"}
    expected = reference_aggregate(catalog, "m", source, customers=customers)
    found = duckdb_aggregate(catalog, "m", [target], customers=customers)
    assert jsonl(found.rows) == jsonl(expected.rows)
    assert counted(found.counts) == counted(expected.counts)
    assert unlocated(found.exceptions) == unlocated(expected.exceptions)
    kinds = {record.kind for record in found.exceptions}
    assert kinds == {
        "conflicting_duplicate",
        "invalid_event",
        "unknown_void_target",
        "unmapped_subject",
    }
    located = [record.to_dict() for record in found.exceptions if record.line is not None]
    assert [(record["file"], record["line"]) for record in located] == [
        (str(target), seq + 1) for seq in (2, 3, 4)
    ]


def test_rows_only_when_asked(tmp_path: Path) -> None:
    source = ROOT / "contracts" / "api_request" / "samples" / "events.jsonl"
    found = duckdb_aggregate(CATALOG, "api_calls", [source], accounting=False)
    assert jsonl(found.rows) == jsonl(reference_aggregate(CATALOG, "api_calls", [source]).rows)
    assert found.counts.read == 21 and not found.exceptions


def test_the_sql_horizon_is_the_references() -> None:
    from govern.reference.periods import HORIZON
    from govern.sql.validation import HORIZON as SQL_HORIZON

    assert SQL_HORIZON == HORIZON


def test_duckdb_is_the_default_engine() -> None:
    assert DEFAULT_ENGINE == "duckdb"
    assert engine("duckdb") is duckdb_aggregate
    assert engine("reference") is reference_aggregate
    help_text = " ".join(CliRunner().invoke(main, ["aggregate", "--help"]).output.split())
    assert "[default: duckdb]" in help_text


def invoke(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)], input=stdin)


OPTIONS: list[list[str]] = [[], ["--as-of", "2026-11-02T00:00:00Z"], ["--format", "csv"]]


@pytest.mark.parametrize("options", OPTIONS, ids=["plain", "as-of", "csv"])
@pytest.mark.parametrize("meter", list(CATALOG.meters))
def test_cli_output_is_byte_identical(meter: str, options: list[str]) -> None:
    contract = CATALOG.meter(meter).versions[0].contract_name
    source = str(ROOT / "contracts" / contract / "samples" / "events.jsonl")
    reference = invoke("aggregate", "--meter", meter, source, "--engine", "reference", *options)
    duckdb = invoke("aggregate", "--meter", meter, source, *options)
    assert duckdb.stdout_bytes == reference.stdout_bytes
    assert duckdb.stderr == reference.stderr
    assert duckdb.exit_code == reference.exit_code


def test_cli_reads_stdin_and_several_files(tmp_path: Path) -> None:
    source = ROOT / "contracts" / "api_request" / "samples" / "events.jsonl"
    lines = source.read_bytes().splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_bytes(b"".join(lines[:10]))
    rest = b"".join(lines[10:])
    args = ["aggregate", "--meter", "api_calls", str(first), "-"]
    reference = invoke(*args, "--engine", "reference", stdin=rest)
    duckdb = invoke(*args, stdin=rest)
    assert duckdb.stdout_bytes == reference.stdout_bytes
    assert duckdb.stderr == reference.stderr


def test_unknown_meter_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    source = str(ROOT / "contracts" / "api_request" / "samples" / "events.jsonl")
    assert invoke("aggregate", "--meter", "nope", source).exit_code == 2
    assert invoke("aggregate", "--meter", "api_calls", str(tmp_path / "none.jsonl")).exit_code == 2


@pytest.mark.parametrize("name", ["reference", "duckdb", "compile"])
def test_a_meter_whose_versions_read_different_contracts_is_refused(name: str) -> None:
    catalog = make_catalog(
        meter_version(),
        meter_version(version=2, effective_from="2026-11-01", contract="other"),
    )
    with pytest.raises(InputError, match=r"meter m reads several event types \(other, usage\)"):
        if name == "compile":
            compile_meter(catalog, catalog.meter("m"), "duckdb", CompileOptions())
        else:
            engine(name)(catalog, "m", [])
