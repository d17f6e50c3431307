"""`EventValidator`: one contract version's checks, run in-process.

The verdict is the compiled JSON Schema's, run by `jsonschema_rs` (a Rust validator with
ECMA 262 regular expressions and exact integer comparisons), plus the event-level clock
check. `jsonschema_rs` compares a fractional `minimum`/`maximum` (e.g. 0.5) as a binary
float, so those few bounds are left out of its schema and checked here in exact decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema_rs

from govern.catalog.model import Contract
from govern.compile.errors import CompileError
from govern.compile.jsonschema import contract_to_jsonschema
from govern.compile.layout import Path, event_layout, get_path
from govern.validation.clock import clock_ok, clock_problems
from govern.validation.problems import ROOT, Problem, from_schema_error, problem, show

_MISSING = object()


def _has(event: dict, path: Path) -> bool:
    """Whether `path` is present (even as null), as JSON Schema's `required` sees it."""
    value: Any = event
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


class EventValidator:
    """Checks events against one contract version; `errors(event)` lists every problem."""

    def __init__(self, contract: Contract):
        self.contract = contract
        self.schema = contract_to_jsonschema(contract)
        engine_schema = contract_to_jsonschema(contract, omit_fractional_bounds=True)
        try:
            self._engine = jsonschema_rs.Draft202012Validator(engine_schema)
        except ValueError as exc:
            reason = str(exc).splitlines()[0]
            raise CompileError(
                f"{contract.ref}: its JSON Schema cannot be used: {reason}"
            ) from None
        layout = event_layout(contract)
        self._time, self._recorded = layout.path("time"), layout.path("recordedtime")
        self._data, self._voids = layout.path("data"), layout.path("voids")
        self.dataschema_path = layout.path("dataschema")
        self._clock_paths = (".".join(self._time), ".".join(self._recorded))
        self._skew = contract.clock_skew_delta
        self._fractional = [
            (name, spec)
            for name, spec in contract.fields.items()
            if any(_fractional(bound) for bound in (spec.minimum, spec.maximum))
        ]

    def is_valid(self, event: Any) -> bool:
        """Whether `event` passes every check (the fast path: no messages are built)."""
        try:
            if not self._engine.is_valid(event):
                return False
        except ValueError:
            return False
        if self._fractional and self._fractional_problems(event):
            return False
        time, recorded = get_path(event, self._time), get_path(event, self._recorded)
        return clock_ok(time, recorded, self._skew)

    def problems(self, event: Any) -> list[Problem]:
        """Every problem of `event`, sorted by path and rule; [] when it is valid."""
        return [] if self.is_valid(event) else self.diagnose(event)

    def diagnose(self, event: Any) -> list[Problem]:
        """Every problem of an event known to be invalid (skips the fast check)."""
        return sorted(self.schema_problems(event) + self.event_problems(event))

    def errors(self, event: Any) -> list[str]:
        """Every problem of `event` as a message naming the field path and the rule."""
        return [str(found) for found in self.problems(event)]

    def schema_problems(self, event: Any) -> list[Problem]:
        """Only the problems the compiled JSON Schema also finds."""
        try:
            errors = list(self._engine.iter_errors(event))
        except ValueError as exc:
            return [problem(ROOT, "type", f"holds a value that is not JSON ({exc})")]
        found = [each for error in errors for each in from_schema_error(error)]
        return sorted(found + self._fractional_problems(event))

    def schema_errors(self, event: Any) -> list[str]:
        return [str(found) for found in self.schema_problems(event)]

    def event_problems(self, event: Any) -> list[Problem]:
        """The checks JSON Schema cannot express: clock skew."""
        if not isinstance(event, dict):
            return []
        time, recorded = get_path(event, self._time), get_path(event, self._recorded)
        return clock_problems(time, recorded, self._skew, self._clock_paths)

    def _fractional_problems(self, event: Any) -> list[Problem]:
        """Fractional bounds in exact decimals, where the schema applies them: on numbers
        in `data` of events that are not voids."""
        if not isinstance(event, dict) or _has(event, self._voids):
            return []
        data = get_path(event, self._data)
        if not isinstance(data, dict):
            return []
        found = []
        for name, spec in self._fractional:
            value = data.get(name, _MISSING)
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                continue
            path = ".".join((*self._data, name))
            exact = Decimal(value)
            if spec.minimum is not None and exact < spec.minimum:
                found.append(
                    problem(path, "minimum", f"{show(value)} is below the minimum {spec.minimum}")
                )
            if spec.maximum is not None and exact > spec.maximum:
                found.append(
                    problem(path, "maximum", f"{show(value)} is above the maximum {spec.maximum}")
                )
        return found


def _fractional(bound: Decimal | None) -> bool:
    return bound is not None and bound != bound.to_integral_value()
