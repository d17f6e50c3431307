"""The catalog model: event contracts and meter definitions, as pydantic v2 models.

Every model is a `Node`: after loading it knows the file, line and column it came from
(`node.location`, `node.location_of("filter")`), so every finding can point at its source.
Values whose checks need the whole catalog (time zones, durations, filters, references)
are kept as written and checked by the lint rules, which report them with rule ids.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr

from govern.catalog.compatibility import Compatibility
from govern.catalog.durations import parse_duration
from govern.issues import Location

if TYPE_CHECKING:
    from govern.catalog.yaml_source import NodePath, YamlDocument

Status = Literal["draft", "released", "deprecated"]
FieldType = Literal["string", "integer", "number", "boolean", "timestamp"]
Aggregation = Literal["count", "sum", "min", "max", "unique_count", "latest"]
PeriodUnit = Literal["hour", "day", "month"]
Rounding = Literal["half_up", "half_even", "down", "up"]
CheckKind = Literal["period_over_period", "drop_to_zero", "spike"]

ENVELOPE_ROLES = ("id", "source", "type", "subject", "time", "recordedtime", "voids")
"""Envelope attributes a filter, group_by or dedup key may name (besides data fields)."""


class Node(BaseModel):
    """Base of every catalog object: strict keys, and a memory of its source position."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    _doc: YamlDocument | None = PrivateAttr(default=None)
    _path: NodePath = PrivateAttr(default=())

    @property
    def location(self) -> Location:
        """Where this object starts in its file."""
        return self._doc.at(self._path) if self._doc else Location("<memory>")

    @property
    def file(self) -> str:
        return self._doc.path if self._doc else "<memory>"

    def location_of(self, key: str | int, *more: str | int) -> Location:
        """Where the value of `key` (or of a nested path under it) starts."""
        return self._doc.at((*self._path, key, *more)) if self._doc else self.location

    def location_in(self, key: str, offset: int | None) -> Location:
        """Where character `offset` of the one-line text value of `key` is."""
        return self._doc.inside((*self._path, key), offset) if self._doc else self.location

    def attach(self, doc: YamlDocument, node_path: NodePath = ()) -> None:
        """Record `doc` and `node_path` on this node and every node below it."""
        self._doc, self._path = doc, node_path
        for name in type(self).model_fields:
            _attach_value(getattr(self, name), doc, (*node_path, name))


