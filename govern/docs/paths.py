"""Where each generated page lives (relative to the generated folder), and links between them.

mkdocs resolves relative links to `.md` files, so every link is written relative to the
page that holds it; `href` does that from two page paths.
"""

from __future__ import annotations

import posixpath

from govern.docs.markdown import anchor as slug

INDEX = "index.md"
BY_OWNER = "by-owner.md"
BY_CONTRACT = "by-contract.md"
CHANGELOG = "changelog.md"
RULES = "reference/rules.md"
SEMANTICS = "reference/billing-semantics.md"
GLOSSARY = "reference/glossary.md"


def meter_path(name: str) -> str:
    return f"meters/{name}.md"


def contract_path(name: str) -> str:
    return f"contracts/{name}.md"


def href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """The relative link from one generated page to another (and a heading in it)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{slug(anchor)}" if anchor else target


# Links from a meter or contract page (both one folder down), the common case.


def contract_link(name: str) -> str:
    return href(meter_path("x"), contract_path(name))


def meter_link(name: str) -> str:
    return href(contract_path("x"), meter_path(name))


def glossary_link(term: str) -> str:
    return href(meter_path("x"), GLOSSARY, term)
