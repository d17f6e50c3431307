"""A meter version -> one SQL query (a sqlglot expression) that returns the reference's rows.

The query reads the raw events table (`govern.sql.schema`) and is a chain of CTEs, one
per step of SEMANTICS.md:

    params      the as-of time T (a query parameter; NULL = everything ever recorded)
    matched     1-2. as-of cut (recorded <= T) and contract match (type)
    checked     3. typed data fields, and validity (`govern.sql.validation`)
    ranked      4. deduplication: copies ranked by (recordedtime, seq) per dedup key
    winners        the first copy of each key; 5. when the first void of its
                   (source, id) was recorded
    kept        6-8. usage events of this version's era that pass the filter, with the
                   local start of their period, their dimensions and value
    dated          ... and their period in UTC (`govern.sql.periods`)
    billable       ... with their customer and when a void cancels them
    changes ... ledger    section 4: billed values and adjustments (`govern.sql.ledger`)
    rows        usage and adjustment rows, in the reference's order

Every value is computed in exact DECIMAL arithmetic and rounded once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from sqlglot import exp

from govern.catalog.catalog import Catalog, stream_contract
from govern.catalog.filters import FilterError, parse_filter
from govern.catalog.model import Contract, Meter, MeterVersion
from govern.errors import InputError
from govern.sql.data import DataReader, Doc, JsonData, StructData
from govern.sql.dedup import DedupSQL, id_key, materialized
from govern.sql.dialects import Dialect, get_dialect
from govern.sql.dialects.base import is_null, lit, not_null
from govern.sql.fields import Field, read, resolve, value_scale
from govern.sql.filters import FilterSQL
from govern.sql.ledger import LedgerSpec, LedgerSQL
from govern.sql.periods import PeriodSQL, Timeline
from govern.sql.schema import CUSTOMER_ALIASES, RAW_EVENTS
from govern.sql.validation import ContractChecks

PARAMETER = "as_of"
"""The name of the query parameter that holds the as-of time."""

WORKING_SCALE = 18
"""Decimal places numbers are read and summed at (DECIMAL(38, 18)): 20 integer digits."""

NUMERIC_VALUE = ("sum", "min", "max", "latest")

OUTPUT = (
    "kind",
    "customer",
    "meter",
    "meter_version",
    "period_start",
    "period_end",
    "quantity",
    "status",
    "line_item",
    "posted_period_start",
    "posted_period_end",
)
"""Output columns, besides one `dim_<name>` per dimension (after `period_end`)."""


class _Parameter:
    def __repr__(self) -> str:
        return "PARAMETER"


AS_OF_PARAMETER = _Parameter()
"""`as_of=AS_OF_PARAMETER` leaves the as-of time a query parameter (`$as_of`, `:as_of`...)."""


@dataclass(frozen=True)
class CompileOptions:
    """How to compile: table names, where the as-of time comes from, the customer mapping."""

    events_table: str = RAW_EVENTS
    customers_table: str | None = CUSTOMER_ALIASES
    """The alias table (subject -> customer); None: the customer is the subject."""
    as_of: datetime | _Parameter | None = AS_OF_PARAMETER
    """A query parameter (default), a fixed instant, or None for everything ever recorded."""
    ledger: Literal["auto", "recompute"] = "auto"
    """`recompute` computes count and sum per close too (tests compare both ways)."""
    working_scale: int = WORKING_SCALE
    data_path: tuple[str, ...] = ()
    """Where the `data` object sits inside the `data` column (empty: it is the column).
    The DuckDB engine keeps whole events in the column and reads `data` at its path."""
    data_struct: tuple[tuple[str, str], ...] | None = None
    """The `data` column is a struct, not JSON: its fields and their JSON types
    (`govern.sql.data.StructData`)."""


def dimension_column(name: str) -> str:
    return f"dim_{name}"


@dataclass
class CompiledVersion:
    """The query of one meter version in one dialect, and what it was made from."""

    meter: Meter
    version: MeterVersion
    dialect: Dialect
    query: exp.Query
    dimensions: list[str] = field(default_factory=list)
    steps: dict[str, exp.Query] = field(default_factory=dict)
    """Each CTE by name (shared with `query`: copy before changing)."""
    in_era: exp.Expression | None = None
    """Over `winners`: the event's time is in this version's era."""
    passes: exp.Expression | None = None
    """Over `winners`: the version's filter is TRUE (TRUE when there is none)."""
    dedup_key: list[exp.Expression] = field(default_factory=list)
    """Over `checked`: the expressions that identify copies of one event."""

    @property
    def copies(self) -> str:
        """The step that ranks every event that has copies: `tangled` where the query
        ranks only such events (`govern.sql.dedup`), else `ranked`."""
        return "tangled" if "tangled" in self.steps else "ranked"

    def sql(self, pretty: bool = True) -> str:
        return self.query.sql(dialect=self.dialect.sqlglot, pretty=pretty)

    def with_steps(
        self, final: exp.Select, until: str, replaced: dict[str, exp.Query] | None = None
    ) -> exp.Select:
        """`final` preceded by this query's steps up to and including `until`; a step in
        `replaced` is that query instead (e.g. a table the step was saved to)."""
        replaced = replaced or {}
        for name, step in self.steps.items():
            body = replaced.get(name, step)
            final = final.with_(name, as_=body.copy(), materialized=materialized(name), copy=False)
            if name == until:
                break
        return final

    def replacing(self, replaced: dict[str, exp.Query]) -> exp.Query:
        """The whole query, with the steps in `replaced` swapped for those queries."""
        query = self.query.copy()
        for cte in query.args["with_"].expressions:
            if cte.alias in replaced:
                cte.set("this", replaced[cte.alias].copy())
        return query


