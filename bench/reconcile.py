"""Benchmark: reconcile a 1,000,000-line invoice export against matching usage rows.

    python bench/reconcile.py                 # Stripe-shaped CSV, 1,000,000 lines
    python bench/reconcile.py --shape lago    # Lago invoice-fees export
    python bench/reconcile.py --lines 200000 --duckdb

Writes the inputs to bench/out/ (git-ignored), then times `reconcile_files` end to end:
reading and mapping every invoice line, reading every usage row, joining, judging and
rendering the report. One line in a thousand is billed one unit short and one in ten
thousand is missing, so the rules have exceptions to find. Prints lines/s, wall and CPU
seconds (they differ when the machine is busy) and peak memory (max RSS). `--duckdb`
also times DuckDB grouping the same CSV, as the floor of what an SQL engine would
spend on the invoice side alone.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govern import Catalog  # noqa: E402
from govern.reconcile import (  # noqa: E402
    ReconcileOptions,
    invoice_mapping,
    reconcile_files,
    render,
)

OUT = ROOT / "bench" / "out"
UTC_MONTH = ("2026-10-01 00:00:00", "2026-11-01 00:00:00")
NEW_YORK_MONTH = ("2026-10-01 04:00:00", "2026-11-01 04:00:00")
BERLIN_MONTH = ("2026-09-30 22:00:00", "2026-10-31 23:00:00")
KOLKATA_MONTH = ("2026-09-30 18:30:00", "2026-10-31 18:30:00")
# (meter, line item, Stripe price lookup key, October in the meter's zone, UTC wall clock)
LINE_ITEMS = [
    ("api_calls", "API-CALLS", "api-calls", *UTC_MONTH),
    ("llm_output_tokens", "LLM-OUTPUT-TOKENS", "llm-out", *UTC_MONTH),
    ("llm_input_tokens", "LLM-INPUT-TOKENS", "llm-in", *NEW_YORK_MONTH),
    ("storage_gb_peak", "STORAGE-PEAK-GB", "storage-peak", *BERLIN_MONTH),
    ("storage_gb_floor", "STORAGE-FLOOR-GB", "storage-floor", *BERLIN_MONTH),
    ("storage_gb_end_of_month", "STORAGE-ARCHIVE-GB", "storage-archive", *BERLIN_MONTH),
    ("active_users", "ACTIVE-USERS", "active-users", *NEW_YORK_MONTH),
    ("compute_seconds", "COMPUTE-SECONDS", "compute", *KOLKATA_MONTH),
]
LAGO_DATES = ("2026-10-01", "2026-10-31")


def utc(text: str) -> str:
    return text.replace(" ", "T") + "Z"


def generate(lines: int, shape: str) -> tuple[Path, Path, Path]:
    """The invoice export, the usage rows it should match, and the mapping to read it."""
    OUT.mkdir(parents=True, exist_ok=True)
    invoices = OUT / f"invoices-{shape}-{lines}.csv"
    usage = OUT / f"usage-{shape}-{lines}.jsonl"
    mapping = OUT / f"mapping-{shape}.yaml"
    if shape == "stripe":
        mapping.write_text(
            "preset: stripe\nline_item:\n  column: price_lookup_key\n  map:\n"
            + "".join(f"    {key}: {item}\n" for _, item, key, _, _ in LINE_ITEMS)
        )
    else:
        mapping.write_text("preset: lago\n")
    with invoices.open("w", newline="") as inv, usage.open("wb") as use:
        writer = csv.writer(inv, lineterminator="\n")
        writer.writerow(_header(shape))
        for n in range(lines):
            customer = f"cus_{n // len(LINE_ITEMS):07d}"
            meter, item, key, start, end = LINE_ITEMS[n % len(LINE_ITEMS)]
            quantity = 1000 + n % 9973
            row = {
                "kind": "usage",
                "customer": customer,
                "meter": meter,
                "meter_version": 1,
                "period_start": utc(start),
                "period_end": utc(end),
                "dimensions": {},
                "quantity": str(quantity),
                "status": "closed",
                "line_item": item,
            }
            use.write(orjson.dumps(row) + b"\n")
            if n % 10_000 == 7:
                continue  # missing on the invoice
            billed = quantity - 1 if n % 1000 == 3 else quantity
            writer.writerow(_line(shape, n, customer, meter, key, start, end, billed))
    return invoices, usage, mapping


def _header(shape: str) -> list[str]:
    if shape == "stripe":
        return [
            "id", "invoice_id", "customer_id", "type", "proration", "price_id",
            "price_lookup_key", "period_start", "period_end", "quantity", "amount", "currency",
        ]  # fmt: skip
    return [
        "invoice_lago_id", "invoice_number", "invoice_issuing_date", "fee_lago_id",
        "fee_item_type", "fee_item_code", "fee_item_name", "fee_item_description",
        "fee_item_invoice_display_name", "fee_item_filter_invoice_display_name",
        "fee_item_grouped_by", "subscription_external_id", "subscription_plan_code",
        "fee_from_date", "fee_to_date", "fee_amount_currency", "fee_units",
        "fee_precise_unit_amount", "fee_taxes_amount_cents", "fee_total_amount_cents",
    ]  # fmt: skip


def _line(shape, n, customer, meter, key, start, end, billed) -> list:
    if shape == "stripe":
        return [
            f"il_{n:012d}", f"in_{n // 8:010d}", customer, "subscription", "false",
            f"price_{key}", key, start, end, billed, billed, "usd",
        ]  # fmt: skip
    return [
        f"inv-{n // 8:010d}", f"INV-{n // 8:07d}", "2026-11-01", f"fee-{n:012d}", "charge",
        meter, meter, "", meter, "", "{}", customer, "usage_plan", *LAGO_DATES, "USD",
        f"{billed}.0", "0.01", billed // 5, billed + billed // 5,
    ]  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=["stripe", "lago"], default="stripe")
    parser.add_argument("--duckdb", action="store_true", help="also time DuckDB's GROUP BY")
    args = parser.parse_args()

    started = time.perf_counter()
    invoices, usage, mapping = generate(args.lines, args.shape)
    generated = time.perf_counter() - started
    before = peak_mb()
    print(f"generated {args.lines:,} {args.shape} invoice lines + usage rows in {generated:.1f}s")

    catalog = Catalog.load(ROOT)
    started, cpu = time.perf_counter(), time.process_time()
    result = reconcile_files(
        [usage],
        [invoices],
        catalog=catalog,
        invoice_spec=invoice_mapping(mapping_file=mapping),
        options=ReconcileOptions(),
    )
    report = render(result, "text")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    summary = result.summary
    print(
        f"reconciled {summary.invoice_lines:,} invoice lines against {summary.usage_rows:,} "
        f"usage rows in {seconds:.2f}s wall, {cpu:.2f}s CPU: "
        f"{summary.invoice_lines / seconds:,.0f} invoice lines/s "
        f"({summary.invoice_lines / cpu:,.0f} per CPU second)"
    )
    print(f"peak memory (max RSS) {peak_mb():,.0f} MB (after generating: {before:,.0f} MB)")
    print(report.splitlines()[-1])

    if args.duckdb:
        import duckdb

        started = time.perf_counter()
        columns = (
            "customer_id, price_lookup_key, period_start, period_end"
            if args.shape == "stripe"
            else "subscription_external_id, fee_item_code, fee_from_date, fee_to_date"
        )
        quantity = "quantity" if args.shape == "stripe" else "fee_units"
        groups = duckdb.sql(
            f"select {columns}, sum(cast({quantity} as decimal(38, 6))) "
            f"from read_csv('{invoices}', all_varchar=true) group by all"
        ).fetchall()
        print(
            f"duckdb: grouped the invoice CSV into {len(groups):,} keys in "
            f"{time.perf_counter() - started:.2f}s (invoice side only)"
        )


if __name__ == "__main__":
    main()
