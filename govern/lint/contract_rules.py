"""Lint rules for event contracts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from govern.catalog.catalog import ENVELOPE_TYPES, Catalog
from govern.catalog.durations import parse_duration
from govern.issues import Issue
from govern.lint.rules import rule

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE = re.compile(r"contracts/(?P<folder>[^/]+)/v(?P<version>[^/.]*)\.ya?ml$")


@rule(
    "CON001",
    "file name disagrees with the contract",
    "contracts/<name>/v<N>.yaml is how "
    "people and tools find a version; the file must say the same name and version",
)
def file_name_matches(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        match = _FILE.search(contract.file)
        if not match:
            continue
        if match["version"] != str(contract.version):
            yield Issue(
                "CON001",
                f"file is named v{match['version']} but says version {contract.version}",
                contract.location_of("version"),
                hint=f"rename the file to v{contract.version}.yaml or fix `version`",
            )
        if match["folder"] != contract.contract:
            yield Issue(
                "CON001",
                f"folder is '{match['folder']}' but the contract is '{contract.contract}'",
                contract.location_of("contract"),
            )


@rule(
    "CON002",
    "released contract without owner or description",
    "someone must answer for a released contract, and readers must know what it means",
)
def released_contract_documented(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        if contract.status != "released":
            continue
        for key in ("owner", "description"):
            if not getattr(contract, key):
                yield Issue(
                    "CON002", f"released contract {contract.ref} has no {key}", contract.location
                )


@rule(
    "CON003",
    "constraint does not fit the field type",
    "an enum of numbers on a string field, or a pattern on a number, can never be satisfied",
)
def constraints_fit_type(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        for name, spec in contract.fields.items():
            where = ("fields", name)
            for index, value in enumerate(spec.enum or []):
                if not _fits(spec.type, value):
                    yield Issue(
                        "CON003",
                        f"enum value {value!r} of field '{name}' is not a {spec.type}",
                        contract.location_of(*where, "enum", index),
                    )
            bounded = ("minimum", "maximum")
            lengths = ("min_length", "max_length", "pattern")
            for key in (*bounded, *lengths):
                if getattr(spec, key) is None:
                    continue
                wrong = (key in bounded and not spec.numeric) or (
                    key in lengths and spec.type != "string"
                )
                if wrong:
                    yield Issue(
                        "CON003",
                        f"'{key}' does not apply to {spec.type} field '{name}'",
                        contract.location_of(*where, key),
                    )


def _fits(kind: str, value: object) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (
            isinstance(value, int | Decimal)
            and not isinstance(value, bool)
            and (Decimal(value) == Decimal(value).to_integral_value())
        )
    if kind == "number":
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    return False


@rule("CON004", "invalid pattern", "a pattern that does not compile rejects every event")
def patterns_compile(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        for name, spec in contract.fields.items():
            if spec.pattern is None:
                continue
            try:
                re.compile(spec.pattern)
            except re.error as exc:
                yield Issue(
                    "CON004",
                    f"pattern of field '{name}' is not a valid regular expression: {exc}",
                    contract.location_of("fields", name, "pattern"),
                )


@rule(
    "CON005",
    "empty range",
    "minimum above maximum (or min_length above max_length) makes the field impossible to satisfy",
)
def ranges_not_empty(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        for name, spec in contract.fields.items():
            for low, high in (("minimum", "maximum"), ("min_length", "max_length")):
                low_value, high_value = getattr(spec, low), getattr(spec, high)
                if low_value is not None and high_value is not None and low_value > high_value:
                    yield Issue(
                        "CON005",
                        f"field '{name}': {low} {low_value} is above {high} {high_value}",
                        contract.location_of("fields", name, low),
                    )


@rule(
    "CON006",
    "dedup key names an unknown field",
    "deduplication on a field that does not exist would merge unrelated events",
)
def dedup_key_known(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        for index, name in enumerate(contract.dedup_key):
            if name not in contract.fields and name not in ENVELOPE_TYPES:
                yield Issue(
                    "CON006",
                    f"dedup_key names unknown field '{name}'",
                    contract.location_of("dedup_key", index),
                    hint="use envelope attributes (source, id, subject, type) or data fields",
                )
            elif name in contract.fields and not contract.fields[name].required:
                yield Issue(
                    "CON006",
                    f"dedup_key field '{name}' must be required",
                    contract.location_of("dedup_key", index),
                )


@rule("CON007", "invalid clock skew", "clock_skew must be an ISO 8601 duration such as PT5M")
def clock_skew_valid(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        try:
            parse_duration(contract.clock_skew)
        except ValueError as exc:
            yield Issue("CON007", str(exc), contract.location_of("clock_skew"))


@rule(
    "CON008",
    "invalid name",
    "contract and field names become SQL columns and filter "
    "names: lower-case letters, digits and underscores, starting with a letter",
)
def names_are_identifiers(catalog: Catalog) -> Iterator[Issue]:
    for contract in catalog.all_contracts():
        if not IDENTIFIER.match(contract.contract):
            yield Issue(
                "CON008",
                f"contract name '{contract.contract}' is not an identifier",
                contract.location_of("contract"),
            )
        for name in contract.fields:
            if not IDENTIFIER.match(name):
                yield Issue(
                    "CON008",
                    f"field name '{name}' is not an identifier",
                    contract.location_of("fields", name),
                )


CONTRACT_RULES = (
    file_name_matches,
    released_contract_documented,
    constraints_fit_type,
    patterns_compile,
    ranges_not_empty,
    dedup_key_known,
    clock_skew_valid,
    names_are_identifiers,
)
