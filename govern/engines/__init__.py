"""Engines that compute a meter's rows: name -> `aggregate` function.

Every engine takes the arguments of `govern.reference.aggregate` and returns its
`AggregateResult`, with the same rows: `reference` is the definition made executable,
`duckdb` (the default of `govern aggregate`) runs the compiled DuckDB SQL in-process.
"""

from __future__ import annotations

from collections.abc import Callable

from govern.errors import InputError

DEFAULT_ENGINE = "duckdb"


def _reference() -> Callable:
    from govern.reference import aggregate

    return aggregate


def _duckdb() -> Callable:
    from govern.engines.duckdb_engine import aggregate

    return aggregate


ENGINES: dict[str, Callable[[], Callable]] = {"duckdb": _duckdb, "reference": _reference}
"""Engine name -> a loader of its `aggregate` function (imported on first use)."""


def engine(name: str) -> Callable:
    """The `aggregate` function of engine `name`; InputError if there is none."""
    loader = ENGINES.get(name)
    if loader is None:
        raise InputError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    return loader()


__all__ = ["DEFAULT_ENGINE", "ENGINES", "engine"]
