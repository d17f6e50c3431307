"""The page of one meter: what it bills in words, who owns it, its versions and their
differences, the filter explained, a worked example and its lineage to the invoice."""

from __future__ import annotations

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter, MeterVersion
from govern.docs.changes import meter_version_changes
from govern.docs.lineage import contract_versions_read, effective_range, meter_lineage
from govern.docs.markdown import (
    admonition,
    bullets,
    cell,
    code,
    fenced,
    generated_note,
    link,
    page,
    table,
)
from govern.docs.paths import contract_link, glossary_link
from govern.explain import describe_version, explain_filter


def headline_version(meter: Meter) -> MeterVersion:
    """The version a reader asks about first: the latest released one (else the latest)."""
    released = [v for v in meter.versions if v.status == "released"]
    return (released or meter.versions)[-1]


def _facts(catalog: Catalog, meter: Meter) -> str:
    contracts = sorted({v.contract_name for v in meter.versions})
    reads = ", ".join(
        link(code(name), contract_link(name)) if name in catalog.contracts else code(name)
        for name in contracts
    )
    facts = [
        ("invoice line item", code(meter.line_item)),
        ("unit", cell(meter.unit)),
        ("owner", cell(meter.owner)),
        ("finance owner", cell(meter.finance_owner)),
        ("GL account", code(meter.gl_account) if meter.gl_account else cell(None)),
        ("reads events of", reads),
        ("defined in", code(meter.file)),
    ]
    return bullets(f"**{name}:** {value}" for name, value in facts)


def _versions_table(meter: Meter) -> str:
    return table(
        ["version", "status", "computes periods", "reads", "description"],
        (
            [
                link(str(v.version), f"#version-{v.version}"),
                v.status,
                effective_range(meter, v),
                code(v.contract),
                cell(v.description),
            ]
            for v in reversed(meter.versions)
        ),
    )


_LIKE_NOTE = (
    "In a `LIKE` pattern, `%` stands for any run of characters and `_` for exactly one "
    "character: `'/v1/%'` matches every value that starts with `/v1/`."
)


def _filter_block(version: MeterVersion) -> str:
    if not version.filter:
        return "**Filter:** none: every valid event of the contract counts."
    return page(
        "**Filter**, as written:",
        fenced(version.filter, "sql"),
        f"In words: counted when {explain_filter(version.filter)}. A field the event does "
        "not carry makes a comparison unknown, and an unknown filter excludes the event "
        f"(SQL three-valued logic, see the {link('glossary', glossary_link('filter'))}).",
        _LIKE_NOTE if " LIKE " in f" {version.filter.upper()} " else None,
    )


def _version_section(catalog: Catalog, meter: Meter, index: int) -> str:
    version = meter.versions[index]
    contract_versions = ", ".join(f"v{n}" for n in contract_versions_read(catalog, version))
    parts = [
        f"### Version {version.version}",
        f"**{version.status}**, computes the periods {effective_range(meter, version)}; "
        f"reads {code(version.contract_name)} events ({contract_versions or 'no version'}).",
        f"> {describe_version(meter, version)}",
    ]
    if version.description:
        parts.append(f"Its owners describe it as: *{cell(version.description)}*")
    if index > 0:
        previous = meter.versions[index - 1]
        changes = meter_version_changes(previous, version)
        heading = f"**What changed from version {previous.version}:**"
        if changes:
            parts += [heading, bullets(changes)]
        else:
            parts.append(f"{heading} nothing in what it computes.")
    parts.append(_filter_block(version))
    return page(*parts)


def meter_page(
    catalog: Catalog, meter: Meter, worked_example: str, history: str | None = None
) -> str:
    """The Markdown page of `meter`. `worked_example` and `history` are rendered sections."""
    current = headline_version(meter)
    summary = admonition(
        "abstract",
        f"Version {current.version} ({current.status}, {effective_range(meter, current)})",
        describe_version(meter, current),
    )
    return page(
        generated_note(meter.file),
        f"# {meter.meter} ({meter.line_item})",
        cell(meter.description) if meter.description else None,
        "## What it bills",
        summary,
        _facts(catalog, meter),
        "## Versions",
        "Newest first. A version computes every period that starts on or after its "
        "effective date, until the next version takes over; released versions never change.",
        _versions_table(meter),
        *(_version_section(catalog, meter, i) for i in reversed(range(len(meter.versions)))),
        worked_example,
        "## Lineage",
        "Which events feed which version, and the invoice line the usage lands on.",
        meter_lineage(catalog, meter),
        history,
    )
