"""Readers: usage rows (govern's JSONL or CSV), invoice lines and journal lines (mapped).

Every reader streams: one row in memory at a time, so the matcher decides what to keep.
A row that cannot be read stops the run with `file:line: problem` (exit code 2); a
reconciliation over half-read input would be a wrong answer, not a partial one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from govern.errors import InputError
from govern.reconcile.mapping import (
    METER_TIMEZONE,
    CustomerSpec,
    InvoiceMapping,
    LedgerMapping,
    LineItemSpec,
    NumberSpec,
    TableSpec,
)
from govern.reconcile.periods import PeriodReader
from govern.reconcile.records import InvoiceLine, LedgerLine, MeterIndex, UsageRow
from govern.reconcile.tables import Getter, Table, open_text, table_format
from govern.timestamps import parse_rfc3339

_decoder = msgspec.json.Decoder(float_hook=Decimal)
ZERO = Decimal(0)
T = TypeVar("T")

# ---------------------------------------------------------------- sniffing


def input_kind(path: str | Path) -> str:
    """`usage` or `events`, by the first record: usage rows carry `kind: usage|adjustment`."""
    if table_format(path) == "csv":
        return "usage"
    with open_text(path) as stream:
        for text in stream:
            if not text.strip():
                continue
            try:
                record = _decoder.decode(text)
            except msgspec.DecodeError as exc:
                raise InputError(f"{path}:1: not valid JSON: {exc}") from None
            if isinstance(record, dict) and record.get("kind") in ("usage", "adjustment"):
                return "usage"
            return "events"
    return "usage"


# ---------------------------------------------------------------- usage rows

USAGE_KINDS = ("usage", "adjustment")
USAGE_STATUSES = ("closed", "open")


class UsageRecord(msgspec.Struct):
    """The public usage row format, as msgspec decodes (and type-checks) it in one step."""

    kind: str
    customer: str
    meter: str
    period_start: str
    period_end: str
    quantity: Decimal
    line_item: str
    meter_version: int | None = None
    status: str = "closed"
    dimensions: dict[str, Any] = {}
    posted_period_start: str | None = None
    posted_period_end: str | None = None


_usage_decoder = msgspec.json.Decoder(UsageRecord)
_ROW_ERRORS = (msgspec.ValidationError, msgspec.DecodeError, ValueError, InvalidOperation)


def read_usage(paths: Iterable[str | Path]) -> Iterator[UsageRow]:
    """Usage and adjustment rows from JSONL (`.jsonl`, `.jsonl.gz`) or CSV files, in order."""
    moments: dict[str, datetime] = {}
    for path in paths:
        records = _usage_csv(path) if table_format(path) == "csv" else _usage_jsonl(path)
        line = 0
        try:
            for line, record in records:
                yield _usage_row(record, moments, f"{path}:{line}")
        except _ROW_ERRORS as exc:
            raise InputError(f"{path}:{line}: usage row: {exc}") from None


def _usage_jsonl(path: str | Path) -> Iterator[tuple[int, UsageRecord]]:
    with open_text(path) as stream:
        for number, text in enumerate(stream, start=1):
            if text.strip():
                try:
                    yield number, _usage_decoder.decode(text)
                except _ROW_ERRORS as exc:
                    raise InputError(f"{path}:{number}: usage row: {exc}") from None


def _usage_csv(path: str | Path) -> Iterator[tuple[int, UsageRecord]]:
    """`govern aggregate --format csv`: one column per key, `dimensions.<name>` per dimension
    (or one `dimensions` column of JSON); an empty cell is null."""
    with open_text(path) as stream:
        reader = csv.DictReader(stream)
        for record in reader:
            if not any(value for value in record.values() if isinstance(value, str)):
                continue
            record = {key: (value if value != "" else None) for key, value in record.items()}
            dimensions = record.pop("dimensions", None)
            found = msgspec.json.decode(dimensions) if dimensions else {}
            for key in [k for k in record if k and k.startswith("dimensions.")]:
                found[key.removeprefix("dimensions.")] = record.pop(key)
            record["dimensions"] = found
            try:
                yield reader.line_num, usage_record(record)
            except _ROW_ERRORS as exc:
                raise InputError(f"{path}:{reader.line_num}: usage row: {exc}") from None


def usage_record(record: dict) -> UsageRecord:
    """A usage row from its JSON form (a dict), type-checked."""
    record = {key: value for key, value in record.items() if value is not None}
    return msgspec.convert(record, UsageRecord, strict=False)


def usage_row(record: dict, moments: dict[str, datetime], source: str = "") -> UsageRow:
    """One usage row from its JSON form (the public usage row format)."""
    return _usage_row(usage_record(record), moments, source)


def _usage_row(record: UsageRecord, moments: dict[str, datetime], source: str) -> UsageRow:
    kind = record.kind
    if kind not in USAGE_KINDS:
        raise ValueError(f"kind must be usage or adjustment, not {kind!r}")
    if record.status not in USAGE_STATUSES:
        raise ValueError(f"status must be closed or open, not {record.status!r}")
    for name in ("customer", "meter", "line_item"):
        if not getattr(record, name):
            raise ValueError(f"'{name}' is empty")
    posted_start = posted_end = None
    if kind == "adjustment":
        if record.posted_period_start is None or record.posted_period_end is None:
            raise ValueError("an adjustment needs posted_period_start and posted_period_end")
        posted_start = _moment(record.posted_period_start, moments)
        posted_end = _moment(record.posted_period_end, moments)
    return UsageRow(
        kind,
        record.customer,
        record.meter,
        record.meter_version,
        _moment(record.period_start, moments),
        _moment(record.period_end, moments),
        record.quantity,
        record.status,
        record.line_item,
        posted_start,
        posted_end,
        record.dimensions,
        source,
    )


def _moment(text: str, cache: dict[str, datetime]) -> datetime:
    found = cache.get(text)
    if found is None:
        found = cache[text] = parse_rfc3339(text)
    return found


# ---------------------------------------------------------------- mapped exports


class Memo(dict):
    """A dict that computes a missing value once: `memo[raw]` is a plain dict lookup after
    the first time, which is what keeps a million rows over a few hundred distinct
    customers, line items and period bounds cheap."""

    def __init__(self, compute: Callable[[Any], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


def customer_reader(spec: CustomerSpec, base: Path | None) -> Memo:
    """Billing customer text -> govern customer id (pattern, then aliases)."""
    pattern = None
    if spec.pattern:
        try:
            pattern = re.compile(spec.pattern)
        except re.error as exc:
            raise InputError(f"customer.pattern {spec.pattern!r} is not a regex: {exc}") from None
    aliases = {**_aliases_file(spec.aliases_file, base), **spec.aliases}

    def compute(raw: str | None) -> str:
        text = _present(raw, spec.column)
        if pattern is not None:
            match = pattern.search(text)
            if not match:
                raise ValueError(f"customer {raw!r} does not match {spec.pattern!r}")
            if "customer" in pattern.groupindex:
                text = match.group("customer")
            else:
                text = match.group(1) if pattern.groups else match.group(0)
        return aliases.get(text, text)

    return Memo(compute)


def _present(raw: str | None, column: str) -> str:
    if raw is None or not raw.strip():
        raise ValueError(f"{column} is empty")
    return raw.strip()


def _aliases_file(name: str | None, base: Path | None) -> dict[str, str]:
    """A two-column CSV (billing id, customer) with a header line."""
    if not name:
        return {}
    path = Path(name) if Path(name).is_absolute() or base is None else base / name
    aliases: dict[str, str] = {}
    with open_text(path) as stream:
        reader = csv.reader(stream)
        next(reader, None)
        for row in reader:
            if len(row) >= 2 and row[0].strip():
                aliases[row[0].strip()] = row[1].strip()
    return aliases


def line_item_reader(spec: LineItemSpec, meters: MeterIndex) -> Memo:
    """Billing line item text -> govern line item (`map`, then meter name if `key: meter`)."""

    def compute(raw: str | None) -> str:
        text = _present(raw, spec.column)
        text = spec.map.get(text, text)
        if spec.key == "meter":
            text = meters.line_item_of_meter(text) or text
        return text

    return Memo(compute)


def number_reader(spec: NumberSpec, table: Table) -> Callable[[Any, str | None], Decimal]:
    """`(column - minus...) / divisor` as an exact decimal; an empty cell counts as 0."""
    main = table.getter(spec.column)
    minus = [(table.getter(column), column) for column in spec.minus]
    divisors = {code.upper(): _divide_by(value) for code, value in spec.divisors.items()}
    default = _divide_by(spec.divisor)
    column = spec.column

    def read(row: Any, currency: str | None) -> Decimal:
        text = main(row)
        try:
            value = Decimal(text)
        except (InvalidOperation, TypeError):
            value = _cell(text, column)
        if not value.is_finite():
            raise ValueError(f"{column} {text!r} is not a finite number")
        for getter, name in minus:
            value -= _cell(getter(row), name)
        divide = divisors.get(currency, default) if divisors and currency else default
        return value if divide is None else divide(value)

    return read


def _divide_by(divisor: Decimal) -> Callable[[Decimal], Decimal] | None:
    """Division by a power of ten shifts the point, keeping cents as cents (500 -> 5.00)."""
    if divisor == 1:
        return None
    _sign, digits, exponent = divisor.normalize().as_tuple()
    if digits == (1,) and isinstance(exponent, int):
        return lambda value: value.scaleb(-exponent)
    return lambda value: value / divisor


def _cell(text: str | None, column: str) -> Decimal:
    if text is None or not text.strip():
        return ZERO
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{column} {text!r} is not a decimal number") from None


def _where(table: Table, mapping: TableSpec) -> Callable[[Any], bool] | None:
    """Which rows count: every `where` column allows the row, no `exclude` column refuses it.

    None when every row counts (the readers then skip the test).
    """
    wanted = [(table.getter(c), frozenset(values)) for c, values in mapping.where.items()]
    refused = [(table.getter(c), frozenset(values)) for c, values in mapping.exclude.items()]
    if not wanted and not refused:
        return None

    def keep(row: Any) -> bool:
        for get, allowed in wanted:
            if get(row) not in allowed:
                return False
        for get, values in refused:  # noqa: SIM110 (a loop is faster than all() here)
            if get(row) in values:
                return False
        return True

    return keep


def _currency(table: Table, mapping: TableSpec) -> Callable[[Any], str | None]:
    """Row -> its currency code, upper case (None without a currency column)."""
    if mapping.currency is None:
        return _nothing
    get = table.getter(mapping.currency.column)
    codes = Memo(lambda raw: (raw.strip().upper() or None) if raw else None)
    return lambda row: codes[get(row)]


def _period_getters(table: Table, mapping: TableSpec) -> tuple[Getter, Getter]:
    """The period's start and end text of a row (the end None without an end column)."""
    spec = mapping.period
    return table.getter(spec.start), (table.getter(spec.end) if spec.end else _nothing)


