"""`ValidatorSet`: picks the contract version each event is checked against, and checks it.

The contract is the event's `type` (unless the set is told which contract to use); the
version is the one its `dataschema` names, else the latest released one. A `dataschema`
that names another contract, or no version at all, is not a claim about this contract and
is ignored; one that names a version the catalog lacks makes the event invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govern.catalog.dataschema import parse_dataschema
from govern.catalog.model import Contract
from govern.compile.layout import Path, event_layout
from govern.validation.problems import MISSING, ROOT, Problem, json_kind, problem, show
from govern.validation.validator import EventValidator, get_path

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one event. `contract` is None when its type is not in the catalog
    (then `problems` is empty: the event is not ours to judge) or when it has no usable type
    (then `problems` says why)."""

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


class ValidatorSet:
    """Validators for every contract version of a catalog, built on first use."""

    def __init__(self, catalog: Catalog, contract: str | None = None, version: int | None = None):
        """`contract` checks every event against that contract whatever its type;
        `version` (with `contract`) against that one version whatever its dataschema."""
        self.catalog = catalog
        self._validators: dict[tuple[str, int], EventValidator] = {}
        self._valid: dict[tuple[str, int], Verdict] = {}
        self._named: dict[str, tuple[str, int] | None] = {}
        self._forced = (catalog.contract(contract, version).contract, version) if contract else None
        self._type_paths = list(
            dict.fromkeys(
                event_layout(catalog.contract(name)).path("type") for name in catalog.contracts
            )
        ) or [("type",)]

    def validator(self, name: str, version: int | None = None) -> EventValidator:
        """The validator of contract `name` at `version` (default: the latest released)."""
        contract = self.catalog.contract(name, version)
        key = (contract.contract, contract.version)
        found = self._validators.get(key)
        if found is None:
            found = self._validators[key] = EventValidator(contract)
            self._valid[key] = Verdict(contract)
        return found

    def check(self, event: Any) -> Verdict:
        """The verdict on one decoded event (numbers as int or Decimal, never lossy floats)."""
        if not isinstance(event, dict):
            found = problem(
                ROOT, "type", f"{show(event)} is {json_kind(event)}, expected an object"
            )
            return Verdict(None, (found,))
        if self._forced:
            name: str | None = self._forced[0]
        else:
            name, invalid = self._type_of(event)
            if invalid is not None:
                return Verdict(None, (invalid,))
            if name is None:
                return UNKNOWN_TYPE
        validator, invalid = self._select(name, event)
        if invalid is not None:
            return Verdict(validator.contract, (invalid,))
        if validator.is_valid(event):
            return self._valid[(validator.contract.contract, validator.contract.version)]
        return Verdict(validator.contract, tuple(validator.problems(event)))

    def _type_of(self, event: dict) -> tuple[str | None, Problem | None]:
        """The contract named by the event's type; (None, None) for a type not in the catalog."""
        seen: list[tuple[Path, Any]] = []
        for path in self._type_paths:
            value = get_path(event, path)
            if isinstance(value, str):
                if value in self.catalog.contracts and self._type_path(value) == path:
                    return value, None
                return None, None
            seen.append((path, value))
        path, value = seen[0]
        where = ".".join(path)
        if value is None:
            return None, problem(where, "required", MISSING)
        return None, problem(where, "type", f"{show(value)} is {json_kind(value)}, expected string")

    def _type_path(self, name: str) -> Path:
        return event_layout(self.catalog.contract(name)).path("type")

    def _select(self, name: str, event: dict) -> tuple[EventValidator, Problem | None]:
        if self._forced and self._forced[1] is not None:
            return self.validator(name, self._forced[1]), None
        latest = self.validator(name)
        text = get_path(event, latest.dataschema_path)
        named = self._dataschema(text) if isinstance(text, str) else None
        if named is None or named[0] != name:
            return latest, None
        versions = self.catalog.contracts[name]
        if named[1] not in versions:
            known = ", ".join(str(v) for v in versions)
            found = problem(
                ".".join(latest.dataschema_path),
                "dataschema",
                f"{show(text)} names {name} version {named[1]}, which the catalog does not "
                f"have (versions: {known})",
            )
            return latest, found
        return self.validator(name, named[1]), None

    def _dataschema(self, text: str) -> tuple[str, int] | None:
        """`parse_dataschema`, remembered: a stream repeats a handful of dataschemas."""
        if text not in self._named:
            if len(self._named) >= _CACHE_LIMIT:
                self._named.clear()
            self._named[text] = parse_dataschema(text)
        return self._named[text]
