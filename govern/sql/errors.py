"""Errors of the SQL compiler: a construct a dialect cannot express is refused, by name."""

from __future__ import annotations

from govern.errors import InputError


class UnsupportedError(InputError):
    """`dialect` cannot express `construct` exactly; no SQL is produced (exit code 2).

    govern never emits SQL that would compute something other than the reference
    aggregator: where a warehouse lacks the means, compilation stops here instead.
    """

    def __init__(self, dialect: str, construct: str, where: str | None = None):
        self.dialect = dialect
        self.construct = construct
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{dialect} cannot express {construct}")
