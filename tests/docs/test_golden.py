"""Golden pages: the docs `govern docs` generates for the bundled catalog, reviewed as diffs.

Regenerate with `GOVERN_REGEN=1 python -m pytest tests/docs` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govern import Catalog
from govern.docs import generate_pages
from govern.docs.nav import GUIDES, TOP_PAGES, HandwrittenPage, nav_yaml, site_nav
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "docs"
REGEN = bool(os.environ.get("GOVERN_REGEN"))


def _generated() -> dict[str, str]:
    catalog = Catalog.load(REPO)
    pages = generate_pages(catalog, REPO)
    handwritten = [HandwrittenPage(path, title) for path, title in (*TOP_PAGES, *GUIDES)]
    pages["nav.yml"] = nav_yaml(site_nav(catalog, "catalog/", handwritten))
    return pages


GENERATED = _generated()
PAGES = {path: text for path, text in GENERATED.items() if path.endswith((".md", ".yml"))}
"""The pages (compiled artifacts beside them have their own golden files)."""


def _golden_files() -> set[str]:
    return {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}


def test_golden_folder_holds_exactly_the_generated_pages() -> None:
    if REGEN:
        for stale in _golden_files() - set(PAGES):
            (GOLDEN / stale).unlink()
        for relative, content in PAGES.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_text(content, encoding="utf-8")
    assert _golden_files() == set(PAGES)


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_page_matches_golden(relative: str) -> None:
    path = GOLDEN / relative
    assert path.is_file(), (
        f"no golden page {relative}: run GOVERN_REGEN=1 python -m pytest tests/docs"
    )
    assert PAGES[relative] == path.read_text(encoding="utf-8")


def test_generation_is_deterministic() -> None:
    assert _generated() == GENERATED


def test_pages_do_not_depend_on_where_the_project_is(bundled: Path) -> None:
    moved = generate_pages(Catalog.load(bundled), bundled)
    assert moved == {k: v for k, v in GENERATED.items() if k != "nav.yml"}
