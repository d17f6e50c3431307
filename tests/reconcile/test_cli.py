"""`govern reconcile` end to end: every format, exit codes, events as input, help."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "reconcile"
EVENTS = sorted(str(p) for p in (REPO / "contracts").glob("*/samples/events.jsonl"))


def invoke(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


def reconcile(*extra: str | Path, invoices: str = "stripe_invoice_line_items_exceptions.csv"):
    return invoke(
        "reconcile",
        "--project",
        REPO,
        "--usage",
        FIXTURES / "usage.jsonl",
        "--invoices",
        FIXTURES / invoices,
        "--mapping",
        FIXTURES / "stripe_mapping.yaml",
        *extra,
    )


def test_text_report_lists_exceptions_then_a_summary() -> None:
    result = reconcile("--ledger", FIXTURES / "journal_exceptions.csv")
    assert result.exit_code == 1
    trace = "    trace: govern trace --meter api_calls --customer {} --period-start {} EVENTS..."
    october = "2026-10-01T00:00:00Z/2026-11-01T00:00:00Z"
    assert result.output.splitlines() == [
        f"REC003 acme API-CALLS {october}: invoice bills 1190, usage is 1204 (-14, tolerance 0)",
        trace.format("acme", "2026-10-01T00:00:00Z"),
        f"REC007 acme account 4020 {october} USD: ledger posts 1.84, invoices total 1.94 "
        "(-0.10, tolerance 0)",
        f"REC005 acme gpu-hours {october}: invoice bills line item 'gpu-hours', which no meter "
        "in the catalog feeds",
        f"REC004 globex API-CALLS {october}: invoice bills the period's usage (500) but not the "
        "7 of adjustments posted to it",
        trace.format("globex", "2026-09-01T00:00:00Z"),
        trace.format("globex", "2026-10-01T00:00:00Z"),
        f"REC008 globex account 4010 {october} USD: invoiced 5.00 on account 4010 has no "
        "journal line",
        f"REC002 hooli API-CALLS {october}: invoice bills 25 with no usage behind it",
        trace.format("hooli", "2026-10-01T00:00:00Z"),
        f"REC009 initech account 4030 {october} USD: ledger posts 2.50 to account 4030 with no "
        "invoice line",
        f"REC001 initech API-CALLS {october}: usage of 300 has no invoice line",
        trace.format("initech", "2026-10-01T00:00:00Z"),
        "8 exceptions (REC001 x1, REC002 x1, REC003 x1, REC004 x1, REC005 x1, REC007 x1, "
        "REC008 x1, REC009 x1) in 7 invoice keys and 5 ledger keys; read 10 usage rows "
        "(1 open, left out), 6 invoice lines, 4 journal lines",
    ]


def test_json_report() -> None:
    result = reconcile("--ledger", FIXTURES / "journal_exceptions.csv", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["summary"]["exceptions"] == 8
    assert document["summary"]["by_kind"]["REC003"] == 1
    first = document["exceptions"][0]
    assert {k: first[k] for k in ("kind", "name", "customer", "line_item", "usage", "invoice")} == {
        "kind": "REC003",
        "name": "quantity_variance",
        "customer": "acme",
        "line_item": "API-CALLS",
        "usage": "1204",
        "invoice": "1190",
    }
    assert first["difference"] == "-14" and first["period_start"] == "2026-10-01T00:00:00Z"
    assert first["traces"] == [
        "govern trace --meter api_calls --customer acme --period-start 2026-10-01T00:00:00Z "
        "EVENTS..."
    ]


def test_csv_report() -> None:
    result = reconcile("--ledger", FIXTURES / "journal_exceptions.csv", "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["kind"] for r in rows] == [
        "REC003",
        "REC007",
        "REC005",
        "REC004",
        "REC008",
        "REC002",
        "REC009",
        "REC001",
    ]
    ledger = rows[1]
    assert (ledger["gl_account"], ledger["invoice_amount"], ledger["ledger"]) == (
        "4020",
        "1.94",
        "1.84",
    )
    assert rows[3]["adjustments"] == "7" and rows[3]["traces"].count("govern trace") == 2


def test_markdown_report() -> None:
    result = reconcile("--format", "markdown")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "## Reconciliation: 5 exceptions"
    assert "| `REC003` quantity_variance | acme | API-CALLS |" in result.output
    assert "```sh" in lines
    assert any(line.startswith("- `REC004` adjustments missing") for line in lines)


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_clean_run_exits_0_in_every_format(fmt: str) -> None:
    result = reconcile(
        "--ledger",
        FIXTURES / "journal.csv",
        "--format",
        fmt,
        invoices="stripe_invoice_line_items.csv",
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.output)["exceptions"] == []
    elif fmt == "csv":
        assert result.output.strip().startswith("kind,name,customer")
        assert len(result.output.strip().splitlines()) == 1
    elif fmt == "markdown":
        assert result.output.startswith("## Reconciliation: no exceptions")
    else:
        assert result.output.startswith("no exceptions: 5 invoice keys and 4 ledger keys")


def test_presets_by_name() -> None:
    result = invoke(
        "reconcile",
        "-p",
        REPO,
        "--usage",
        FIXTURES / "usage.jsonl",
        "--invoices",
        FIXTURES / "stripe_invoice_line_items.csv",
        "--preset",
        "stripe",
    )
    # without our customer aliases and lookup keys nothing joins: said, not crashed
    assert result.exit_code == 1
    assert "REC005" in result.output and "cus_Qa1acme00000001" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tolerance", "lots"], "tolerance 'lots' is not a number"),
        (["--preset", "stripe"], "give --preset or --mapping, not both"),
        (["--as-of", "yesterday"], "--as-of"),
        (["--ledger", "nope.csv"], "does not exist"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = reconcile(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_mapping_file_exits_2(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("preset: stripe\ncustomer: {colum: customer_id}\n")
    result = invoke(
        "reconcile",
        "-p",
        REPO,
        "--usage",
        FIXTURES / "usage.jsonl",
        "--invoices",
        FIXTURES / "stripe_invoice_line_items.csv",
        "--mapping",
        mapping,
    )
    assert result.exit_code == 2
    assert f"{mapping}:2:" in result.output and "CAT007" in result.output


def test_no_catalog_exits_2(tmp_path: Path) -> None:
    result = invoke(
        "reconcile",
        "-p",
        tmp_path,
        "--usage",
        FIXTURES / "usage.jsonl",
        "--invoices",
        FIXTURES / "stripe_invoice_line_items.csv",
    )
    assert result.exit_code == 2 and "CAT010" in result.output


def test_events_are_aggregated_and_traced_to_their_files(tmp_path: Path) -> None:
    invoices = tmp_path / "invoices.csv"
    invoices.write_text(
        "customer,line_item,period_start,period_end,quantity,amount,currency\n"
        "acme,API-CALLS,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1,0.01,USD\n"
    )
    usage_args = [arg for path in EVENTS for arg in ("--usage", path)]
    result = invoke(
        "reconcile", "-p", REPO, *usage_args, "--invoices", invoices, "--format", "json"
    )
    assert result.exit_code == 1
    document = json.loads(result.output)
    [acme] = [
        e
        for e in document["exceptions"]
        if e["customer"] == "acme"
        and e["line_item"] == "API-CALLS"
        and e["period_start"] == "2026-10-01T00:00:00Z"
    ]
    assert acme["kind"] == "REC003" and acme["usage"] == "2"
    assert acme["traces"][0].endswith(" ".join(EVENTS))
    assert document["summary"]["usage_rows"] > 30


@pytest.mark.parametrize("command", ["reconcile", "checks"])
def test_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_trace_commands_carry_as_of_and_customers(tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text("subject,customer\nacme,acme-corp\n")
    result = invoke(
        "reconcile",
        "-p",
        REPO,
        "--usage",
        EVENTS[0],
        "--invoices",
        FIXTURES / "stripe_invoice_line_items.csv",
        "--mapping",
        FIXTURES / "stripe_mapping.yaml",
        "--as-of",
        "2026-11-05T00:00:00Z",
        "--customers",
        customers,
        "--format",
        "json",
    )
    traces = [t for e in json.loads(result.output)["exceptions"] for t in e["traces"]]
    assert traces and all(
        f"--as-of 2026-11-05T00:00:00Z --customers {customers} {EVENTS[0]}" in t for t in traces
    )
    assert any("--customer acme-corp " in t for t in traces)
