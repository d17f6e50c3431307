"""End to end on exports in the shape of real billing systems: Stripe, Lago and Orb.

Each clean export bills exactly the usage in usage.jsonl: zero exceptions. The
exceptions export and journal trigger every kind of exception that they can.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from govern import Catalog
from govern.reconcile import ReconcileOptions, Tolerance, invoice_mapping, reconcile_files

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "reconcile"
USAGE = FIXTURES / "usage.jsonl"
TRACE = "govern trace --meter {} --customer {} --period-start {} EVENTS..."


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(REPO)


def run(catalog, invoices: str, mapping: str, journal: str | None = "journal.csv", **options):
    return reconcile_files(
        [USAGE],
        [FIXTURES / invoices],
        [FIXTURES / journal] if journal else [],
        catalog=catalog,
        invoice_spec=invoice_mapping(mapping_file=FIXTURES / mapping),
        options=ReconcileOptions(**options),
    )


@pytest.mark.parametrize(
    ("invoices", "mapping"),
    [
        ("stripe_invoice_line_items.csv", "stripe_mapping.yaml"),
        ("lago_invoice_fees.csv", "lago_mapping.yaml"),
        ("orb_invoices.jsonl", "orb_mapping.yaml"),
    ],
)
def test_clean_reconciliation_has_zero_exceptions(catalog, invoices: str, mapping: str) -> None:
    result = run(catalog, invoices, mapping)
    assert result.exceptions == []
    assert result.exit_code == 0
    summary = result.summary
    assert summary.by_kind == {}
    assert summary.usage_rows == 10 and summary.open_rows_skipped == 1
    assert summary.invoice_keys == 5  # acme x3 line items, globex, initech
    assert summary.ledger_keys == 4  # acme 4010 and 4020, globex 4010, initech 4010
    assert summary.ledger_lines == 4  # the AR and platform-fee lines are not metered accounts


def test_stripe_open_period_line_is_provisional(catalog) -> None:
    result = run(catalog, "stripe_invoice_line_items.csv", "stripe_mapping.yaml")
    assert result.summary.provisional_keys_skipped == 1
    with_open = run(
        catalog, "stripe_invoice_line_items.csv", "stripe_mapping.yaml", include_open=True
    )
    assert [e.kind.id for e in with_open.exceptions] == ["REC003", "REC008"]
    exception = with_open.exceptions[0]
    assert (exception.kind.id, exception.usage, exception.invoice) == (
        "REC003",
        Decimal(40),
        Decimal(38),
    )


def test_stripe_exceptions_every_kind_with_keys_values_and_trace(catalog) -> None:
    result = run(
        catalog,
        "stripe_invoice_line_items_exceptions.csv",
        "stripe_mapping.yaml",
        "journal_exceptions.csv",
    )
    assert result.exit_code == 1
    got = [
        (
            e.kind.id,
            e.customer,
            e.line_item if e.kind.measure == "quantity" else e.gl_account,
            e.usage if e.kind.measure == "quantity" else e.invoice_amount,
            e.invoice if e.kind.measure == "quantity" else e.ledger,
            e.difference,
        )
        for e in result.exceptions
    ]
    assert got == [
        ("REC003", "acme", "API-CALLS", Decimal(1204), Decimal(1190), Decimal(-14)),
        ("REC007", "acme", "4020", Decimal("1.94"), Decimal("1.84"), Decimal("-0.10")),
        ("REC005", "acme", "gpu-hours", None, Decimal(12), Decimal(12)),
        ("REC004", "globex", "API-CALLS", Decimal(507), Decimal(500), Decimal(-7)),
        ("REC008", "globex", "4010", Decimal("5.00"), None, Decimal("-5.00")),
        ("REC002", "hooli", "API-CALLS", None, Decimal(25), Decimal(25)),
        ("REC009", "initech", "4030", None, Decimal("2.50"), Decimal("2.50")),
        ("REC001", "initech", "API-CALLS", Decimal(300), None, Decimal(-300)),
    ]
    by_kind = {e.kind.id: e for e in result.exceptions}
    october = "2026-10-01T00:00:00Z"
    assert by_kind["REC003"].traces == (TRACE.format("api_calls", "acme", october),)
    # the adjustment traces back to the period it corrects, September
    assert by_kind["REC004"].traces == (
        TRACE.format("api_calls", "globex", "2026-09-01T00:00:00Z"),
        TRACE.format("api_calls", "globex", october),
    )
    assert by_kind["REC004"].adjustments == Decimal(7)
    assert by_kind["REC002"].traces == (TRACE.format("api_calls", "hooli", october),)
    assert by_kind["REC005"].traces == ()
    assert by_kind["REC003"].sources == (
        f"{FIXTURES / 'stripe_invoice_line_items_exceptions.csv'}:2",
    )
    assert by_kind["REC003"].invoice_amount == Decimal("11.90")


def test_tolerance_absorbs_small_variances(catalog) -> None:
    def kinds(tolerance: str) -> list[str]:
        result = run(
            catalog,
            "stripe_invoice_line_items_exceptions.csv",
            "stripe_mapping.yaml",
            journal=None,
            tolerance=Tolerance.parse(tolerance),
        )
        return [e.kind.id for e in result.exceptions]

    assert "REC003" in kinds("13") and "REC004" in kinds("6.99")
    assert "REC003" not in kinds("14")  # 1190 vs 1204
    assert "REC003" not in kinds("1.2%") and "REC003" in kinds("1.1%")
    # with 7 allowed the globex line is within tolerance of usage plus adjustments
    assert "REC004" not in kinds("7")


def test_lago_dates_read_in_a_zone_other_than_the_meters_misalign(tmp_path, catalog) -> None:
    mapping = tmp_path / "lago_utc.yaml"
    mapping.write_text(
        "preset: lago\n"
        "customer: {column: subscription_external_id, pattern: '^sub_([a-z]+)_'}\n"
        "period: {start: fee_from_date, end: fee_to_date, format: date, end_inclusive: true}\n"
    )
    result = reconcile_files(
        [USAGE],
        [FIXTURES / "lago_invoice_fees.csv"],
        catalog=catalog,
        invoice_spec=invoice_mapping(mapping_file=mapping),
    )
    got = [(e.kind.id, e.line_item, e.period_start.isoformat()) for e in result.exceptions]
    # The New York day of Oct 31 cuts across the UTC month end; Oct 30 still fits in it.
    assert got == [
        ("REC003", "LLM-INPUT-TOKENS", "2026-10-01T00:00:00+00:00"),
        ("REC006", "LLM-INPUT-TOKENS", "2026-10-31T04:00:00+00:00"),
    ]
    assert result.exceptions[0].usage == Decimal(800)