class VersionCompiler:
    """Compiles one meter version; each method builds one step."""

    def __init__(
        self,
        catalog: Catalog,
        meter: Meter,
        version: MeterVersion,
        dialect: Dialect,
        options: CompileOptions,
    ):
        self.catalog, self.meter, self.version = catalog, meter, version
        self.dialect, self.options = dialect, options
        self.where = f"meter {meter.meter} v{version.version}"
        self.contract_name = stream_contract(meter)
        if self.contract_name not in catalog.contracts:
            raise InputError(f"{self.where}: unknown contract '{version.contract}'")
        self.stream: Contract = catalog.contract(self.contract_name)
        """The contract whose envelope and dedup key the stream follows (latest released)."""
        contract = catalog.contract_for(version)
        if contract is None:
            raise InputError(f"{self.where}: unknown contract '{version.contract}'")
        self.contract: Contract = contract
        self.timeline = Timeline(dialect, meter)
        self.era_index = self.timeline.era_of(version)
        self.era = self.timeline.eras[self.era_index]
        self.value = self.value_field()
        self.dimensions = [resolve(contract, name) for name in version.group_by]
        self.filter = self.parsed_filter()

    # ------------------------------------------------------------ what it reads

    def value_field(self) -> Field | None:
        if self.version.aggregation == "count":
            return None
        if not self.version.value:
            raise InputError(f"{self.where}: {self.version.aggregation} needs a `value` field")
        found = resolve(self.contract, self.version.value)
        if self.version.aggregation in NUMERIC_VALUE and not found.numeric:
            raise InputError(
                f"{self.where}: {self.version.aggregation} needs a numeric value, but "
                f"'{found.name}' is {found.kind or 'not a field'} in {self.contract.ref}"
            )
        return found

    def parsed_filter(self) -> exp.Expression | None:
        if not self.version.filter:
            return None
        try:
            return parse_filter(self.version.filter)
        except FilterError as exc:
            raise InputError(f"{self.where}: {exc.problem.message}") from None

    def data_fields(self) -> list[Field]:
        """Every data field any version of the meter reads, each once, with the type this
        version sees: every version then validates and reads the events in the same
        steps, which an engine running them all computes once."""
        names: list[str] = []
        for version in self.meter.versions:
            names += version.group_by
            if version.value and version.aggregation != "count":
                names.append(version.value)
            if version.filter:
                try:
                    parsed = parse_filter(version.filter)
                except FilterError:
                    continue  # reported when that version is compiled
                names += [column.name for column in parsed.find_all(exp.Column)]
        found = {name: resolve(self.contract, name) for name in names}
        for name in self.stream.dedup_key:
            found.setdefault(name, resolve(self.stream, name))
        return [f for f in found.values() if not f.envelope and f.kind is not None]

    # ------------------------------------------------------------ the query

    def compile(self) -> CompiledVersion:
        key = self.dedup_key()
        steps = [
            ("params", self.params()),
            ("matched", self.matched()),
            ("checked", self.checked()),
            *DedupSQL(self.dialect, key).steps(),
            ("kept", self.kept()),
            ("dated", self.dated()),
            ("billable", self.billable()),
            *self.ledger().steps(),
            ("rows", self.rows()),
        ]
        query = self.ordered()
        for name, step in steps:
            query = query.with_(name, as_=step, materialized=materialized(name), copy=False)
        query = self.dialect.finish(query)
        dims = [dimension_column(name) for name in self.version.group_by]
        return CompiledVersion(
            self.meter,
            self.version,
            self.dialect,
            query,
            dims,
            dict(steps),
            exp.and_(*self.era_conditions(), copy=False),
            self.filter_condition() or exp.true(),
            key,
        )

    def params(self) -> exp.Query:
        as_of = self.options.as_of
        if isinstance(as_of, _Parameter):
            value: exp.Expression = self.dialect.placeholder(PARAMETER)
        elif as_of is None:
            value = exp.null()
        else:
            value = self.dialect.timestamp_literal(as_of)
        return exp.select(
            self.dialect.cast(value, self.dialect.TIMESTAMP).as_(PARAMETER, copy=False)
        )

    def matched(self) -> exp.Query:
        dialect = self.dialect
        time = dialect.utc(exp.column("time", "e"))
        recorded = exp.func("COALESCE", dialect.utc(exp.column("recordedtime", "e")), time.copy())
        columns = [
            exp.column(c, "e")
            for c in ("id", "source", "subject", "voids", "dataschema", "data", "seq")
        ]
        versions = self.catalog.contracts[self.contract_name]
        checks = ContractChecks(dialect, versions, self.stream)
        columns.append(checks.version_number().as_("contract_version", copy=False))
        data = self.data(exp.column("data", "e"))
        columns += [value.as_(name, copy=False) for name, value in data.prelude()]
        as_of = exp.column(PARAMETER, "p")
        cut = exp.or_(
            exp.Is(this=as_of, expression=exp.null()),
            exp.LTE(this=recorded.copy(), expression=as_of.copy()),
            copy=False,
        )
        return (
            exp.select(*columns, time.as_("time", copy=False), recorded.as_("recorded", copy=False))
            .from_(exp.to_table(self.options.events_table).as_("e", copy=False))
            .join(exp.to_table("params").as_("p", copy=False), join_type="CROSS")
            .where(
                exp.and_(
                    exp.EQ(this=exp.column("type", "e"), expression=lit(self.contract_name)),
                    cut,
                    copy=False,
                )
            )
        )

    def data(self, column: exp.Column) -> DataReader:
        """How to read `data`: from a struct, or as JSON (with every field of it the query
        reads or checks)."""
        if self.options.data_struct is not None:
            return StructData(self.dialect, column, dict(self.options.data_struct))
        versions = self.catalog.contracts[self.contract_name].values()
        fields: dict[str, str] = {}
        for contract in versions:
            for name, spec in contract.fields.items():
                fields.setdefault(name, spec.type)
        for read_field in self.data_fields():
            fields.setdefault(read_field.name, read_field.kind or "string")
        numbers = tuple(name for name, kind in fields.items() if kind in ("integer", "number"))
        return JsonData(self.dialect, Doc(column, self.options.data_path, tuple(fields), numbers))

    def checked(self) -> exp.Query:
        dialect, scale = self.dialect, self.options.working_scale
        data = self.data(exp.column("data"))
        typed = [read(f, scale, data).as_(f.column, copy=False) for f in self.data_fields()]
        versions = self.catalog.contracts[self.contract_name]
        checks = ContractChecks(dialect, versions, self.stream, data)
        valid = checks.valid(exp.column("contract_version"))
        columns = [
            exp.column(c) for c in ("id", "source", "subject", "voids", "seq", "time", "recorded")
        ]
        return exp.select(*columns, *typed, valid.as_("valid", copy=False)).from_("matched")

    def dedup_key(self) -> list[exp.Expression]:
        """Over `checked`: what identifies the copies of one event. A void is its own
        event: with a key other than (source, id), a usage event is keyed by its key
        fields and a void by its (source, id), each in columns of their own type."""
        keys = [resolve(self.stream, name) for name in self.stream.dedup_key]
        voids_key = id_key()
        if [k.name for k in keys] == ["source", "id"]:
            return voids_key
        usage, void = is_null(exp.column("voids")), not_null(exp.column("voids"))
        parts = [(usage, key.ref()) for key in keys] + [(void, part) for part in voids_key]
        return [usage.copy()] + [
            exp.Case(ifs=[exp.If(this=when.copy(), true=value)]) for when, value in parts
        ]

    def era_conditions(self) -> list[exp.Expression]:
        """The event's time is in this version's era."""
        dialect, era, time = self.dialect, self.era, exp.column("time")
        conditions = [exp.GTE(this=time.copy(), expression=dialect.timestamp_literal(era.begins))]
        if era.ends is not None:
            conditions.append(
                exp.LT(this=time.copy(), expression=dialect.timestamp_literal(era.ends))
            )
        return conditions

    def filter_condition(self) -> exp.Expression | None:
        """The filter holds: TRUE, not FALSE nor unknown (None: no filter)."""
        if self.filter is None:
            return None
        translator = FilterSQL(self.dialect, lambda name: resolve(self.contract, name), self.where)
        condition = translator.condition(self.filter)
        return exp.EQ(this=exp.Paren(this=condition), expression=exp.true())

    def kept(self) -> exp.Query:
        dialect, era = self.dialect, self.era
        time = exp.column("time")
        conditions = [exp.Is(this=exp.column("voids"), expression=exp.null())]
        conditions += self.era_conditions()
        passes = self.filter_condition()
        if passes is not None:
            conditions.append(passes)
        columns = [
            exp.column(c)
            for c in ("id", "source", "subject", "time", "recorded", "seq", "voided_at")
        ]
        columns.append(
            PeriodSQL(dialect, era).local_start(time.copy()).as_("local_start", copy=False)
        )
        for dimension in self.dimensions:
            columns.append(self.typed(dimension).as_(dimension_column(dimension.name), copy=False))
        if self.value is not None:
            columns.append(self.typed(self.value).as_("value", copy=False))
        return exp.select(*columns).from_("winners").where(exp.and_(*conditions, copy=False))

    def typed(self, field: Field) -> exp.Expression:
        """A field as a dimension or value: NULL when the contract lacks it."""
        if field.kind is None:
            return exp.null()
        return field.ref()

    def dated(self) -> exp.Query:
        """Each kept event's period, from the local start of its period."""
        start, end = PeriodSQL(self.dialect, self.era).bounds_of_local(exp.column("local_start"))
        return exp.select(
            exp.Star(), start.as_("period_start", copy=False), end.as_("period_end", copy=False)
        ).from_("kept")

    def billable(self) -> exp.Query:
        dialect = self.dialect
        close = dialect.add_duration(exp.column("period_end", "k"), self.era.grace)
        if self.options.customers_table:
            customer: exp.Expression = exp.column("customer", "a")
        else:
            customer = exp.column("subject", "k")
        columns = [
            customer.as_("customer", copy=False),
            exp.column("period_start", "k"),
            exp.column("period_end", "k"),
            close.as_("close_at", copy=False),
            *(exp.column(dimension_column(d.name), "k") for d in self.dimensions),
        ]
        if self.value is not None:
            columns.append(exp.column("value", "k"))
        columns += [exp.column(c, "k") for c in ("time", "recorded", "seq")]
        columns.append(exp.column("voided_at", "k"))
        alive_ever = exp.or_(
            exp.Is(this=exp.column("voided_at", "k"), expression=exp.null()),
            exp.GT(this=exp.column("voided_at", "k"), expression=exp.column("recorded", "k")),
            copy=False,
        )
        query = exp.select(*columns).from_(exp.to_table("dated").as_("k", copy=False))
        if self.options.customers_table:
            mapped = exp.EQ(this=exp.column("subject", "a"), expression=exp.column("subject", "k"))
            query = query.join(
                exp.to_table(self.options.customers_table).as_("a", copy=False),
                on=mapped,
                join_type="INNER",
            )
        return query.where(alive_ever)

    def ledger(self) -> LedgerSQL:
        dims = [dimension_column(d.name) for d in self.dimensions]
        spec = LedgerSpec(
            aggregation=self.version.aggregation,
            group=["customer", "period_start", *dims],
            carried=["period_end", "close_at"],
            nullable=dims,
            posting_locals=lambda changed: self.timeline.posting_locals(self.era_index, changed),
            posting=lambda: self.timeline.posting(self.era_index),
            recompute=self.options.ledger == "recompute",
        )
        return LedgerSQL(self.dialect, spec, self.quantity)

    def quantity(self, value: exp.Expression) -> exp.Expression:
        """The one rounding, to the meter's scale and mode."""
        precision = self.version.precision
        if self.value is None or self.version.aggregation in ("count", "unique_count"):
            value_scale_ = 0
        else:
            value_scale_ = value_scale(self.value, self.options.working_scale)
        return self.dialect.round_decimal(value, precision.scale, precision.rounding, value_scale_)

    def rows(self) -> exp.Query:
        dialect = self.dialect
        as_of = exp.column(PARAMETER, "p")

        def column(name: str) -> exp.Column:
            return exp.column(name, "l")

        def status(close: exp.Expression) -> exp.Expression:
            open_ = exp.and_(
                exp.Not(this=exp.Is(this=as_of.copy(), expression=exp.null())),
                exp.GT(this=close, expression=as_of.copy()),
            )
            return exp.Case(ifs=[exp.If(this=open_, true=lit("open"))], default=lit("closed"))

        quantity_type = dialect.decimal_type(self.version.precision.scale)

        def select(
            kind: exp.Expression,
            quantity: exp.Expression,
            close: exp.Expression,
            posted: list[exp.Expression],
        ):
            return [
                kind.as_("kind", copy=False),
                column("customer"),
                lit(self.meter.meter).as_("meter", copy=False),
                exp.Literal.number(self.version.version).as_("meter_version", copy=False),
                column("period_start"),
                column("period_end"),
                *(column(dimension_column(d.name)) for d in self.dimensions),
                dialect.cast(quantity, quantity_type).as_("quantity", copy=False),
                status(close).as_("status", copy=False),
                lit(self.meter.line_item).as_("line_item", copy=False),
                posted[0].as_("posted_period_start", copy=False),
                posted[1].as_("posted_period_end", copy=False),
            ]

        billed = exp.Is(this=column("posted_start"), expression=exp.null())
        is_usage = exp.and_(billed, exp.GT(this=column("alive"), expression=lit(0)), copy=False)
        is_adjustment = exp.and_(
            exp.Not(this=billed.copy()),
            exp.NEQ(this=column("quantity"), expression=column("previous")),
            copy=False,
        )

        def either(usage: exp.Expression, adjustment: exp.Expression) -> exp.Expression:
            return exp.Case(ifs=[exp.If(this=billed.copy(), true=usage)], default=adjustment)

        change = exp.Sub(this=column("quantity"), expression=column("previous"))
        return (
            exp.select(
                *select(
                    either(lit("usage"), lit("adjustment")),
                    either(column("quantity"), change),
                    either(column("close_at"), column("posted_close")),
                    [column("posted_start"), column("posted_end")],
                )
            )
            .from_(exp.to_table("ledger").as_("l", copy=False))
            .join(exp.to_table("params").as_("p", copy=False), join_type="CROSS")
            .where(exp.or_(is_usage, is_adjustment, copy=False))
        )

    def ordered(self) -> exp.Select:
        """The final SELECT: the rows in the reference's order (usage first, then
        customer, period start, posting period start, dimensions; NULL last)."""
        dialect = self.dialect
        usage_first = exp.Case(
            ifs=[
                exp.If(this=exp.EQ(this=exp.column("kind"), expression=lit("usage")), true=lit(0))
            ],
            default=lit(1),
        )
        posted = exp.func("COALESCE", exp.column("posted_period_start"), exp.column("period_start"))
        order = [
            dialect.order(usage_first),
            dialect.order(dialect.binary(exp.column("customer"))),
            dialect.order(exp.column("period_start")),
            dialect.order(posted),
        ]
        for dimension in self.dimensions:
            column = exp.column(dimension_column(dimension.name))
            if dimension.kind in ("string", "timestamp") or (
                dimension.envelope and dimension.kind == "string"
            ):
                column = dialect.binary(column)
            order.append(dialect.order(column, nulls_last=True))
        columns = [
            *(exp.column(c) for c in OUTPUT[:6]),
            *(exp.column(dimension_column(d.name)) for d in self.dimensions),
            *(exp.column(c) for c in OUTPUT[6:]),
        ]
        return exp.select(*columns).from_("rows").order_by(*order)


def compile_version(
    catalog: Catalog,
    meter: str | Meter,
    version: int | MeterVersion,
    dialect: str | Dialect = "duckdb",
    options: CompileOptions | None = None,
) -> CompiledVersion:
    """The query of one meter version in `dialect` (default options: as-of parameter,
    alias table `customer_aliases`, raw table `raw_events`)."""
    found = catalog.meter(meter) if isinstance(meter, str) else meter
    chosen = found.version(version) if isinstance(version, int) else version
    return VersionCompiler(
        catalog, found, chosen, get_dialect(dialect), options or CompileOptions()
    ).compile()


def compile_meter(
    catalog: Catalog,
    meter: str | Meter,
    dialect: str | Dialect = "duckdb",
    options: CompileOptions | None = None,
) -> list[CompiledVersion]:
    """The query of every version of `meter`, oldest first."""
    found = catalog.meter(meter) if isinstance(meter, str) else meter
    return [compile_version(catalog, found, v, dialect, options) for v in found.versions]


def with_options(options: CompileOptions | None, **changes) -> CompileOptions:
    return replace(options or CompileOptions(), **changes)
