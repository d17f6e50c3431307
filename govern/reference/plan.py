"""A meter made ready to run: its envelope reader, timeline and, per version, the compiled
filter, dimension and value readers and quantity function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from sys import intern
from typing import Any

from govern.catalog.catalog import Catalog, field_type, stream_contract
from govern.catalog.filters import FilterError, parse_filter, referenced_fields
from govern.catalog.model import ENVELOPE_ROLES, Meter, MeterVersion
from govern.errors import InputError
from govern.reference.aggregations import quantity_function
from govern.reference.envelope import EnvelopeReader, Event, field_reader
from govern.reference.filter_eval import compile_filter
from govern.reference.periods import Period, Timeline

NUMERIC_VALUE = ("sum", "min", "max", "latest")
"""Aggregations whose result is the value itself: it must be a number to be a quantity."""


def canonical(value: Any) -> Any:
    """A dimension value in one form per number (`1.0` and `1` are one group); text is
    interned, so the many events of a group share one string."""
    if value.__class__ is str:
        return intern(value)
    if value.__class__ is Decimal:
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


@dataclass(frozen=True)
class VersionPlan:
    """One meter version, compiled."""

    version: MeterVersion
    passes: Callable[[Event], Any]
    dimension_names: tuple[str, ...]
    dimensions: Callable[[Event], tuple]
    value: Callable[[Event], Any] | None
    quantity: Callable[[Sequence[Event]], Decimal]
    reads: frozenset[str]
    """The field names its filter, group-by and value read."""
    decides: frozenset[str]
    """The field names its filter and group-by read: whether an event counts, and where."""
    value_field: str | None
    """The field its value reads (None: it counts)."""
    from_data: bool
    """Whether its filter, group-by and value read data fields only: then what it derives
    for an event follows from the event's data (its type and those values)."""

    def named(self, values: tuple) -> tuple[tuple[str, Any], ...]:
        """Dimension values with their group-by field names."""
        return tuple(zip(self.dimension_names, values, strict=True))


def _dimensions(readers: list[Callable[[Event], Any]]) -> Callable[[Event], tuple]:
    """The group-by values of an event, as a tuple (one reader: no loop)."""
    if len(readers) == 1:
        (read,) = readers
        return lambda event: (canonical(read(event)),)
    return lambda event: tuple(canonical(read(event)) for read in readers)


class MeterPlan:
    """Everything the engine needs to know about one meter, checked once."""

    def __init__(self, catalog: Catalog, meter_name: str):
        self.meter: Meter = catalog.meter(meter_name)
        self.contract_name = stream_contract(self.meter)
        contract = catalog.contract(self.contract_name)
        self.reader = EnvelopeReader(contract)
        self.timeline = Timeline(self.meter)
        self.versions = {v.version: _compile(catalog, self.meter, v) for v in self.meter.versions}
        self.reads = frozenset(contract.dedup_key).union(*(v.reads for v in self.versions.values()))
        """The field names the meter reads: dedup key, filters, group-bys and values."""
        self.decides = frozenset().union(*(v.decides for v in self.versions.values()))
        """The field names its filters and group-bys read."""

    def version_of(self, period: Period) -> VersionPlan:
        """The compiled version that computes `period`."""
        return self.versions[period.version.version]


def _compile(catalog: Catalog, meter: Meter, version: MeterVersion) -> VersionPlan:
    where = f"meter {meter.meter} v{version.version}"
    contract = catalog.contract_for(version)
    if contract is None:
        raise InputError(f"{where}: unknown contract '{version.contract}'")
    try:
        expression = parse_filter(version.filter) if version.filter else None
    except FilterError as exc:
        raise InputError(f"{where}: {exc.problem.message}") from None
    value = None
    if version.aggregation != "count":
        if not version.value:
            raise InputError(f"{where}: {version.aggregation} needs a `value` field")
        kind = field_type(contract, version.value)
        if version.aggregation in NUMERIC_VALUE and kind not in ("integer", "number"):
            raise InputError(
                f"{where}: {version.aggregation} needs a numeric value, "
                f"but '{version.value}' is {kind or 'not a field'} in {contract.ref}"
            )
        value = field_reader(version.value, contract)
    columns = referenced_fields(expression) if expression else []
    decides = frozenset([*columns, *version.group_by])
    value_field = version.value if value else None
    reads = decides.union([value_field] if value_field else [])
    return VersionPlan(
        version=version,
        passes=compile_filter(expression, contract),
        dimension_names=tuple(version.group_by),
        dimensions=_dimensions([field_reader(name, contract) for name in version.group_by]),
        value=value,
        quantity=quantity_function(version),
        reads=reads,
        decides=decides,
        value_field=value_field,
        from_data=not any(n in ENVELOPE_ROLES and n not in contract.fields for n in reads),
    )
