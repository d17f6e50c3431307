"""Lineage diagrams (Mermaid): event contract -> meter version -> invoice line item."""

from __future__ import annotations

import re
from datetime import timedelta

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter, MeterVersion
from govern.docs.markdown import fenced


def _label(*lines: str) -> str:
    """A quoted Mermaid label; quotes become entities, lines are joined with <br/>."""
    return '"' + "<br/>".join(line.replace('"', "#quot;") for line in lines) + '"'


def _node_id(*parts: object) -> str:
    return re.sub(r"\W", "_", "_".join(str(part) for part in parts))


def contract_versions_read(catalog: Catalog, version: MeterVersion) -> list[int]:
    """The contract versions whose events a meter version counts.

    A pinned version (`api_request@2`) reads that one; otherwise events of every
    non-draft version of the contract are counted (each validated against its own).
    """
    if version.contract_version is not None:
        return [version.contract_version]
    versions = catalog.contracts.get(version.contract_name, {})
    return [number for number, c in versions.items() if c.status != "draft"] or list(versions)


def effective_range(meter: Meter, version: MeterVersion) -> str:
    """`2026-01-01 – 2026-10-31` or `from 2026-11-01`: the days whose periods it computes."""
    later = [v for v in meter.versions if v.effective_from > version.effective_from]
    if not later:
        return f"from {version.effective_from.isoformat()}"
    last_day = min(v.effective_from for v in later) - timedelta(days=1)
    return f"{version.effective_from.isoformat()} – {last_day.isoformat()}"


def meter_lineage(catalog: Catalog, meter: Meter) -> str:
    """A left-to-right flowchart from contract versions through meter versions to the line."""
    lines = ["flowchart LR"]
    line_item = _node_id("line", meter.line_item)
    ledger = [f"GL account {meter.gl_account}"] if meter.gl_account else []
    contract_nodes: dict[str, str] = {}
    for version in meter.versions:
        numbers = contract_versions_read(catalog, version)
        contract_key = f"{version.contract_name}@{','.join(map(str, numbers))}"
        if contract_key not in contract_nodes:
            node = _node_id("contract", version.contract_name, *numbers)
            contract_nodes[contract_key] = node
            which = ", ".join(f"v{n}" for n in numbers) or "no version"
            lines.append(f"    {node}[{_label('event contract', version.contract_name, which)}]")
        meter_node = _node_id("meter", meter.meter, version.version)
        label = _label(
            f"{meter.meter} v{version.version}", version.status, effective_range(meter, version)
        )
        lines.append(f"    {meter_node}[{label}]")
        lines.append(f"    {contract_nodes[contract_key]} --> {meter_node}")
        lines.append(f"    {meter_node} --> {line_item}")
    lines.append(f"    {line_item}[{_label('invoice line item', meter.line_item, *ledger)}]")
    return fenced("\n".join(lines), "mermaid")
