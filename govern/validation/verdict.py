"""`Verdict`: the outcome of checking one event."""

from __future__ import annotations

from dataclasses import dataclass

from govern.catalog.model import Contract
from govern.validation.problems import Problem


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one event: valid when it has a contract and no problems.

    `contract` is None when the event's type is not in the catalog (then `problems` is
    empty: the event is not ours to judge), or when it has no usable type, is not a JSON
    object or not JSON at all (then `problems` says why)."""

    contract: Contract | None
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[str]:
        return [str(found) for found in self.problems]

    @property
    def valid(self) -> bool:
        return self.contract is not None and not self.problems

    @property
    def unknown_type(self) -> bool:
        return self.contract is None and not self.problems


UNKNOWN_TYPE = Verdict(None)
