"""The customer mapping: which customer each `subject` (alias) belongs to.

A CSV file with the header `subject,customer`, one alias a line. A subject mapped twice
is an input error, even to the same customer: the file must say one thing.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from govern.errors import InputError

HEADER = ["subject", "customer"]


def load_customers(path: str | Path) -> dict[str, str]:
    """Read a mapping file into `{subject: customer}`; InputError with file:line if bad."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as stream:
            return parse_customers(csv.reader(stream), str(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def parse_customers(rows: csv.Reader | list[list[str]], name: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    first: dict[str, int] = {}
    header_seen = False
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if not header_seen:
            if cells != HEADER:
                raise InputError(f"{name}:{number}: the header must be 'subject,customer'")
            header_seen = True
            continue
        if len(cells) != 2 or not all(cells):
            raise InputError(f"{name}:{number}: expected 'subject,customer', got {row!r}")
        subject, customer = cells
        if subject in mapping:
            raise InputError(
                f"{name}:{number}: subject '{subject}' is mapped twice (also on line "
                f"{first[subject]})"
            )
        mapping[subject], first[subject] = customer, number
    if not header_seen:
        raise InputError(f"{name}: empty; the header must be 'subject,customer'")
    return mapping


def customer_mapping(customers: Mapping[str, str] | str | Path | None) -> Mapping[str, str] | None:
    """A mapping from what the API accepts: a file path, a mapping, or None (no mapping)."""
    if customers is None or isinstance(customers, Mapping):
        return customers
    return load_customers(customers)
