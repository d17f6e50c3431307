"""Column mappings: how a billing system's export maps onto invoice lines and journal lines.

A mapping is data (YAML), never code, so a Stripe, Lago or Orb export reconciles without
a line of Python. Presets ship in `govern/reconcile/presets/`; a user's mapping file may
start from one (`preset: stripe`) and override whole top-level keys.

Every key is described in docs/reconciliation.md.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from govern.catalog.yaml_source import YamlError, load_yaml
from govern.errors import InputError
from govern.issues import Issue, Location

TimeFormat = Literal["rfc3339", "unix", "datetime", "date", "month"]
MapKind = Literal["invoices", "ledger"]
METER_TIMEZONE = "meter"
"""`timezone: meter` reads dates in the time zone of the meter that feeds the line item."""


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(Spec):
    """One column, taken as text."""

    column: str


class CustomerSpec(Spec):
    """How to build govern's customer id from the export.

    `pattern` (a regular expression with a group named `customer`, else group 1) extracts
    part of the column; `aliases` (inline) and `aliases_file` (CSV: billing id, customer)
    then translate billing-system ids into govern customer ids. Unlisted ids pass through.
    """

    column: str
    pattern: str | None = None
    aliases: dict[str, str] = Field(default_factory=dict)
    aliases_file: str | None = None


class LineItemSpec(Spec):
    """Which column names the line item.

    `map` translates billing keys (a Stripe price lookup key, say) to govern line items.
    `key: meter` says the column holds a govern meter name (Lago's billable metric code)
    which the catalog turns into that meter's line item.
    """

    column: str
    key: Literal["line_item", "meter"] = "line_item"
    map: dict[str, str] = Field(default_factory=dict)


class PeriodSpec(Spec):
    """Where the period bounds are and how to read them.

    `end` may be left out for `format: month` (the period is the calendar month of `start`).
    `end_inclusive: true` means `end` names the last day (date, month) or the last second
    (timestamps) of the period; govern turns it into the exclusive end it uses everywhere.
    """

    start: str
    end: str | None = None
    format: TimeFormat = "rfc3339"
    timezone: str = "UTC"
    end_inclusive: bool = False

    @model_validator(mode="after")
    def _end_needed(self) -> PeriodSpec:
        if self.end is None and self.format != "month":
            raise ValueError(f"'end' is required unless format is 'month' (format: {self.format})")
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value != METER_TIMEZONE:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"'{value}' is not an IANA time zone (or 'meter')") from None
        return value


class NumberSpec(Spec):
    """A decimal column: `value = (column - sum(minus)) / divisor`.

    `divisors` overrides `divisor` per currency (e.g. `{JPY: 1}` when amounts are in
    minor units, whose size depends on the currency).
    """

    column: str
    minus: list[str] = Field(default_factory=list)
    divisor: Decimal = Field(default=Decimal(1), gt=0)
    divisors: dict[str, Decimal] = Field(default_factory=dict)


class TableSpec(Spec):
    """What every mapping shares: file format, which rows count, customer, period, amount.

    A row counts when every `where` column holds one of its listed values and no
    `exclude` column holds one of its listed values.
    """

    description: str | None = None
    format: Literal["csv", "jsonl"] | None = None
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    explode: str | None = None
    where: dict[str, list[str]] = Field(default_factory=dict)
    exclude: dict[str, list[str]] = Field(default_factory=dict)
    customer: CustomerSpec
    period: PeriodSpec
    amount: NumberSpec | None = None
    currency: ColumnSpec | None = None

    @field_validator("where", "exclude", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                key: [_text(item) for item in (items if isinstance(items, list) else [items])]
                for key, items in value.items()
            }
        return value

    def columns(self) -> list[str]:
        """Every column the mapping reads (for a clear error when the export lacks one)."""
        names = [*self.where, *self.exclude, self.customer.column, self.period.start]
        if self.period.end:
            names.append(self.period.end)
        if self.amount:
            names += [self.amount.column, *self.amount.minus]
        if self.currency:
            names.append(self.currency.column)
        return names


class InvoiceMapping(TableSpec):
    """An invoice-line export: customer, line item, period, quantity, amount, currency."""

    line_item: LineItemSpec
    quantity: NumberSpec

    def columns(self) -> list[str]:
        return [
            *super().columns(),
            self.line_item.column,
            self.quantity.column,
            *self.quantity.minus,
        ]


class LedgerMapping(TableSpec):
    """A journal-line export: customer, GL account, period, amount, currency."""

    gl_account: ColumnSpec
    amount: NumberSpec

    @field_validator("period")
    @classmethod
    def _no_meter_zone(cls, value: PeriodSpec) -> PeriodSpec:
        if value.timezone == METER_TIMEZONE:
            raise ValueError("timezone 'meter' needs a line item; a ledger has GL accounts")
        return value

    def columns(self) -> list[str]:
        return [*super().columns(), self.gl_account.column]


def _text(value: object) -> object:
    """YAML `false` and `3` in a `where` list mean the text an export holds: "false", "3"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


MODELS: dict[MapKind, type[TableSpec]] = {"invoices": InvoiceMapping, "ledger": LedgerMapping}
DEFAULT_PRESET: dict[MapKind, str] = {"invoices": "govern", "ledger": "journal"}


class MappingError(InputError):
    """A mapping file that cannot be used; every problem located (exit code 2)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def preset_names(kind: MapKind) -> list[str]:
    folder = resources.files("govern.reconcile") / "presets" / kind
    return sorted(p.name.rsplit(".", 1)[0] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_preset(kind: MapKind, name: str) -> TableSpec:
    """A shipped mapping by name (`stripe`, `lago`, `orb`, `govern`; ledger: `journal`)."""
    known = preset_names(kind)
    if name not in known:
        raise InputError(f"unknown {kind} preset '{name}' (known: {', '.join(known)})")
    resource = resources.files("govern.reconcile") / "presets" / kind / f"{name}.yaml"
    data, _ = _read(resource.read_bytes(), f"<preset {kind}/{name}>")
    return _validate(kind, data, f"<preset {kind}/{name}>", None)


def load_mapping(kind: MapKind, path: str | Path) -> tuple[TableSpec, Path]:
    """A user's mapping file; `preset: NAME` starts from a shipped one.

    Returns the mapping and the folder relative paths in it (`aliases_file`) start from.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such mapping file")
    data, doc = _read(path.read_bytes(), str(path))
    preset = data.pop("preset", None)
    if preset is not None:
        base = load_preset(kind, str(preset)).model_dump(exclude_unset=True)
        data = {**base, **data}
    return _validate(kind, data, str(path), doc), path.parent


def _read(raw: bytes, label: str):
    try:
        doc = load_yaml(raw, label)
    except YamlError as exc:
        raise MappingError([exc.issue]) from None
    if not isinstance(doc.data, dict):
        issue = Issue("CAT008", "a mapping file must be a mapping of keys", doc.at(()))
        raise MappingError([issue])
    return dict(doc.data), doc


def _validate(kind: MapKind, data: dict, label: str, doc) -> TableSpec:
    try:
        return MODELS[kind].model_validate(data)
    except ValidationError as exc:
        issues = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc) or "document"
            location = doc.at(_doc_path(loc, doc)) if doc is not None else None
            rule = {"extra_forbidden": "CAT007", "missing": "CAT009"}.get(error["type"], "CAT008")
            text = {
                "CAT007": f"unknown key '{where}'",
                "CAT009": f"missing required key '{where}'",
            }.get(rule, f"invalid value for '{where}': {error['msg']}")
            issues.append(Issue(rule, f"{kind} mapping: {text}", location or Location(label)))
        raise MappingError(issues) from None


def _doc_path(loc: tuple, doc) -> tuple:
    path: tuple = ()
    for part in loc:
        if (*path, part) in doc.values or (*path, part) in doc.keys:
            path = (*path, part)
    return path
