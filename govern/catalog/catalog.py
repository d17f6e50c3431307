"""`Catalog`: the loaded contracts and meters of one project, and the entry point of the API."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from govern.catalog.loader import load_source, missing_catalog_issue
from govern.catalog.model import ENVELOPE_ROLES, Contract, Meter, MeterTests, MeterVersion, Node
from govern.catalog.sources import CATALOG_FOLDERS, CatalogSource, DirectorySource, GitSource
from govern.errors import CatalogLoadError, InputError
from govern.issues import Issue

if TYPE_CHECKING:
    from govern.validation import EventValidator

N = TypeVar("N", bound=Node)
K = TypeVar("K", bound=Hashable)

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
        contract_versions = _defined_once(
            loaded.contracts,
            lambda c: (c.contract, c.version),
            lambda c: f"contract {c.ref} is defined twice",
            "version",
            issues,
        )
        meters = _defined_once(
            loaded.meters,
            lambda m: m.meter,
            lambda m: f"meter {m.meter} is defined twice",
            "meter",
            issues,
        )
        tests = _defined_once(
            loaded.tests,
            lambda t: t.meter,
            lambda t: f"tests of meter {t.meter} are defined twice",
            "meter",
            issues,
        )
        if issues:
            raise CatalogLoadError(issues)
        contracts: dict[str, dict[int, Contract]] = {}
        for (name, version), contract in sorted(contract_versions.items()):
            contracts.setdefault(name, {})[version] = contract
        return cls(
            contracts=contracts,
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
        `as_of`, with an optional customer mapping; see `govern.reference.aggregate`.
        `engine` is a name in `govern.engines.ENGINES`."""
        from govern.engines import engine as find_engine

        return find_engine(engine)(self, meter, events, as_of=as_of, customers=customers)


def stream_contract(meter: Meter) -> str:
    """The one contract every version of `meter` reads; InputError when they differ."""
    names = sorted({v.contract_name for v in meter.versions})
    if len(names) != 1:
        raise InputError(
            f"meter {meter.meter} reads several event types ({', '.join(names)}); "
            "deduplication and voids are defined within one stream, so every "
            "version of a meter must read the same contract"
        )
    return names[0]


def field_type(contract: Contract, name: str) -> str | None:
    """The type of a data field or envelope attribute that a meter may read (data wins)."""
    spec = contract.fields.get(name)
    if spec is not None:
        return spec.type
    return ENVELOPE_TYPES.get(name) if name in ENVELOPE_ROLES else None


def _defined_once(
    nodes: Iterable[N],
    key: Callable[[N], K],
    twice: Callable[[N], str],
    key_field: str,
    issues: list[Issue],
) -> dict[K, N]:
    """`nodes` by `key`; a node whose key an earlier one has adds a CAT012 issue, worded by
    `twice` and located at its `key_field`."""
    found: dict[K, N] = {}
    for node in nodes:
        k = key(node)
        if k in found:
            issues.append(
                Issue(
                    "CAT012",
                    f"{twice(node)} (also in {found[k].file})",
                    node.location_of(key_field),
                )
            )
        found[k] = node
    return found
