"""Reconciliation: usage rows against invoice lines, and invoice amounts against the ledger.

    from govern import Catalog
    from govern.reconcile import reconcile_files, invoice_mapping, render

    result = reconcile_files(
        ["usage.jsonl"], ["invoice_line_items.csv"], ["journal.csv"],
        catalog=Catalog.load("."), invoice_spec=invoice_mapping(preset="stripe"),
    )
    print(render(result, "text"))   # exceptions only; result.exit_code is 1 when any

The core works on records (`reconcile(usage_rows, invoice_lines, journal_lines)`), so
usage rows can come from files (`read_usage`) or from events through the reference
aggregator (`usage_from_events`). docs/reconciliation.md has the join rules.
"""

from govern.reconcile.exceptions import KINDS, ExceptionKind, ReconciliationException
from govern.reconcile.from_events import usage_from_events
from govern.reconcile.inputs import input_kind, read_invoices, read_ledger, read_usage
from govern.reconcile.mapping import (
    InvoiceMapping,
    LedgerMapping,
    MappingError,
    load_mapping,
    load_preset,
    preset_names,
)
from govern.reconcile.matching import ReconcileOptions, Reconciliation, Summary
from govern.reconcile.records import InvoiceLine, LedgerLine, MeterIndex, UsageRow
from govern.reconcile.report import FORMATS, render
from govern.reconcile.run import (
    invoice_mapping,
    ledger_mapping,
    reconcile,
    reconcile_files,
    usage_from_paths,
)
from govern.reconcile.tolerance import Tolerance

__all__ = [
    "FORMATS",
    "KINDS",
    "ExceptionKind",
    "InvoiceLine",
    "InvoiceMapping",
    "LedgerLine",
    "LedgerMapping",
    "MappingError",
    "MeterIndex",
    "ReconcileOptions",
    "Reconciliation",
    "ReconciliationException",
    "Summary",
    "Tolerance",
    "UsageRow",
    "input_kind",
    "invoice_mapping",
    "ledger_mapping",
    "load_mapping",
    "load_preset",
    "preset_names",
    "read_invoices",
    "read_ledger",
    "read_usage",
    "reconcile",
    "reconcile_files",
    "render",
    "usage_from_events",
    "usage_from_paths",
]