def _bounds(mapping: TableSpec, zone_of: Callable[[Any], str]) -> Memo:
    """(start text, end text, what decides the zone) -> validated (start, end)."""
    spec = mapping.period
    periods = PeriodReader(spec)

    def compute(key: tuple[str | None, str | None, Any]) -> tuple[datetime, datetime]:
        start_text, end_text, zone_key = key
        start_text = _present(start_text, spec.start)
        if spec.end is not None:
            end_text = _present(end_text, spec.end)
        zone = zone_of(zone_key)
        start = periods.start(start_text, zone)
        end = periods.end(end_text, start_text, zone)
        if end <= start:
            raise ValueError(f"period ends ({end_text}) before it starts ({start_text})")
        return start, end

    return Memo(compute)


def _table(path: str | Path, mapping: TableSpec) -> Table:
    return Table(str(path), table_format(path, mapping.format), mapping.delimiter, mapping.explode)


def read_invoices(
    path: str | Path,
    mapping: InvoiceMapping,
    meters: MeterIndex,
    base: Path | None = None,
) -> Iterator[InvoiceLine]:
    """Invoice lines of one export, mapped into govern's terms, rows outside `where` skipped."""
    table = _table(path, mapping)
    keep = _where(table, mapping)
    get_customer = table.getter(mapping.customer.column)
    get_line_item = table.getter(mapping.line_item.column)
    get_start, get_end = _period_getters(table, mapping)
    customers = customer_reader(mapping.customer, base)
    line_items = line_item_reader(mapping.line_item, meters)
    currency = _currency(table, mapping)
    quantity = number_reader(mapping.quantity, table)
    amount = number_reader(mapping.amount, table) if mapping.amount else None
    if mapping.period.timezone == METER_TIMEZONE:
        bounds = _bounds(mapping, lambda item: meters.timezone(item) or "UTC")
    else:
        bounds = _bounds(mapping, lambda _item, zone=mapping.period.timezone: zone)

    def invoice_line(row: Any, source: str) -> InvoiceLine:
        item = line_items[get_line_item(row)]
        start, end = bounds[get_start(row), get_end(row), item]
        code = currency(row)
        return InvoiceLine(
            customers[get_customer(row)],
            item,
            start,
            end,
            quantity(row, code),
            amount(row, code) if amount is not None else None,
            code,
            source,
        )

    yield from _mapped_lines(path, table, keep, "invoice line", invoice_line)


