"""docs/reconciliation.md shows the exception and check kinds from their tables
(regenerate: GOVERN_REGEN=1 python -m pytest tests/reconcile/test_docs.py)."""

from __future__ import annotations

import pytest

from govern.checks.kinds import kinds_markdown as checks_markdown
from govern.reconcile.exceptions import kinds_markdown
from tests.conftest import REPO, assert_generated_block

DOC = REPO / "docs" / "reconciliation.md"


@pytest.mark.parametrize(
    ("name", "table"), [("kinds", kinds_markdown), ("checks", checks_markdown)]
)
def test_docs_tables_are_generated(name: str, table) -> None:
    assert_generated_block(DOC, name, table())


def test_docs_name_every_preset() -> None:
    from govern.reconcile import preset_names

    text = DOC.read_text(encoding="utf-8")
    for name in preset_names("invoices") + preset_names("ledger"):
        assert f"`{name}`" in text
