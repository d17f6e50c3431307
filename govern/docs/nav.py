"""Navigation: the catalog's index pages (all meters, by owner, by contract) and the mkdocs
nav, which lists the generated pages and every hand-written page found beside them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from govern.catalog.catalog import Catalog
from govern.docs.lineage import effective_range
from govern.docs.markdown import cell, code, generated_note, link, page, table
from govern.docs.meter_page import headline_version
from govern.docs.paths import (
    BY_CONTRACT,
    BY_OWNER,
    CHANGELOG,
    GLOSSARY,
    INDEX,
    RULES,
    SEMANTICS,
    contract_path,
    href,
    meter_path,
)

TOP_PAGES = (("index.md", "Home"), ("getting-started.md", "Getting started"))
"""Hand-written pages that open the nav, before the catalog."""

GUIDES = (
    ("catalog-format.md", "The catalog format"),
    ("ci.md", "How a change flows through CI"),
    ("warehouse.md", "Running meters in a warehouse"),
    ("validation.md", "Validating events"),
    ("semantics.md", "Billable usage: the definition"),
)
"""Hand-written guides the site expects, in nav order, with their nav titles. Any other
Markdown page in the docs folder is listed after them, titled by its first heading."""


def _meter_link(from_page: str, name: str) -> str:
    return link(code(name), href(from_page, meter_path(name)))


def _contract_link(from_page: str, name: str) -> str:
    return link(code(name), href(from_page, contract_path(name)))


def index_page(catalog: Catalog) -> str:
    meters = table(
        ["meter", "invoice line item", "unit", "what it bills", "current version", "owner"],
        (
            [
                _meter_link(INDEX, m.meter),
                code(m.line_item),
                cell(m.unit),
                cell(m.description),
                f"{headline_version(m).version} ({effective_range(m, headline_version(m))})",
                cell(m.owner),
            ]
            for m in catalog.meters.values()
        ),
    )
    contracts = table(
        ["contract", "current version", "fields", "owner", "read by"],
        (
            [
                _contract_link(INDEX, name),
                str(catalog.contract(name).version),
                str(len(catalog.contract(name).fields)),
                cell(catalog.contract(name).owner),
                ", ".join(_meter_link(INDEX, m.meter) for m in catalog.meters_reading(name)),
            ]
            for name in catalog.contracts
        ),
    )
    return page(
        generated_note("contracts/", "meters/"),
        "# The catalog",
        "Every meter bills one invoice line item. Open a meter for what it bills in plain "
        "words, its versions and what changed between them, a worked example and its "
        f"lineage. Browse {link('by owner', BY_OWNER)} or {link('by contract', BY_CONTRACT)}; "
        f"recent changes are in the {link('changelog', CHANGELOG)}.",
        "## Meters",
        meters,
        "## Event contracts",
        contracts,
    )


def by_owner_page(catalog: Catalog) -> str:
    teams: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for meter in catalog.meters.values():
        teams[meter.owner or "(no owner)"]["meters"].append(_meter_link(BY_OWNER, meter.meter))
    for name in catalog.contracts:
        owner = catalog.contract(name).owner or "(no owner)"
        teams[owner]["contracts"].append(_contract_link(BY_OWNER, name))
    finance: dict[str, list[str]] = defaultdict(list)
    for meter in catalog.meters.values():
        finance[meter.finance_owner or "(no finance owner)"].append(
            f"{_meter_link(BY_OWNER, meter.meter)} ({code(meter.line_item)})"
        )
    return page(
        generated_note("contracts/", "meters/"),
        "# By owner",
        "Who answers for what: the team that owns each meter and contract, and the Finance "
        "contact who signs off what each meter bills.",
        "## Teams",
        table(
            ["team", "meters", "event contracts"],
            (
                [cell(team), ", ".join(owned["meters"]), ", ".join(owned["contracts"])]
                for team, owned in sorted(teams.items())
            ),
        ),
        "## Finance owners",
        table(
            ["finance owner", "meters (invoice line item)"],
            ([cell(who), ", ".join(items)] for who, items in sorted(finance.items())),
        ),
    )


def by_contract_page(catalog: Catalog) -> str:
    sections = []
    for name in catalog.contracts:
        readers = catalog.meters_reading(name)
        rows = (
            [
                _meter_link(BY_CONTRACT, m.meter),
                ", ".join(str(v.version) for v in m.versions if v.contract_name == name),
                code(m.line_item),
                cell(m.unit),
            ]
            for m in readers
        )
        sections += [
            f"## {name}",
            cell(catalog.contract(name).description),
            table(["meter", "versions reading it", "invoice line item", "unit"], rows)
            if readers
            else "No meter reads it yet.",
        ]
    return page(
        generated_note("contracts/", "meters/"),
        "# By contract",
        "For each event contract, the meters that read its events and the invoice lines "
        "they feed: what a change to the contract can affect.",
        *sections,
    )


# ---------------------------------------------------------------- the mkdocs nav


@dataclass(frozen=True)
class HandwrittenPage:
    path: str
    title: str


def handwritten_pages(docs_root: Path, generated: Path) -> list[HandwrittenPage]:
    """The Markdown pages under `docs_root` outside the generated folder, in nav order."""
    found = {}
    for path in sorted(docs_root.rglob("*.md")):
        relative = path.relative_to(docs_root).as_posix()
        if path.is_relative_to(generated):
            continue
        found[relative] = path
    expected = (*TOP_PAGES, *GUIDES)
    ordered = [HandwrittenPage(p, title) for p, title in expected if p in found]
    known = {p for p, _ in expected}
    ordered += [
        HandwrittenPage(relative, _first_heading(path) or relative)
        for relative, path in found.items()
        if relative not in known
    ]
    return ordered


def _first_heading(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def site_nav(catalog: Catalog, prefix: str, handwritten: Sequence[HandwrittenPage]) -> list:
    """The mkdocs `nav`: home and guides, meters grouped by owner, contracts, reference.

    `prefix` is the generated folder relative to the docs folder (`catalog/`).
    """
    by_owner: dict[str, list] = defaultdict(list)
    for meter in catalog.meters.values():
        by_owner[meter.owner or "(no owner)"].append(
            {f"{meter.meter} ({meter.line_item})": prefix + meter_path(meter.meter)}
        )
    pages = {p.path: p.title for p in handwritten}
    top = [{pages.pop(path): path} for path, _ in TOP_PAGES if path in pages]
    nav: list = [
        *top,
        {"Catalog": prefix + INDEX},
        {"Meters by owner": [{team: items} for team, items in sorted(by_owner.items())]},
        {
            "Event contracts": [
                {"By contract": prefix + BY_CONTRACT},
                *({name: prefix + contract_path(name)} for name in catalog.contracts),
            ]
        },
        {"By owner": prefix + BY_OWNER},
        {"Changelog": prefix + CHANGELOG},
        {
            "Reference": [
                {"Billing semantics": prefix + SEMANTICS},
                {"Rules": prefix + RULES},
                {"Glossary": prefix + GLOSSARY},
            ]
        },
    ]
    if pages:
        nav.append({"Guides": [{title: path} for path, title in pages.items()]})
    return nav


def nav_yaml(nav: list) -> str:
    header = (
        "# Generated by `govern docs`: the site's navigation, inherited by mkdocs.yml.\n"
        "# Do not edit; run `govern docs` again.\n"
    )
    return header + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True, width=1000)
