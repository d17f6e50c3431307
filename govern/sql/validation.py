"""Contract validation in SQL: the checks a query can make, per contract version.

An event is checked against the contract version its `dataschema` names (a version the
catalog lacks makes it invalid), else the latest released one, as `govern validate` does.
In SQL:

- envelope: `id`, `source`, `subject` non-empty, `time` present, `voids` and
  `dataschema` non-empty when present, `time` and `recordedtime` before 9000-01-01;
- clock skew: `time` at most `clock_skew` after `recordedtime`;
- `data` (unless the event is a void): an object with only the contract's fields; each
  required field present; each present field of its JSON type (an integer has no
  fraction); `enum`, `minimum`, `maximum`, `min_length`, `max_length` (in code points),
  `pattern` (with the warehouse's regular expressions) and the RFC 3339 shape of
  timestamps.

What the raw table cannot show is checked when events are loaded (`govern validate`):
JSON syntax, `specversion`, that `type`, `id`... are strings, and that `time` and
`recordedtime` are RFC 3339 (the table holds them as instants already). See
docs/warehouse.md.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from sqlglot import exp

from govern.catalog.model import Contract, FieldSpec
from govern.sql.data import DataReader
from govern.sql.dialects.base import Dialect, lit
from govern.sql.fields import json_kind

TIMESTAMP_SHAPE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
"""RFC 3339 with an offset; the date itself is checked by parsing it."""

_UNPORTABLE_REGEX = re.compile(r"\(\?[=!<]|\\[1-9]|\\[pP]\{")
"""Lookarounds, back references and Unicode classes: not in every warehouse's regex."""


def _not_empty(column: str) -> exp.Expression:
    return exp.NEQ(this=exp.column(column), expression=lit(""))


def _optional(column: str, check: exp.Expression) -> exp.Expression:
    return exp.or_(exp.Is(this=exp.column(column), expression=exp.null()), check, copy=False)


HORIZON = datetime(9000, 1, 1, tzinfo=UTC)
"""Events at or after it are invalid (`govern.reference.periods.HORIZON`: periods past the
year 9999 cannot be computed)."""


def envelope_valid(dialect: Dialect) -> exp.Expression:
    """What every event needs, void or not (given the raw table's types)."""
    horizon = dialect.timestamp_literal(HORIZON)
    return exp.and_(
        exp.LT(this=exp.column("time"), expression=horizon),
        exp.LT(this=exp.column("recorded"), expression=horizon.copy()),
        _not_empty("id"),
        _not_empty("source"),
        _not_empty("subject"),
        exp.Not(this=exp.Is(this=exp.column("time"), expression=exp.null())),
        _optional("voids", _not_empty("voids")),
        _optional("dataschema", _not_empty("dataschema")),
    )


def _schema_pattern(contract_name: str, version: str) -> str:
    """The regex of a `dataschema` naming `contract_name` at `version` (see
    `govern.catalog.dataschema`)."""
    return rf"(^|[/:]){re.escape(contract_name)}(/v|@){version}(\.[A-Za-z0-9_]+)*/?$"


