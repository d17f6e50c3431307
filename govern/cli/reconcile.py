"""`govern reconcile`: usage against invoice lines (and the ledger); exceptions only."""

from __future__ import annotations

from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.cli.options import (
    customers_of_events_option,
    format_option,
    parse_as_of,
    project_option,
)
from govern.reconcile import (
    FORMATS,
    ReconcileOptions,
    Tolerance,
    invoice_mapping,
    ledger_mapping,
    preset_names,
    reconcile_files,
    render,
)

_files = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.option(
    "--usage",
    "usage",
    multiple=True,
    required=True,
    type=_files,
    help="Usage rows (govern's JSONL or CSV), or events (JSONL), which are aggregated "
    "with the catalog's meters. Repeatable.",
)
@click.option(
    "--invoices",
    "invoices",
    multiple=True,
    required=True,
    type=_files,
    help="Invoice lines exported from the billing system (CSV or JSONL). Repeatable.",
)
@click.option(
    "--ledger",
    "ledger",
    multiple=True,
    type=_files,
    help="Journal lines from the general ledger (CSV or JSONL). Repeatable.",
)
@click.option(
    "--preset",
    type=click.Choice(preset_names("invoices")),
    help="A shipped column mapping for the invoice export.  [default: govern]",
)
@click.option("--mapping", type=_files, help="A YAML column mapping for the invoice export.")
@click.option(
    "--ledger-preset",
    type=click.Choice(preset_names("ledger")),
    help="A shipped column mapping for the journal export.  [default: journal]",
)
@click.option(
    "--ledger-mapping",
    "ledger_mapping_file",
    type=_files,
    help="A YAML column mapping for the journal export.",
)
@click.option(
    "--tolerance",
    default="0",
    show_default=True,
    help="Allowed quantity difference: absolute (0.5) or relative to usage (1%).",
)
@click.option(
    "--amount-tolerance",
    default="0",
    show_default=True,
    help="Allowed invoice-to-ledger amount difference: absolute (0.01) or relative (0.1%).",
)
@click.option(
    "--include-open",
    is_flag=True,
    help="Also reconcile open (provisional) periods; by default only closed ones.",
)
@click.option("--as-of", help="With events: evaluate as of this RFC 3339 time.")
@customers_of_events_option
@format_option(FORMATS, help="How the exceptions are printed.", remember=False)
@project_option
def reconcile(
    usage: tuple[Path, ...],
    invoices: tuple[Path, ...],
    ledger: tuple[Path, ...],
    preset: str | None,
    mapping: Path | None,
    ledger_preset: str | None,
    ledger_mapping_file: Path | None,
    tolerance: str,
    amount_tolerance: str,
    include_open: bool,
    as_of: str | None,
    customers: Path | None,
    fmt: str,
    project: Path,
) -> None:
    """Reconcile usage with invoice lines and the ledger; report only the exceptions.

    Joins on customer, line item and period; exit 1 when there are exceptions, 2 on
    unreadable input. See docs/reconciliation.md for the join rules and mappings.
    """
    if preset and mapping:
        raise click.UsageError("give --preset or --mapping, not both")
    if ledger_preset and ledger_mapping_file:
        raise click.UsageError("give --ledger-preset or --ledger-mapping, not both")
    options = ReconcileOptions(
        tolerance=Tolerance.parse(tolerance),
        amount_tolerance=Tolerance.parse(amount_tolerance),
        include_open=include_open,
    )
    result = reconcile_files(
        usage,
        invoices,
        ledger,
        catalog=Catalog.load(project),
        invoice_spec=invoice_mapping(preset, mapping),
        ledger_spec=ledger_mapping(ledger_preset, ledger_mapping_file) if ledger else None,
        options=options,
        as_of=parse_as_of(as_of),
        customers=customers,
    )
    click.echo(render(result, fmt))
    raise SystemExit(result.exit_code)