def read_ledger(
    path: str | Path, mapping: LedgerMapping, base: Path | None = None
) -> Iterator[LedgerLine]:
    """Journal lines of one export, mapped into govern's terms."""
    table = _table(path, mapping)
    keep = _where(table, mapping)
    get_customer = table.getter(mapping.customer.column)
    get_account = table.getter(mapping.gl_account.column)
    get_start, get_end = _period_getters(table, mapping)
    customers = customer_reader(mapping.customer, base)
    accounts = Memo(lambda raw: _present(raw, mapping.gl_account.column))
    currency = _currency(table, mapping)
    amount = number_reader(mapping.amount, table)
    bounds = _bounds(mapping, lambda _key, zone=mapping.period.timezone: zone)

    def journal_line(row: Any, source: str) -> LedgerLine:
        start, end = bounds[get_start(row), get_end(row), None]
        code = currency(row)
        return LedgerLine(
            customers[get_customer(row)],
            accounts[get_account(row)],
            start,
            end,
            amount(row, code),
            code,
            source,
        )

    yield from _mapped_lines(path, table, keep, "journal line", journal_line)


def _mapped_lines(
    path: str | Path,
    table: Table,
    keep: Callable[[Any], bool] | None,
    what: str,
    line_of: Callable[[Any, str], T],
) -> Iterator[T]:
    """`line_of(row, "file:line")` for every row `keep` keeps; a row that cannot be mapped
    stops the run with `file:line: <what>: problem`."""
    for line, row in table.rows():
        if keep is not None and not keep(row):
            continue
        try:
            yield line_of(row, f"{path}:{line}")
        except (ValueError, ArithmeticError) as exc:
            raise InputError(f"{path}:{line}: {what}: {exc}") from None


def _nothing(_row: Any) -> None:
    return None