def _attach_value(value: Any, doc: YamlDocument, node_path: NodePath) -> None:
    if isinstance(value, Node):
        value.attach(doc, node_path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _attach_value(item, doc, (*node_path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _attach_value(item, doc, (*node_path, index))


# ---------------------------------------------------------------- acknowledgements


class Acknowledgement(Node):
    """A finding accepted on purpose: still reported, with its reason, but not blocking.

    On a contract version it covers findings about that version (or, with `version`,
    about another version of the same contract, e.g. one that was removed); on a meter it
    covers findings about the meter, or about one of its versions with `version`.
    """

    rule: str = Field(pattern=r"^[A-Z]{3}[0-9]{3}$")
    reason: str = Field(min_length=1, pattern=r"\S")
    version: int | None = Field(default=None, ge=1)


# ---------------------------------------------------------------- contracts


class FieldSpec(Node):
    """One property of an event's `data`."""

    type: FieldType
    required: bool = False
    description: str | None = None
    enum: list[str | int | Decimal | bool] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=0)
    pattern: str | None = None
    pii: bool = False

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")


class Envelope(Node):
    """Where each envelope role lives in the raw event (dotted paths; CloudEvents by default)."""

    id: str = "id"
    source: str = "source"
    type: str = "type"
    subject: str = "subject"
    time: str = "time"
    recordedtime: str = "recordedtime"
    voids: str = "voids"
    dataschema: str = "dataschema"
    data: str = "data"


class Contract(Node):
    """One version of an event contract (`contracts/<name>/v<N>.yaml`)."""

    contract: str
    version: int = Field(ge=1)
    status: Status = "draft"
    owner: str | None = None
    compatibility: Compatibility = "backward"
    description: str | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    envelope: Envelope = Field(default_factory=Envelope)
    dedup_key: list[str] = Field(default_factory=lambda: ["source", "id"])
    clock_skew: str = "PT5M"
    acknowledge: list[Acknowledgement] = Field(default_factory=list)

    @property
    def ref(self) -> str:
        """`name@version`, the way govern names a contract version everywhere."""
        return f"{self.contract}@{self.version}"

    @property
    def clock_skew_delta(self) -> timedelta:
        return parse_duration(self.clock_skew)


# ---------------------------------------------------------------- meters


class Period(Node):
    every: PeriodUnit
    timezone: str = "UTC"


class Late(Node):
    grace: str = "PT0S"

    @property
    def grace_delta(self) -> timedelta:
        return parse_duration(self.grace)


class Precision(Node):
    scale: int = Field(default=0, ge=0, le=18)
    rounding: Rounding = "half_up"


class MeterVersion(Node):
    """One version of a meter: what counts, how it aggregates, which period it lands in."""

    version: int = Field(ge=1)
    status: Status = "draft"
    effective_from: date
    description: str | None = None
    contract: str
    filter: str | None = None
    aggregation: Aggregation
    value: str | None = None
    group_by: list[str] = Field(default_factory=list)
    period: Period
    late: Late = Field(default_factory=Late)
    precision: Precision = Field(default_factory=Precision)

    @property
    def contract_name(self) -> str:
        """The contract type, without an `@version` pin."""
        return self.contract.partition("@")[0]

    @property
    def contract_version(self) -> int | None:
        """The pinned contract version (`contract: api_request@2`), if any."""
        _, _, pinned = self.contract.partition("@")
        return int(pinned) if pinned.isdigit() else None


class MeterCheck(Node):
    """One drift or anomaly check on a meter's usage (`govern checks`; see govern.checks).

    One flat shape for every kind, so a misspelt key gets a "did you mean"; which
    parameters each kind takes is checked by lint rule MTR017.
    """

    kind: CheckKind
    max_factor: Decimal | None = Field(default=None, gt=1)
    window: int | None = Field(default=None, ge=1, le=1000)
    min_quantity: Decimal | None = Field(default=None, ge=0)


class Meter(Node):
    """A meter (`meters/<name>.yaml`) with its versions, oldest first."""

    meter: str
    owner: str | None = None
    finance_owner: str | None = None
    unit: str
    line_item: str
    gl_account: str | None = None
    description: str | None = None
    versions: list[MeterVersion] = Field(min_length=1)
    acknowledge: list[Acknowledgement] = Field(default_factory=list)
    checks: list[MeterCheck] = Field(default_factory=list)

    def version(self, number: int) -> MeterVersion:
        for candidate in self.versions:
            if candidate.version == number:
                return candidate
        raise KeyError(f"meter {self.meter} has no version {number}")

    @property
    def latest(self) -> MeterVersion:
        return self.versions[-1]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Every `group_by` field of any version, in order of first use: the dimension
        columns of its usage rows, whichever version produced them."""
        return tuple(dict.fromkeys(name for v in self.versions for name in v.group_by))


# ---------------------------------------------------------------- meter tests


RowKind = Literal["usage", "adjustment"]


class ExpectedRow(Node):
    """One row a meter test expects; only the keys written are compared (`kind` always).

    Keys are those of the rows `govern aggregate` writes. A misspelt key is an error
    (CAT007), never a key silently left out of the comparison.
    """

    kind: RowKind = "usage"
    customer: str | None = None
    meter_version: int | None = Field(default=None, ge=1)
    period_start: AwareDatetime | None = None
    period_end: AwareDatetime | None = None
    posted_period_start: AwareDatetime | None = None
    posted_period_end: AwareDatetime | None = None
    dimensions: dict[str, Any] | None = None
    quantity: Decimal
    status: Literal["open", "closed"] | None = None
    line_item: str | None = None

    @property
    def compared(self) -> tuple[str, ...]:
        """The keys this row is compared on: `kind`, and every key written."""
        return ("kind", *(name for name in type(self).model_fields if name in self._written))

    @property
    def _written(self) -> set[str]:
        return self.model_fields_set - {"kind"}


class MeterTestCase(Node):
    """One meter test: given events (inline or a file), the rows the meter must produce.

    Inline events are CloudEvents written as YAML mappings; every key left out is filled
    from the suite's and the test's `defaults`, then: `specversion` "1.0", `type` the
    meter's contract, `source` "test", `id` "<n>" (1-based position in the test).
    Timestamps may be YAML timestamps or strings. `events_file` (relative to the project
    root) is read first, the inline events after it, in load order.
    """

    name: str = Field(min_length=1)
    description: str | None = None
    as_of: AwareDatetime | None = None
    customers: dict[str, str] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list)
    events_file: str | None = None
    expect: list[ExpectedRow]


class MeterTests(Node):
    """The tests of one meter (`meters/<name>.tests.yaml`), like dbt unit tests.

    `defaults` are merged into every inline event of every test (a test's own
    `defaults` over them; `data` is merged key by key).
    """

    meter: str
    defaults: dict[str, Any] = Field(default_factory=dict)
    tests: list[MeterTestCase] = Field(min_length=1)
