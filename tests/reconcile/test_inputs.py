"""Readers and mappings: presets, period formats, customer and line item keys, errors."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from govern import Catalog, InputError
from govern.reconcile import (
    MappingError,
    MeterIndex,
    input_kind,
    invoice_mapping,
    ledger_mapping,
    load_mapping,
    load_preset,
    preset_names,
    read_invoices,
    read_ledger,
    read_usage,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "reconcile"


@pytest.fixture(scope="module")
def meters() -> MeterIndex:
    return MeterIndex.from_catalog(Catalog.load(REPO))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def lines_of(name: str, mapping: str, meters: MeterIndex) -> list:
    spec, base = invoice_mapping(mapping_file=FIXTURES / mapping)
    return list(read_invoices(FIXTURES / name, spec, meters, base))


def test_presets_ship_as_data() -> None:
    assert preset_names("invoices") == ["govern", "lago", "orb", "stripe"]
    assert preset_names("ledger") == ["journal"]
    for kind in ("invoices", "ledger"):
        for name in preset_names(kind):
            assert load_preset(kind, name).description  # every preset says what it reads


def test_unknown_preset_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown invoices preset 'chargebee'"):
        load_preset("invoices", "chargebee")


def test_stripe_export(meters) -> None:
    lines = lines_of("stripe_invoice_line_items.csv", "stripe_mapping.yaml", meters)
    # the invoice item, the proration and the platform fee are not usage lines
    assert len(lines) == 6
    first = lines[0]
    assert (first.customer, first.line_item, first.quantity, first.amount, first.currency) == (
        "acme",
        "API-CALLS",
        Decimal(1204),
        Decimal("12.04"),
        "USD",
    )
    assert (first.period_start, first.period_end) == (utc("2026-10-01"), utc("2026-11-01"))
    ny = next(line for line in lines if line.line_item == "LLM-INPUT-TOKENS")
    assert ny.period_start == utc("2026-10-01T04:00:00")
    assert first.source.endswith("stripe_invoice_line_items.csv:2")


def test_lago_export_dates_in_the_meters_zone_last_day_included(meters) -> None:
    lines = lines_of("lago_invoice_fees.csv", "lago_mapping.yaml", meters)
    assert [line.line_item for line in lines] == [
        "API-CALLS",
        "API-CALLS",
        "LLM-OUTPUT-TOKENS",
        "LLM-INPUT-TOKENS",
        "API-CALLS",
        "API-CALLS",
    ]  # subscription and commitment fees are not charges
    api, _, out, inp, *_ = lines
    assert (api.period_start, api.period_end) == (utc("2026-10-01"), utc("2026-11-01"))
    assert (inp.period_start, inp.period_end) == (
        utc("2026-10-01T04:00:00"),
        utc("2026-11-01T04:00:00"),
    )  # New York, the meter's zone
    assert (api.customer, api.quantity, api.amount) == ("acme", Decimal("1000.0"), Decimal("10"))
    assert out.amount == Decimal("0.94")  # total minus taxes, in dollars


def test_orb_export_line_items_of_invoices(meters) -> None:
    lines = lines_of("orb_invoices.jsonl", "orb_mapping.yaml", meters)
    assert len(lines) == 5  # the void invoice and the platform fee are left out
    inp = next(line for line in lines if line.line_item == "LLM-INPUT-TOKENS")
    assert (inp.customer, inp.quantity, inp.amount, inp.currency) == (
        "acme",
        Decimal("2000.0"),
        Decimal("1.00"),
        "USD",
    )
    assert inp.period_start == utc("2026-10-01T04:00:00")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def mapping_file(tmp_path: Path, text: str, kind: str = "invoices"):
    spec, base = load_mapping(kind, write(tmp_path, f"{kind}.yaml", text))  # type: ignore[arg-type]
    return spec, base


BASE = "customer: {column: c}\nline_item: {column: li}\nquantity: {column: q}\n"


@pytest.mark.parametrize(
    ("period", "start", "end", "expected"),
    [
        ("{start: s, end: e, format: unix}",
         "1790812800", "1793491200", ("2026-10-01", "2026-11-01")),
        ("{start: s, end: e, format: rfc3339, end_inclusive: true}",
         "2026-10-01T00:00:00Z", "2026-10-31T23:59:59Z", ("2026-10-01", "2026-11-01")),
        ("{start: s, end: e, format: datetime, timezone: Europe/Berlin}",
         "2026-10-01 00:00:00", "2026-11-01 00:00:00",
         ("2026-09-30T22:00:00", "2026-10-31T23:00:00")),
        ("{start: s, end: e, format: date, end_inclusive: true}",
         "2026-10-01", "2026-10-31", ("2026-10-01", "2026-11-01")),
        ("{start: s, format: month}", "2026-10", "", ("2026-10-01", "2026-11-01")),
        ("{start: s, format: month}", "2026-10-17", "", ("2026-10-01", "2026-11-01")),
        ("{start: s, end: e, format: month, end_inclusive: true}",
         "2026-10", "2026-12", ("2026-10-01", "2027-01-01")),
    ],
)  # fmt: skip
def test_period_formats(tmp_path, meters, period, start, end, expected) -> None:
    spec, base = mapping_file(tmp_path, BASE + f"period: {period}\n")
    export = write(tmp_path, "lines.csv", f"c,li,q,s,e\nacme,API-CALLS,1,{start},{end}\n")
    [line] = read_invoices(export, spec, meters, base)
    assert (line.period_start, line.period_end) == (utc(expected[0]), utc(expected[1]))


def test_customer_pattern_and_aliases(tmp_path, meters) -> None:
    write(tmp_path, "aliases.csv", "billing,customer\nACME-LTD,acme\n")
    spec, base = mapping_file(
        tmp_path,
        BASE.replace("customer: {column: c}", "")
        + "customer: {column: c, pattern: '^org:(?P<customer>[^/]+)', aliases_file: aliases.csv,"
        " aliases: {GLOBEX-INC: globex}}\n" + "period: {start: s, end: e}\n",
    )
    export = write(
        tmp_path,
        "lines.csv",
        "c,li,q,s,e\n"
        "org:ACME-LTD/main,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n"
        "org:GLOBEX-INC/eu,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n"
        "org:initech,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n",
    )
    customers = [line.customer for line in read_invoices(export, spec, meters, base)]
    assert customers == ["acme", "globex", "initech"]
    bad = write(
        tmp_path,
        "bad.csv",
        "c,li,q,s,e\nacme,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n",
    )
    with pytest.raises(InputError, match=r"bad.csv:2: invoice line: customer 'acme' does not"):
        list(read_invoices(bad, spec, meters, base))


def test_line_item_as_meter_name(tmp_path, meters) -> None:
    spec, base = mapping_file(
        tmp_path,
        BASE.replace("{column: li}", "{column: li, key: meter}") + "period: {start: s, end: e}\n",
    )
    export = write(
        tmp_path,
        "lines.csv",
        "c,li,q,s,e\nacme,api_calls,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n"
        "acme,gpu_hours,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z\n",
    )
    assert [line.line_item for line in read_invoices(export, spec, meters, base)] == [
        "API-CALLS",
        "gpu_hours",
    ]


def test_amount_minor_units_per_currency_and_empty_cells(tmp_path, meters) -> None:
    spec, base = mapping_file(
        tmp_path,
        BASE
        + "period: {start: s, end: e}\n"
        + "amount: {column: a, minus: [tax], divisor: 100, divisors: {jpy: 1}}\n"
        + "currency: {column: cur}\n",
    )
    export = write(
        tmp_path,
        "lines.csv",
        "c,li,q,s,e,a,tax,cur\n"
        "acme,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1250,250,usd\n"
        "acme,API-CALLS,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1250,,jpy\n",
    )
    usd, jpy = read_invoices(export, spec, meters, base)
    assert (usd.amount, usd.currency) == (Decimal("10.00"), "USD")
    assert (jpy.amount, jpy.currency) == (Decimal(1250), "JPY")


def test_journal_preset_reads_credit_minus_debit_by_posting_month(tmp_path) -> None:
    spec, base = ledger_mapping()
    lines = list(read_ledger(FIXTURES / "journal.csv", spec, base))
    ar = lines[0]
    assert (ar.gl_account, ar.amount) == ("1200", Decimal("-57.98"))
    api = lines[1]
    assert (api.customer, api.gl_account, api.amount, api.currency) == (
        "acme",
        "4010",
        Decimal("12.04"),
        "USD",
    )
    assert (api.period_start, api.period_end) == (utc("2026-10-01"), utc("2026-11-01"))


def test_mapping_errors_are_located(tmp_path) -> None:
    with pytest.raises(MappingError) as caught:
        mapping_file(tmp_path, BASE + "period: {start: s, end: e, fromat: date}\n")
    [issue] = caught.value.issues
    assert issue.rule == "CAT007" and issue.location.line == 4
    assert "period.fromat" in issue.message

    with pytest.raises(MappingError, match=r"CAT009 invoices mapping: missing required key"):
        mapping_file(tmp_path, "customer: {column: c}\nperiod: {start: s, end: e}\n")
    with pytest.raises(MappingError, match="'end' is required unless format is 'month'"):
        mapping_file(tmp_path, BASE + "period: {start: s}\n")
    with pytest.raises(MappingError, match="not an IANA time zone"):
        mapping_file(tmp_path, BASE + "period: {start: s, end: e, timezone: Mars/Olympus}\n")
    with pytest.raises(MappingError, match="timezone 'meter' needs a line item"):
        mapping_file(
            tmp_path,
            "customer: {column: c}\ngl_account: {column: g}\namount: {column: a}\n"
            "period: {start: s, end: e, timezone: meter}\n",
            kind="ledger",
        )
    with pytest.raises(MappingError, match="CAT001"):
        mapping_file(tmp_path, "customer: [\n")
    with pytest.raises(InputError, match="no such mapping file"):
        load_mapping("invoices", tmp_path / "nope.yaml")


def test_missing_column_names_the_columns_there_are(tmp_path, meters) -> None:
    spec, base = invoice_mapping("stripe")
    export = write(tmp_path, "lines.csv", "id,customer\nil_1,cus_1\n")
    with pytest.raises(InputError, match=r"no column 'type' \(columns: id, customer\)"):
        list(read_invoices(export, spec, meters, base))


def test_bad_values_name_file_and_line(tmp_path, meters) -> None:
    spec, base = invoice_mapping()
    header = "customer,line_item,period_start,period_end,quantity,amount,currency\n"
    ok = "acme,API-CALLS,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1,1,USD\n"
    for row, problem in [
        ("acme,API-CALLS,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1.2.3,1,USD", "quantity"),
        ("acme,API-CALLS,2026-10-01,2026-11-01T00:00:00Z,1,1,USD", "RFC 3339"),
        ("acme,API-CALLS,2026-11-01T00:00:00Z,2026-10-01T00:00:00Z,1,1,USD", "before it starts"),
        (",API-CALLS,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,1,1,USD", "customer is empty"),
    ]:
        export = write(tmp_path, "lines.csv", header + ok + row + "\n")
        with pytest.raises(InputError, match=rf"lines.csv:3: invoice line: .*{problem}"):
            list(read_invoices(export, spec, meters, base))


def test_usage_rows_from_jsonl_csv_and_gzip(tmp_path) -> None:
    rows = list(read_usage([FIXTURES / "usage.jsonl"]))
    assert len(rows) == 10
    adjustment = next(r for r in rows if r.kind == "adjustment")
    assert adjustment.posting_period == (utc("2026-10-01"), utc("2026-11-01"))
    assert adjustment.period_start == utc("2026-09-01")

    gz = tmp_path / "usage.jsonl.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "usage.jsonl").read_bytes()))
    assert [r._replace(source="") for r in read_usage([gz])] == [
        r._replace(source="") for r in rows
    ]

    csv_file = write(
        tmp_path,
        "usage.csv",
        "kind,customer,meter,meter_version,period_start,period_end,dimensions,quantity,status,"
        "line_item,posted_period_start,posted_period_end\n"
        'usage,acme,api_calls,1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,"{""region"":null}",'
        "5,closed,API-CALLS,,\n",
    )
    [row] = read_usage([csv_file])
    assert (row.customer, row.quantity, row.dimensions) == ("acme", Decimal(5), {"region": None})


def test_usage_rows_as_govern_aggregate_writes_them_in_csv(tmp_path) -> None:
    from click.testing import CliRunner

    from govern.cli import main

    events = REPO / "contracts" / "api_request" / "samples" / "events.jsonl"
    out = tmp_path / "usage.csv"
    args = ["aggregate", "-p", str(REPO), "--meter", "api_calls", str(events)]
    CliRunner().invoke(main, [*args, "--format", "csv", "--out", str(out)])
    jsonl = tmp_path / "usage.jsonl"
    CliRunner().invoke(main, [*args, "--out", str(jsonl)])
    from_csv = [r._replace(source="") for r in read_usage([out])]
    from_jsonl = [r._replace(source="") for r in read_usage([jsonl])]
    assert from_csv == from_jsonl and len(from_csv) == 8
    assert [r.dimensions for r in from_csv] == [r.dimensions for r in from_jsonl]
    assert from_csv[0].dimensions == {"region": "us-east"}


def test_bad_usage_rows_name_file_and_line(tmp_path) -> None:
    good = (FIXTURES / "usage.jsonl").read_text().splitlines()[0]
    for bad, problem in [
        (good.replace('"kind":"usage"', '"kind":"bill"'), "kind must be usage or adjustment"),
        (good.replace('"customer":"acme",', ""), "missing required field `customer`"),
        (good.replace('"quantity":"1000"', '"quantity":"lots"'), "Invalid decimal string"),
        (good.replace('"customer":"acme"', '"customer":""'), "'customer' is empty"),
        ("{not json", "JSON is malformed"),
    ]:
        path = write(tmp_path, "usage.jsonl", good + "\n" + bad + "\n")
        with pytest.raises(InputError, match=rf"usage.jsonl:2: .*{problem}"):
            list(read_usage([path]))


def test_usage_and_events_are_told_apart(tmp_path) -> None:
    assert input_kind(FIXTURES / "usage.jsonl") == "usage"
    assert input_kind(REPO / "contracts/api_request/samples/events.jsonl") == "events"
    assert input_kind(write(tmp_path, "usage.csv", "kind,customer\n")) == "usage"
