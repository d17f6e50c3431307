"""The join rules and every exception kind, on a handful of records each."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from govern import Catalog, InputError
from govern.reconcile import KINDS, ReconcileOptions, Tolerance, reconcile
from tests.reconcile.builders import NOV, OCT, SEP, journal, line, usage

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(REPO)


def kinds(result) -> list[str]:
    return [e.kind.id for e in result.exceptions]


def test_kind_ids_are_stable_and_unique() -> None:
    assert [k.id for k in KINDS] == [f"REC00{n}" for n in range(1, 10)]
    assert len({k.name for k in KINDS}) == len(KINDS)


def test_matching_sums_dimensions_and_versions(catalog) -> None:
    result = reconcile([usage("1000"), usage("204")], [line("1204")], catalog=catalog)
    assert result.exceptions == [] and result.summary.invoice_keys == 1


def test_rec001_usage_without_invoice_line(catalog) -> None:
    [e] = reconcile([usage("5")], [], catalog=catalog).exceptions
    assert (e.kind.id, e.usage, e.invoice, e.difference) == ("REC001", 5, None, -5)
    assert e.traces == (
        "govern trace --meter api_calls --customer acme "
        "--period-start 2026-10-01T00:00:00Z EVENTS...",
    )


def test_zero_usage_needs_no_invoice_line(catalog) -> None:
    assert reconcile([usage("0")], [], catalog=catalog).exceptions == []
    assert reconcile([], [line("0")], catalog=catalog).exceptions == []


def test_rec002_invoice_line_without_usage(catalog) -> None:
    [e] = reconcile([], [line("25", customer="hooli")], catalog=catalog).exceptions
    assert (e.kind.id, e.customer, e.usage, e.invoice, e.difference) == (
        "REC002",
        "hooli",
        None,
        25,
        25,
    )
    assert e.meters == ("api_calls",)


def test_rec003_quantity_variance(catalog) -> None:
    [e] = reconcile([usage("1204")], [line("1190")], catalog=catalog).exceptions
    assert (e.kind.id, e.usage, e.invoice, e.difference) == ("REC003", 1204, 1190, -14)


def test_rec004_adjustment_left_off_the_invoice(catalog) -> None:
    rows = [usage("500"), usage("7", SEP, posted=OCT)]
    [e] = reconcile(rows, [line("500")], catalog=catalog).exceptions
    assert (e.kind.id, e.usage, e.adjustments, e.invoice) == ("REC004", 507, 7, 500)
    assert reconcile(rows, [line("507")], catalog=catalog).exceptions == []


def test_rec004_adjustment_with_no_invoice_line_at_all(catalog) -> None:
    [e] = reconcile([usage("-3", SEP, posted=OCT)], [], catalog=catalog).exceptions
    assert (e.kind.id, e.usage, e.adjustments, e.invoice) == ("REC004", -3, -3, None)


def test_adjustment_billed_on_its_own_period_is_a_variance_in_the_posting_period(
    catalog,
) -> None:
    # the late 7 was (wrongly) added to September's line instead of October's
    rows = [usage("100", SEP), usage("500"), usage("7", SEP, posted=OCT)]
    result = reconcile(rows, [line("107", SEP), line("500")], catalog=catalog)
    assert [(e.kind.id, e.period_start.month) for e in result.exceptions] == [
        ("REC003", 9),
        ("REC004", 10),
    ]


def test_variance_that_is_neither_usage_nor_usage_plus_adjustments(catalog) -> None:
    rows = [usage("500"), usage("7", SEP, posted=OCT)]
    assert kinds(reconcile(rows, [line("480")], catalog=catalog)) == ["REC003"]


def test_rec005_unknown_line_item(catalog) -> None:
    [e] = reconcile([], [line("12", line_item="GPU-HOURS")], catalog=catalog).exceptions
    assert (e.kind.id, e.line_item, e.invoice, e.traces) == ("REC005", "GPU-HOURS", 12, ())


def test_without_a_catalog_the_usage_line_items_are_the_known_ones() -> None:
    result = reconcile([usage("1")], [line("1"), line("2", line_item="GPU-HOURS")])
    assert kinds(result) == ["REC005"]


def test_rec006_usage_period_straddling_invoice_periods(catalog) -> None:
    day = ("2026-10-31T04:00:00Z", "2026-11-01T04:00:00Z")
    rows = [usage("9", day, meter="llm_input_tokens", line_item="LLM-INPUT-TOKENS")]
    lines = [line("9", OCT, line_item="LLM-INPUT-TOKENS")]
    result = reconcile(rows, lines, catalog=catalog)
    # the day joins no invoice line, so the October line has nothing behind it
    assert kinds(result) == ["REC002", "REC006"]
    misaligned = result.exceptions[1]
    assert misaligned.usage == 9 and "cuts across" in misaligned.message


def test_finer_usage_periods_roll_up_into_the_invoice_period(catalog) -> None:
    hours = [
        ("2026-10-31T03:00:00Z", "2026-10-31T04:00:00Z"),
        ("2026-10-31T04:00:00Z", "2026-10-31T05:00:00Z"),
    ]
    rows = [
        usage(q, h, meter="llm_output_tokens", line_item="LLM-OUTPUT-TOKENS")
        for q, h in zip(["120", "350"], hours, strict=True)
    ]
    result = reconcile(rows, [line("470", line_item="LLM-OUTPUT-TOKENS")], catalog=catalog)
    assert result.exceptions == []
    short = reconcile(rows, [line("400", line_item="LLM-OUTPUT-TOKENS")], catalog=catalog)
    [e] = short.exceptions
    assert e.kind.id == "REC003" and len(e.traces) == 2  # one trace per hour behind it


def test_open_periods_are_left_out_unless_asked(catalog) -> None:
    rows = [usage("40", NOV, status="open")]
    lines = [line("38", NOV)]
    result = reconcile(rows, lines, catalog=catalog)
    assert result.exceptions == []
    assert result.summary.open_rows_skipped == 1
    assert result.summary.provisional_keys_skipped == 1
    opened = reconcile(rows, lines, catalog=catalog, options=ReconcileOptions(include_open=True))
    assert kinds(opened) == ["REC003"]


def test_relative_tolerance_is_relative_to_usage(catalog) -> None:
    def run(tolerance: str) -> list[str]:
        options = ReconcileOptions(tolerance=Tolerance.parse(tolerance))
        return kinds(reconcile([usage("1000")], [line("990")], catalog=catalog, options=options))

    assert run("1%") == [] and run("0.99%") == ["REC003"]
    assert run("10") == [] and run("9.9") == ["REC003"]


def test_tolerance_parsing() -> None:
    assert Tolerance.parse("1%") == Tolerance(Decimal(1), True)
    assert Tolerance.parse(" 0.5 ") == Tolerance(Decimal("0.5"), False)
    assert str(Tolerance.parse("0.50%")) == "0.5%"
    for bad in ("-1", "x", "1%%", "nan"):
        with pytest.raises(InputError):
            Tolerance.parse(bad)
    assert not Tolerance.parse("5%").allows(Decimal(0), Decimal("0.01"))


# ---------------------------------------------------------------- ledger


def test_ledger_matches_invoice_amounts_through_gl_accounts(catalog) -> None:
    lines = [
        line("10", amount="0.10"),
        line("4", line_item="LLM-INPUT-TOKENS", amount="0.25"),
        line("6", line_item="LLM-OUTPUT-TOKENS", amount="0.75"),
    ]
    rows = [
        usage("10"),
        usage("4", meter="llm_input_tokens", line_item="LLM-INPUT-TOKENS"),
        usage("6", meter="llm_output_tokens", line_item="LLM-OUTPUT-TOKENS"),
    ]
    ledger = [journal("0.10"), journal("1.00", account="4020"), journal("9", account="4000")]
    result = reconcile(rows, lines, ledger, catalog=catalog)
    assert result.exceptions == [] and result.summary.ledger_keys == 2


def test_rec007_amount_variance(catalog) -> None:
    result = reconcile(
        [usage("10")], [line("10", amount="0.10")], [journal("0.09")], catalog=catalog
    )
    [e] = result.exceptions
    assert (e.kind.id, e.gl_account, e.invoice_amount, e.ledger, e.difference) == (
        "REC007",
        "4010",
        Decimal("0.10"),
        Decimal("0.09"),
        Decimal("-0.01"),
    )
    loose = ReconcileOptions(amount_tolerance=Tolerance.parse("0.01"))
    assert (
        reconcile(
            [usage("10")],
            [line("10", amount="0.10")],
            [journal("0.09")],
            catalog=catalog,
            options=loose,
        ).exceptions
        == []
    )


def test_rec008_invoiced_but_not_in_the_ledger(catalog) -> None:
    result = reconcile([usage("10")], [line("10", amount="0.10")], [], catalog=catalog)
    assert kinds(result) == ["REC008"]


def test_rec009_ledger_without_invoice(catalog) -> None:
    result = reconcile([], [], [journal("2.50", account="4030")], catalog=catalog)
    [e] = result.exceptions
    assert (e.kind.id, e.gl_account, e.ledger, e.invoice_amount) == (
        "REC009",
        "4030",
        Decimal("2.50"),
        None,
    )


def test_ledger_month_holds_invoice_periods_that_start_in_it(catalog) -> None:
    ny_month = ("2026-10-01T04:00:00Z", "2026-11-01T04:00:00Z")
    rows = [usage("4", ny_month, meter="llm_input_tokens", line_item="LLM-INPUT-TOKENS")]
    lines = [line("4", ny_month, line_item="LLM-INPUT-TOKENS", amount="1.00")]
    result = reconcile(rows, lines, [journal("1.00", account="4020")], catalog=catalog)
    assert result.exceptions == []


def test_ledger_without_currency_compares_amounts_as_numbers(catalog) -> None:
    result = reconcile(
        [usage("10")],
        [line("10", amount="0.10")],
        [journal("0.10", currency=None)],
        catalog=catalog,
    )
    assert result.exceptions == []


def test_ledger_needs_the_catalog() -> None:
    with pytest.raises(InputError, match="needs the catalog"):
        reconcile([usage("10")], [line("10", amount="0.10")], [journal("0.10")])


def test_ledger_needs_invoice_amounts(catalog) -> None:
    with pytest.raises(InputError, match="needs invoice amounts"):
        reconcile([usage("10")], [line("10", amount=None)], [journal("1")], catalog=catalog)


def test_exceptions_are_sorted_and_deterministic(catalog) -> None:
    rows = [usage("1", customer="b"), usage("1", customer="a"), usage("1", SEP, customer="a")]
    result = reconcile(rows, [], catalog=catalog)
    assert [(e.customer, e.period_start.month) for e in result.exceptions] == [
        ("a", 9),
        ("a", 10),
        ("b", 10),
    ]
    again = reconcile(list(reversed(rows)), [], catalog=catalog)
    assert [e.to_dict() for e in again.exceptions] == [e.to_dict() for e in result.exceptions]
