"""Readers: usage rows (govern's JSONL or CSV), invoice lines and journal lines (mapped).

Every reader streams: one row in memory at a time, so the matcher decides what to keep.
A row that cannot be read stops the run with `file:line: problem` (exit code 2); a
reconciliation over half-read input would be a wrong answer, not a partial one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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


def read_usage(paths: Iterable[str | Path]) -> Iterator[UsageRow]:
    """Usage and adjustment rows from JSONL (`.jsonl`, `.jsonl.gz`) or CSV files, in order."""
    moments: dict[str, Any] = {}
    for path in paths:
        rows = _usage_csv(path) if table_format(path) == "csv" else _usage_jsonl(path)
        for line, record in rows:
            try:
                yield usage_row(record, moments, f"{path}:{line}")
            except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
                raise InputError(f"{path}:{line}: usage row: {_reason(exc)}") from None


def _usage_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    with open_text(path) as stream:
        for number, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            try:
                record = _decoder.decode(text)
            except msgspec.DecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON: {exc}") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: expected a JSON object")
            yield number, record


def _usage_csv(path: str | Path) -> Iterator[tuple[int, dict]]:
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
            yield reader.line_num, record


def usage_row(record: dict, moments: dict[str, Any], source: str = "") -> UsageRow:
    """One usage row from its JSON form (the public usage row format)."""
    kind = record["kind"]
    if kind not in USAGE_KINDS:
        raise ValueError(f"kind must be usage or adjustment, not {kind!r}")
    status = record.get("status") or "closed"
    if status not in USAGE_STATUSES:
        raise ValueError(f"status must be closed or open, not {status!r}")
    posted_start = posted_end = None
    if kind == "adjustment":
        posted_start = _moment(record["posted_period_start"], moments)
        posted_end = _moment(record["posted_period_end"], moments)
    version = record.get("meter_version")
    return UsageRow(
        kind=kind,
        customer=_required(record, "customer"),
        meter=_required(record, "meter"),
        meter_version=int(version) if version is not None else None,
        period_start=_moment(record["period_start"], moments),
        period_end=_moment(record["period_end"], moments),
        quantity=_decimal(record["quantity"]),
        status=status,
        line_item=_required(record, "line_item"),
        posted_period_start=posted_start,
        posted_period_end=posted_end,
        dimensions=record.get("dimensions") or {},
        source=source,
    )


def _required(record: dict, key: str) -> str:
    value = record[key]
    if value is None or value == "":
        raise ValueError(f"'{key}' is empty")
    return str(value)


def _moment(text: Any, cache: dict[str, Any]):
    found = cache.get(text)
    if found is None:
        if not isinstance(text, str):
            raise ValueError(f"expected an RFC 3339 timestamp, got {text!r}")
        found = cache[text] = parse_rfc3339(text)
    return found


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.strip())
    raise ValueError(f"expected a decimal, got {value!r}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing '{exc.args[0]}'"
    if isinstance(exc, InvalidOperation):
        return "a number is not a decimal"
    return str(exc)


# ---------------------------------------------------------------- mapped exports


def customer_reader(spec: CustomerSpec, base: Path | None) -> Callable[[str], str]:
    """Billing customer text -> govern customer id (pattern, then aliases); cached."""
    pattern = None
    if spec.pattern:
        try:
            pattern = re.compile(spec.pattern)
        except re.error as exc:
            raise InputError(f"customer.pattern {spec.pattern!r} is not a regex: {exc}") from None
    aliases = {**_aliases_file(spec.aliases_file, base), **spec.aliases}
    cache: dict[str, str] = {}

    def read(raw: str) -> str:
        found = cache.get(raw)
        if found is None:
            text = raw.strip()
            if pattern is not None:
                match = pattern.search(text)
                if not match:
                    raise ValueError(f"customer {raw!r} does not match {spec.pattern!r}")
                if "customer" in pattern.groupindex:
                    text = match.group("customer")
                else:
                    text = match.group(1) if pattern.groups else match.group(0)
            found = cache[raw] = aliases.get(text, text)
        return found

    return read


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


def line_item_reader(spec: LineItemSpec, meters: MeterIndex) -> Callable[[str], str]:
    cache: dict[str, str] = {}

    def read(raw: str) -> str:
        found = cache.get(raw)
        if found is None:
            text = raw.strip()
            text = spec.map.get(text, text)
            if spec.key == "meter":
                text = meters.line_item_of_meter(text) or text
            found = cache[raw] = text
        return found

    return read


def number_reader(spec: NumberSpec, table: Table) -> Callable[[Any, str | None], Decimal]:
    """`(column - minus...) / divisor` as an exact decimal; an empty cell counts as 0."""
    main = table.getter(spec.column)
    minus = [table.getter(column) for column in spec.minus]
    divisors = {code.upper(): _divide_by(value) for code, value in spec.divisors.items()}
    default = _divide_by(spec.divisor)

    def read(row: Any, currency: str | None) -> Decimal:
        value = _cell(main(row), spec.column)
        for getter, column in zip(minus, spec.minus, strict=True):
            value -= _cell(getter(row), column)
        return (divisors.get(currency, default) if currency else default)(value)

    return read


def _divide_by(divisor: Decimal) -> Callable[[Decimal], Decimal]:
    """Division by a power of ten shifts the point, keeping cents as cents (500 -> 5.00)."""
    if divisor == 1:
        return lambda value: value
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


def _text(getter: Getter, row: Any, what: str) -> str:
    value = getter(row)
    if value is None or not value.strip():
        raise ValueError(f"{what} is empty")
    return value


def _where(table: Table, mapping: TableSpec) -> Callable[[Any], bool]:
    """Which rows count: every `where` column allows the row, no `exclude` column refuses it."""
    wanted = [(table.getter(c), frozenset(values)) for c, values in mapping.where.items()]
    refused = [(table.getter(c), frozenset(values)) for c, values in mapping.exclude.items()]

    def keep(row: Any) -> bool:
        return all(get(row) in allowed for get, allowed in wanted) and not any(
            get(row) in values for get, values in refused
        )

    return keep


def _currency(table: Table, mapping: TableSpec) -> Callable[[Any], str | None]:
    if mapping.currency is None:
        return lambda _row: None
    getter = table.getter(mapping.currency.column)

    def read(row: Any) -> str | None:
        value = getter(row)
        return (value.strip().upper() or None) if value else None

    return read


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
    get_start = table.getter(mapping.period.start)
    get_end = table.getter(mapping.period.end) if mapping.period.end else None
    customer = customer_reader(mapping.customer, base)
    line_item = line_item_reader(mapping.line_item, meters)
    currency_of = _currency(table, mapping)
    quantity = number_reader(mapping.quantity, table)
    amount = number_reader(mapping.amount, table) if mapping.amount else None
    periods = PeriodReader(mapping.period)
    fixed_zone = mapping.period.timezone if mapping.period.timezone != METER_TIMEZONE else None
    for line, row in table.rows():
        if not keep(row):
            continue
        try:
            item = line_item(_text(get_line_item, row, mapping.line_item.column))
            zone = fixed_zone or meters.timezone(item) or "UTC"
            start_text = _text(get_start, row, mapping.period.start)
            end_text = _text(get_end, row, mapping.period.end or "") if get_end else None
            start = periods.start(start_text, zone)
            end = periods.end(end_text, start_text, zone)
            if end <= start:
                raise ValueError(f"period ends ({end_text}) before it starts ({start_text})")
            currency = currency_of(row)
            yield InvoiceLine(
                customer=customer(_text(get_customer, row, mapping.customer.column)),
                line_item=item,
                period_start=start,
                period_end=end,
                quantity=quantity(row, currency),
                amount=amount(row, currency) if amount else None,
                currency=currency,
                source=f"{path}:{line}",
            )
        except (ValueError, ArithmeticError) as exc:
            raise InputError(f"{path}:{line}: invoice line: {exc}") from None


def read_ledger(
    path: str | Path, mapping: LedgerMapping, base: Path | None = None
) -> Iterator[LedgerLine]:
    """Journal lines of one export, mapped into govern's terms."""
    table = _table(path, mapping)
    keep = _where(table, mapping)
    get_customer = table.getter(mapping.customer.column)
    get_account = table.getter(mapping.gl_account.column)
    get_start = table.getter(mapping.period.start)
    get_end = table.getter(mapping.period.end) if mapping.period.end else None
    customer = customer_reader(mapping.customer, base)
    currency_of = _currency(table, mapping)
    amount = number_reader(mapping.amount, table)
    periods = PeriodReader(mapping.period)
    zone = mapping.period.timezone
    for line, row in table.rows():
        if not keep(row):
            continue
        try:
            start_text = _text(get_start, row, mapping.period.start)
            end_text = _text(get_end, row, mapping.period.end or "") if get_end else None
            start = periods.start(start_text, zone)
            end = periods.end(end_text, start_text, zone)
            if end <= start:
                raise ValueError(f"period ends ({end_text}) before it starts ({start_text})")
            currency = currency_of(row)
            yield LedgerLine(
                customer=customer(_text(get_customer, row, mapping.customer.column)),
                gl_account=_text(get_account, row, mapping.gl_account.column).strip(),
                period_start=start,
                period_end=end,
                amount=amount(row, currency),
                currency=currency,
                source=f"{path}:{line}",
            )
        except (ValueError, ArithmeticError) as exc:
            raise InputError(f"{path}:{line}: journal line: {exc}") from None
