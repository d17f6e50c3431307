"""Billed quantities and adjustments in SQL (SEMANTICS.md section 4).

Input: the `billable` step, one row per usage event that counts (its group, its period's
`close_at`, its value, when it was recorded and, if a void cancels it, `voided_at`). An
event is alive at instant `c` when `recorded <= c < voided_at`.

Every arrival and every void is a *change* of its group at an instant. A change at or
before `close_at` is part of the billed value; a later one is posted to the first period
whose close is at or after it (`Timeline.posting`). So each group gets a short list of
*closes*: its own `close_at`, and the close of each posting period. Its value is computed
as of each close, rounded, and each close after the first carries the difference to the
one before, if not zero: an adjustment. With the as-of time `T`, a close after `T` uses
everything recorded by `T` (which is all the table holds) and is open.

How the value as of each close is computed depends on the aggregation:

- `count`, `sum` are additive: each change carries +value (arrival) or -value (void), and
  the value as of a close is the running sum of the changes up to it, a window function;
- `min`, `max`, `unique_count`, `latest` are not: the alive events of the group are
  joined to each of its closes and aggregated again there (a group with no late change
  has one close, so this costs one pass over the events unless changes arrive late).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from govern.sql.dialects.base import Dialect

ADDITIVE = ("count", "sum")
POSTED = ["posted_start", "posted_end", "posted_close"]

PostingLocals = Callable[[exp.Expression], list[tuple[str, exp.Expression]]]
Posting = Callable[[], tuple[exp.Expression, exp.Expression, exp.Expression]]


@dataclass(frozen=True)
class LedgerSpec:
    """What the ledger steps need to know about one meter version."""

    aggregation: str
    group: list[str]
    """Columns that identify a group: customer, period_start, dimension columns."""
    carried: list[str]
    """Columns carried along per group: period_end, close_at."""
    nullable: list[str]
    """Group columns that can be NULL (dimensions): joined NULL-safe."""
    posting_locals: PostingLocals
    """Columns a late change needs for its posting period (see `Timeline.posting_locals`)."""
    posting: Posting
    recompute: bool
    """Recompute every aggregation per close (always so for the non-additive ones)."""


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table)


def _window(
    dialect: Dialect,
    spec: LedgerSpec,
    frame: tuple[str, str, str | None, str | None],
    table: str | None = None,
) -> dict:
    """A group's closes in order (`table`: where its columns are)."""
    start, start_side, end, end_side = frame
    return {
        "partition_by": [_col(c, table) for c in spec.group],
        "order": exp.Order(expressions=[dialect.order(_col("posted_close", table))]),
        "spec": exp.WindowSpec(
            kind="ROWS", start=start, start_side=start_side, end=end, end_side=end_side
        ),
    }


def _running(dialect: Dialect, spec: LedgerSpec, value: exp.Expression, table: str) -> exp.Window:
    return exp.Window(
        this=exp.Sum(this=value),
        **_window(dialect, spec, ("UNBOUNDED", "PRECEDING", "CURRENT ROW", None), table),
    )


def _previous(dialect: Dialect, spec: LedgerSpec, value: exp.Expression) -> exp.Window:
    return exp.Window(
        this=exp.Max(this=value), **_window(dialect, spec, ("1", "PRECEDING", "1", "PRECEDING"))
    )


