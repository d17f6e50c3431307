"""Step 4-5 of SEMANTICS.md in SQL: the copies of one event ranked by (recordedtime, seq)
per dedup key, the first copy kept, and when the first void of its (source, id) was
recorded.

    ranked      every valid event, with `copy`: its rank among the copies of its key
    winners     the first copies, with `voided_at`

Ranking is a window over every event, and a window sorts each key's rows with all their
columns: the costliest step of the query. Yet most events have one copy and no void. A
dialect that hashes keys (`Dialect.key_hash`) ranks only the events that need it:

    hashed      the valid events, with the hash of their dedup key (computed once)
    crowded     hashes that more than one event has, and the hashes of void targets
    alone       events whose hashes are not crowded: first copies, never voided
    tangled     the others (voids, copies, void targets, hash collisions), ranked

This is exact: an event whose key's hash no other event has is the only copy of its key,
and one whose (source, id) no void names is not voided. A collision only sends an event
to `tangled`, where the window decides as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from govern.sql.dialects import Dialect
from govern.sql.dialects.base import lit, not_null


def materialized(step: str) -> bool | None:
    """Whether the query should compute `step` once though it reads it more than once
    (None: as the database sees fit)."""
    return True if step == "hashed" else None


def id_key() -> list[exp.Expression]:
    """(source, id): what names an event, so the key of a void and the default dedup key."""
    return [exp.column("source"), exp.column("id")]


@dataclass(frozen=True)
class DedupSQL:
    """The dedup steps over `checked`; `key` is what identifies the copies of one event."""

    dialect: Dialect
    key: list[exp.Expression]

    def steps(self) -> list[tuple[str, exp.Query]]:
        """The steps (name, query), ending with `ranked` and `winners`."""
        key_hash = self.dialect.key_hash([k.copy() for k in self.key])
        if key_hash is None:
            return [("ranked", self.ranked("checked")), ("winners", self.winners("ranked"))]
        hashes = {"key_hash": key_hash}
        ids = id_key()
        if self.key != ids:
            # Voids name (source, id), not the key: whether one names an event is a
            # question about another hash.
            hashes["id_hash"] = self.dialect.key_hash(ids)
        hashed = (
            exp.select(exp.Star(), *(value.as_(name) for name, value in hashes.items()))
            .from_("checked")
            .where(exp.column("valid"))
        )
        shared = (
            exp.select(exp.column("key_hash").as_("hash"))
            .from_("hashed")
            .group_by(exp.column("key_hash"))
            .having(exp.GT(this=exp.Count(this=exp.Star()), expression=lit(1)))
        )
        targets = (
            exp.select(self.dialect.key_hash([exp.column("source"), exp.column("voids")]))
            .from_("hashed")
            .where(not_null(exp.column("voids")))
        )
        crowded = exp.union(shared, targets, distinct=False)
        busy = [
            exp.In(
                this=exp.column(name),
                query=exp.Subquery(this=exp.select(exp.column("hash")).from_("crowded")),
            )
            for name in hashes
        ]
        tangled = exp.or_(not_null(exp.column("voids")), *busy, copy=False)
        unhashed = exp.Star(except_=[exp.column(name) for name in hashes])
        alone = exp.select(unhashed, lit(1).as_("copy")).from_("hashed").where(exp.not_(tangled))
        never_voided = self.dialect.cast(exp.null(), self.dialect.TIMESTAMP).as_("voided_at")
        return [
            ("hashed", hashed),
            ("crowded", crowded),
            ("alone", alone),
            ("tangled", self.ranked("hashed", tangled.copy(), unhashed.copy())),
            ("ranked", exp.union(_all("alone"), _all("tangled"), distinct=False)),
            (
                "winners",
                exp.union(
                    exp.select(exp.Star(), never_voided).from_("alone"),
                    self.winners("tangled"),
                    distinct=False,
                ),
            ),
        ]

    def ranked(
        self,
        source: str,
        where: exp.Expression | None = None,
        columns: exp.Expression | None = None,
    ) -> exp.Select:
        """The valid events of `source` (those `where` holds for), each with its rank
        among the copies of its key."""
        dialect = self.dialect
        order = [dialect.order(exp.column("recorded")), dialect.order(exp.column("seq"))]
        copy = exp.Window(
            this=exp.RowNumber(),
            partition_by=[k.copy() for k in self.key],
            order=exp.Order(expressions=order),
        )
        return (
            exp.select(columns or exp.Star(), copy.as_("copy", copy=False))
            .from_(source)
            .where(where or exp.column("valid"))
        )

    def winners(self, ranked: str) -> exp.Select:
        """The first copy of each key of `ranked`, and when the first void of its
        (source, id) was recorded: by a join to the voids, or (`Dialect.VOIDS_BY_WINDOW`)
        by a window that a void shares with its target (source, voids = id)."""
        first = exp.EQ(this=exp.column("copy"), expression=lit(1))
        voids = exp.column("voids")
        if self.dialect.VOIDS_BY_WINDOW:
            void_time = exp.Case(ifs=[exp.If(this=not_null(voids), true=exp.column("recorded"))])
            target = exp.func("COALESCE", voids.copy(), exp.column("id"))
            voided_at = exp.Window(
                this=exp.Min(this=void_time), partition_by=[exp.column("source"), target]
            )
            return (
                exp.select(exp.Star(), voided_at.as_("voided_at", copy=False))
                .from_(ranked)
                .where(first)
            )
        void_times = (
            exp.select(
                exp.column("source"),
                voids.as_("target", copy=False),
                exp.Min(this=exp.column("recorded")).as_("voided_at", copy=False),
            )
            .from_(ranked)
            .where(exp.and_(first.copy(), not_null(voids.copy()), copy=False))
            .group_by(exp.column("source"), exp.column("voids"))
        )
        on = exp.and_(
            exp.EQ(this=exp.column("source", "v"), expression=exp.column("source", "r")),
            exp.EQ(this=exp.column("target", "v"), expression=exp.column("id", "r")),
            copy=False,
        )
        return (
            exp.select(exp.column(exp.Star(), "r"), exp.column("voided_at", "v"))
            .from_(exp.to_table(ranked).as_("r", copy=False))
            .join(
                exp.Subquery(this=void_times, alias=exp.TableAlias(this=exp.to_identifier("v"))),
                on=on,
                join_type="LEFT",
            )
            .where(exp.EQ(this=exp.column("copy", "r"), expression=lit(1)))
        )


def _all(step: str) -> exp.Select:
    return exp.select(exp.Star()).from_(step)
