"""Rows of a CSV or JSONL export, streamed, with a fast getter per column.

A CSV column is a header name. A JSONL column is a dotted path (`price.lookup_key`); with
`explode: line_items` every element of that list is a row, and a path starting with `/`
is read from the enclosing record instead (`/customer.external_customer_id`).
Every value is returned as text (JSON numbers keep their exact decimal digits), or None
when absent, so both formats feed the same parsers.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

import msgspec
import orjson

from govern.errors import InputError

Getter = Callable[[Any], "str | None"]

_decoder = msgspec.json.Decoder(float_hook=Decimal)


def table_format(path: str | Path, declared: str | None = None) -> str:
    """`csv` or `jsonl`: as declared, else from the file name (`.gz` looked through)."""
    if declared:
        return declared
    name = str(path).lower().removesuffix(".gz")
    return "jsonl" if name.endswith((".jsonl", ".ndjson", ".json")) else "csv"


def open_text(path: str | Path) -> io.TextIOBase:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")  # type: ignore[return-value]
    return path.open(encoding="utf-8-sig", newline="")


@dataclass
class Table:
    """One export file: `rows()` yields `(line number, row)`; `getter(column)` reads a value."""

    path: str
    format: str
    delimiter: str = ","
    explode: str | None = None
    _header: dict[str, int] | None = None

    def rows(self) -> Iterator[tuple[int, Any]]:
        if self.format == "csv":
            yield from self._csv_rows()
        else:
            yield from self._jsonl_rows()

    # ------------------------------------------------------------ CSV

    def header(self) -> dict[str, int]:
        if self._header is None:
            with open_text(self.path) as stream:
                first = next(csv.reader(stream, delimiter=self.delimiter), None)
            if not first:
                raise InputError(f"{self.path}: empty file, expected a header line")
            self._header = {name.strip(): index for index, name in enumerate(first)}
        return self._header

    def _csv_rows(self) -> Iterator[tuple[int, Any]]:
        width = len(self.header())
        with open_text(self.path) as stream:
            reader = csv.reader(stream, delimiter=self.delimiter)
            try:
                next(reader, None)
                for row in reader:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    if len(row) < width:
                        row.extend([""] * (width - len(row)))
                    yield reader.line_num, row
            except (csv.Error, UnicodeDecodeError) as exc:
                raise InputError(f"{self.path}:{reader.line_num}: not valid CSV: {exc}") from None

    # ------------------------------------------------------------ JSONL

    def _jsonl_rows(self) -> Iterator[tuple[int, Any]]:
        with open_text(self.path) as stream:
            for number, text in enumerate(stream, start=1):
                if not text.strip():
                    continue
                try:
                    record = _decoder.decode(text)
                except msgspec.DecodeError as exc:
                    raise InputError(f"{self.path}:{number}: not valid JSON: {exc}") from None
                if not isinstance(record, dict):
                    raise InputError(f"{self.path}:{number}: expected a JSON object")
                if self.explode is None:
                    yield number, (record, record)
                    continue
                items = _walk(record, self.explode.split("."))
                if not isinstance(items, list):
                    raise InputError(f"{self.path}:{number}: '{self.explode}' is not a list")
                for item in items:
                    yield number, (item, record)

    # ------------------------------------------------------------ access

    def getter(self, column: str) -> Getter:
        """A function reading `column` from a row; a column the CSV lacks is an error."""
        if self.format == "csv":
            header = self.header()
            if column not in header:
                raise InputError(
                    f"{self.path}: no column '{column}' (columns: {', '.join(header)})"
                )
            return itemgetter(header[column])
        outer = column.startswith("/")
        parts = column.lstrip("/").split(".")
        index = 1 if outer else 0

        def get(row: Any) -> str | None:
            return _text(_walk(row[index], parts))

        return get


def _walk(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return orjson.dumps(value).decode()