class ContractChecks:
    """The SQL validity condition of the events of one contract (all its versions)."""

    def __init__(
        self,
        dialect: Dialect,
        versions: dict[int, Contract],
        latest: Contract,
        data: DataReader | None = None,
    ):
        self.dialect = dialect
        self.versions = versions
        self.latest = latest
        self.data = data
        """How `data` is read (needed by `valid`, not by `version_number`)."""

    def version_number(self) -> exp.Expression:
        """The contract version an event is checked against: the one its `dataschema`
        names, else the latest released; 0 when it names a version the catalog lacks."""
        dialect = self.dialect
        dataschema = exp.column("dataschema")
        name = self.latest.contract
        cases = [
            exp.If(
                this=exp.Is(this=dataschema, expression=exp.null()), true=lit(self.latest.version)
            )
        ]
        for number in self.versions:
            named = dialect.regex_search(dataschema.copy(), _schema_pattern(name, f"0*{number}"))
            cases.append(exp.If(this=named, true=lit(number)))
        unknown = dialect.regex_search(dataschema.copy(), _schema_pattern(name, "[0-9]+"))
        cases.append(exp.If(this=unknown, true=lit(0)))
        return exp.Case(ifs=cases, default=lit(self.latest.version))

    def valid(self, version: exp.Expression) -> exp.Expression:
        """TRUE for an event that passes every SQL-expressible check (never NULL), given
        the column holding `version_number()`.

        Each check is written once and applies to the contract versions that share it
        (a CASE on the version only where versions differ), so an event is checked once,
        not once per version."""
        numbers = list(self.versions)
        clock = self.shared(version, {n: self.clock(c) for n, c in self.versions.items()})
        # The keys of any version; a key its version lacks fails in `presence`.
        names = list(dict.fromkeys(name for c in self.versions.values() for name in c.fields))
        parts = [
            self.data.is_object(),
            self.data.keys_within(names),
        ]
        for name in names:
            by_version = {n: self.presence(name, c) for n, c in self.versions.items()}
            parts.append(self.shared(version, by_version))
        is_void = exp.Not(this=exp.Is(this=exp.column("voids"), expression=exp.null()))
        data = exp.or_(is_void, exp.Paren(this=exp.and_(*parts, copy=False)), copy=False)
        known = _one_of(version, numbers)
        checks = exp.Case(
            ifs=[exp.If(this=known, true=exp.and_(clock, data, copy=False))], default=exp.false()
        )
        return exp.func(
            "COALESCE", exp.and_(envelope_valid(self.dialect), checks, copy=False), exp.false()
        )

    def shared(self, version: exp.Expression, checks: dict[int, exp.Expression]) -> exp.Expression:
        """The check of each contract version (by number), written once per distinct check."""
        alike: dict[str, tuple[list[int], exp.Expression]] = {}
        for number, check in checks.items():
            alike.setdefault(check.sql(), ([], check))[0].append(number)
        if len(alike) == 1:
            return next(iter(alike.values()))[1]
        ifs = []
        for found, check in alike.values():
            ifs.append(exp.If(this=_one_of(version, found), true=check))
        return exp.Paren(this=exp.Case(ifs=ifs, default=exp.false()))

    def clock(self, contract: Contract) -> exp.Expression:
        """Clock skew: `time` at most the contract's skew after `recordedtime`."""
        recorded = exp.column("recorded")
        latest_time = self.dialect.add_duration(recorded, contract.clock_skew_delta)
        return exp.LTE(this=exp.column("time"), expression=latest_time)

    def presence(self, name: str, contract: Contract) -> exp.Expression:
        """Field `name` of `data` as `contract` has it: required, optional or absent."""
        present = self.data.has(name)
        spec = contract.fields.get(name)
        if spec is None:
            return exp.Not(this=present)
        check = exp.Paren(this=self.field(name, spec))
        if spec.required:
            return exp.and_(present, check, copy=False)
        return exp.or_(exp.Not(this=present), check, copy=False)

    def field(self, name: str, spec: FieldSpec) -> exp.Expression:
        """The checks of one present field."""
        dialect, data, kind = self.dialect, self.data, json_kind(spec.type)
        if kind == "string":
            value = data.text(name)
            checks = [data.is_(name, "string")]
            if spec.type == "timestamp":
                # Parse only what has the shape: PostgreSQL's cast fails on anything else.
                shaped = dialect.regex_search(value.copy(), TIMESTAMP_SHAPE)
                parsed = dialect.parse_timestamp(value.copy())
                real = exp.Not(this=exp.Is(this=parsed, expression=exp.null()))
                checks.append(exp.Case(ifs=[exp.If(this=shaped, true=real)], default=exp.false()))
            length = dialect.text_length(value.copy())
            if spec.min_length is not None:
                checks.append(exp.GTE(this=length.copy(), expression=lit(spec.min_length)))
            if spec.max_length is not None:
                checks.append(exp.LTE(this=length.copy(), expression=lit(spec.max_length)))
            if spec.pattern is not None:
                if _UNPORTABLE_REGEX.search(spec.pattern):
                    raise dialect.unsupported(f"the pattern {spec.pattern!r} of field '{name}'")
                checks.append(dialect.regex_search(value.copy(), spec.pattern))
            if spec.enum is not None:
                options = [lit(str(option)) for option in spec.enum]
                checks.append(exp.In(this=value.copy(), expressions=options))
            return _guarded(checks)
        if kind == "boolean":
            checks = [data.is_(name, "boolean")]
            if spec.enum is not None:
                value = data.boolean(name)
                options = [exp.Boolean(this=bool(option)) for option in spec.enum]
                checks.append(exp.In(this=value, expressions=options))
            return _guarded(checks)
        value = data.number(name)
        checks = [data.is_(name, "number")]
        guard = data.number_guard(name)
        if guard is not None:
            checks.append(guard)
        checks.append(exp.Not(this=exp.Is(this=value.copy(), expression=exp.null())))
        if spec.type == "integer":
            whole = dialect.trunc(value.copy(), 0)  # type: ignore[attr-defined]
            checks.append(exp.EQ(this=value.copy(), expression=whole))
        if spec.minimum is not None:
            checks.append(
                exp.GTE(this=value.copy(), expression=dialect.decimal_literal(spec.minimum))
            )
        if spec.maximum is not None:
            checks.append(
                exp.LTE(this=value.copy(), expression=dialect.decimal_literal(spec.maximum))
            )
        if spec.enum is not None:
            options = [dialect.decimal_literal(Decimal(str(option))) for option in spec.enum]
            checks.append(exp.In(this=value.copy(), expressions=options))
        return _guarded(checks)


def _one_of(version: exp.Expression, numbers: list[int]) -> exp.Expression:
    if len(numbers) == 1:
        return exp.EQ(this=version.copy(), expression=lit(numbers[0]))
    return exp.In(this=version.copy(), expressions=[lit(n) for n in numbers])


def _guarded(checks: list[exp.Expression]) -> exp.Expression:
    """`checks[0] AND ...`, where the later checks run only once the first (the JSON
    type) holds: a CASE, because SQL does not promise to evaluate AND left to right."""
    if len(checks) == 1:
        return checks[0]
    rest = exp.and_(*checks[1:], copy=False)
    return exp.Case(ifs=[exp.If(this=checks[0], true=rest)], default=exp.false())
