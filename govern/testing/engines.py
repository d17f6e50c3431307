"""The engines a meter can run on, by name: what `govern test --engine` chooses from.

An engine turns (catalog, meter, event lines, as-of time, customer mapping) into rows in
the public shape of `govern aggregate --format jsonl` (`UsageRow.to_dict()`), so that
every engine's output compares with every other's. Every engine of `govern.engines` is
registered; another (a test's) registers itself with `register_engine`; `--engine all`
runs every registered one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from govern.catalog.catalog import Catalog
from govern.engines import ENGINES as AGGREGATE_ENGINES
from govern.errors import InputError
from govern.events.reader import RawLine

Rows = list[dict[str, Any]]
EngineRun = Callable[
    [Catalog, str, Sequence[RawLine], datetime | None, Mapping[str, str] | None], Rows
]


@dataclass(frozen=True)
class Engine:
    name: str
    run: EngineRun
    description: str


ENGINES: dict[str, Engine] = {}
"""Every registered engine, by name, in registration order."""


def register_engine(name: str, run: EngineRun, description: str) -> Engine:
    engine = Engine(name, run, description)
    ENGINES[name] = engine
    return engine


def engine_names() -> tuple[str, ...]:
    return tuple(ENGINES)


def resolve_engines(choice: str) -> list[Engine]:
    """The engines `choice` names: one by name, or `all` of them."""
    if choice == "all":
        return list(ENGINES.values())
    if choice not in ENGINES:
        raise InputError(f"unknown engine '{choice}' (known: {', '.join(ENGINES)}, all)")
    return [ENGINES[choice]]


def via_catalog(name: str) -> EngineRun:
    """The engine that `Catalog.aggregate(..., engine=name)` runs."""

    def run(
        catalog: Catalog,
        meter: str,
        lines: Sequence[RawLine],
        as_of: datetime | None,
        customers: Mapping[str, str] | None,
    ) -> Rows:
        result = catalog.aggregate(
            meter, list(lines), as_of=as_of, customers=customers, engine=name
        )
        return [row.to_dict() for row in result.rows]

    return run


for _name, _engine in AGGREGATE_ENGINES.items():
    register_engine(_name, via_catalog(_name), _engine.description)
