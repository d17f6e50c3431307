"""Shared fixtures: the bundled catalog, small catalogs written into tmp_path, and the
check of Markdown blocks generated from a table."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled example catalog (contracts/ and meters/)."""
    for folder in ("contracts", "meters"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; return `root`."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def assert_generated_block(path: Path, name: str, generated: str) -> None:
    """The text between `<!-- name:start -->` and `<!-- name:end -->` in `path` is
    `generated` (GOVERN_REGEN=1 rewrites it)."""
    block = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(\n<!-- {name}:end -->)", re.S)
    text = path.read_text(encoding="utf-8")
    if os.environ.get("GOVERN_REGEN"):
        path.write_text(block.sub(lambda m: m[1] + generated + m[3], text), "utf-8")
        text = path.read_text(encoding="utf-8")
    match = block.search(text)
    assert match, f"{path.relative_to(REPO)} lost its {name} block"
    assert match[2] == generated
