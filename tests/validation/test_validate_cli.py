from __future__ import annotations

import gzip
import json
from pathlib import Path

import fastavro
import pytest
from click.testing import CliRunner

from govern.catalog.catalog import Catalog
from govern.cli import main
from govern.compile.avro import contract_to_avro
from govern.compile.avro_records import event_to_avro_record
from govern.events.reader import decode_event, read_lines
from govern.validation import ValidatorSet
from govern.validation.quarantine import raw_line
from tests.contract_samples import ROOT, SAMPLES

BAD_LINES = ROOT / "tests" / "fixtures" / "validation" / "bad-lines.jsonl"


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, ["validate", "--project", str(ROOT), *args], input=stdin)


def summary(*args: str, stdin: bytes | None = None) -> dict:
    result = run("--format", "json", *args, stdin=stdin)
    data = json.loads(result.stdout)
    assert data["read"] == data["valid"] + data["invalid"] + data["unknown_type"]
    data["exit"] = result.exit_code
    return data


def test_bundled_samples():
    result = run(*SAMPLES)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{ROOT}/contracts/api_request/samples/events.jsonl:20: "
        "data.status: 700 is above the maximum 599",
        f"{ROOT}/contracts/api_request/samples/events.jsonl:21: "
        "data.region: required field is missing",
    ]
    assert result.stderr.splitlines() == [
        "read 54: 52 valid, 2 invalid, 0 of unknown type",
        "invalid by reason (an event may have several):",
        "  data.region: required  1",
        "  data.status: maximum   1",
    ]


def test_every_kind_of_bad_line(tmp_path):
    quarantine = tmp_path / "rejected.jsonl"
    data = summary(str(BAD_LINES), "--quarantine", str(quarantine))
    assert (data["read"], data["valid"], data["invalid"], data["unknown_type"]) == (36, 4, 31, 1)
    assert data["exit"] == 1
    assert data["invalid_by_reason"]["event: json"] == 7
    assert data["quarantine"] == str(quarantine)
    lines = BAD_LINES.read_bytes().split(b"\n")
    records = [json.loads(text) for text in quarantine.read_bytes().splitlines()]
    assert len(records) == 31
    for record in records:
        assert record["seq"] == record["line"] - 1
        assert record["file"] == str(BAD_LINES)
        assert raw_line(record) == lines[record["line"] - 1].rstrip(b"\r")
        assert record["reasons"]
    by_line = {record["line"]: record for record in records}
    assert "raw_base64" in by_line[4] and "raw" not in by_line[4]
    assert by_line[19]["reasons"] == ["data.status: 700 is above the maximum 599"]
    assert by_line[33]["reasons"] == [
        "data.region: required field is missing",
        "data.status: 700 is above the maximum 599",
        "id: must not be empty",
    ]
    assert {14, 34, 35, 36}.isdisjoint(by_line) and 1 not in by_line


def test_gzip_and_plain_give_the_same_counts(tmp_path):
    packed = tmp_path / "bad.jsonl.gz"
    packed.write_bytes(gzip.compress(BAD_LINES.read_bytes()))
    plain, zipped = summary(str(BAD_LINES)), summary(str(packed))
    assert {**plain, "exit": 0} == {**zipped, "exit": 0}


def test_standard_input():
    text = Path(SAMPLES[0]).read_bytes()
    assert summary(stdin=text)["read"] == summary("-", stdin=text)["read"] == 21
    assert summary(stdin=text)["invalid"] == 2


def test_seq_runs_across_files(tmp_path):
    quarantine = tmp_path / "q.jsonl"
    run(SAMPLES[1], str(BAD_LINES), "--quarantine", str(quarantine))
    first = json.loads(quarantine.read_bytes().splitlines()[0])
    offset = sum(1 for _ in read_lines([SAMPLES[1]]))
    assert (first["line"], first["seq"]) == (2, offset + 1)


def test_avro_files(tmp_path):
    catalog = Catalog.load(ROOT)
    contract = catalog.contract("api_request", 2)
    validators = ValidatorSet(catalog)
    events = [decode_event(raw.text) for raw in read_lines([SAMPLES[0]])]
    events = [e for e in events if validators.check(e).contract is contract]
    events = [e for e in events if validators.check(e).valid]
    events[3]["data"]["status"] = 700
    path = tmp_path / "events.avro"
    records = [event_to_avro_record(event, contract) for event in events]
    with path.open("wb") as stream:
        fastavro.writer(stream, fastavro.parse_schema(contract_to_avro(contract)), records)
    quarantine = tmp_path / "q.jsonl"
    data = summary(str(path), "--quarantine", str(quarantine))
    assert (data["read"], data["invalid"], data["exit"]) == (len(events), 1, 1)
    rejected = [json.loads(line) for line in quarantine.read_bytes().splitlines()]
    assert rejected[0]["line"] == 4
    assert rejected[0]["event"]["data"]["status"] == 700
    assert "raw" not in rejected[0]


def test_all_valid_exits_0(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_bytes(Path(SAMPLES[1]).read_bytes())
    result = run(str(good))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "read 6: 6 valid, 0 invalid, 0 of unknown type\n"


def test_unknown_types_do_not_fail_the_run(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"type": "page_view", "id": "1"}\n')
    data = summary(str(other))
    assert (data["unknown_type"], data["invalid"], data["exit"]) == (1, 0, 0)


def test_a_forced_contract(tmp_path):
    data = summary(SAMPLES[0], "--contract", "api_request@1")
    with_model = Path(SAMPLES[0]).read_text().count('"model"')
    assert data["invalid_by_reason"]["data: additionalProperties"] == with_model == 11
    assert (
        summary(SAMPLES[2], "--contract", "api_request")["invalid_by_reason"]["type: const"] == 10
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "File 'missing.jsonl' does not exist"),
        (["--contract", "nope", SAMPLES[0]], "govern: unknown contract 'nope'"),
        (["--contract", "api_request@9", SAMPLES[0]], "has no version 9"),
        (["--contract", "api_request@x", SAMPLES[0]], "the version must be a number"),
        ([str(BAD_LINES).replace(".jsonl", ".avro")], "does not exist"),
    ],
)
def test_input_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_file_that_is_not_avro(tmp_path):
    fake = tmp_path / "fake.avro"
    fake.write_bytes(b"not avro")
    result = run(str(fake))
    assert result.exit_code == 2
    assert "not an Avro file" in result.stderr


def test_help():
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    for option in ("--contract", "--quarantine", "--format", "--project"):
        assert option in result.output