class LedgerSQL:
    """Builds the ledger steps as (name, query) pairs, ending in `ledger`."""

    def __init__(
        self,
        dialect: Dialect,
        spec: LedgerSpec,
        quantity: Callable[[exp.Expression], exp.Expression],
    ):
        self.dialect = dialect
        self.spec = spec
        self.quantity = quantity
        """Rounds a value column to the meter's quantity."""

    def steps(self) -> list[tuple[str, exp.Query]]:
        spec = self.spec
        keys = [*spec.group, *spec.carried]
        additive = spec.aggregation in ADDITIVE and not spec.recompute
        steps = [
            ("changes", self.changes(keys, additive)),
            ("candidates", self.candidates()),
            ("postings", self.postings(keys, additive)),
        ]
        if additive:
            steps += [
                ("steps", self.sum_steps(keys)),
                ("billed", self.billed(keys)),
                ("revised", self.revised(keys)),
                ("revisions", self.revisions(keys)),
                ("ledger", self.additive_ledger(keys)),
            ]
        else:
            steps += self.recomputed(keys)
            steps += [("quantities", self.quantities(keys)), ("ledger", self.ledger(keys))]
        return steps

    # ------------------------------------------------------------ changes and postings

    def changes(self, keys: list[str], additive: bool) -> exp.Query:
        """One row per arrival (side 1) and per void (side -1) of a billable event.

        Both come from one read of `billable`, joined to a two-row table of sides: a
        query that names a step twice makes ClickHouse plan that step twice."""
        side = _col("side", "s")
        arrival = exp.EQ(this=side.copy(), expression=exp.Literal.number(1))
        voided = exp.Not(this=exp.Is(this=_col("voided_at", "b"), expression=exp.null()))
        sides = exp.union(
            exp.select(exp.Literal.number(1).as_("side", copy=False)),
            exp.select(exp.Literal.number(-1).as_("side", copy=False)),
            distinct=False,
        )
        changed_at = exp.Case(
            ifs=[exp.If(this=arrival.copy(), true=_col("recorded", "b"))],
            default=_col("voided_at", "b"),
        )
        columns = [
            *(_col(k, "b") for k in keys),
            changed_at.as_("changed_at", copy=False),
            side.copy().as_("alive_delta", copy=False),
        ]
        if additive and self.spec.aggregation == "sum":
            columns.append(
                exp.Mul(this=side.copy(), expression=_col("value", "b")).as_("delta", copy=False)
            )
        return (
            exp.select(*columns)
            .from_(exp.to_table("billable").as_("b", copy=False))
            .join(
                exp.Subquery(this=sides, alias=exp.TableAlias(this=exp.to_identifier("s"))),
                join_type="CROSS",
            )
            .where(exp.or_(arrival, voided, copy=False))
        )

    def candidates(self) -> exp.Query:
        """For a late change, where its posting period may be: per era, an instant and
        the local start of its period (NULL for changes billed with their own period)."""
        late = exp.GT(this=_col("changed_at"), expression=_col("close_at"))
        columns = [
            exp.Case(ifs=[exp.If(this=late.copy(), true=value)]).as_(name, copy=False)
            for name, value in self.spec.posting_locals(_col("changed_at"))
        ]
        return exp.select(exp.Star(), *columns).from_("changes")

    def postings(self, keys: list[str], additive: bool) -> exp.Query:
        """Each change with the period it is posted to (NULL: billed with its own)."""
        late = exp.GT(this=_col("changed_at"), expression=_col("close_at"))
        start, end, close = self.spec.posting()

        def posted(value: exp.Expression, billed: exp.Expression) -> exp.Expression:
            return exp.Case(ifs=[exp.If(this=late.copy(), true=value)], default=billed)

        columns = [
            *(_col(k) for k in keys),
            posted(start, exp.null()).as_("posted_start", copy=False),
            posted(end, exp.null()).as_("posted_end", copy=False),
            posted(close, _col("close_at")).as_("posted_close", copy=False),
        ]
        if additive:
            columns.append(_col("alive_delta"))
            if self.spec.aggregation == "sum":
                columns.append(_col("delta"))
        return exp.select(*columns).from_("candidates")

    # ------------------------------------------------------------ additive

    def sum_steps(self, keys: list[str]) -> exp.Query:
        posted = ["posted_start", "posted_end", "posted_close"]
        # Aliases never repeat an input column's name: ClickHouse lets an alias shadow a
        # column anywhere in the same SELECT.
        sums = [exp.Sum(this=_col("alive_delta")).as_("step_alive", copy=False)]
        if self.spec.aggregation == "sum":
            sums.append(exp.Sum(this=_col("delta")).as_("step_delta", copy=False))
        columns = [*(_col(c) for c in [*keys, *posted]), *sums]
        return exp.select(*columns).from_("postings").group_by(*(_col(c) for c in [*keys, *posted]))

    def billed(self, keys: list[str]) -> exp.Query:
        """Each group's value at its own close: the net of its changes billed then."""
        value = "step_delta" if self.spec.aggregation == "sum" else "step_alive"
        columns = [
            *(_col(c) for c in [*keys, *POSTED]),
            _col("step_alive").as_("alive", copy=False),
            _col(value).as_("value", copy=False),
        ]
        return (
            exp.select(*columns)
            .from_("steps")
            .where(exp.Is(this=_col("posted_start"), expression=exp.null()))
        )

    def revised(self, keys: list[str]) -> exp.Query:
        """The value as of each later close of a group with late changes: its billed value
        plus a running sum of its late steps (a window over the late steps only)."""
        spec = self.spec

        def running(column: str, base: str) -> exp.Expression:
            total = _running(self.dialect, spec, _col(column, "s"), "s")
            billed = exp.func("COALESCE", _col(base, "b"), exp.Literal.number(0))
            return exp.Add(this=billed, expression=total)

        value = "step_delta" if spec.aggregation == "sum" else "step_alive"
        columns = [
            *(_col(c, "s") for c in [*keys, *POSTED]),
            running("step_alive", "alive").as_("alive", copy=False),
            running(value, "value").as_("value", copy=False),
            exp.func("COALESCE", _col("value", "b"), exp.Literal.number(0)).as_(
                "billed_value", copy=False
            ),
        ]
        return (
            exp.select(*columns)
            .from_(exp.to_table("steps").as_("s", copy=False))
            .join(
                exp.to_table("billed").as_("b", copy=False),
                on=self.same_group("b", "s"),
                join_type="LEFT",
            )
            .where(exp.Not(this=exp.Is(this=_col("posted_start", "s"), expression=exp.null())))
        )

    def revisions(self, keys: list[str]) -> exp.Query:
        """The quantity at each later close, and the billed quantity."""
        value = exp.func("COALESCE", _col("value"), exp.Literal.number(0))
        columns = [
            *(_col(c) for c in [*keys, *POSTED, "alive"]),
            self.quantity(value).as_("quantity", copy=False),
            self.quantity(_col("billed_value")).as_("billed_quantity", copy=False),
        ]
        return exp.select(*columns).from_("revised")

    def additive_ledger(self, keys: list[str]) -> exp.Query:
        """Billed quantities (nothing before them), and the later closes of the groups
        with late changes, each with the quantity before it (at the previous late close,
        else the billed one)."""
        names = [*keys, *POSTED, "alive"]
        value = exp.func("COALESCE", _col("value"), exp.Literal.number(0))
        billed = exp.select(
            *(_col(c) for c in names),
            self.quantity(value).as_("quantity", copy=False),
            exp.Literal.number(0).as_("previous", copy=False),
        ).from_("billed")
        previous = exp.func(
            "COALESCE",
            _previous(self.dialect, self.spec, _col("quantity")),
            _col("billed_quantity"),
        )
        later = exp.select(
            *(_col(c) for c in [*names, "quantity"]), previous.as_("previous", copy=False)
        ).from_("revisions")
        return exp.union(billed, later, distinct=False)

    # ------------------------------------------------------------ recomputed per close

    def recomputed(self, keys: list[str]) -> list[tuple[str, exp.Query]]:
        """Each group's closes, joined to the group's events alive at each (LEFT: a close
        where none is alive still counts, with the value of the empty set, 0)."""
        spec = self.spec
        posted = ["posted_start", "posted_end", "posted_close"]
        closes = exp.select(*(_col(c) for c in [*keys, *posted])).distinct().from_("postings")
        alive_then = exp.and_(
            self.same_group("c", "b"),
            exp.LTE(this=_col("recorded", "b"), expression=_col("posted_close", "c")),
            exp.or_(
                exp.Is(this=_col("voided_at", "b"), expression=exp.null()),
                exp.GT(this=_col("voided_at", "b"), expression=_col("posted_close", "c")),
                copy=False,
            ),
        )
        members = [_col(c, "c") for c in [*keys, *posted]]
        carried = ("time", "recorded", "seq")
        if spec.aggregation != "count":
            carried = ("value", *carried)
        members += [_col(c, "b").as_(f"alive_{c}", copy=False) for c in carried]
        alive = (
            exp.select(*members)
            .from_(exp.to_table("closes").as_("c", copy=False))
            .join(exp.to_table("billable").as_("b", copy=False), on=alive_then, join_type="LEFT")
        )
        steps: list[tuple[str, exp.Query]] = [("closes", closes), ("alive", alive)]
        source = "alive"
        if spec.aggregation == "latest":
            no_value = exp.Is(this=_col("alive_value"), expression=exp.null())
            null_last = exp.Case(
                ifs=[exp.If(this=no_value, true=exp.Literal.number(1))],
                default=exp.Literal.number(0),
            )
            order = [self.dialect.order(null_last)] + [
                self.dialect.order(_col(f"alive_{c}"), desc=True)
                for c in ("time", "recorded", "seq")
            ]
            rank = exp.Window(
                this=exp.RowNumber(),
                partition_by=[_col(c) for c in [*spec.group, "posted_close"]],
                order=exp.Order(expressions=order),
            )
            ranked = exp.select(exp.Star(), rank.as_("rank", copy=False)).from_("alive")
            steps.append(("newest", ranked))
            source = "newest"
        grouping = [*keys, *posted]
        totals = (
            exp.select(
                *(_col(c) for c in grouping),
                self.aggregate().as_("value", copy=False),
                exp.Count(this=_col("alive_seq")).as_("alive", copy=False),
            )
            .from_(source)
            .group_by(*(_col(c) for c in grouping))
        )
        steps.append(("totals", totals))
        return steps

    def aggregate(self) -> exp.Expression:
        """The aggregation over the alive events of a close (NULL when none: COALESCE'd)."""
        value = _col("alive_value")
        return {
            "count": lambda: exp.Count(this=_col("alive_seq")),
            "sum": lambda: exp.Sum(this=value),
            "min": lambda: exp.Min(this=value),
            "max": lambda: exp.Max(this=value),
            "unique_count": lambda: exp.Count(this=exp.Distinct(expressions=[value])),
            "latest": lambda: exp.Max(
                this=exp.Case(
                    ifs=[
                        exp.If(
                            this=exp.EQ(this=_col("rank"), expression=exp.Literal.number(1)),
                            true=value,
                        )
                    ]
                )
            ),
        }[self.spec.aggregation]()

    def same_group(self, left: str, right: str) -> exp.Expression:
        conditions = []
        for column in self.spec.group:
            a, b = _col(column, left), _col(column, right)
            if column in self.spec.nullable:
                conditions.append(self.dialect.null_safe_eq(a, b))
            else:
                conditions.append(exp.EQ(this=a, expression=b))
        return exp.and_(*conditions, copy=False)

    # ------------------------------------------------------------ rounding and differences

    def quantities(self, keys: list[str]) -> exp.Query:
        posted = ["posted_start", "posted_end", "posted_close"]
        value = exp.func("COALESCE", _col("value"), exp.Literal.number(0))
        columns = [
            *(_col(c) for c in [*keys, *posted]),
            _col("alive"),
            self.quantity(value).as_("quantity", copy=False),
        ]
        return exp.select(*columns).from_("totals")

    def ledger(self, keys: list[str]) -> exp.Query:
        previous = exp.func(
            "COALESCE", _previous(self.dialect, self.spec, _col("quantity")), exp.Literal.number(0)
        )
        columns = [
            *(
                _col(c)
                for c in [*keys, "posted_start", "posted_end", "posted_close", "alive", "quantity"]
            ),
            previous.as_("previous", copy=False),
        ]
        return exp.select(*columns).from_("quantities")
