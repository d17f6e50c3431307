"""Where every event went, for the DuckDB engine: counts by reason, and the exceptions.

The counts come from SQL over the compiled steps (`CompiledVersion.steps`), in the
reference's categories (`govern.reference.counts`): read = counted + excluded + ignored.
The exceptions list needs the reference's own messages, so the few events behind
exceptions (invalid events, every copy of a duplicated key, voids of unknown targets,
the events of unmapped subjects, with the voids and targets they involve) are picked out
in SQL and run through the reference aggregator, whose exceptions on that small stream
are exactly its exceptions on the whole one; the split between identical and
conflicting duplicates comes from that run too. Those events are read back as lines:
from the JSONL files, or written from their Parquet rows (`parquet_lines`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
from sqlglot import exp

from govern.catalog.catalog import Catalog
from govern.engines.parquet import PARQUET_ROWS
from govern.engines.temporary import create_temporary, drop_table
from govern.events.reader import RawLine
from govern.reference import aggregate as reference_aggregate
from govern.reference.counts import Counts
from govern.reference.exceptions import ExceptionRecord
from govern.sql.compiler import PARAMETER, CompiledVersion
from govern.sql.dedup import id_key
from govern.sql.dialects import get_dialect
from govern.sql.dialects.base import is_null, not_null
from govern.sql.periods import eras
from govern.sql.schema import RAW_COLUMNS

DIALECT = "duckdb"
SEEDS, COPIES = "govern_seeds", "govern_copies"
"""Temporary tables: the events an exceptions run starts from; the copies of duplicated keys."""
_PAYLOAD = [c.name for c in RAW_COLUMNS if c.name not in ("source", "id", "recordedtime", "seq")]
"""What copies of an event keyed by (source, id) must agree on to be identical."""


def _sql(query: exp.Expression) -> str:
    return query.sql(dialect=DIALECT)


@dataclass
class Accounting:
    counts: Counts
    exceptions: tuple[ExceptionRecord, ...]


def _count_if(condition: exp.Expression) -> exp.Expression:
    """How many rows meet `condition` (0, never NULL, over no rows)."""
    return exp.func("COALESCE", exp.func("COUNT_IF", condition), exp.Literal.number(0))


def _parameters(query: exp.Expression, as_of: datetime | None) -> dict | None:
    """The as-of parameter, where `query` reads it (DuckDB refuses one it does not)."""
    return {PARAMETER: as_of} if any(True for _ in query.find_all(exp.Placeholder)) else None


def _run(connection, query: exp.Expression, as_of: datetime | None) -> list[tuple]:
    return connection.execute(_sql(query), _parameters(query, as_of)).fetchall()


def account(
    connection: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    meter_name: str,
    compiled: Sequence[CompiledVersion],
    *,
    read: int,
    lines_table: str | None,
    line_type: exp.Expression | None,
    readable: exp.Expression | None,
    probe: exp.Expression | None,
    as_of: datetime | None,
    mapping: Mapping[str, str] | None,
    lines_of: Callable[[set[int]], list[RawLine]],
) -> Accounting:
    """Counts and exceptions of one run whose steps are `compiled`; `lines_of(seqs)` reads
    the events `seqs` as lines, in seq order."""
    first = compiled[0]
    contract = first.meter.versions[0].contract_name
    counts = Counts(read=read)
    t = exp.column
    as_of_param = exp.column(PARAMETER, "p")

    # Lines: unreadable ones are invalid, other types ignored; ours go on.
    exceptional: set[int] = set()

    def after(recorded: exp.Expression) -> exp.Expression:
        """Recorded (an instant) after the as-of time; FALSE without one."""
        later = exp.GT(this=get_dialect(DIALECT).utc(recorded), expression=as_of_param.copy())
        return exp.func(
            "COALESCE", exp.and_(not_null(as_of_param.copy()), later, copy=False), exp.false()
        )

    if lines_table is not None:
        ours = exp.EQ(this=line_type.copy(), expression=exp.Literal.string(contract))
        late = after(probe.copy())
        query = first.with_steps(
            exp.select(
                exp.Count(this=exp.Star()).as_("lines"),
                _count_if(exp.Not(this=readable.copy())).as_("unreadable"),
                _count_if(exp.and_(readable.copy(), exp.Not(this=ours.copy()))).as_("other"),
                _count_if(exp.and_(readable.copy(), ours.copy(), late.copy())).as_("after"),
            )
            .from_(exp.to_table(lines_table))
            .join(exp.to_table("params").as_("p"), join_type="CROSS"),
            "params",
        )
        lines, unreadable, other, recorded_after = _run(connection, query, as_of)[0]
        counts.excluded["invalid"] += (read - lines) + unreadable
        counts.ignored["other_type"] += other
        counts.ignored["recorded_after_as_of"] += recorded_after
        # Our events neither ignored nor in `checked`: their envelope is unreadable.
        in_checked = exp.In(
            this=t("seq", "l"), query=exp.Subquery(this=exp.select(t("seq")).from_("checked"))
        )
        unmatched = first.with_steps(
            exp.select(t("seq", "l"))
            .from_(exp.to_table(lines_table).as_("l"))
            .join(exp.to_table("params").as_("p"), join_type="CROSS")
            .where(
                exp.and_(
                    readable.copy(),
                    ours.copy(),
                    exp.Not(this=late.copy()),
                    exp.Not(this=in_checked),
                )
            ),
            "checked",
        )
        seqs = [row[0] for row in _run(connection, unmatched, as_of)]
        counts.excluded["invalid"] += len(seqs)
        exceptional.update(seqs)
        unreadable_seqs = (
            exp.select(t("seq"))
            .from_(exp.to_table(lines_table))
            .where(exp.Not(this=readable.copy()))
        )
        exceptional.update(row[0] for row in _run(connection, unreadable_seqs, as_of))
    else:
        ours = exp.EQ(this=t("type", "e"), expression=exp.Literal.string(contract))
        recorded = exp.func("COALESCE", t("recordedtime", "e"), t("time", "e"))
        query = first.with_steps(
            exp.select(
                _count_if(exp.Not(this=ours.copy())),
                _count_if(exp.and_(ours.copy(), after(recorded), copy=False)),
            )
            .from_(exp.to_table("raw_events").as_("e"))
            .join(exp.to_table("params").as_("p"), join_type="CROSS"),
            "params",
        )
        other, recorded_after = _run(connection, query, as_of)[0]
        counts.ignored["other_type"] += other
        counts.ignored["recorded_after_as_of"] += recorded_after

    # Validity, duplicates, voids (the same for every version).
    partition = first.dedup_key
    copies = exp.Window(this=exp.Count(this=exp.Star()), partition_by=[p.copy() for p in partition])
    summary = first.with_steps(
        exp.select(
            _count_if(exp.Not(this=t("valid"))).as_("invalid"),
        ).from_("checked"),
        "checked",
    )
    counts.excluded["invalid"] += _run(connection, summary, as_of)[0][0]
    invalid = first.with_steps(
        exp.select(t("seq")).from_("checked").where(exp.Not(this=t("valid"))), "checked"
    )
    exceptional.update(row[0] for row in _run(connection, invalid, as_of))
    duplicated = first.with_steps(
        exp.select(t("seq"), t("copy"), t("source"), t("id"))
        .from_(
            exp.Subquery(
                this=exp.select(
                    t("seq"), t("copy"), t("source"), t("id"), copies.as_("copies")
                ).from_(first.copies),
                alias=exp.TableAlias(this=exp.to_identifier("r")),
            )
        )
        .where(exp.GT(this=t("copies"), expression=exp.Literal.number(1))),
        first.copies,
    )
    if lines_table is None and partition == id_key():
        compared, identical = _alike_copies(connection, duplicated, as_of)
    else:
        compared, identical = {row[0] for row in _run(connection, duplicated, as_of)}, []
    exceptional.update(compared)

    usage = is_null(t("voids"))
    voids_query = first.with_steps(
        exp.select(
            _count_if(not_null(t("voids"))),
            _count_if(exp.and_(usage.copy(), not_null(t("voided_at")))),
            _count_if(
                exp.and_(
                    usage.copy(),
                    is_null(t("voided_at")),
                    exp.LT(this=t("time"), expression=_begins(first)),
                )
            ),
        ).from_("winners"),
        "winners",
    )
    voids, voided, before = _run(connection, voids_query, as_of)[0]
    counts.excluded["void"] += voids
    counts.excluded["voided"] += voided
    counts.excluded["before_first_version"] += before
    unknown = first.with_steps(
        exp.select(t("seq", "v"))
        .from_(exp.to_table("winners").as_("v"))
        .where(
            exp.and_(
                not_null(t("voids", "v")),
                exp.Not(
                    this=exp.Exists(
                        this=exp.select(exp.Literal.number(1))
                        .from_(exp.to_table("winners").as_("u"))
                        .where(
                            exp.and_(
                                is_null(t("voids", "u")),
                                exp.EQ(this=t("source", "u"), expression=t("source", "v")),
                                exp.EQ(this=t("id", "u"), expression=t("voids", "v")),
                            )
                        )
                    )
                ),
            )
        ),
        "winners",
    )
    exceptional.update(row[0] for row in _run(connection, unknown, as_of))

    # Per version: its era, its filter, the customer mapping.
    unmapped_subjects: set[str] = set()
    for version in compiled:
        mapped = (
            exp.true()
            if mapping is None
            else exp.In(
                this=t("subject"),
                query=exp.Subquery(this=exp.select(t("subject")).from_("customer_aliases")),
            )
        )
        query = version.with_steps(
            exp.select(
                _count_if(exp.Not(this=exp.func("COALESCE", version.passes.copy(), exp.false()))),
                _count_if(exp.and_(version.passes.copy(), exp.Not(this=mapped.copy()))),
                _count_if(exp.and_(version.passes.copy(), mapped.copy())),
            )
            .from_("winners")
            .where(exp.and_(usage.copy(), is_null(t("voided_at")), version.in_era.copy())),
            "winners",
        )
        filtered, unmapped, counted = _run(connection, query, as_of)[0]
        counts.excluded["filtered_out"] += filtered
        counts.excluded["unmapped_subject"] += unmapped
        counts.counted += counted
        if mapping is not None:
            # Voided events of unmapped subjects count as voided, but their groups are
            # reported too: every usage winner of the era that passes the filter.
            subjects = version.with_steps(
                exp.select(t("subject"))
                .distinct()
                .from_("winners")
                .where(
                    exp.and_(
                        usage.copy(),
                        version.in_era.copy(),
                        version.passes.copy(),
                        exp.Not(this=mapped.copy()),
                    )
                ),
                "winners",
            )
            unmapped_subjects.update(row[0] for row in _run(connection, subjects, as_of))

    if exceptional or unmapped_subjects:
        exceptional |= _closure(connection, first, exceptional, unmapped_subjects, as_of)
    # Identical copies the closure left out: the reference does not see them.
    counts.excluded["duplicate"] += sum(
        1 for seq, copy in identical if copy > 1 and seq not in exceptional
    )

    exceptions: tuple[ExceptionRecord, ...] = ()
    if exceptional:
        picked = lines_of(exceptional)
        result = reference_aggregate(
            catalog, meter_name, picked, as_of=_aware(as_of), customers=mapping
        )
        exceptions = result.exceptions
        for reason in ("duplicate", "conflicting_duplicate"):
            counts.excluded[reason] += result.counts.excluded.get(reason, 0)
    return Accounting(_clean(counts), exceptions)


def _alike_copies(
    connection: duckdb.DuckDBPyConnection, duplicated: exp.Select, as_of: datetime | None
) -> tuple[set[int], list[tuple[int, int]]]:
    """Of the copies `duplicated` finds (seq, copy, source, id) in Parquet rows, keyed by
    source and id: the seqs of those the reference must compare, and the (seq, copy) of
    those whose key's copies agree on every column but `recordedtime`. Those are identical
    copies, as the reference would find (a row is the whole event), without a look."""
    create_temporary(connection, "TABLE", COPIES, duplicated, _parameters(duplicated, as_of))
    t = exp.column
    payload = exp.Tuple(expressions=[t(name, "r") for name in _PAYLOAD])
    joined = (
        exp.select(t("seq", "c"), t("copy", "c"), t("source", "c"), t("id", "c"))
        .select(payload.as_("payload"))
        .from_(exp.to_table(COPIES).as_("c"))
        .join(
            exp.to_table(PARQUET_ROWS).as_("r"),
            on=exp.EQ(this=t("seq", "c"), expression=t("seq", "r")),
        )
    )
    counted = (
        exp.select(t("source"), t("id"), t("payload"))
        .from_("payloads")
        .where(exp.EQ(this=t("copy"), expression=exp.Literal.number(1)))
    )
    # Each copy against the counted one (MIN/MAX over the payloads: 30 times slower).
    same = exp.NullSafeEQ(this=t("payload", "o"), expression=t("payload", "w"))
    alike = exp.Window(
        this=exp.func("BOOL_AND", same),
        partition_by=[t("source", "o"), t("id", "o")],
    )
    query = (
        exp.select(t("seq", "o"), t("copy", "o"), alike.as_("alike"))
        .from_(exp.to_table("payloads").as_("o"))
        .join(
            exp.to_table("counted").as_("w"),
            on=exp.and_(
                exp.EQ(this=t("source", "o"), expression=t("source", "w")),
                exp.EQ(this=t("id", "o"), expression=t("id", "w")),
            ),
        )
        .with_("payloads", as_=joined)
        .with_("counted", as_=counted)
    )
    found = connection.execute(_sql(query)).fetchall()
    drop_table(connection, COPIES)
    compared = {seq for seq, _, alike in found if not alike}
    return compared, [(seq, copy) for seq, copy, alike in found if alike]


def _closure(
    connection: duckdb.DuckDBPyConnection,
    first: CompiledVersion,
    seeds: set[int],
    subjects: set[str],
    as_of: datetime | None,
) -> set[int]:
    """`seeds` and the events of `subjects`, with every copy of their keys, the targets
    of their voids and the voids of their events: a stream on which the reference finds
    the same exceptions for them as on the whole input."""
    t = exp.column
    listed = exp.cast(exp.Placeholder(this="seeds"), "BIGINT[]")
    create_temporary(
        connection,
        "TABLE",
        SEEDS,
        exp.select(exp.Unnest(expressions=[listed]).as_("seq")),
        {"seeds": sorted(seeds)},
    )
    seeded = exp.In(this=t("seq"), query=exp.Subquery(this=exp.select(t("seq")).from_(SEEDS)))
    if subjects:
        named = exp.In(this=t("subject"), expressions=[exp.Literal.string(s) for s in subjects])
        seeded = exp.or_(seeded, named)
    keys = exp.union(
        exp.select(t("source"), t("id").as_("key")).from_("ranked").where(seeded.copy()),
        exp.select(t("source"), t("voids").as_("key"))
        .from_("ranked")
        .where(exp.and_(seeded.copy(), not_null(t("voids")))),
        distinct=True,
    )

    def related(column: str) -> exp.Select:
        """Events whose `column` is one of the keys: one equi-join each for ids and voids
        (a join on `id = key OR voids = key` pairs every event of a source with every key)."""
        same = exp.and_(
            exp.EQ(this=t("source", "r"), expression=t("source", "k")),
            exp.EQ(this=t(column, "r"), expression=t("key", "k")),
        )
        return (
            exp.select(t("seq", "r"))
            .from_(exp.to_table("ranked").as_("r"))
            .join(exp.to_table("closure_keys").as_("k"), on=same)
        )

    query = first.with_steps(
        exp.union(related("id"), related("voids"), distinct=True), "ranked"
    ).with_("closure_keys", as_=keys)
    found = {row[0] for row in _run(connection, query, as_of)}
    drop_table(connection, SEEDS)
    return found


def _begins(compiled: CompiledVersion) -> exp.Expression:
    """The instant the meter's first version takes effect (naive UTC literal)."""
    return get_dialect(DIALECT).timestamp_literal(eras(compiled.meter)[0].begins)


def _aware(as_of: datetime | None) -> datetime | None:
    return None if as_of is None else as_of.replace(tzinfo=UTC)


def _clean(counts: Counts) -> Counts:
    counts.excluded = +counts.excluded
    counts.ignored = +counts.ignored
    return counts
