"""Lint rules for meters and their versions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from govern.catalog.catalog import Catalog, field_type
from govern.catalog.durations import parse_duration
from govern.catalog.filters import (
    FilterError,
    check_filter,
    compared_literals,
    parse_filter,
    parse_filter_or_none,
)
from govern.catalog.model import Contract, Meter, MeterVersion
from govern.issues import Issue, Severity
from govern.lint.rules import rule

NEEDS_VALUE = ("sum", "min", "max", "unique_count", "latest")
NEEDS_NUMBER = ("sum", "min", "max")


def _versions(catalog: Catalog) -> Iterator[tuple[Meter, MeterVersion, Contract | None]]:
    for meter in catalog.meters.values():
        for version in meter.versions:
            yield meter, version, catalog.contract_for(version)


def _read_versions(catalog: Catalog) -> Iterator[tuple[Meter, MeterVersion, Contract]]:
    """The meter versions whose contract exists (rules about fields need it)."""
    for meter, version, contract in _versions(catalog):
        if contract is not None:
            yield meter, version, contract


def _consecutive_versions(catalog: Catalog) -> Iterator[tuple[MeterVersion, MeterVersion]]:
    for meter in catalog.meters.values():
        yield from pairwise(meter.versions)


@rule(
    "MTR001",
    "unknown contract or contract version",
    "a meter must read events that a contract defines",
)
def contract_exists(catalog: Catalog) -> Iterator[Issue]:
    for meter, version, contract in _versions(catalog):
        if contract is None:
            known = version.contract_name in catalog.contracts
            what = f"version {version.contract_version} of contract" if known else "contract"
            yield Issue(
                "MTR001",
                f"meter {meter.meter} v{version.version} reads unknown {what} "
                f"'{version.contract_name}'",
                version.location_of("contract"),
                hint=f"known contracts: {', '.join(catalog.contracts) or 'none'}",
            )


@rule(
    "MTR002",
    "unknown field",
    "a filter, value or group_by that names a field the "
    "contract does not have would silently match nothing",
)
def fields_exist(catalog: Catalog) -> Iterator[Issue]:
    for _, version, contract in _read_versions(catalog):
        if version.value and field_type(contract, version.value) is None:
            yield Issue(
                "MTR002",
                f"value field '{version.value}' is not in contract {contract.ref}",
                version.location_of("value"),
            )
        for index, name in enumerate(version.group_by):
            if field_type(contract, name) is None:
                yield Issue(
                    "MTR002",
                    f"group_by field '{name}' is not in contract {contract.ref}",
                    version.location_of("group_by", index),
                )


@rule(
    "MTR003",
    "filter outside the safe SQL subset",
    "only constructs that every engine evaluates the same way are allowed",
)
def filter_parses(catalog: Catalog) -> Iterator[Issue]:
    for _, version, _ in _versions(catalog):
        if version.filter is None:
            continue
        try:
            parse_filter(version.filter)
        except FilterError as exc:
            yield Issue(
                "MTR003",
                exc.problem.message,
                version.location_in("filter", exc.problem.offset),
            )


@rule(
    "MTR004",
    "filter type error",
    "comparing text with a number, or arithmetic on text, "
    "means different things in different engines",
)
def filter_types(catalog: Catalog) -> Iterator[Issue]:
    for _, version, contract in _read_versions(catalog):
        expression = parse_filter_or_none(version.filter)
        if expression is None:
            continue
        for problem in check_filter(expression, partial(field_type, contract)):
            yield Issue(
                problem.rule,
                f"{problem.message} (contract {contract.ref})",
                version.location_in("filter", problem.offset),
            )


@rule(
    "MTR005",
    "value does not fit the aggregation",
    "sum, min, max, unique_count and latest need a value field; count must not have one",
)
def value_present(catalog: Catalog) -> Iterator[Issue]:
    for meter, version, _ in _versions(catalog):
        if version.aggregation in NEEDS_VALUE and not version.value:
            yield Issue(
                "MTR005",
                f"meter {meter.meter} v{version.version}: "
                f"{version.aggregation} needs a `value` field",
                version.location_of("aggregation"),
            )
        if version.aggregation == "count" and version.value:
            yield Issue(
                "MTR005",
                f"meter {meter.meter} v{version.version}: count takes no `value`",
                version.location_of("value"),
                hint="remove `value`, or use unique_count to count distinct values",
            )


@rule(
    "MTR006",
    "value field not a required number",
    "sum, min and max over an optional "
    "or non-numeric field are ambiguous (what is the sum of a missing value?)",
)
def value_numeric(catalog: Catalog) -> Iterator[Issue]:
    for _, version, contract in _read_versions(catalog):
        if version.aggregation not in NEEDS_NUMBER or not version.value:
            continue
        spec = contract.fields.get(version.value)
        if spec is None:
            continue
        if not spec.numeric:
            problem = f"is a {spec.type}"
        elif not spec.required:
            problem = "is optional"
        else:
            continue
        yield Issue(
            "MTR006",
            f"{version.aggregation} needs a required number, but '{version.value}' "
            f"{problem} in contract {contract.ref}",
            version.location_of("value"),
        )


@rule(
    "MTR007",
    "filter compares with a value outside the enum",
    "a literal that the contract's enum does not allow can never match",
    Severity.WARNING,
)
def filter_literals_in_enum(catalog: Catalog) -> Iterator[Issue]:
    for _, version, contract in _read_versions(catalog):
        expression = parse_filter_or_none(version.filter)
        if expression is None:
            continue
        for name, values in sorted(compared_literals(expression).items()):
            spec = contract.fields.get(name)
            if spec is None or spec.enum is None:
                continue
            allowed = {str(value) for value in spec.enum}
            for value in sorted(values - allowed):
                yield Issue(
                    "MTR007",
                    f"filter compares '{name}' with '{value}', which its enum does not allow",
                    version.location_of("filter"),
                    severity=Severity.WARNING,
                )


@rule(
    "MTR008",
    "invalid time zone",
    "the period's time zone must be an IANA name such as "
    "Europe/Paris, or periods cannot be computed",
)
def timezone_valid(catalog: Catalog) -> Iterator[Issue]:
    for _, version, _ in _versions(catalog):
        if _zone(version.period.timezone) is None:
            yield Issue(
                "MTR008",
                f"'{version.period.timezone}' is not an IANA time zone",
                version.period.location_of("timezone"),
                hint="for example UTC, America/New_York, Asia/Kolkata",
            )


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@rule(
    "MTR009",
    "invalid grace duration",
    "late.grace must be a fixed-length ISO 8601 duration such as P3D",
)
def grace_valid(catalog: Catalog) -> Iterator[Issue]:
    for _, version, _ in _versions(catalog):
        try:
            parse_duration(version.late.grace)
        except ValueError as exc:
            yield Issue("MTR009", str(exc), version.late.location_of("grace"))


@rule(
    "MTR010",
    "versions not increasing",
    "versions are listed oldest first, each "
    "number higher than the one before, so history reads in order",
)
def versions_increase(catalog: Catalog) -> Iterator[Issue]:
    for before, after in _consecutive_versions(catalog):
        if after.version <= before.version:
            yield Issue(
                "MTR010",
                f"version {after.version} follows version {before.version}",
                after.location_of("version"),
            )


@rule(
    "MTR011",
    "effective_from not increasing",
    "each version must take effect after the one it replaces",
)
def effective_from_increases(catalog: Catalog) -> Iterator[Issue]:
    for before, after in _consecutive_versions(catalog):
        if after.effective_from <= before.effective_from:
            yield Issue(
                "MTR011",
                f"v{after.version} takes effect {after.effective_from}, not after "
                f"v{before.version} ({before.effective_from})",
                after.location_of("effective_from"),
            )


@rule(
    "MTR012",
    "effective_from not on a period start",
    "a version computes whole periods: it must start where one of its periods starts",
)
def effective_from_on_period_start(catalog: Catalog) -> Iterator[Issue]:
    for meter, version, _ in _versions(catalog):
        if version.period.every == "month" and version.effective_from.day != 1:
            yield Issue(
                "MTR012",
                f"{meter.meter} v{version.version} has monthly periods but takes effect "
                f"{version.effective_from}, not on the 1st",
                version.location_of("effective_from"),
                hint=f"use {version.effective_from.replace(day=1)} or the 1st of the next month",
            )


@rule(
    "MTR013",
    "line item used twice",
    "each invoice line item must come from one meter, "
    "or usage would be counted twice on the invoice",
)
def line_items_unique(catalog: Catalog) -> Iterator[Issue]:
    owners: dict[str, Meter] = {}
    for meter in catalog.meters.values():
        first = owners.setdefault(meter.line_item, meter)
        if first is not meter:
            yield Issue(
                "MTR013",
                f"line item '{meter.line_item}' is also fed by meter {first.meter} "
                f"({first.location_of('line_item')})",
                meter.location_of("line_item"),
            )


@rule(
    "MTR014",
    "released meter without owner or description",
    "Finance needs to know who answers for a billed quantity and what it means",
)
def released_meter_documented(catalog: Catalog) -> Iterator[Issue]:
    for meter in catalog.meters.values():
        released = [v for v in meter.versions if v.status == "released"]
        if released and not meter.owner:
            yield Issue(
                "MTR014", f"meter {meter.meter} is released but has no owner", meter.location
            )
        for version in released:
            if not version.description:
                yield Issue(
                    "MTR014",
                    f"released version {version.version} of {meter.meter} has no description",
                    version.location,
                )


_METER_FILE = re.compile(r"meters/(?P<name>[^/]+)\.ya?ml$")
_METER_TESTS_FILE = re.compile(r"meters/(?P<name>[^/]+)\.tests\.ya?ml$")


@rule(
    "MTR015",
    "file name disagrees with the meter",
    "meters/<name>.yaml is how people and tools find a meter",
)
def meter_file_name_matches(catalog: Catalog) -> Iterator[Issue]:
    for meter in catalog.meters.values():
        match = _METER_FILE.search(meter.file)
        if match and match["name"] != meter.meter:
            yield Issue(
                "MTR015",
                f"file is named {match['name']} but defines meter '{meter.meter}'",
                meter.location_of("meter"),
            )


@rule(
    "MTR016",
    "tests for an unknown meter",
    "a tests file whose meter does not exist tests nothing",
)
def tests_name_a_meter(catalog: Catalog) -> Iterator[Issue]:
    for suite in catalog.tests.values():
        if suite.meter not in catalog.meters:
            yield Issue(
                "MTR016",
                f"tests are for unknown meter '{suite.meter}'",
                suite.location_of("meter"),
            )
        match = _METER_TESTS_FILE.search(suite.file)
        if match and match["name"] != suite.meter:
            yield Issue(
                "MTR016",
                f"file is named {match['name']}.tests but tests meter '{suite.meter}'",
                suite.location_of("meter"),
            )


METER_RULES = (
    contract_exists,
    fields_exist,
    filter_parses,
    filter_types,
    value_present,
    value_numeric,
    filter_literals_in_enum,
    timezone_valid,
    grace_valid,
    versions_increase,
    effective_from_increases,
    effective_from_on_period_start,
    line_items_unique,
    released_meter_documented,
    meter_file_name_matches,
    tests_name_a_meter,
)
