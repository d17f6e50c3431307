"""`ValidatorSet`: picks the contract version each event is checked against, and checks it.

The contract is the event's `type` (unless the set is told which contract to use); the
version is the one its `dataschema` names, else the latest released one. A `dataschema`
that names another contract, or no version at all, is not a claim about this contract and
is ignored; one that names a version the catalog lacks makes the event invalid.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from govern.compile.layout import event_layout, get_path
from govern.events.reader import decode_event
from govern.validation.accelerator import Accelerator
from govern.validation.dataschemas import named_version
from govern.validation.problems import MISSING, ROOT, Problem, json_kind, problem, show
from govern.validation.validator import EventValidator
from govern.validation.verdict import UNKNOWN_TYPE, Verdict

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog


class ValidatorSet:
    """Validators for every contract version of a catalog, built on first use."""

    def __init__(self, catalog: Catalog, contract: str | None = None, version: int | None = None):
        """`contract` checks every event against that contract whatever its type;
        `version` (with `contract`) against that one version whatever its dataschema."""
        self.catalog = catalog
        self._validators: dict[tuple[str, int | None], EventValidator] = {}
        self._valid: dict[tuple[str, int], Verdict] = {}
        self._forced = (catalog.contract(contract, version).contract, version) if contract else None
        self._types = {
            name: event_layout(catalog.contract(name)).path("type") for name in catalog.contracts
        }
        self._type_paths = list(dict.fromkeys(self._types.values())) or [("type",)]
        self._by_dataschema = lru_cache(maxsize=4096)(self._select_by_dataschema)

    def validator(self, name: str, version: int | None = None) -> EventValidator:
        """The validator of contract `name` at `version` (default: the latest released)."""
        found = self._validators.get((name, version))
        if found is None:
            contract = self.catalog.contract(name, version)
            same = self._validators.get((name, contract.version))
            found = same or EventValidator(contract)
            self._validators[(name, version)] = self._validators[(name, contract.version)] = found
            self._valid[(name, contract.version)] = Verdict(contract)
        return found

    def check(self, event: Any) -> Verdict:
        """The verdict on one decoded event (numbers as int or Decimal, never lossy floats)."""
        if not isinstance(event, dict):
            found = problem(ROOT, "type", f"{show(event)} is {json_kind(event)}, expected object")
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
        return Verdict(validator.contract, tuple(validator.diagnose(event)))

    def check_json(self, text: bytes) -> Verdict:
        """The verdict on one raw JSON event; malformed JSON is an invalid event.

        Most valid events are certified by the typed decoder of `Accelerator`; the rest are
        decoded with exact decimals and checked by `check`, whose verdict it never changes.
        """
        certified = self.accelerator.certify(text)
        if certified is not None:
            return certified
        try:
            event = decode_event(text)
        except (ValueError, RecursionError) as exc:
            return Verdict(None, (problem(ROOT, "json", f"not valid JSON ({exc})"),))
        return self.check(event)

    @cached_property
    def accelerator(self) -> Accelerator:
        """The typed decoders that certify most valid events (built on first use)."""
        return Accelerator(self.catalog, *self._forced or ())

    def _type_of(self, event: dict) -> tuple[str | None, Problem | None]:
        """The contract named by the event's type; (None, None) for a type not in the catalog."""
        values = [(path, get_path(event, path)) for path in self._type_paths]
        for path, value in values:
            if isinstance(value, str) and self._types.get(value) == path:
                return value, None
        if any(isinstance(value, str) for _, value in values):
            return None, None
        path, value = values[0]
        where = ".".join(path)
        if value is None:
            return None, problem(where, "required", MISSING)
        return None, problem(where, "type", f"{show(value)} is {json_kind(value)}, expected string")

    def _select(self, name: str, event: dict) -> tuple[EventValidator, Problem | None]:
        if self._forced and self._forced[1] is not None:
            return self.validator(name, self._forced[1]), None
        latest = self.validator(name)
        text = get_path(event, latest.dataschema_path)
        if not isinstance(text, str):
            return latest, None
        return self._by_dataschema(name, text)

    def _select_by_dataschema(self, name: str, text: str) -> tuple[EventValidator, Problem | None]:
        """`_select` for an event whose dataschema is `text`; remembered (`_by_dataschema`), as a
        stream repeats a handful of dataschemas."""
        latest = self.validator(name)
        named = self._named_version(name, text)
        if named is None:
            return latest, None
        versions = self.catalog.contracts[name]
        if named not in versions:
            known = ", ".join(str(v) for v in versions)
            found = problem(
                ".".join(latest.dataschema_path),
                "dataschema",
                f"{show(text)} names {name} version {named}, which the catalog does not "
                f"have (versions: {known})",
            )
            return latest, found
        return self.validator(name, named), None

    def _named_version(self, name: str, text: str) -> int | None:
        """The version of contract `name` that a dataschema names, if it names one."""
        named = named_version(text)
        return named[1] if named is not None and named[0] == name else None
