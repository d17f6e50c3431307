"""`Catalog`: the loaded contracts and meters of one project, and the entry point of the API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from govern.catalog.loader import load_source, missing_catalog_issue
from govern.catalog.model import ENVELOPE_ROLES, Contract, Meter, MeterTests, MeterVersion
from govern.catalog.sources import CATALOG_FOLDERS, CatalogSource, DirectorySource, GitSource
from govern.errors import CatalogLoadError, InputError
from govern.issues import Issue

if TYPE_CHECKING:
    from govern.validation import EventValidator

ENVELOPE_TYPES = {
    "id": "string",
    "source": "string",
    "type": "string",
    "subject": "string",
    "time": "timestamp",
    "recordedtime": "timestamp",
    "voids": "string",
}


@dataclass(frozen=True)
class Catalog:
    """Event contracts (by name, then version) and meters (by name) of one project."""

    contracts: dict[str, dict[int, Contract]]
    meters: dict[str, Meter]
    label: str = "."
    tests: dict[str, MeterTests] = field(default_factory=dict)
    """Meter tests by meter name (`meters/<meter>.tests.yaml`)."""

    @classmethod
    def load(cls, project: str | Path = ".", ref: str | None = None) -> Catalog:
        """Load the catalog in `project` (or as committed at git `ref`).

        Raises `CatalogLoadError` (exit code 2) with every located problem when a file
        cannot be read or does not fit the format.
        """
        root = Path(project)
        if ref is None and not any((root / folder).is_dir() for folder in CATALOG_FOLDERS):
            if not root.is_dir():
                raise InputError(f"{root}: no such folder")
            raise CatalogLoadError([missing_catalog_issue(str(root))])
        source: CatalogSource = DirectorySource(root) if ref is None else GitSource(root, ref)
        return cls.from_source(source)

    @classmethod
    def from_source(cls, source: CatalogSource) -> Catalog:
        loaded = load_source(source)
        issues = list(loaded.issues)
        contracts: dict[str, dict[int, Contract]] = {}
        for contract in loaded.contracts:
            versions = contracts.setdefault(contract.contract, {})
            if contract.version in versions:
                first = versions[contract.version]
                issues.append(
                    Issue(
                        "CAT012",
                        f"contract {contract.ref} is defined twice (also in {first.file})",
                        contract.location_of("version"),
                    )
                )
            versions[contract.version] = contract
        meters: dict[str, Meter] = {}
        for meter in loaded.meters:
            if meter.meter in meters:
                issues.append(
                    Issue(
                        "CAT012",
                        f"meter {meter.meter} is defined twice "
                        f"(also in {meters[meter.meter].file})",
                        meter.location_of("meter"),
                    )
                )
            meters[meter.meter] = meter
        tests: dict[str, MeterTests] = {}
        for suite in loaded.tests:
            if suite.meter in tests:
                issues.append(
                    Issue(
                        "CAT012",
                        f"tests of meter {suite.meter} are defined twice "
                        f"(also in {tests[suite.meter].file})",
                        suite.location_of("meter"),
                    )
                )
            tests[suite.meter] = suite
        if issues:
            raise CatalogLoadError(issues)
        return cls(
            contracts={name: dict(sorted(v.items())) for name, v in sorted(contracts.items())},
            meters=dict(sorted(meters.items())),
            label=source.label,
            tests=dict(sorted(tests.items())),
        )

    # ------------------------------------------------------------ look-ups

    def contract(self, name: str, version: int | None = None) -> Contract:
        """A contract version; without `version`, the latest released one (else the latest)."""
        versions = self.contracts.get(name)
        if not versions:
            raise InputError(f"unknown contract '{name}'")
        if version is not None:
            if version not in versions:
                raise InputError(f"contract '{name}' has no version {version}")
            return versions[version]
        released = [c for c in versions.values() if c.status == "released"]
        return (released or list(versions.values()))[-1]

    def meter(self, name: str) -> Meter:
        if name not in self.meters:
            known = ", ".join(self.meters) or "none"
            raise InputError(f"unknown meter '{name}' (known: {known})")
        return self.meters[name]

    def all_contracts(self) -> Iterator[Contract]:
        for versions in self.contracts.values():
            yield from versions.values()

    def contract_for(self, version: MeterVersion) -> Contract | None:
        """The contract version a meter version reads: its pin, else the latest released."""
        versions = self.contracts.get(version.contract_name)
        if not versions:
            return None
        pinned = version.contract_version
        if pinned is not None:
            return versions.get(pinned)
        return self.contract(version.contract_name)

    def meters_reading(self, contract: str) -> list[Meter]:
        """The meters with at least one version that reads `contract`."""
        return [
            m for m in self.meters.values() if any(v.contract_name == contract for v in m.versions)
        ]

    # ------------------------------------------------------------ checks

    def lint(self) -> list[Issue]:
        """Run every lint rule; issues sorted by file, line, column and rule id."""
        from govern.lint import lint_catalog

        return lint_catalog(self)

    def validator(self, contract: str, version: int | None = None) -> EventValidator:
        """The in-process validator of a contract version (default: the latest released)."""
        from govern.validation import EventValidator

        return EventValidator(self.contract(contract, version))

    # ------------------------------------------------------------ engines

    def aggregate(self, meter, events, *, as_of=None, customers=None, engine="reference"):
        """Usage and adjustment rows of `meter` over `events` (RawLines or paths), as of
        `as_of`, with an optional customer mapping; see `govern.reference.aggregate`."""
        if engine != "reference":
            raise InputError(f"unknown engine '{engine}' (known: reference)")
        from govern.reference import aggregate

        return aggregate(self, meter, events, as_of=as_of, customers=customers)


def field_type(contract: Contract, name: str) -> str | None:
    """The type of a data field or envelope attribute that a meter may read (data wins)."""
    spec = contract.fields.get(name)
    if spec is not None:
        return spec.type
    return ENVELOPE_TYPES.get(name) if name in ENVELOPE_ROLES else None
