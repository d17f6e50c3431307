"""docs/reconciliation.md shows the exception and check kinds from their tables
(regenerate: GOVERN_REGEN=1 python -m pytest tests/reconcile/test_docs.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from govern.checks.kinds import kinds_markdown as checks_markdown
from govern.reconcile.exceptions import kinds_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "reconciliation.md"


@pytest.mark.parametrize(
    ("name", "table"), [("kinds", kinds_markdown), ("checks", checks_markdown)]
)
def test_docs_tables_are_generated(name: str, table) -> None:
    block = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(\n<!-- {name}:end -->)", re.S)
    text = DOC.read_text(encoding="utf-8")
    if os.environ.get("GOVERN_REGEN"):
        DOC.write_text(block.sub(lambda m: m[1] + table() + m[3], text), "utf-8")
        text = DOC.read_text(encoding="utf-8")
    match = block.search(text)
    assert match, f"docs/reconciliation.md lost its {name} block"
    assert match[2] == table()


def test_docs_name_every_preset() -> None:
    from govern.reconcile import preset_names

    text = DOC.read_text(encoding="utf-8")
    for name in preset_names("invoices") + preset_names("ledger"):
        assert f"`{name}`" in text
