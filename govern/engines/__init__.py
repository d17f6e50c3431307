"""Engines that compute a meter's rows: name -> `aggregate` function.

Every engine takes the arguments of `govern.reference.aggregate` and returns its
`AggregateResult`, with the same rows: `reference` is the definition made executable,
`duckdb` (the default of `govern aggregate`) runs the compiled DuckDB SQL in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from govern.errors import InputError

DEFAULT_ENGINE = "duckdb"


def _reference() -> Callable:
    from govern.reference import aggregate

    return aggregate


def _duckdb() -> Callable:
    from govern.engines.duckdb_engine import aggregate

    return aggregate


class Engine(NamedTuple):
    load: Callable[[], Callable]
    """Imports the engine's `aggregate` function (on first use) and returns it."""
    description: str


ENGINES: dict[str, Engine] = {
    "reference": Engine(_reference, "the Python reference aggregator (the oracle)"),
    "duckdb": Engine(_duckdb, "the meter's compiled SQL, run by DuckDB in-process"),
}
"""Every engine, by name."""


def engine(name: str) -> Callable:
    """The `aggregate` function of engine `name`; InputError if there is none."""
    found = ENGINES.get(name)
    if found is None:
        raise InputError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    return found.load()


__all__ = ["DEFAULT_ENGINE", "ENGINES", "engine"]
