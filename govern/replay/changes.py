"""Which meters a change touches: their definition, or a contract they read.

Only what can move a quantity counts as a change: a meter's versions (their descriptions
aside) and every version of the contract it reads (descriptions, owners, pii flags,
compatibility modes and acknowledgements aside). Validation picks a contract version by
an event's `dataschema` or the latest released one, so any version of that contract can
matter, its status included.
"""

from __future__ import annotations

from typing import Any

from govern.catalog.catalog import Catalog
from govern.catalog.model import Contract, Meter

_CONTRACT_DOCS = {"description", "owner", "compatibility", "acknowledge"}
_FIELD_DOCS = {"description", "pii"}
_VERSION_DOCS = {"description", "status"}


def meter_content(meter: Meter) -> list[dict[str, Any]]:
    """What a meter computes: its versions without their descriptions and status."""
    return [v.model_dump(mode="json", exclude=_VERSION_DOCS) for v in meter.versions]


def contract_content(contract: Contract) -> dict[str, Any]:
    data = contract.model_dump(mode="json", exclude=_CONTRACT_DOCS)
    for spec in data["fields"].values():
        for key in _FIELD_DOCS:
            spec.pop(key, None)
    return data


def _contracts_read(catalog: Catalog, meter: Meter) -> dict[str, dict[int, dict[str, Any]]]:
    names = sorted({v.contract_name for v in meter.versions})
    return {
        name: {n: contract_content(c) for n, c in catalog.contracts.get(name, {}).items()}
        for name in names
    }


def change_reasons(base: Catalog, head: Catalog, name: str) -> list[str]:
    """Why meter `name` may bill differently at `head` than at `base` (empty: it cannot)."""
    before, after = base.meters.get(name), head.meters.get(name)
    if before is None or after is None:
        return ["meter added" if before is None else "meter removed"]
    reasons = []
    if meter_content(before) != meter_content(after):
        reasons.append("definition changed")
    old, new = _contracts_read(base, before), _contracts_read(head, after)
    for contract in sorted(set(old) | set(new)):
        if old.get(contract) != new.get(contract):
            reasons.append(f"contract {contract} changed")
    return reasons
